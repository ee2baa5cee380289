// Joins a Parley room in a headless browser with fake devices and prints one JSON line of WebRTC statistics every two
// seconds until told to stop (a line "stop" on stdin) or the time runs out. Firefox ESR is driven over WebDriver BiDi,
// Chromium over CDP, both through puppeteer-core with Debian's binaries (nothing is downloaded).
// Usage: node join.mjs <firefox|chromium> <room link> <display name> <max seconds>
// Environment: PARLEY_STATS_INTERVAL_MS (default 2000) between lines; PARLEY_CHROMIUM_ARGS, more Chromium flags
// (space-separated); PARLEY_VIEWPORT, the page's size as WIDTHxHEIGHT (default: the browser's, 800x600);
// PARLEY_CAMERA=off joins with the camera off (receives video, sends none); PARLEY_CHAT_SAY, a chat message to send to
// everyone (from the opened chat panel, with Enter) once someone else is in the meeting; PARLEY_ACCEPT_INSECURE_CERTS=1
// accepts a self-signed certificate (Parley's PARLEY_TLS=self-signed in a test); launch.mjs's PARLEY_SECURE_ORIGIN,
// PARLEY_CA_CERT and PARLEY_SERVER_CERT (an http origin treated as secure, a CA trusted, e.g. a TURN server's, a
// self-signed server certificate accepted for its server only). Each line also carries the
// chat as the page shows it (who, text, private or not, the links with their rel), whether we share our screen, the
// others' shares on the page, what is received of each share apart from the camera (inbound[id].screen), and the
// selected candidate pair (remote address, port and protocol, local port, local candidate type: host, srflx, prflx or
// relay, and for relay candidates the protocol to the TURN server: udp, tcp or tls).
// Each line also has what the participant list shows of hands, connection quality and speaking (in the list's order),
// the hand button's label, and the reactions each tile showed (the last one's name and how many).
// Each line also lists the peer connection's transceivers (mid and current direction, in order).
// Per participant, the bytes received of camera video and of audio, RTP headers included (videoBytes, audioBytes).
// Commands on stdin, one a line: "stop" ends; "leave" presses Leave (the page stays, out of the meeting); "share" presses the share button (starts or stops sharing); "hand"
// presses the raise-hand button; "react <name>" opens the reactions menu and sends that reaction; "file <path> [<to>]"
// opens the chat and shares that file through its file input, to everyone or privately to the participant named <to>;
// "fetch-file <name>" downloads the chat's file of that name as its download button does, and the lines report what
// came (fetched[name]: ok, size and SHA-256, or the problem). The chat entries carry their file's name and size, and
// the line the chat's file status (fileStatus). "host <control> [<participant id>]" uses a host control: one of a
// participant's menu (mute, ask-unmute, lower-hand, remove, ...) or, without an id, of the bar (lock, end, mute-all);
// "unmute-accept" accepts a host's request to unmute. The lines say whether the microphone is on (micOn), the unmute
// prompt's text while it shows (unmutePrompt), and once out of the meeting, its message and whether Rejoin is offered
// (left, rejoin). PARLEY_SIGN_IN="<e-mail> <password>" signs in (on the link's server) before opening the link;
// a host control's confirmation (ending the meeting) is answered yes.
import { launchBrowser } from './launch.mjs';
import readline from 'node:readline';

const [kind, link, name, maxSeconds = '120'] = process.argv.slice(2);
const interval = Number(process.env.PARLEY_STATS_INTERVAL_MS || 2000);
/** How long one read of the page may take before it counts as failed. */
const READ_TIMEOUT_MS = 20000;

