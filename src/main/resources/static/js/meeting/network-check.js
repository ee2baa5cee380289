// @ts-check
// The pre-join network check: can this browser reach the relay over UDP, over TCP, through TURN; the round trip; a
// rough upload bandwidth. Each path is an ICE probe of its own against a throwaway relay transport
// (POST <url>/probe): the relay's answer lists all its candidates, and the page keeps only the path's own before
// applying it, so a success proves that path. The outcome goes to the server's log (POST <url>/result).

/** @typedef {'ok' | 'blocked' | 'not-configured' | 'failed'} Verdict */
/** @typedef {{ udp: Verdict, tcp: Verdict, turn: Verdict, rttMs: number | null, uploadKbps: number | null }} Outcome */
/**
 * @typedef {object} CheckEnv
 * @property {typeof window.fetch} fetch
 * @property {string} url the check's base URL (/r/<slug>/network-check)
 * @property {{ header: string | undefined, token: string | undefined }} csrf
 * @property {typeof RTCPeerConnection} RTCPeerConnection
 * @property {number} [probeMs] how long a path may take to connect
 */

const PROBE_MS = 6000;
const UPLOAD_BYTES = 1024 * 1024;

/**
 * The SDP with only the candidates of one transport protocol.
 * @param {string} sdp
 * @param {'udp' | 'tcp'} protocol
 */
export function keepCandidates(sdp, protocol) {
  return sdp.split('\r\n').filter((line) => {
    if (!line.startsWith('a=candidate:')) return true;
    const fields = line.split(' ');
    return (fields[2] || '').toLowerCase() === protocol;
  }).join('\r\n');
}

/**
 * Whether an SDP still offers a candidate: without one (the server has no ICE-TCP port, say) the path is not set up
 * on this server, rather than blocked by the network.
 * @param {string} sdp
 */
export function hasCandidates(sdp) {
  return sdp.split('\r\n').some((line) => line.startsWith('a=candidate:'));
}

/**
 * What to tell the person, as a text key (and its argument).
 * @param {Outcome} outcome
 * @returns {[string, ...unknown[]]}
 */
export function summary(outcome) {
  if (outcome.udp !== 'ok' && outcome.tcp !== 'ok' && outcome.turn !== 'ok') return ['network.summary.none'];
  if (outcome.udp !== 'ok' && outcome.tcp !== 'ok') return ['network.summary.turn'];
  if (outcome.udp !== 'ok') return ['network.summary.tcp'];
  if (outcome.uploadKbps !== null && outcome.uploadKbps < 1000) {
    return ['network.summary.slowUpload', (outcome.uploadKbps / 1000).toFixed(1)];
  }
  return ['network.summary.good'];
}

/**
 * @param {CheckEnv} env
 * @param {string} contentType
 */
function headers(env, contentType) {
  /** @type {Record<string, string>} */
  const h = { 'Content-Type': contentType };
  if (env.csrf.header && env.csrf.token) h[env.csrf.header] = env.csrf.token;
  return h;
}

/** @param {Response} response */
async function failure(response) {
  try {
    const body = await response.json();
    return new Error(body.message || `HTTP ${response.status}`);
  } catch (e) {
    return new Error(`HTTP ${response.status}`);
  }
}

/**
 * One ICE probe. Resolves with the verdict and, when the browser measured it, the round trip in ms.
 * @param {CheckEnv} env
 * @param {'udp' | 'tcp' | 'turn'} path
 * @param {RTCIceServer[]} iceServers for 'turn'
 * @returns {Promise<{ verdict: Verdict, rttMs: number | null, iceServers: RTCIceServer[] }>}
 */
export async function probe(env, path, iceServers = []) {
  const pc = new env.RTCPeerConnection(path === 'turn'
    ? { iceServers, iceTransportPolicy: 'relay' } : { iceServers: [] });
  try {
    pc.addTransceiver('audio', { direction: 'sendonly' });
    const offer = await pc.createOffer();
    await pc.setLocalDescription(offer);
    const response = await env.fetch(`${env.url}/probe`, {
      method: 'POST', headers: headers(env, 'application/sdp'), body: offer.sdp, credentials: 'same-origin',
    });
    if (!response.ok) throw await failure(response);
    const body = await response.json();
    const answer = keepCandidates(body.answer, path === 'tcp' ? 'tcp' : 'udp');
    if (!hasCandidates(answer)) return { verdict: 'not-configured', rttMs: null, iceServers: body.iceServers };
    await pc.setRemoteDescription({ type: 'answer', sdp: answer });
    const deadline = Date.now() + (env.probeMs ?? PROBE_MS);
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      const report = await pc.getStats();
      /** @type {any} */
      let succeeded = null;
      report.forEach((r) => {
        if (r.type === 'candidate-pair' && r.state === 'succeeded' && (!succeeded || r.nominated)) succeeded = r;
      });
      if (succeeded) {
        let rtt = succeeded.currentRoundTripTime;
        if (rtt === undefined && succeeded.totalRoundTripTime && succeeded.responsesReceived) {
          rtt = succeeded.totalRoundTripTime / succeeded.responsesReceived;
        }
        return { verdict: 'ok', rttMs: rtt === undefined ? null : Math.round(rtt * 1000), iceServers: body.iceServers };
      }
    }
    return { verdict: 'blocked', rttMs: null, iceServers: body.iceServers };
  } finally {
    pc.close();
  }
}

/**
 * Uploads a megabyte of random bytes and times it: kbit/s, or null when it failed.
 * @param {CheckEnv} env
 */
export async function measureUpload(env) {
  const data = new Uint8Array(UPLOAD_BYTES);
  for (let at = 0; at < data.length; at += 65536) crypto.getRandomValues(data.subarray(at, at + 65536));
  const started = performance.now();
  const response = await env.fetch(`${env.url}/upload`, {
    method: 'POST', headers: headers(env, 'application/octet-stream'), body: data, credentials: 'same-origin',
  });
  if (!response.ok) return null;
  const ms = Math.max(1, performance.now() - started);
  return Math.round((data.length * 8) / ms);
}

/**
 * The whole check, path after path (parallel probes would compete for the same uplink and skew the round trip).
 * @param {CheckEnv} env
 * @param {(partial: Partial<Outcome>) => void} progress called as each part is known
 * @returns {Promise<Outcome>}
 */
export async function checkNetwork(env, progress = () => {}) {
  const udp = await probe(env, 'udp');
  progress({ udp: udp.verdict, rttMs: udp.rttMs });
  const tcp = await probe(env, 'tcp');
  progress({ tcp: tcp.verdict });
  /** @type {Verdict} */
  let turn = 'not-configured';
  const servers = (udp.iceServers || []).filter((s) => (Array.isArray(s.urls) ? s.urls : [s.urls])
    .some((u) => /^turns?:/.test(u)));
  if (servers.length > 0) turn = (await probe(env, 'turn', servers)).verdict;
  progress({ turn });
  const uploadKbps = await measureUpload(env);
  /** @type {Outcome} */
  const outcome = { udp: udp.verdict, tcp: tcp.verdict, turn,
    rttMs: udp.rttMs ?? tcp.rttMs, uploadKbps: uploadKbps === null ? null : Math.min(uploadKbps, 10000000) };
  progress(outcome);
  // The admin sees it in the server's log; a failure here changes nothing for the person.
  env.fetch(`${env.url}/result`, {
    method: 'POST', headers: headers(env, 'application/json'), body: JSON.stringify(outcome), credentials: 'same-origin',
  }).catch(() => {});
  return outcome;
}
