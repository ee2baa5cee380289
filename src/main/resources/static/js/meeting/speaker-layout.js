// @ts-check
// The speaker layout: one participant large on the stage, everyone else in a filmstrip of small tiles. Owns the
// toolbar's layout switch (remembered in localStorage), pinning by clicking a tile, and moving the grid's tile
// elements between the grid, the stage and the filmstrip (moved, never recreated, so their video keeps playing).

import { StagePicker } from './stage.js';

/** @typedef {import('./i18n.js').Texts} Texts */
/** @typedef {Pick<Storage, 'getItem' | 'setItem'>} PreferenceStore */

const PREFERENCE_KEY = 'parley.meeting.layout';
/** The hold's end is checked a little late, so a timer that fires early does not find the speaker still waiting. */
const RECHECK_SLACK_MS = 30;

/**
 * A tile as the layout sees it.
 * @typedef {object} LaidTile
 * @property {string} id   the participant's id
 * @property {HTMLElement} el
 * @property {boolean} self
 * @property {string} name the participant's display name
 */

/** @returns {PreferenceStore | null} */
function browserStorage() {
  try {
    return window.localStorage;
  } catch {
    return null; // storage blocked by the browser's privacy settings: the choice lasts for this page only
  }
}

/**
 * @template {Element} E
 * @param {ParentNode} scope
 * @param {string} selector
 * @returns {E}
 */
function element(scope, selector) {
  return /** @type {E} the page's template always has it */ (scope.querySelector(selector));
}

/**
 * Puts these elements first in the container, in this order, moving only those out of place (a tile that belongs
 * elsewhere now is moved out when its new container is arranged).
 * @param {HTMLElement} container
 * @param {HTMLElement[]} elements
 */
function placeInOrder(container, elements) {
  elements.forEach((el, index) => {
    const there = container.children[index] ?? null;
    if (there !== el) container.insertBefore(el, there);
  });
}

export class SpeakerLayout {
  /**
   * @param {HTMLElement} root the page's [data-meeting-app] element
   * @param {Texts} t
   * @param {() => void} relayout lays the tiles out again (which tells the relay their new sizes)
   * @param {{storage?: PreferenceStore | null, now?: () => number}} [options]
   */
  constructor(root, t, relayout, { storage = browserStorage(), now = () => performance.now() } = {}) {
    this.t = t;
    this.relayout = relayout;
    this.storage = storage;
    this.now = now;
    /** @type {HTMLElement} */
    this.box = element(root, '[data-speaker-layout]');
    /** @type {HTMLElement} */
    this.stage = element(root, '[data-testid="stage"]');
    /** @type {HTMLElement} */
    this.filmstrip = element(root, '[data-testid="filmstrip"]');
    /** @type {HTMLButtonElement} */
    this.button = element(root, '[data-testid="layout-button"]');
    this.picker = new StagePicker();
    this.on = this.readPreference() === 'speaker';
    /** @type {ReturnType<typeof setTimeout> | null} */
    this.timer = null;
    /** @type {number | null} */
    this.timerAt = null;
    this.button.addEventListener('click', () => this.toggle());
    this.box.addEventListener('click', (event) => this.pinFrom(event.target));
    this.box.addEventListener('keydown', (event) => {
      if (event.key !== 'Enter' && event.key !== ' ') return;
      if (!(event.target instanceof HTMLElement) || event.target.dataset.testid !== 'video-tile') return;
      event.preventDefault();
      this.pinFrom(event.target);
    });
    this.renderButton();
  }

  /** Switches between the grid and the speaker layout, and remembers the choice. */
  toggle() {
    this.on = !this.on;
    try {
      if (this.storage) this.storage.setItem(PREFERENCE_KEY, this.on ? 'speaker' : 'grid');
    } catch {
      // full or blocked storage: the choice lasts for this page only
    }
    this.renderButton();
    this.relayout();
  }

  renderButton() {
    this.button.setAttribute('aria-pressed', String(this.on));
  }

  /** @returns {string | null} */
  readPreference() {
    try {
      return this.storage ? this.storage.getItem(PREFERENCE_KEY) : null;
    } catch {
      return null;
    }
  }

  /**
   * The relay named the room's speaker (null: nobody speaks now).
   * @param {string | null} participantId
   * @param {string | null} selfId
   */
  heard(participantId, selfId) {
    this.picker.heard(participantId, this.now(), selfId);
    if (this.on) this.relayout();
  }

  /** @param {EventTarget | null} target a click or key press inside the stage or the filmstrip */
  pinFrom(target) {
    if (!(target instanceof Element)) return;
    /** @type {HTMLElement | null} */
    const tile = target.closest('[data-testid="video-tile"]');
    if (!tile || !tile.dataset.participantId) return;
    const focused = document.activeElement === tile;
    this.picker.togglePin(tile.dataset.participantId);
    this.relayout();
    // Moving an element takes its focus away; a keyboard user keeps their place on the tile.
    if (focused && document.activeElement !== tile) tile.focus({ preventScroll: true });
  }

  /**
   * Puts the tiles where the chosen layout wants them: all in the grid, or one on the stage and the others (you
   * among them) in the filmstrip.
   * @param {HTMLElement} grid
   * @param {LaidTile[]} tiles in the order they show, yours first
   */
  arrange(grid, tiles) {
    const self = tiles.find((tile) => tile.self);
    const others = tiles.filter((tile) => !tile.self).map((tile) => tile.id);
    const choice = this.picker.choose(others, self ? self.id : null, this.now());
    grid.hidden = this.on;
    this.box.hidden = !this.on;
    for (const tile of tiles) this.renderPin(tile, tile.id === choice.pinnedId);
    if (this.on) {
      placeInOrder(this.stage, tiles.filter((tile) => tile.id === choice.stageId).map((tile) => tile.el));
      placeInOrder(this.filmstrip, tiles.filter((tile) => tile.id !== choice.stageId).map((tile) => tile.el));
      this.recheckAt(choice.recheckAt);
    } else {
      placeInOrder(grid, tiles.map((tile) => tile.el));
      this.recheckAt(null);
    }
  }

  /**
   * In the speaker layout a tile is a toggle button that pins its participant; in the grid, an item of the list.
   * @param {LaidTile} tile
   * @param {boolean} pinned
   */
  renderPin(tile, pinned) {
    const el = tile.el;
    if (pinned) el.dataset.pinned = 'true';
    else delete el.dataset.pinned;
    if (this.on) {
      el.setAttribute('role', 'button');
      el.tabIndex = 0;
      el.setAttribute('aria-pressed', String(pinned));
      el.title = pinned ? this.t('meeting.unpin', tile.name) : this.t('meeting.pin', tile.name);
    } else {
      el.setAttribute('role', 'listitem');
      el.removeAttribute('tabindex');
      el.removeAttribute('aria-pressed');
      el.removeAttribute('title');
    }
  }

  /** @param {number | null} at when to lay out again (a waiting speaker's hold ends), null: no need */
  recheckAt(at) {
    if (at === this.timerAt) return;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.timerAt = at;
    if (at === null) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.timerAt = null;
      this.relayout();
    }, Math.max(0, at - this.now()) + RECHECK_SLACK_MS);
  }

  /** A new visit: everyone has a new id, so pins and past speakers mean nothing. */
  reset() {
    this.picker.reset();
    this.recheckAt(null);
  }
}