/** The promise's value, or a rejection once it has not settled for that long. */
function within(ms, promise) {
  let timer;
  const late = new Promise((resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`the page did not answer in ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

const browser = await launchBrowser(kind);
let stopping = false;
const commands = [];
const finish = async (code) => {
  if (stopping) return;
  stopping = true;
  try { await browser.close(); } catch (e) { /* already gone */ }
  process.exit(code);
};
setTimeout(() => finish(0), Number(maxSeconds) * 1000).unref();
readline.createInterface({ input: process.stdin }).on('line', (line) => {
  if (line.trim() === 'stop') finish(0);
  else if (line.trim()) commands.push(line.trim());
});

try {
  let page = await browser.newPage();
  const viewport = /^(\d+)x(\d+)$/.exec(process.env.PARLEY_VIEWPORT || '');
  if (viewport) await page.setViewport({ width: Number(viewport[1]), height: Number(viewport[2]) });
  page.on('console', (msg) => console.error(`[${kind} console] ` + msg.type() + ' ' + msg.text()));
  page.on('framenavigated', (frame) => console.error(`[${kind}] navigated ` + frame.url()));
  page.on('pageerror', (err) => console.error(`[${kind} page error] ` + err));
  page.on('error', (err) => console.error(`[${kind} page crashed] ` + err));
  page.on('dialog', (dialog) => dialog.accept().catch(() => {}));
  if (process.env.PARLEY_SIGN_IN) {
    const [email, password] = process.env.PARLEY_SIGN_IN.split(' ');
    await page.goto(new URL('/login', link).href);
    await page.waitForSelector('[data-testid=login-email]', { visible: true, timeout: 30000 });
    await page.type('[data-testid=login-email]', email);
    await page.type('[data-testid=login-password]', password);
    await Promise.all([page.waitForNavigation({ timeout: 30000 }),
      page.$eval('[data-testid=login-submit]', (el) => el.click())]);
  }
  await page.goto(link);
  await page.waitForSelector('[data-testid=prejoin-name]', { visible: true, timeout: 30000 });
  // The page's script enables the join button once it listens; clicks go to the elements themselves, not to screen
  // coordinates, which move while the device choices appear (a click there once hit nothing in CI).
  await page.waitForSelector('[data-testid=join-button]:not([disabled])', { visible: true, timeout: 30000 });
  await page.$eval('[data-testid=prejoin-name]', (el) => { el.value = ''; });
  await page.type('[data-testid=prejoin-name]', name);
  if (process.env.PARLEY_CAMERA === 'off') {
    await page.waitForSelector('[data-testid=prejoin-camera-toggle]:not([disabled])', { visible: true, timeout: 30000 });
    await page.$eval('[data-testid=prejoin-camera-toggle]', (el) => el.click());
  }
  await page.$eval('[data-testid=join-button]', (el) => el.click());
  try {
    await page.waitForSelector('[data-testid=meeting]', { visible: true, timeout: 60000 });
  } catch (e) {
    // Say what the page shows instead, so that a failure names the step that hung (ticket, socket, lobby, error).
    const seen = await page.evaluate(() => ({
      state: window.parleyMeeting ? window.parleyMeeting.state : null,
      joinStatus: document.querySelector('[data-join-status]')?.textContent ?? null,
      joinDisabled: document.querySelector('[data-testid=join-button]')?.disabled ?? null,
      visible: Array.from(document.querySelectorAll('section, [data-testid]'))
        .filter((el) => el.offsetParent !== null && el.getAttribute('data-testid'))
        .map((el) => el.getAttribute('data-testid')).slice(0, 40),
      error: document.querySelector('[data-error-message]')?.textContent ?? null,
    })).catch((err) => ({ evaluateFailed: String(err) }));
    console.error(`[${kind}] the meeting did not open; the page shows ` + JSON.stringify(seen));
    throw e;
  }
  let said = !process.env.PARLEY_CHAT_SAY;
  const fetched = {};
  let failedReads = 0;
  for (;;) {
    while (commands.length > 0) {
      const command = commands.shift();
      if (command === 'share') await page.click('[data-testid=share-button]');
      if (command === 'leave') await page.click('[data-testid=leave-button]');
      if (command === 'hand') await page.click('[data-testid=hand-button]');
      if (command.startsWith('file ')) {
        const [path, ...to] = command.slice('file '.length).split(' ');
        if (await page.$eval('[data-testid=chat-panel]', (el) => el.hidden)) {
          await page.$eval('[data-testid=chat-button]', (el) => el.click());
        }
        await page.$eval('[data-testid=chat-recipient]', (select, name) => {
          const option = Array.from(select.options).find((o) => (name ? o.textContent === name : o.value === ''));
          if (!option) throw new Error(`nobody called ${name} to send a file to`);
          select.value = option.value;
        }, to.join(' '));
        const input = await page.$('[data-testid=chat-file-input]');
        await input.uploadFile(path);
      }
      if (command.startsWith('host ')) {
        const [control, participantId] = command.slice('host '.length).split(' ');
        await page.evaluate((action, id) => {
          // "End meeting" asks confirm(); answered here, in the page, because a prompt opened inside this evaluate
          // once ended Firefox's WebDriver BiDi session in CI (the meeting ended, the script lost its browser).
          window.confirm = () => true;
          const scope = id ? document.querySelector(`[data-testid=participant-item][data-participant-id="${id}"]`) : document;
          if (!scope) throw new Error(`nobody with the id ${id} in the list`);
          if (id) scope.querySelector('[data-testid=host-menu]').click();
          scope.querySelector(`[data-testid=host-${action}]`).click();
        }, control, participantId || '');
      }
      if (command === 'unmute-accept') await page.$eval('[data-testid=unmute-accept]', (el) => el.click());
      if (command.startsWith('fetch-file ')) {
        const wanted = command.slice('fetch-file '.length);
        fetched[wanted] = await page.evaluate(async (name) => {
          const message = window.parleyMeeting.chat.find((m) => m.file && m.file.name === name);
          return message ? window.parleyMeeting.fetchFile(message.file.id) : { ok: false, problem: 'not-in-chat' };
        }, wanted);
      }
      if (command.startsWith('react ')) {
        await page.click('[data-testid=reactions-button]');
        await page.waitForSelector('[data-testid=reactions-menu]:not([hidden])', { timeout: 10000 });
        await page.click(`[data-testid=reaction-${command.slice('react '.length)}]`);
      }
    }
    if (!said && await page.$$eval('[data-testid=video-tile]', (tiles) => tiles.length >= 2)) {
      said = true;
      await page.click('[data-testid=chat-button]');
      await page.waitForSelector('[data-testid=chat-input]', { visible: true, timeout: 30000 });
      await page.type('[data-testid=chat-input]', process.env.PARLEY_CHAT_SAY);
      await page.keyboard.press('Enter');
    }
    let stats;
    try {
      stats = await within(READ_TIMEOUT_MS, page.evaluate(async () => {
        const meeting = window.parleyMeeting;
        const banner = document.querySelector('[data-testid=reconnecting-banner]');
        const page = {
          t: Date.now(),
          state: meeting ? meeting.state : null,
          reconnecting: !!banner && !banner.hidden,
          tiles: Array.from(document.querySelectorAll('[data-testid=video-tile]'))
            .map((t) => t.getAttribute('data-participant-id')),
          avatarTiles: Array.from(document.querySelectorAll('[data-testid=video-tile].video-off'))
            .map((t) => t.getAttribute('data-participant-id')),
          // tiles whose video the relay pauses for this browser's bandwidth, with the note showing
          pausedTiles: Array.from(document.querySelectorAll('[data-testid=video-tile]'))
            .filter((t) => t.querySelector('[data-testid=tile-video-paused]')?.hidden === false)
            .map((t) => t.getAttribute('data-participant-id')),
          sharing: document.querySelector('[data-testid=share-button]')?.getAttribute('aria-pressed') === 'true',
          screens: Array.from(document.querySelectorAll('[data-testid=screen-tile]'))
            .map((t) => t.getAttribute('data-participant-id')),
          toasts: Array.from(document.querySelectorAll('.toast')).map((t) => t.textContent),
          fileStatus: document.querySelector('[data-testid=chat-file-status]')?.textContent ?? '',
          micOn: document.querySelector('[data-testid=mute-button]')?.getAttribute('data-state') === 'on',
          unmutePrompt: document.querySelector('[data-testid=unmute-prompt]')?.hidden === false
            ? document.querySelector('[data-testid=unmute-prompt]').textContent.trim().replace(/\s+/g, ' ') : null,
          left: document.querySelector('[data-testid=left]')?.hidden === false
            ? document.querySelector('[data-left-message]').textContent : null,
          rejoin: document.querySelector('[data-testid=rejoin-button]')?.offsetParent !== null,
          handButton: document.querySelector('[data-testid=hand-button] [data-label]')?.textContent ?? null,
          list: Array.from(document.querySelectorAll('[data-testid=participant-item]')).map((item) => {
            const hand = item.querySelector('[data-testid=participant-hand]');
            const quality = item.querySelector('[data-testid=participant-quality]');
            return { id: item.getAttribute('data-participant-id'),
              hand: hand.hidden ? null : Number(hand.getAttribute('data-position')),
              handLabel: hand.hidden ? null : hand.getAttribute('aria-label'),
              quality: quality.getAttribute('data-quality'), qualityLabel: quality.getAttribute('aria-label'),
              speaking: item.getAttribute('data-speaking') === 'true' };
          }),
          reactions: Object.fromEntries(Array.from(document.querySelectorAll('[data-testid=video-tile][data-reactions]'))
            .map((t) => [t.getAttribute('data-participant-id'),
              { last: t.getAttribute('data-reaction'), count: Number(t.getAttribute('data-reactions')) }])),
          connections: meeting ? Object.fromEntries(Object.values(meeting.participants)
            .map((p) => [p.id, p.connection])) : {},
          chat: Array.from(document.querySelectorAll('[data-testid=chat-message]')).map((m) => ({
            from: m.querySelector('[data-testid=chat-message-from]').textContent,
            text: m.querySelector('[data-testid=chat-message-text]').textContent,
            elements: m.querySelector('[data-testid=chat-message-text]').querySelectorAll('*:not(a)').length,
            private: m.dataset.private === 'true',
            file: m.querySelector('[data-testid=chat-file]')?.hidden === false ? {
              name: m.querySelector('[data-testid=chat-file-name]').textContent,
              size: m.querySelector('[data-testid=chat-file-size]').textContent } : null,
            links: Array.from(m.querySelectorAll('a')).map((a) => ({ href: a.href, rel: a.rel, target: a.target })),
          })),
        };
        if (!meeting || !meeting.peerConnection) {
          return { ...page, participantId: meeting ? meeting.participantId : null, inbound: {} };
        }
        const report = await meeting.peerConnection.getStats();
        const tracks = meeting.tracks;
        const inbound = {};
        const outbound = [];
        let selectedPair = null;
        report.forEach((r) => {
          if (r.type === 'inbound-rtp' && tracks[r.mid]) {
            const id = tracks[r.mid].participantId;
            const e = inbound[id] || (inbound[id] = { framesDecoded: 0, audioPackets: 0, videoMids: [] });
            if (r.kind === 'video' && tracks[r.mid].source === 'screen') {
              e.screen = { framesDecoded: r.framesDecoded || 0, frameWidth: r.frameWidth || 0,
                frameHeight: r.frameHeight || 0, mid: r.mid };
            } else if (r.kind === 'video') {
              e.framesDecoded += r.framesDecoded || 0;
              e.videoMids.push(r.mid);
              e.frameHeight = r.frameHeight || 0;
              e.freezeSeconds = r.totalFreezesDuration || 0;
              e.nackCount = (e.nackCount || 0) + (r.nackCount || 0);
              e.pliCount = (e.pliCount || 0) + (r.pliCount || 0) + (r.firCount || 0);
              e.videoBytes = (e.videoBytes || 0) + (r.bytesReceived || 0) + (r.headerBytesReceived || 0);
            }
            if (r.kind === 'audio') {
              e.audioPackets += r.packetsReceived || 0;
              e.audioSamples = (e.audioSamples || 0) + (r.totalSamplesReceived || 0);
              e.audioConcealed = (e.audioConcealed || 0) + (r.concealedSamples || 0);
              e.audioBytes = (e.audioBytes || 0) + (r.bytesReceived || 0) + (r.headerBytesReceived || 0);
            }
          }
          if (r.type === 'outbound-rtp' && r.kind === 'video') {
            outbound.push({ rid: r.rid || null, frameHeight: r.frameHeight || 0, targetBitrate: r.targetBitrate || 0,
              limitedBy: r.qualityLimitationReason || null, active: r.active !== false });
          }
          if (r.type === 'candidate-pair' && r.selected) selectedPair = r;
          if (r.type === 'transport' && r.selectedCandidatePairId) selectedPair = report.get(r.selectedCandidatePairId);
        });
        const remote = selectedPair && report.get(selectedPair.remoteCandidateId);
        const local = selectedPair && report.get(selectedPair.localCandidateId);
        const selected = remote ? { address: remote.address || remote.ip, port: remote.port,
          protocol: remote.protocol || null, localPort: local ? local.port : null,
          localType: local ? local.candidateType : null,
          relayProtocol: local ? local.relayProtocol || null : null } : null;
        const available = selectedPair ? selectedPair.availableOutgoingBitrate || null : null;
        const transceivers = meeting.peerConnection.getTransceivers()
          .map((t) => ({ mid: t.mid, direction: t.currentDirection }));
        const pc = meeting.peerConnection;
        return { ...page, participantId: meeting.participantId, inbound, outbound, available, selected, transceivers,
          media: pc.connectionState || pc.iceConnectionState };
      }));
    } catch (e) {
      // A read that fails once is tried again shortly, and only five failures in a row end the script, so that a test
      // fails on what the page shows rather than on one bad read. Firefox over WebDriver BiDi now and then reports the
      // page's frame as detached, or its target as closed, while the page lives on (seen in CI right after joining,
      // and once right after the host ended the meeting, when the next read then never answered): the browser's
      // current page is taken then, and a read that does not answer in time counts as failed.
      if (++failedReads > 5) throw e;
      const detached = /detached|Target closed|did not answer/.test(String(e));
      console.error(`[${kind}] reading the page failed (${failedReads} in a row): ${e}`
        + (detached ? '; taking the current page again' : ''));
      if (detached) {
        const pages = await browser.pages();
        page = pages[pages.length - 1];
      }
      await new Promise((r) => setTimeout(r, interval));
      continue;
    }
    failedReads = 0;
    console.log(JSON.stringify({ ...stats, fetched, at: Date.now() }));
    await new Promise((r) => setTimeout(r, interval));
  }
} catch (e) {
  console.error(`[${kind}] ` + (e && e.stack ? e.stack : e));
  await finish(2);
}
