// @ts-check
// Runs the server's offers one after the other, in the order they arrived, never two at once.

/** @typedef {import('./protocol.js').OfferMessage} OfferMessage */

export class OfferQueue {
  /**
   * @param {(offer: OfferMessage) => Promise<void>} handle  applies one offer (set remote, answer, send)
   * @param {(error: unknown, offer: OfferMessage) => void} onFailure called when handle throws; the queue goes on
   *     with the next offer
   */
  constructor(handle, onFailure) {
    this.handle = handle;
    this.onFailure = onFailure;
    /** @type {OfferMessage[]} */
    this.pending = [];
    this.running = false;
    this.closed = false;
    /** @type {number | null} */
    this.lastVersion = null;
    /** @type {Array<() => void>} */
    this.idleWaiters = [];
  }

  /**
   * Queues an offer. Offers whose version is not above the last one handled are dropped (and reported).
   * @param {OfferMessage} offer
   * @returns {boolean} false when the queue is closed
   */
  push(offer) {
    if (this.closed) return false;
    this.pending.push(offer);
    if (!this.running) this.drain();
    return true;
  }

  get size() {
    return this.pending.length + (this.running ? 1 : 0);
  }

  /** Stops taking offers; the one being handled finishes, the queued ones are dropped. */
  close() {
    this.closed = true;
    this.pending.length = 0;
  }

  /**
   * Resolves once nothing is queued or running.
   * @returns {Promise<void>}
   */
  idle() {
    if (!this.running && this.pending.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  async drain() {
    this.running = true;
    while (this.pending.length > 0 && !this.closed) {
      const offer = /** @type {OfferMessage} the loop checked the length */ (this.pending.shift());
      if (this.lastVersion !== null && offer.version <= this.lastVersion) {
        this.onFailure(new Error(`offer version ${offer.version} after ${this.lastVersion}`), offer);
        continue;
      }
      this.lastVersion = offer.version;
      try {
        await this.handle(offer);
      } catch (error) {
        this.onFailure(error, offer);
      }
    }
    this.running = false;
    const waiters = this.idleWaiters.splice(0);
    waiters.forEach((resolve) => resolve());
  }
}
