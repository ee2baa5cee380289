// @ts-check
// The meeting's chat as the page keeps it (docs/signaling.md, section 6): the messages in order, without duplicates,
// how many arrived unseen, and the text cut into plain runs and links. No DOM: plain data in, events out.

import { Emitter } from './emitter.js';

/** The longest text the server takes, in Unicode code points after trimming. */
export const MAX_CHAT_TEXT = 2000;

/** @typedef {import('./protocol.js').ChatMessage} ChatMessage */

/**
 * A message as the page shows it: the server's, with whether you sent it.
 * @typedef {ChatMessage & {mine: boolean}} StoredChat
 */

/**
 * A run of a message's text: plain text, or a link to an http(s) URL.
 * @typedef {{text: string, href?: string}} ChatRun
 */

/**
 * @typedef {object} ChatEvents
 * @property {{message: StoredChat}} added  a new message (live, or from a history that had one not yet known)
 * @property {{messages: StoredChat[]}} reset  the whole list was replaced (a welcome's history)
 * @property {{count: number}} unread  the number of messages that came while the chat was closed changed
 */

/**
 * The messages of one visit. {@link ChatStore#history} takes the server's chat-history (after a welcome: the list
 * afresh; after a resume: only the messages missed meanwhile are added), {@link ChatStore#receive} a live message.
 * Messages from others that arrive while the chat is not open count as unread until {@link ChatStore#setOpen}.
 * @extends {Emitter<ChatEvents>}
 */
export class ChatStore extends Emitter {
  constructor() {
    super();
    /** @type {StoredChat[]} */
    this.messages = [];
    /** @type {Set<string>} */
    this.ids = new Set();
    this.selfId = '';
    this.open = false;
    this.unread = 0;
  }

  /**
   * A new visit (welcome): you are selfId, and the history is the list.
   * @param {string} selfId
   * @param {ChatMessage[]} messages
   */
  reset(selfId, messages) {
    this.selfId = selfId;
    this.messages = [];
    this.ids = new Set();
    for (const m of messages) this.keep(m);
    this.emit('reset', { messages: [...this.messages] });
    this.setUnread(0);
  }

  /**
   * The server's history: after a resume (same id, list kept) only what is new is added, and counts as unread.
   * @param {ChatMessage[]} messages
   * @param {boolean} fresh true after a welcome: replaces the list
   * @param {string} selfId
   */
  history(messages, fresh, selfId) {
    if (fresh) {
      this.reset(selfId, messages);
      return;
    }
    for (const m of messages) this.receive(m);
  }

  /**
   * A live message (or a history entry not yet known); a duplicate is ignored.
   * @param {ChatMessage} message
   * @returns {boolean} whether it was new
   */
  receive(message) {
    const stored = this.keep(message);
    if (!stored) return false;
    this.emit('added', { message: stored });
    if (!stored.mine && !this.open) this.setUnread(this.unread + 1);
    return true;
  }

  /**
   * @param {ChatMessage} message
   * @returns {StoredChat | null}
   */
  keep(message) {
    if (this.ids.has(message.id)) return null;
    this.ids.add(message.id);
    const stored = { ...message, mine: message.from.participantId === this.selfId };
    this.messages.push(stored);
    return stored;
  }

  /**
   * The chat panel opened (unread goes to 0) or closed.
   * @param {boolean} open
   */
  setOpen(open) {
    this.open = open;
    if (open) this.setUnread(0);
  }

  /** @param {number} count */
  setUnread(count) {
    if (count === this.unread) return;
    this.unread = count;
    this.emit('unread', { count });
  }

  /** Forgets everything (the visit ended). */
  clear() {
    this.reset('', []);
  }
}

/**
 * What may be sent of what was typed: trimmed, not empty, at most MAX_CHAT_TEXT code points.
 * @param {string | null | undefined} value
 * @returns {{ok: boolean, text: string, problem?: 'empty' | 'too-long'}}
 */
export function checkChatText(value) {
  const text = (value ?? '').trim();
  if (text === '') return { ok: false, text, problem: 'empty' };
  if ([...text].length > MAX_CHAT_TEXT) return { ok: false, text, problem: 'too-long' };
  return { ok: true, text };
}

/**
 * An http or https URL up to whitespace, a character that rarely belongs to one, or full-width punctuation (which
 * ends a URL in Chinese text: "见 https://example.org。").
 */
const URL_PATTERN = /\bhttps?:\/\/[^\s<>"'`。，、；：！？（）「」『』【】《》]+/gi;
/** Punctuation that ends a sentence rather than the URL before it. */
const TRAILING = /[.,;:!?)\]}»”’。，；：！？）]+$/u;

/**
 * Cuts a message's text into plain runs and http(s) links, for the page to render as text nodes and <a> elements
 * (never as HTML). Trailing punctuation stays out of a link, unless a ")" closes a "(" inside it.
 * @param {string} text
 * @returns {ChatRun[]}
 */
export function linkify(text) {
  /** @type {ChatRun[]} */
  const runs = [];
  let from = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    let url = match[0];
    const trailing = url.match(TRAILING);
    if (trailing) {
      let cut = trailing[0];
      // Keep closing brackets that close one opened in the URL, as in Wikipedia's links.
      while (cut.startsWith(')') && count(url.slice(0, url.length - cut.length), '(') > count(url.slice(0, url.length - cut.length), ')')) {
        cut = cut.slice(1);
      }
      url = url.slice(0, url.length - cut.length);
    }
    const start = /** @type {number} */ (match.index);
    if (!isLink(url)) continue;
    if (start > from) runs.push({ text: text.slice(from, start) });
    runs.push({ text: url, href: url });
    from = start + url.length;
  }
  if (from < text.length) runs.push({ text: text.slice(from) });
  return runs;
}

/**
 * @param {string} text
 * @param {string} char
 */
function count(text, char) {
  return text.split(char).length - 1;
}

/**
 * Whether a matched URL parses as http(s) with a host (so "http://" alone stays text).
 * @param {string} url
 */
function isLink(url) {
  try {
    const parsed = new URL(url);
    return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.hostname !== '';
  } catch (e) {
    return false;
  }
}
