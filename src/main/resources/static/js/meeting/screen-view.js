// @ts-check
// The shared screens on the meeting page: while anyone shares, one share shows large beside the people's tiles (the
// grid or the speaker layout), with the sharer's name; with several, a switcher picks which one shows. A share that
// is not shown gets size 0 x 0, so the relay does not send it.

import { screenKey } from './tile-sizes.js';

/** @typedef {import('./i18n.js').Texts} Texts */

/**
 * One share on the page.
 * @typedef {object} ScreenTile
 * @property {HTMLElement} el
 * @property {HTMLVideoElement} video
 * @property {HTMLElement} name
 * @property {HTMLElement} paused  the note shown while the relay pauses it because your link cannot carry it
 * @property {HTMLButtonElement} switch  its button in the switcher
 * @property {MediaStreamTrack | null} track  what its video plays (null until the first update sets it)
 */

/**
 * A share to show: whose, their name, and the track.
 * @typedef {{participantId: string, name: string, track: MediaStreamTrack}} Share
 */

/**
 * @template {Element} E
 * @param {ParentNode} scope
 * @param {string} selector
 * @returns {E}
 */
function element(scope, selector) {
  return /** @type {E} the page's template always has it */ (scope.querySelector(selector));
}

export class ScreenStage {
  /**
   * @param {HTMLElement} root the page's [data-meeting-app] element
   * @param {Texts} t
   * @param {() => void} relayout lays the page out again (which tells the relay the new sizes)
   */
  constructor(root, t, relayout) {
    this.t = t;
    this.relayout = relayout;
    /** @type {HTMLElement} */
    this.stage = element(root, '.stage');
    /** @type {HTMLElement} */
    this.box = element(root, '[data-testid="screen-stage"]');
    /** @type {HTMLElement} */
    this.tilesBox = element(root, '[data-screen-tiles]');
    /** @type {HTMLElement} */
    this.switcher = element(root, '[data-testid="screen-switcher"]');
    /** @type {HTMLTemplateElement} */
    this.template = element(root, '#screen-tile-template');
    /** @type {Map<string, ScreenTile>} participant id -> their share */
    this.tiles = new Map();
    /** @type {string | null} whose share shows large (null: the first) */
    this.chosenId = null;
    /** @type {Set<string>} whose share the relay pauses for bandwidth */
    this.paused = new Set();
    this.switcher.addEventListener('click', (event) => {
      const target = /** @type {Element} */ (event.target);
      /** @type {HTMLElement | null} */
      const button = target.closest('[data-testid="screen-switch"]');
      if (button && button.dataset.participantId) this.choose(button.dataset.participantId);
    });
  }

  /**
   * The shares there are now, in the order they came; tiles come and go to match.
   * @param {Share[]} shares
   */
  update(shares) {
    const ids = new Set(shares.map((s) => s.participantId));
    let changed = false;
    for (const [id, tile] of [...this.tiles]) {
      if (ids.has(id)) continue;
      tile.video.srcObject = null;
      tile.el.remove();
      tile.switch.remove();
      this.tiles.delete(id);
      changed = true;
    }
    for (const share of shares) {
      let tile = this.tiles.get(share.participantId);
      if (!tile) {
        tile = this.createTile(share);
        this.tiles.set(share.participantId, tile);
        changed = true;
      }
      if (tile.track !== share.track) {
        tile.track = share.track;
        tile.video.srcObject = new MediaStream([share.track]);
        tile.video.play().catch(() => {});
      }
      const label = this.t('screen.sharedBy', share.name);
      tile.name.textContent = label;
      tile.el.setAttribute('aria-label', label);
      tile.switch.textContent = share.name;
      tile.switch.title = label;
    }
    this.render();
    if (changed) this.relayout();
  }

  /**
   * @param {Share} share
   * @returns {ScreenTile}
   */
  createTile(share) {
    const el = /** @type {HTMLElement} */ (/** @type {Element} */ (this.template.content.firstElementChild).cloneNode(true));
    el.dataset.participantId = share.participantId;
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'screen-switch';
    button.dataset.testid = 'screen-switch';
    button.dataset.participantId = share.participantId;
    this.tilesBox.appendChild(el);
    this.switcher.appendChild(button);
    return { el, video: element(el, 'video'), name: element(el, '[data-testid="screen-tile-name"]'),
      paused: element(el, '[data-testid="screen-tile-paused"]'), switch: button, track: null };
  }

  /**
   * Shows this participant's share large.
   * @param {string} participantId
   */
  choose(participantId) {
    if (!this.tiles.has(participantId)) return;
    this.chosenId = participantId;
    this.render();
    this.relayout();
  }

  /** Whose share shows: the chosen one while it lasts, else the first. */
  shownId() {
    if (this.chosenId !== null && this.tiles.has(this.chosenId)) return this.chosenId;
    const first = this.tiles.keys().next();
    return first.done ? null : first.value;
  }

  render() {
    const shown = this.shownId();
    for (const [id, tile] of this.tiles) {
      tile.el.hidden = id !== shown;
      tile.switch.setAttribute('aria-pressed', String(id === shown));
      tile.paused.hidden = !this.paused.has(id);
      tile.el.dataset.paused = String(this.paused.has(id));
    }
    this.box.hidden = this.tiles.size === 0;
    this.switcher.hidden = this.tiles.size < 2;
    this.stage.classList.toggle('has-screens', this.tiles.size > 0);
  }

  /**
   * How large each share shows, in device pixels, keyed by {@link screenKey}; 0 x 0 for those not shown.
   * @returns {Map<string, {width: number, height: number}>}
   */
  shownSizes() {
    const ratio = window.devicePixelRatio || 1;
    /** @type {Map<string, {width: number, height: number}>} */
    const sizes = new Map();
    for (const [id, tile] of this.tiles) {
      sizes.set(screenKey(id), tile.el.hidden ? { width: 0, height: 0 }
        : { width: tile.video.clientWidth * ratio, height: tile.video.clientHeight * ratio });
    }
    return sizes;
  }

  /**
   * The shares the relay pauses because your link cannot carry them.
   * @param {Set<string>} participantIds
   */
  setPaused(participantIds) {
    this.paused = new Set(participantIds);
    this.render();
  }

  /** Every share goes (the visit ended). */
  clear() {
    this.chosenId = null;
    this.paused = new Set();
    this.update([]);
  }
}
