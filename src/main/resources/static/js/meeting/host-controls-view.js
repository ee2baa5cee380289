// @ts-check
// The host controls on the meeting screen (docs/signaling.md, section 8): a menu on each participant in the list,
// the meeting-wide buttons above it, the locked badge, and the prompt someone gets when a host asks them to unmute.
// Which controls show follows the server's rules; the server checks every one again.

import { find } from './meeting-view.js';

/** @typedef {import('./participants.js').StoredParticipant} StoredParticipant */
/** @typedef {import('./protocol.js').ModerateAction} ModerateAction */
/** @typedef {import('./i18n.js').Texts} Texts */

/**
 * @typedef {object} HostControlHandlers
 * @property {(action: ModerateAction, participantId?: string | null, ban?: boolean) => void} moderate
 */

export class HostControlsView {
  /**
   * @param {HTMLElement} root the page's [data-meeting-app] element
   * @param {Texts} t
   * @param {HostControlHandlers} handlers
   */
  constructor(root, t, handlers) {
    this.t = t;
    this.handlers = handlers;
    this.bar = find(root, '[data-testid="host-controls"]');
    /** @type {HTMLButtonElement} */
    this.muteAllButton = find(this.bar, '[data-testid="host-mute-all"]');
    /** @type {HTMLButtonElement} */
    this.lockButton = find(this.bar, '[data-testid="host-lock"]');
    /** @type {HTMLButtonElement} */
    this.admitAllButton = find(this.bar, '[data-testid="host-admit-all"]');
    /** @type {HTMLButtonElement} */
    this.endButton = find(this.bar, '[data-testid="host-end"]');
    /** @type {HTMLButtonElement} */
    this.recordButton = find(this.bar, '[data-testid="host-record"]');
    this.recordingBadge = find(root, '[data-testid="meeting-recording"]');
    /** Whether this server records at all (the page says so). */
    this.recordingOffered = root.dataset.recordingOffered === 'true';
    /** @type {HTMLButtonElement} */
    this.lowerAllButton = find(this.bar, '[data-testid="host-lower-all-hands"]');
    this.lockedBadge = find(root, '[data-testid="meeting-locked"]');
    this.list = find(root, '[data-testid="participant-list"]');
    this.prompt = find(root, '[data-testid="unmute-prompt"]');
    this.promptText = find(this.prompt, '[data-unmute-text]');
    /** @type {(() => void) | null} */
    this.onUnmute = null;
    /** Your own powers. */
    this.powers = { host: false, cohost: false };
    this.locked = false;
    this.recording = false;
    /** @type {Map<HTMLElement, StoredParticipant>} the list's entries and whom they show */
    this.items = new Map();
    this.wire();
  }

  wire() {
    this.muteAllButton.addEventListener('click', () => this.handlers.moderate('mute-all'));
    this.lockButton.addEventListener('click', () => this.handlers.moderate(this.locked ? 'unlock' : 'lock'));
    this.admitAllButton.addEventListener('click', () => this.handlers.moderate('admit-all'));
    this.recordButton.addEventListener('click', () => this.handlers.moderate(this.recording ? 'stop-recording' : 'record'));
    this.lowerAllButton.addEventListener('click', () => this.handlers.moderate('lower-all-hands'));
    this.endButton.addEventListener('click', () => {
      if (window.confirm(this.t('host.confirmEnd'))) this.handlers.moderate('end');
    });
    this.list.addEventListener('click', (event) => {
      const button = /** @type {Element} */ (event.target).closest('button[data-action]');
      /** @type {HTMLElement | null} */
      const item = button ? button.closest('[data-participant-id]') : null;
      if (!button || !item) return;
      const action = /** @type {ModerateAction} */ (/** @type {HTMLElement} */ (button).dataset.action);
      const details = /** @type {HTMLDetailsElement | null} */ (button.closest('details'));
      if (details) details.open = false;
      this.handlers.moderate(action, item.dataset.participantId, /** @type {HTMLElement} */ (button).dataset.ban === 'true');
    });
    find(this.prompt, '[data-testid="unmute-accept"]').addEventListener('click', () => {
      const unmute = this.onUnmute;
      this.hidePrompt();
      if (unmute) unmute();
    });
    find(this.prompt, '[data-testid="unmute-dismiss"]').addEventListener('click', () => this.hidePrompt());
  }

