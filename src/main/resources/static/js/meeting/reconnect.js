// @ts-check
// When to try to get back into the meeting after the connection dropped (section 4 of the protocol): at once, then
// with a doubling pause up to a ceiling, for as long as the server keeps the place (its grace), and a bounded number
// of times. No timers and no DOM: it answers "how long until the next try?" for a clock passed in.

/**
 * @typedef {object} ReconnectLimits
 * @property {number} graceMs        how long the server keeps a dropped participant's place
 * @property {number} firstDelayMs   the pause after the first failed try
 * @property {number} maxDelayMs     the longest pause between tries
 * @property {number} maxAttempts    tries at most, however short the pauses
 */

/** @type {ReconnectLimits} */
export const RECONNECT_LIMITS = { graceMs: 30000, firstDelayMs: 500, maxDelayMs: 2000, maxAttempts: 25 };

export class ReconnectPlan {
  /** @param {Partial<ReconnectLimits>} [limits] */
  constructor(limits = {}) {
    /** @type {ReconnectLimits} */
    this.limits = { ...RECONNECT_LIMITS, ...limits };
    /** @type {number | null} */
    this.droppedAt = null;
    /** Tries made since the drop. */
    this.attempts = 0;
    /** Where the pause is on its doubling ladder; the network coming back puts it at the start again. */
    this.step = 0;
  }

  /**
   * The server's grace (from its welcome), which wins over the default.
   * @param {number} graceMs
   */
  setGrace(graceMs) {
    this.limits = { ...this.limits, graceMs };
  }

  /**
   * The connection dropped at `now`: the grace starts.
   * @param {number} now
   */
  start(now) {
    this.droppedAt = now;
    this.attempts = 0;
    this.step = 0;
  }

  get active() {
    return this.droppedAt !== null;
  }

  /**
   * The pause before the next try, counting it as made; null once the grace is over or the tries are spent (then the
   * place is lost).
   * @param {number} now
   * @returns {number | null}
   */
  next(now) {
    if (this.droppedAt === null) return null;
    const left = this.droppedAt + this.limits.graceMs - now;
    if (left <= 0 || this.attempts >= this.limits.maxAttempts) return null;
    const pause = this.step === 0 ? 0
      : Math.min(this.limits.maxDelayMs, this.limits.firstDelayMs * 2 ** (this.step - 1));
    this.attempts++;
    this.step++;
    // The last try goes a little before the grace ends, so that it can still arrive in time.
    return Math.max(0, Math.min(pause, left - 250));
  }

  /** The network is back (the browser says so): the next try may go at once. */
  hurry() {
    this.step = 0;
  }

  /** Back in the meeting. */
  stop() {
    this.droppedAt = null;
    this.attempts = 0;
    this.step = 0;
  }
}
