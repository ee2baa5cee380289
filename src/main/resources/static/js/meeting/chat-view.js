// @ts-check
// The meeting's chat panel: the toggle with its unread badge, the messages (text nodes and links, never HTML), the
// recipient choice and the input (Enter sends, Shift+Enter a new line), and files: shared with the attach button or by
// dropping them on the panel, shown as a name and size that downloads them.

import { find } from './meeting-view.js';
import { linkify, checkChatText } from './chat.js';
import { formatSize } from './chat-files.js';

/** @typedef {import('./chat.js').StoredChat} StoredChat */
/** @typedef {import('./chat.js').ChatStore} ChatStore */
/** @typedef {import('./participants.js').StoredParticipant} StoredParticipant */
/** @typedef {import('./i18n.js').Texts} Texts */
/** @typedef {import('./protocol.js').ChatAttachment} ChatAttachment */
/** @typedef {import('./chat-files.js').FileResult} FileResult */

/**
 * @typedef {object} FileActions
 * @property {(file: Blob & {name: string}, to: string | null) => Promise<FileResult>} share
 * @property {(file: ChatAttachment) => Promise<FileResult>} download
 */

/** The problems a share or download can meet that have their own sentence; others get chat.file.failed. */
const FILE_PROBLEMS = ['too-large', 'empty', 'bad-name', 'mismatch', 'dangerous', 'disk-full', 'busy', 'rate-limited',
  'unknown-recipient', 'not-found', 'forbidden'];

/** Within this many pixels of the bottom the list follows new messages; further up, the reader is left in peace. */
const FOLLOW_SLACK_PX = 48;