  /**
   * Your powers changed (welcome, resumed, made or unmade co-host, demoted): the controls you see follow.
   * @param {{host: boolean, cohost: boolean}} powers
   */
  setPowers(powers) {
    this.powers = { host: powers.host, cohost: powers.cohost };
    const moderator = powers.host || powers.cohost;
    this.bar.hidden = !moderator;
    this.endButton.hidden = !powers.host;
    this.recordButton.hidden = !this.recordingOffered;
    for (const [item, participant] of this.items) {
      if (item.isConnected) this.renderItem(item, participant);
      else this.items.delete(item);
    }
  }

  /**
   * The menu of one participant's entry in the list: only what you may do to them now.
   * @param {HTMLElement} item
   * @param {StoredParticipant} p
   */
  renderItem(item, p) {
    this.items.set(item, p);
    find(item, '[data-cohost-badge]').hidden = !p.cohost;
    /** @type {HTMLDetailsElement} */
    const menu = find(item, '[data-host-menu]');
    const { host, cohost } = this.powers;
    const browser = p.kind === 'browser';
    /** @type {Record<string, boolean>} */
    const shown = {
      'host-mute': browser && p.audio,
      'host-ask-unmute': browser && !p.audio,
      'host-stop-camera': browser && p.video,
      'host-lower-hand': typeof p.hand === 'number',
      'host-make-cohost': host && browser && !p.host && !p.cohost,
      'host-revoke-cohost': host && !!p.cohost,
      'host-remove': !p.host,
      'host-remove-ban': browser && !p.host,
    };
    let any = false;
    for (const [testId, visible] of Object.entries(shown)) {
      find(menu, `[data-testid="${testId}"]`).hidden = !visible;
      any = any || visible;
    }
    const allowed = !p.self && (host || (cohost && !p.host));
    menu.hidden = !allowed || !any;
    if (menu.hidden) menu.open = false;
    find(menu, 'summary').setAttribute('aria-label', this.t('host.menu', p.displayName));
  }

  /**
   * @param {boolean} locked
   */
  setLocked(locked) {
    this.locked = locked;
    this.lockedBadge.hidden = !locked;
    this.lockButton.textContent = this.t(locked ? 'host.unlock' : 'host.lock');
    this.lockButton.setAttribute('aria-pressed', String(locked));
  }

  /**
   * The meeting is recorded (or not): the badge everyone sees, and the moderators' button.
   * @param {boolean} recording
   */
  setRecording(recording) {
    this.recording = recording;
    this.recordingBadge.hidden = !recording;
    this.recordButton.textContent = this.t(recording ? 'host.stopRecording' : 'host.record');
    this.recordButton.setAttribute('aria-pressed', String(recording));
  }

  /** @param {number} waiting how many wait in the lobby */
  setWaiting(waiting) {
    this.admitAllButton.hidden = waiting === 0;
  }

  /** @param {number} raised how many others have a hand up */
  setRaisedHands(raised) {
    this.lowerAllButton.hidden = raised === 0;
  }

  /**
   * A host asks you to unmute: a prompt you may accept (which unmutes you) or dismiss.
   * @param {string} hostName
   * @param {() => void} onUnmute
   */
  askToUnmute(hostName, onUnmute) {
    this.promptText.textContent = this.t('host.askedUnmute', hostName);
    this.onUnmute = onUnmute;
    this.prompt.hidden = false;
  }

  hidePrompt() {
    this.prompt.hidden = true;
    this.onUnmute = null;
  }

  /** Leaving the meeting: nothing of it stays. */
  clear() {
    this.hidePrompt();
    this.setLocked(false);
    this.setPowers({ host: false, cohost: false });
    this.setWaiting(0);
    this.setRaisedHands(0);
    this.items.clear();
  }
}
