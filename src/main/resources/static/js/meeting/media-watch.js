// @ts-check
// When a 'disconnected' media connection counts as lost, so that the page resumes on a new transport (section 4 of
// the protocol). ICE often recovers by itself, and Firefox reports 'disconnected' as soon as one consent check goes
// unanswered (it sends each once), though media still flows; on a lossy link two such checks in a row are common, and
// a new transport for each would interrupt what works. So a connection counts as lost after a first limit unless its
// bytes still go both ways, and then after a second, longer one: that bound is for a link failing one way in a manner
// the bytes sent cannot show (they are counted as they leave). No DOM: timers and the clock are passed in.

/** How long the media connection may stay 'disconnected' before it counts as lost (ICE often recovers sooner). */
export const MEDIA_DISCONNECTED_LIMIT_MS = 6000;
/** How long a 'disconnected' connection whose bytes still go both ways may stay so before it counts as lost. */
export const MEDIA_DISCONNECTED_FLOWING_LIMIT_MS = 18000;

/**
 * @typedef {{received: number, sent: number}} Bytes
 * @typedef {Pick<WindowOrWorkerGlobalScope, 'setTimeout' | 'clearTimeout'>} Timers
 */

/**
 * The bytes a connection has received and sent so far, over its transports, candidate pairs and RTP streams (a
 * browser reports some of these, not always all); only whether they grow matters.
 * @param {RTCPeerConnection} connection
 * @returns {Promise<Bytes>}
 */
export async function bytesBothWays(connection) {
  const total = { received: 0, sent: 0 };
  try {
    (await connection.getStats()).forEach((/** @type {any} */ stat) => {
      if (stat.type === 'transport' || stat.type === 'candidate-pair') {
        total.received += stat.bytesReceived || 0;
        total.sent += stat.bytesSent || 0;
      } else if (stat.type === 'inbound-rtp') total.received += stat.bytesReceived || 0;
      else if (stat.type === 'outbound-rtp') total.sent += stat.bytesSent || 0;
    });
  } catch {
    // a closed connection has no statistics: nothing moved
  }
  return total;
}

export class DisconnectedWatch {
  /**
   * @param {object} options
   * @param {(connection: RTCPeerConnection) => void} options.onLost called once when a watched connection counts
   *     as lost
   * @param {Timers} [options.timers]
   * @param {() => number} [options.now]
   * @param {(connection: RTCPeerConnection) => Promise<Bytes>} [options.bytes]
   */
  constructor({ onLost, timers = globalThis, now = () => Date.now(), bytes = bytesBothWays }) {
    this.onLost = onLost;
    this.timers = timers;
    this.now = now;
    this.bytes = bytes;
    /** @type {ReturnType<typeof setTimeout> | null} */
    this.timer = null;
    /** Counts watches; a check whose watch is over (its statistics still being read) does nothing. */
    this.generation = 0;
  }

  /** Whether a connection is being watched. */
  get active() {
    return this.timer !== null;
  }

  /**
   * The connection went 'disconnected': watch it, unless a watch already runs.
   * @param {RTCPeerConnection} connection
   */
  watch(connection) {
    if (this.timer !== null) return;
    const generation = this.generation;
    const since = this.now();
    let before = this.bytes(connection);
    const check = async () => {
      const [then, now] = await Promise.all([before, this.bytes(connection)]);
      if (generation !== this.generation) return;
      const flowing = now.received > then.received && now.sent > then.sent;
      if (flowing && this.now() - since < MEDIA_DISCONNECTED_FLOWING_LIMIT_MS) {
        before = Promise.resolve(now);
        this.timer = this.timers.setTimeout(check, MEDIA_DISCONNECTED_LIMIT_MS);
        return;
      }
      this.stop();
      this.onLost(connection);
    };
    this.timer = this.timers.setTimeout(check, MEDIA_DISCONNECTED_LIMIT_MS);
  }

  /** The connection is no longer 'disconnected', or another replaced it: the watch is over. */
  stop() {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
    this.generation += 1;
  }
}