export class ChatView {
  /**
   * @param {HTMLElement} root the page's [data-meeting-app] element
   * @param {Texts} t
   * @param {(text: string, to: string | null) => boolean} send sends a message; false when it could not go out
   * @param {FileActions} files
   */
  constructor(root, t, send, files) {
    this.t = t;
    this.send = send;
    this.files = files;
    this.panel = find(root, '[data-testid="chat-panel"]');
    /** @type {HTMLButtonElement} */
    this.button = find(root, '[data-testid="chat-button"]');
    this.badge = find(root, '[data-testid="chat-unread"]');
    this.list = find(root, '[data-testid="chat-messages"]');
    this.empty = find(root, '[data-testid="chat-empty"]');
    /** @type {HTMLFormElement} */
    this.form = find(root, '[data-testid="chat-form"]');
    /** @type {HTMLTextAreaElement} */
    this.input = find(root, '[data-testid="chat-input"]');
    /** @type {HTMLSelectElement} */
    this.recipient = find(root, '[data-testid="chat-recipient"]');
    /** @type {HTMLTemplateElement} */
    this.template = find(root, '#chat-message-template');
    /** @type {HTMLInputElement} */
    this.fileInput = find(root, '[data-testid="chat-file-input"]');
    /** @type {HTMLButtonElement} */
    this.attachButton = find(root, '[data-testid="chat-attach"]');
    this.fileStatus = find(root, '[data-testid="chat-file-status"]');
    this.note = find(root, '[data-testid="chat-kept-note"]');
    /** How many shares are under way (the status shows the last one's name). */
    this.sending = 0;
    /** @type {ChatStore | null} */
    this.store = null;
    /** @type {Map<string, string>} participant id -> the last name seen, for private messages to people who left */
    this.names = new Map();
    /** @type {string} */
    this.selfId = '';
    /** @type {(() => void)[]} */
    this.unsubscribe = [];
    /** @type {(open: boolean) => void} */
    this.onToggle = () => {};
    this.button.addEventListener('click', () => this.setOpen(this.panel.hidden));
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.submit();
    });
    this.attachButton.addEventListener('click', () => this.fileInput.click());
    this.fileInput.addEventListener('change', () => {
      const chosen = Array.from(this.fileInput.files ?? []);
      this.fileInput.value = '';
      chosen.forEach((file) => this.shareFile(file));
    });
    this.panel.addEventListener('dragover', (event) => {
      if (!event.dataTransfer || !Array.from(event.dataTransfer.types).includes('Files')) return;
      event.preventDefault();
      this.panel.classList.add('is-drop-target');
    });
    this.panel.addEventListener('dragleave', () => this.panel.classList.remove('is-drop-target'));
    this.panel.addEventListener('drop', (event) => {
      this.panel.classList.remove('is-drop-target');
      if (!event.dataTransfer || event.dataTransfer.files.length === 0) return;
      event.preventDefault();
      Array.from(event.dataTransfer.files).forEach((file) => this.shareFile(file));
    });
    this.input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        this.submit();
      }
    });
  }

  /**
   * Shows this store's messages from now on (a new visit's).
   * @param {ChatStore} store
   */
  attach(store) {
    this.detach();
    this.store = store;
    this.unsubscribe = [
      store.on('reset', ({ messages }) => this.renderAll(messages)),
      store.on('added', ({ message }) => this.append(message)),
      store.on('unread', ({ count }) => this.renderUnread(count)),
    ];
    store.setOpen(!this.panel.hidden);
    this.renderAll(store.messages);
    this.renderUnread(store.unread);
  }

  detach() {
    this.unsubscribe.forEach((off) => off());
    this.unsubscribe = [];
    this.store = null;
  }

  /** @param {boolean} open */
  setOpen(open) {
    if (this.panel.hidden === !open) return;
    this.panel.hidden = !open;
    this.button.setAttribute('aria-expanded', String(open));
    if (this.store) this.store.setOpen(open);
    this.onToggle(open);
    if (open) {
      this.scrollToEnd();
      this.input.focus();
    }
  }

  submit() {
    const checked = checkChatText(this.input.value);
    if (!checked.ok) return; // empty; the input's maxlength keeps it within the limit
    if (this.send(checked.text, this.recipient.value || null)) this.input.value = '';
  }

  /**
   * Shares a file with the chosen recipient (or everyone); the status line says it is on its way, or why it was not
   * shared. The server's chat message shows it once it arrived.
   * @param {Blob & {name: string}} file
   */
  async shareFile(file) {
    this.sending += 1;
    this.showFileStatus(this.t('chat.file.sending', file.name), false);
    const result = await this.files.share(file, this.recipient.value || null);
    this.sending -= 1;
    if (result.ok) {
      if (this.sending === 0) this.showFileStatus('', false);
    } else {
      this.showFileStatus(this.fileProblem(result.problem, file.name), true);
    }
  }

  /**
   * Downloads a shared file and hands it to the browser to save, under its name.
   * @param {ChatAttachment} file
   */
  async downloadFile(file) {
    const result = await this.files.download(file);
    if (!result.ok || !result.blob) {
      this.showFileStatus(this.fileProblem(result.ok ? 'network' : result.problem, file.name), true);
      return;
    }
    const url = URL.createObjectURL(result.blob);
    const link = document.createElement('a');
    link.href = url;
    link.download = file.name;
    link.hidden = true;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }

  /**
   * @param {string} problem
   * @param {string} name
   */
  fileProblem(problem, name) {
    return this.t(FILE_PROBLEMS.includes(problem) ? `chat.file.${problem}` : 'chat.file.failed', name);
  }

  /**
   * @param {string} text
   * @param {boolean} problem
   */
  showFileStatus(text, problem) {
    this.fileStatus.textContent = text;
    this.fileStatus.hidden = text === '';
    this.fileStatus.classList.toggle('is-problem', problem);
  }

  /**
   * Says whether this room keeps its chat after the meeting (the empty list's hint and a note over the input).
   * @param {boolean} kept
   */
  setKept(kept) {
    this.note.hidden = !kept;
    this.empty.textContent = this.t(kept ? 'chat.emptyKept' : 'chat.empty');
  }

  /**
   * The people one may write to privately: everyone else in a browser, by name.
   * @param {string} selfId
   * @param {StoredParticipant[]} participants
   */
  setParticipants(selfId, participants) {
    this.selfId = selfId;
    for (const p of participants) this.names.set(p.id, p.displayName);
    const chosen = this.recipient.value;
    const others = participants.filter((p) => !p.self && p.id !== selfId && p.kind === 'browser')
      .sort((a, b) => a.displayName.localeCompare(b.displayName));
    const everyone = /** @type {HTMLOptionElement} */ (this.recipient.options[0]);
    const options = [everyone];
    for (const p of others) {
      const option = document.createElement('option');
      option.value = p.id;
      option.textContent = p.displayName;
      options.push(option);
    }
    this.recipient.replaceChildren(...options);
    // Someone who left can no longer be written to: back to everyone.
    this.recipient.value = others.some((p) => p.id === chosen) ? chosen : '';
  }

  /** @param {StoredChat[]} messages */
  renderAll(messages) {
    this.list.replaceChildren(...messages.map((m) => this.render(m)));
    this.empty.hidden = messages.length > 0;
    this.scrollToEnd();
  }

  /** @param {StoredChat} message */
  append(message) {
    const follow = message.mine || this.list.scrollHeight - this.list.scrollTop - this.list.clientHeight < FOLLOW_SLACK_PX;
    this.list.appendChild(this.render(message));
    this.empty.hidden = true;
    if (follow) this.scrollToEnd();
  }

  /**
   * One message as an element: the text goes in as text nodes and <a> elements made here, never as HTML.
   * @param {StoredChat} message
   * @returns {HTMLElement}
   */
  render(message) {
    const el = /** @type {HTMLElement} */ (/** @type {Element} */ (this.template.content.firstElementChild).cloneNode(true));
    el.dataset.id = message.id;
    el.dataset.from = message.from.participantId;
    if (message.mine) el.dataset.mine = 'true';
    find(el, '[data-testid="chat-message-from"]').textContent = message.mine ? this.t('chat.you') : message.from.displayName;
    const marker = find(el, '[data-testid="chat-message-private"]');
    if (message.to) {
      el.dataset.private = 'true';
      el.classList.add('is-private');
      marker.hidden = false;
      marker.textContent = message.mine
        ? this.t('chat.privateTo', this.names.get(message.to) ?? this.t('chat.someoneWhoLeft'))
        : this.t('chat.privateToYou');
    }
    /** @type {HTMLTimeElement} */
    const time = find(el, '[data-testid="chat-message-time"]');
    if (message.sentAt > 0) {
      const at = new Date(message.sentAt);
      const lang = document.documentElement.lang || undefined;
      time.dateTime = at.toISOString();
      time.textContent = message.earlier
        ? at.toLocaleString(lang, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' })
        : at.toLocaleTimeString(lang, { hour: '2-digit', minute: '2-digit' });
    }
    if (message.earlier) {
      el.dataset.earlier = 'true';
      el.classList.add('is-earlier');
    }
    if (message.file) {
      const file = message.file;
      const box = find(el, '[data-testid="chat-file"]');
      box.hidden = false;
      box.dataset.fileId = file.id;
      find(box, '[data-testid="chat-file-name"]').textContent = file.name;
      find(box, '[data-testid="chat-file-size"]').textContent = formatSize(file.size, document.documentElement.lang);
      const button = /** @type {HTMLButtonElement} */ (find(box, '[data-testid="chat-file-download"]'));
      button.setAttribute('aria-label', this.t('chat.file.download', file.name));
      button.addEventListener('click', () => this.downloadFile(file));
    }
    const text = find(el, '[data-testid="chat-message-text"]');
    text.hidden = message.text === '';
    for (const run of linkify(message.text)) {
      if (run.href) {
        const link = document.createElement('a');
        link.href = run.href;
        link.textContent = run.text;
        link.target = '_blank';
        link.rel = 'noopener noreferrer';
        link.dataset.testid = 'chat-link';
        text.appendChild(link);
      } else {
        text.appendChild(document.createTextNode(run.text));
      }
    }
    return el;
  }

  /** @param {number} count */
  renderUnread(count) {
    this.badge.hidden = count === 0;
    this.badge.textContent = count > 99 ? '99+' : String(count);
    this.button.dataset.unread = String(count);
    this.button.setAttribute('aria-label', count > 0 ? this.t('chat.unread', count) : this.t('chat.title'));
  }

  scrollToEnd() {
    this.list.scrollTop = this.list.scrollHeight;
  }

  /** The visit ended: nothing of it stays on the page. */
  clear() {
    this.detach();
    this.setOpen(false);
    this.list.replaceChildren();
    this.empty.hidden = false;
    this.input.value = '';
    this.showFileStatus('', false);
    this.names.clear();
    this.setParticipants('', []);
    this.renderUnread(0);
  }
}
