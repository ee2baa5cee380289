// @ts-check
// How many columns and rows the video grid uses, and how large its tiles are: the arrangement that gives the
// largest tiles, each as wide as 16:9 at most and as tall as square at most (the video fills its tile and is cropped
// to it), so that two people sit side by side on a wide screen rather than stacked in letterboxes. No DOM.

/**
 * @param {number} count  number of tiles (>= 0)
 * @param {number} width  the grid's inner width in CSS pixels (0 when unknown)
 * @param {number} height the grid's inner height in CSS pixels (0 when unknown)
 * @param {{aspect?: number, minAspect?: number, gap?: number}} [options] the widest and the narrowest tile (width /
 *     height), and the gap between tiles in pixels
 * @returns {{cols: number, rows: number, tileWidth: number, tileHeight: number}}
 */
export function gridShape(count, width, height, { aspect = 16 / 9, minAspect = 1, gap = 8 } = {}) {
  const n = Math.max(1, Math.floor(count) || 0);
  if (!(width > 0) || !(height > 0)) {
    const cols = Math.ceil(Math.sqrt(n));
    return { cols, rows: Math.ceil(n / cols), tileWidth: 0, tileHeight: 0 };
  }
  /** @type {{cols: number, rows: number, tileWidth: number, tileHeight: number, empty: number} | null} */
  let best = null;
  for (let cols = 1; cols <= n; cols++) {
    const rows = Math.ceil(n / cols);
    let tileWidth = Math.max(0, (width - gap * (cols - 1)) / cols);
    let tileHeight = Math.max(0, (height - gap * (rows - 1)) / rows);
    if (tileWidth > tileHeight * aspect) tileWidth = tileHeight * aspect;
    if (tileWidth < tileHeight * minAspect) tileHeight = tileWidth / minAspect;
    const empty = cols * rows - n;
    const area = tileWidth * tileHeight;
    const bestArea = best ? best.tileWidth * best.tileHeight : -1;
    if (!best || area > bestArea * 1.001 || (area >= bestArea * 0.999 && empty < best.empty)) {
      best = { cols, rows, tileWidth, tileHeight, empty };
    }
  }
  const chosen = /** @type {NonNullable<typeof best>} n >= 1, so the loop ran */ (best);
  return { cols: chosen.cols, rows: chosen.rows, tileWidth: Math.floor(chosen.tileWidth),
    tileHeight: Math.floor(chosen.tileHeight) };
}
