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
 * Sends the tiles when they or the offer they were read from change, at most once per delay (the last change wins).
 * The offer's version goes with them: the relay gives a section whose track ended to the next track of its kind, and
 * a size read from an older offer is about the track that was there.
 */
export class TileSizeReporter {
  /**
   * @param {(tiles: Tile[], version: number | null) => boolean} send returns false when it could not send (not
   *     joined yet)
   * @param {{delayMs?: number, timers?: {setTimeout: typeof setTimeout, clearTimeout: typeof clearTimeout}}} [options]
   */
  constructor(send, { delayMs = 300, timers = globalThis } = {}) {
    this.sendTiles = send;
    this.delayMs = delayMs;
    this.timers = timers;
    this.sent = '';
    /** @type {{tiles: Tile[], version: number | null} | null} */
    this.pending = null;
    /** @type {ReturnType<typeof setTimeout> | null} */
    this.timer = null;
  }

  /**
   * @param {TrackTable} table
   * @param {Map<string, {width: number, height: number}>} shown
   * @param {number | null} [version] the offer the table was read from
   */
  update(table, shown, version = null) {
    const pending = { tiles: tilesFor(table, shown), version };
    if (JSON.stringify(pending) === this.sent) {
      this.pending = null;
      return;
    }
    this.pending = pending;
    if (this.timer === null) this.timer = this.timers.setTimeout(() => this.flush(), this.delayMs);
  }

  flush() {
    this.timer = null;
    const pending = this.pending;
    if (!pending) return;
    this.pending = null;
    if (this.sendTiles(pending.tiles, pending.version)) this.sent = JSON.stringify(pending);
  }

  /** Forget what was sent (a new connection must be told again). */
  reset() {
    this.sent = '';
    this.pending = null;
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
  }
}
