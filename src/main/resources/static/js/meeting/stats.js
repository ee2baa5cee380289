// @ts-check
// The statistics panel's numbers, from two successive getStats() reports: what you send (bitrate, resolution, frame
// rate, codec, the loss the relay reports back, the round trip, the bandwidth the browser estimates) and, for each
// participant, what you receive of them (the same, plus jitter). No DOM.

/** @typedef {import('./tracks.js').TrackTable} TrackTable */

/**
 * One direction of one kind of media, as the panel shows it.
 * @typedef {object} Flow
 * @property {number | null} kbps       bitrate over the last interval
 * @property {number | null} lossPercent packets lost over the last interval (received), or as the relay reports (sent)
 * @property {string | null} codec      e.g. "VP8", "opus"
 * @property {string | null} resolution e.g. "1280x720" (video)
 * @property {number | null} fps        frames per second (video)
 * @property {number | null} jitterMs   (received)
 */

/**
 * @typedef {object} StatsSummary
 * @property {{rttMs: number | null, availableKbps: number | null, audio: Flow | null, video: Flow | null}} sent
 * @property {Record<string, {audio: Flow | null, video: Flow | null, screen: Flow | null}>} received by participant id
 */

/**
 * @param {Map<string, Record<string, any>> | null} before the previous report (by stats id), null for the first
 * @param {Map<string, Record<string, any>>} now
 * @param {TrackTable} tracks the meeting's mid -> whose track
 * @returns {StatsSummary}
 */
export function summarise(before, now, tracks) {
  /** @type {StatsSummary} */
  const summary = { sent: { rttMs: null, availableKbps: null, audio: null, video: null }, received: {} };
  for (const s of now.values()) {
    if (s.type === 'outbound-rtp' && (s.kind === 'audio' || s.kind === 'video')) {
      const kind = /** @type {'audio' | 'video'} */ (s.kind);
      const flow = add(summary.sent[kind], flowOf(s, before && before.get(s.id), now, 'bytesSent'));
      const remote = counterpart(s, now, 'remote-inbound-rtp');
      if (remote && typeof remote.fractionLost === 'number') {
        flow.lossPercent = Math.max(flow.lossPercent ?? 0, round(remote.fractionLost * 100, 1));
      }
      if (remote && typeof remote.roundTripTime === 'number' && summary.sent.rttMs === null) {
        summary.sent.rttMs = Math.round(remote.roundTripTime * 1000);
      }
      summary.sent[kind] = flow;
    } else if (s.type === 'candidate-pair' && (s.selected || (s.nominated && s.state === 'succeeded'))) {
      if (typeof s.currentRoundTripTime === 'number') summary.sent.rttMs = Math.round(s.currentRoundTripTime * 1000);
      if (typeof s.availableOutgoingBitrate === 'number') {
        summary.sent.availableKbps = Math.round(s.availableOutgoingBitrate / 1000);
      }
    } else if (s.type === 'inbound-rtp' && tracks[s.mid]) {
      const { participantId, kind, source } = tracks[s.mid];
      const entry = summary.received[participantId] ?? (summary.received[participantId] = { audio: null, video: null, screen: null });
      const slot = source === 'screen' ? 'screen' : kind;
      const flow = flowOf(s, before && before.get(s.id), now, 'bytesReceived');
      const previous = before && before.get(s.id);
      const lost = Number(s.packetsLost ?? 0) - Number(previous?.packetsLost ?? 0);
      const received = Number(s.packetsReceived ?? 0) - Number(previous?.packetsReceived ?? 0);
      flow.lossPercent = previous && lost + received > 0 ? round(Math.max(0, lost) / (Math.max(0, lost) + received) * 100, 1) : null;
      flow.jitterMs = typeof s.jitter === 'number' ? Math.round(s.jitter * 1000) : null;
      entry[slot] = add(entry[slot], flow);
    }
  }
  return summary;
}

/**
 * What the other side reports of an RTP stream: for an outbound-rtp the relay's receiver reports
 * (remote-inbound-rtp), for an inbound-rtp its sender reports (remote-outbound-rtp). Found by the stream's `remoteId`;
 * a browser without it is searched for the entry whose `localId` names the stream, else the one with its SSRC.
 * @param {Record<string, any>} s
 * @param {Map<string, Record<string, any>>} report
 * @param {'remote-inbound-rtp' | 'remote-outbound-rtp'} type
 * @returns {Record<string, any> | null}
 */
