// @ts-check
// Section 4 of the protocol: tells the relay how large each received video is shown, so it can send the simulcast
// layer that fills it and no more. No DOM: the sizes and the send function are passed in.

/** @typedef {import('./tracks.js').TrackTable} TrackTable */
/** @typedef {import('./protocol.js').Tile} Tile */

/** Sizes are sent in steps of this many device pixels, so a window dragged wider does not send a message a frame. */
const STEP = 16;

/**
 * The key of a participant's screen share in the sizes passed to {@link tilesFor} (their camera's is their id).
 * @param {string} participantId
 */
export const screenKey = (participantId) => `${participantId}#screen`;

/**
 * The tiles message for the received video m-sections: each one's size, 0 x 0 when its owner has no tile on screen.
 * @param {TrackTable} table mid -> owner, kind and source, from the latest offer
 * @param {Map<string, {width: number, height: number}>} shown participant id (for a camera) or {@link screenKey}
 *     (for a screen share) -> size in device pixels
 * @returns {Tile[]}
 */
export function tilesFor(table, shown) {
  /** @type {Tile[]} */
  const tiles = [];
  for (const [mid, owner] of Object.entries(table)) {
    if (owner.kind !== 'video') continue;
    const size = shown.get(owner.source === 'screen' ? screenKey(owner.participantId) : owner.participantId);
    const width = size ? Math.max(0, Math.round(size.width / STEP) * STEP) : 0;
    const height = size ? Math.max(0, Math.round(size.height / STEP) * STEP) : 0;
    tiles.push({ mid, width, height });
  }
  tiles.sort((a, b) => (a.mid < b.mid ? -1 : a.mid > b.mid ? 1 : 0));
  return tiles;
}

/**
 * Sends the tiles when they change, at most once per delay (the last change wins).
 */
export class TileSizeReporter {
  /**
   * @param {(tiles: Tile[]) => boolean} send returns false when it could not send (not joined yet)
   * @param {{delayMs?: number, timers?: {setTimeout: typeof setTimeout, clearTimeout: typeof clearTimeout}}} [options]
   */
  constructor(send, { delayMs = 300, timers = globalThis } = {}) {
    this.sendTiles = send;
    this.delayMs = delayMs;
    this.timers = timers;
    this.sent = '';
    /** @type {Tile[] | null} */
    this.pending = null;
    /** @type {ReturnType<typeof setTimeout> | null} */
    this.timer = null;
  }

  /**
   * @param {TrackTable} table
   * @param {Map<string, {width: number, height: number}>} shown
   */
  update(table, shown) {
    const tiles = tilesFor(table, shown);
    if (JSON.stringify(tiles) === this.sent) {
      this.pending = null;
      return;
    }
    this.pending = tiles;
    if (this.timer === null) this.timer = this.timers.setTimeout(() => this.flush(), this.delayMs);
  }

  flush() {
    this.timer = null;
    const tiles = this.pending;
    if (!tiles) return;
    this.pending = null;
    if (this.sendTiles(tiles)) this.sent = JSON.stringify(tiles);
  }

  /** Forget what was sent (a new connection must be told again). */
  reset() {
    this.sent = '';
    this.pending = null;
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
  }
}
