// @ts-check
// How many columns and rows the video grid uses: the arrangement that gives the biggest 16:9 tiles. No DOM.

/**
 * @param {number} count  number of tiles (>= 0)
 * @param {number} width  the grid's inner width in CSS pixels (0 when unknown)
 * @param {number} height the grid's inner height in CSS pixels (0 when unknown)
 * @param {{aspect?: number, gap?: number}} [options] the tiles' width / height, and the gap between them in pixels
 * @returns {{cols: number, rows: number, tileWidth: number}}
 */
export function gridShape(count, width, height, { aspect = 16 / 9, gap = 8 } = {}) {
  const n = Math.max(1, Math.floor(count) || 0);
  if (!(width > 0) || !(height > 0)) {
    const cols = Math.ceil(Math.sqrt(n));
    return { cols, rows: Math.ceil(n / cols), tileWidth: 0 };
  }
  /** @type {{cols: number, rows: number, tileWidth: number, empty: number} | null} */
  let best = null;
  for (let cols = 1; cols <= n; cols++) {
    const rows = Math.ceil(n / cols);
    const byWidth = (width - gap * (cols - 1)) / cols;
    const byHeight = ((height - gap * (rows - 1)) / rows) * aspect;
    const tileWidth = Math.max(0, Math.min(byWidth, byHeight));
    const empty = cols * rows - n;
    if (!best || tileWidth > best.tileWidth + 0.5 || (Math.abs(tileWidth - best.tileWidth) <= 0.5 && empty < best.empty)) {
      best = { cols, rows, tileWidth, empty };
    }
  }
  const chosen = /** @type {NonNullable<typeof best>} n >= 1, so the loop ran */ (best);
  return { cols: chosen.cols, rows: chosen.rows, tileWidth: Math.floor(chosen.tileWidth) };
}