export function counterpart(s, report, type) {
  const linked = s.remoteId ? report.get(s.remoteId) : undefined;
  if (linked) return linked.type === type ? linked : null;
  let sameSsrc = null;
  for (const r of report.values()) {
    if (r.type !== type) continue;
    if (r.localId === s.id) return r;
    if (r.localId === undefined && s.ssrc !== undefined && r.ssrc === s.ssrc) sameSsrc = r;
  }
  return sameSsrc;
}

/** Codecs that carry repair or signalling beside the media codec, never the one a stream is encoded with. */
const NOT_MEDIA_CODECS = new Set(['rtx', 'red', 'ulpfec', 'flexfec-03', 'telephone-event', 'cn']);

/**
 * The codec an RTP stream uses: by its `codecId`; a browser without it, the one media codec of its kind on its
 * transport (none when there are several: guessing could name the wrong one).
 * @param {Record<string, any>} s
 * @param {Map<string, Record<string, any>>} report
 * @returns {Record<string, any> | null}
 */
export function codecOf(s, report) {
  if (s.codecId) return report.get(s.codecId) ?? null;
  const candidates = [...report.values()].filter((c) => {
    if (c.type !== 'codec' || typeof c.mimeType !== 'string') return false;
    const [kind, name] = c.mimeType.toLowerCase().split('/');
    return kind === s.kind && !NOT_MEDIA_CODECS.has(name) && (c.transportId === undefined || c.transportId === s.transportId);
  });
  return candidates.length === 1 ? candidates[0] : null;
}

/**
 * @param {Record<string, any>} s an RTP stream's stats
 * @param {Record<string, any> | null | undefined} previous the same stream in the previous report
 * @param {Map<string, Record<string, any>>} report
 * @param {'bytesSent' | 'bytesReceived'} bytes
 * @returns {Flow}
 */
