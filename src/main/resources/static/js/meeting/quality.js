// @ts-check
// How well our connection carries the meeting, from the peer connection's statistics: the loss of what we receive,
// the loss of what we send (as the relay's receiver reports tell it), and the round trip. The page reports the level
// to the server, which shows it to everyone next to our name (docs/signaling.md, section 10). No DOM.

/** @typedef {'good' | 'fair' | 'poor'} QualityLevel */

/** Loss (a fraction) and round trip (seconds) from which a connection is fair, and poor. */
export const FAIR_LOSS = 0.02;
export const POOR_LOSS = 0.08;
export const FAIR_RTT = 0.3;
export const POOR_RTT = 0.6;

/**
 * @param {{loss: number, rtt: number}} measured
 * @returns {QualityLevel}
 */
export function classify({ loss, rtt }) {
  if (loss >= POOR_LOSS || rtt >= POOR_RTT) return 'poor';
  if (loss >= FAIR_LOSS || rtt >= FAIR_RTT) return 'fair';
  return 'good';
}

/**
 * Turns successive getStats() reports into levels to report: the first measured level at once, a change only once
 * two reports in a row agree on it, so that one lost burst does not make the badge flicker for everyone.
 */
export class QualityMeter {
  constructor() {
    /** @type {{received: number, lost: number} | null} the inbound packet counts of the last report */
    this.counts = null;
    /** @type {QualityLevel | null} the level last reported */
    this.level = null;
    /** @type {QualityLevel | null} a different level seen once, waiting for a second report */
    this.candidate = null;
  }

  /**
   * @param {Iterable<Record<string, any>>} stats the values of an RTCStatsReport
   * @returns {QualityLevel | null} the level to report now, or null when there is nothing new to say
   */
  sample(stats) {
    const measured = measure(stats, this.counts);
    this.counts = measured.counts;
    if (measured.loss === null) return null; // the first report only sets the baseline of the packet counts
    const level = classify({ loss: measured.loss, rtt: measured.rtt });
    if (this.level === null || (level !== this.level && this.candidate === level)) {
      this.level = level;
      this.candidate = null;
      return level;
    }
    this.candidate = level === this.level ? null : level;
    return null;
  }
}

/**
 * @param {Iterable<Record<string, any>>} stats
 * @param {{received: number, lost: number} | null} before
 */
function measure(stats, before) {
  let received = 0;
  let lost = 0;
  let sentLoss = 0;
  let rtt = 0;
  for (const s of stats) {
    if (s.type === 'inbound-rtp') {
      received += Number(s.packetsReceived) || 0;
      lost += Math.max(0, Number(s.packetsLost) || 0);
    } else if (s.type === 'remote-inbound-rtp') {
      if (typeof s.fractionLost === 'number') sentLoss = Math.max(sentLoss, s.fractionLost);
      if (typeof s.roundTripTime === 'number') rtt = Math.max(rtt, s.roundTripTime);
    } else if (s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded'
      && typeof s.currentRoundTripTime === 'number') {
      rtt = Math.max(rtt, s.currentRoundTripTime);
    }
  }
  const counts = { received, lost };
  if (!before) return { counts, loss: null, rtt };
  const newlyReceived = Math.max(0, received - before.received);
  const newlyLost = Math.max(0, lost - before.lost);
  const receivedLoss = newlyReceived + newlyLost > 0 ? newlyLost / (newlyReceived + newlyLost) : 0;
  return { counts, loss: Math.max(receivedLoss, sentLoss), rtt };
}

/** How often the page measures its connection while in a meeting. */
export const QUALITY_INTERVAL_MS = 3000;

/**
 * Measures the meeting's peer connection every few seconds while in a meeting and hands the current level to
 * `report` each time (the session tells the server only when it changed, and again after a reconnect if it could not).
 */
export class QualityWatch {
  /**
   * @param {() => RTCPeerConnection | null} peerConnection the current one (a resume makes a new one)
   * @param {(level: QualityLevel) => void} report
   * @param {number} [intervalMs]
   */
  constructor(peerConnection, report, intervalMs = QUALITY_INTERVAL_MS) {
    this.peerConnection = peerConnection;
    this.report = report;
    this.intervalMs = intervalMs;
    this.timer = 0;
    /** @type {RTCPeerConnection | null} */
    this.measured = null;
    this.meter = new QualityMeter();
  }

  start() {
    this.stop();
    this.timer = /** @type {number} */ (/** @type {unknown} */ (globalThis.setInterval(() => this.poll(), this.intervalMs)));
  }

  stop() {
    if (this.timer) globalThis.clearInterval(this.timer);
    this.timer = 0;
    this.measured = null;
  }

  async poll() {
    const pc = this.peerConnection();
    if (!pc) return;
    if (pc !== this.measured) {
      // A new transport: its counters start from zero, so the baseline does too.
      this.measured = pc;
      this.meter = new QualityMeter();
    }
    try {
      const stats = await pc.getStats();
      this.meter.sample(stats.values());
    } catch (e) {
      return; // closed meanwhile
    }
    if (this.meter.level && this.timer) this.report(this.meter.level);
  }
}
