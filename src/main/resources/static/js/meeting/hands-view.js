// @ts-check
// The toolbar's raise-hand button and reactions menu (docs/signaling.md, section 10). What others see of hands and
// reactions, on the tiles and in the participant list, is the meeting view's.

import { find } from './meeting-view.js';

/** @typedef {import('./i18n.js').Texts} Texts */
/** @typedef {import('./protocol.js').ReactionName} ReactionName */

/**
 * @typedef {object} HandsHandlers
 * @property {(raised: boolean) => void} raise
 * @property {(name: ReactionName) => void} react
 */

export class HandsView {
  /**
   * @param {HTMLElement} root the page's [data-meeting-app] element
   * @param {Texts} t
   * @param {HandsHandlers} handlers
   */
  constructor(root, t, handlers) {
    this.t = t;
    this.handlers = handlers;
    /** @type {HTMLButtonElement} */
    this.handButton = find(root, '[data-testid="hand-button"]');
    /** @type {HTMLButtonElement} */
    this.reactionsButton = find(root, '[data-testid="reactions-button"]');
    this.menu = find(root, '[data-testid="reactions-menu"]');
    this.raised = false;
    this.wire();
  }

  wire() {
    this.handButton.addEventListener('click', () => this.handlers.raise(!this.raised));
    this.reactionsButton.addEventListener('click', () => this.setMenuOpen(this.menu.hidden));
    this.menu.addEventListener('click', (event) => {
      /** @type {HTMLElement | null} */
      const button = /** @type {Element} */ (event.target).closest('button[data-reaction]');
      if (button) this.handlers.react(/** @type {ReactionName} */ (button.dataset.reaction));
    });
    // Open until a click elsewhere or Escape, so that several reactions go out in a row.
    document.addEventListener('click', (event) => {
      const target = /** @type {Node} */ (event.target);
      if (!this.menu.hidden && !this.menu.contains(target) && !this.reactionsButton.contains(target)) {
        this.setMenuOpen(false);
      }
    });
    this.menu.addEventListener('keydown', (event) => {
      if (event.key !== 'Escape') return;
      this.setMenuOpen(false);
      this.reactionsButton.focus();
    });
  }

  /** @param {boolean} open */
  setMenuOpen(open) {
    this.menu.hidden = !open;
    this.reactionsButton.setAttribute('aria-expanded', String(open));
    if (open) /** @type {HTMLElement | null} */ (this.menu.querySelector('button'))?.focus();
  }

  /**
   * Your hand as the server last said it.
   * @param {boolean} raised
   */
  setRaised(raised) {
    this.raised = raised;
    this.handButton.setAttribute('aria-pressed', String(raised));
    const label = this.t(raised ? 'hand.lower' : 'hand.raise');
    find(this.handButton, '[data-label]').textContent = label;
    this.handButton.title = label;
  }

  clear() {
    this.setRaised(false);
    this.setMenuOpen(false);
  }
}