function flowOf(s, previous, report, bytes) {
  const seconds = previous ? (s.timestamp - previous.timestamp) / 1000 : 0;
  const codec = codecOf(s, report);
  return {
    kbps: previous && seconds > 0 ? Math.max(0, Math.round(((s[bytes] - previous[bytes]) * 8) / seconds / 1000)) : null,
    lossPercent: null,
    codec: codec && typeof codec.mimeType === 'string' ? codec.mimeType.replace(/^(audio|video)\//, '') : null,
    resolution: s.frameWidth && s.frameHeight ? `${s.frameWidth}x${s.frameHeight}` : null,
    fps: typeof s.framesPerSecond === 'number' ? Math.round(s.framesPerSecond) : null,
    jitterMs: null,
  };
}

/**
 * Simulcast sends several video streams: their bitrates add up, and the largest picture is the one shown.
 * @param {Flow | null} sum
 * @param {Flow} flow
 * @returns {Flow}
 */
function add(sum, flow) {
  if (!sum) return flow;
  const pixels = (/** @type {string | null} */ r) => (r ? r.split('x').reduce((a, b) => a * Number(b), 1) : 0);
  const larger = pixels(flow.resolution) > pixels(sum.resolution);
  return {
    kbps: sum.kbps === null && flow.kbps === null ? null : (sum.kbps ?? 0) + (flow.kbps ?? 0),
    lossPercent: Math.max(sum.lossPercent ?? 0, flow.lossPercent ?? 0) || (sum.lossPercent ?? flow.lossPercent),
    codec: sum.codec ?? flow.codec,
    resolution: larger ? flow.resolution : sum.resolution,
    fps: larger ? flow.fps : sum.fps,
    jitterMs: sum.jitterMs ?? flow.jitterMs,
  };
}

/**
 * @param {number} value
 * @param {number} digits
 */
function round(value, digits) {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/**
 * @typedef {object} StatsSource
 * @property {() => RTCPeerConnection | null} peerConnection
 * @property {() => TrackTable} tracks
 * @property {() => {selfId: string | null, names: Map<string, string>}} people
 */

const STATS_INTERVAL_MS = 2000;

/** The statistics dialog: opened from the meeting's top bar, refreshed every two seconds while open. */
export class StatsView {
  /**
   * @param {HTMLElement} root the page's [data-meeting-app] element
   * @param {import('./i18n.js').Texts} t
   * @param {StatsSource} source
   */
  constructor(root, t, source) {
    this.t = t;
    this.source = source;
    /** @type {HTMLDialogElement} */
    this.dialog = /** @type {HTMLDialogElement} */ (root.querySelector('[data-testid="stats-dialog"]'));
    this.rows = /** @type {HTMLElement} */ (this.dialog.querySelector('[data-testid="stats-rows"]'));
    this.summaryLine = /** @type {HTMLElement} */ (this.dialog.querySelector('[data-testid="stats-summary"]'));
    /** @type {Map<string, Record<string, any>> | null} */
    this.previous = null;
    this.timer = 0;
    /** @type {HTMLElement} */ (root.querySelector('[data-testid="stats-button"]')).addEventListener('click', () => this.open());
    /** @type {HTMLElement} */ (this.dialog.querySelector('[data-testid="stats-close"]')).addEventListener('click', () => this.close());
    this.dialog.addEventListener('close', () => this.stop());
  }

  open() {
    if (typeof this.dialog.showModal === 'function') this.dialog.showModal();
    else this.dialog.setAttribute('open', '');
    this.previous = null;
    this.poll();
    this.timer = window.setInterval(() => this.poll(), STATS_INTERVAL_MS);
  }

  close() {
    if (typeof this.dialog.close === 'function' && this.dialog.open) this.dialog.close();
    else this.dialog.removeAttribute('open');
    this.stop();
  }

  stop() {
    if (this.timer) window.clearInterval(this.timer);
    this.timer = 0;
  }

  async poll() {
    const pc = this.source.peerConnection();
    if (!pc) return;
    /** @type {Map<string, Record<string, any>>} */
    let report;
    try {
      report = new Map(/** @type {any} */ (await pc.getStats()));
    } catch (e) {
      return; // closed meanwhile
    }
    const summary = summarise(this.previous, report, this.source.tracks());
    this.previous = report;
    this.render(summary);
  }

  /** @param {StatsSummary} summary */
  render(summary) {
    const t = this.t;
    const { selfId, names } = this.source.people();
    /** @type {HTMLElement[]} */
    const rows = [];
    const row = (/** @type {string} */ id, /** @type {string} */ who, /** @type {string} */ media, /** @type {Flow | null} */ flow) => {
      if (!flow) return;
      const tr = document.createElement('tr');
      tr.dataset.testid = 'stats-row';
      tr.dataset.participantId = id;
      tr.dataset.media = media;
      const cells = {
        who, media: t(`stats.${media}`),
        bitrate: flow.kbps === null ? '—' : t('stats.kbps', flow.kbps),
        loss: flow.lossPercent === null ? '—' : `${flow.lossPercent} %`,
        jitter: flow.jitterMs === null ? '—' : `${flow.jitterMs} ms`,
        resolution: flow.resolution ? (flow.fps ? `${flow.resolution} · ${flow.fps} fps` : flow.resolution) : '—',
        codec: flow.codec ?? '—',
      };
      for (const [field, text] of Object.entries(cells)) {
        const td = document.createElement('td');
        td.dataset.field = field;
        td.textContent = text;
        tr.appendChild(td);
      }
      if (flow.kbps !== null) tr.dataset.kbps = String(flow.kbps);
      rows.push(tr);
    };
    const you = t('stats.you');
    row(selfId ?? '', you, 'video', summary.sent.video);
    row(selfId ?? '', you, 'audio', summary.sent.audio);
    for (const [id, flows] of Object.entries(summary.received)) {
      const who = names.get(id) ?? id;
      row(id, who, 'video', flows.video);
      row(id, who, 'screen', flows.screen);
      row(id, who, 'audio', flows.audio);
    }
    this.rows.replaceChildren(...rows);
    const rtt = summary.sent.rttMs === null ? '—' : String(summary.sent.rttMs);
    const upload = summary.sent.availableKbps === null ? '—' : String(summary.sent.availableKbps);
    this.summaryLine.textContent = t('stats.summary', rtt, upload);
  }
}
