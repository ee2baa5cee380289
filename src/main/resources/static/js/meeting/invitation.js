// @ts-check
// "Copy invitation" in the meeting: the text (the room's title, when, the link, whether a passcode is needed) in the
// page's language, shown in a dialog and copied to the clipboard when the browser allows it.

import { find } from './meeting-view.js';

/** @typedef {import('./i18n.js').Texts} Texts */

/**
 * @typedef {object} Invitation
 * @property {string} title
 * @property {string} joinUrl
 * @property {Date | null} startsAt
 * @property {Date | null} endsAt
 * @property {boolean} passcode  a passcode is needed (never the passcode itself)
 */

/**
 * The invitation's text, one line each; the time in the reader's zone, which it names.
 * @param {Texts} t
 * @param {Invitation} invitation
 * @param {string} locale
 * @param {string} timeZone
 */
export function invitationText(t, { title, joinUrl, startsAt, endsAt, passcode }, locale, timeZone) {
  const lines = [t('invite.intro', title)];
  if (startsAt && endsAt && !Number.isNaN(startsAt.getTime()) && !Number.isNaN(endsAt.getTime())) {
    const format = new Intl.DateTimeFormat(locale, { dateStyle: 'full', timeStyle: 'short', timeZone });
    lines.push(t('invite.when', format.formatRange(startsAt, endsAt), timeZone));
  }
  lines.push(t('invite.link', joinUrl));
  if (passcode) lines.push(t('invite.passcode'));
  return lines.join('\n');
}

/**
 * What the page knows of its room, from the data attributes of [data-meeting-app].
 * @param {HTMLElement} root
 * @returns {Invitation}
 */
export function invitationOf(root) {
  const date = (/** @type {string | undefined} */ value) => (value ? new Date(value) : null);
  return {
    title: find(root, '.meeting-title').textContent ?? '',
    joinUrl: root.dataset.joinUrl || window.location.href,
    startsAt: date(root.dataset.startsAt),
    endsAt: date(root.dataset.endsAt),
    passcode: root.dataset.passcode === 'true',
  };
}

export class InvitationView {
  /**
   * @param {HTMLElement} root the page's [data-meeting-app] element
   * @param {Texts} t
   */
  constructor(root, t) {
    this.root = root;
    this.t = t;
    /** @type {HTMLDialogElement} */
    this.dialog = find(root, '[data-testid="invitation-dialog"]');
    /** @type {HTMLTextAreaElement} */
    this.text = find(this.dialog, '[data-testid="invitation-text"]');
    this.status = find(this.dialog, '[data-testid="invitation-status"]');
    find(root, '[data-testid="copy-invitation"]').addEventListener('click', () => this.open());
    find(this.dialog, '[data-testid="invitation-close"]').addEventListener('click', () => this.close());
  }

  async open() {
    const locale = document.documentElement.lang || navigator.language;
    const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    this.text.value = invitationText(this.t, invitationOf(this.root), locale, timeZone);
    this.status.textContent = '';
    if (typeof this.dialog.showModal === 'function') this.dialog.showModal();
    else this.dialog.setAttribute('open', '');
    this.text.select();
    try {
      await navigator.clipboard.writeText(this.text.value);
      this.status.textContent = this.t('invite.copied');
      this.dialog.dataset.copied = 'true';
    } catch (e) {
      // Not a secure context, or the permission was refused: the text is selected for the person to copy.
      this.status.textContent = this.t('invite.selectToCopy');
      this.dialog.dataset.copied = 'false';
    }
  }

  close() {
    if (typeof this.dialog.close === 'function' && this.dialog.open) this.dialog.close();
    else this.dialog.removeAttribute('open');
  }
}
