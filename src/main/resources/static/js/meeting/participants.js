// @ts-check
// Who is in the meeting (including you) and who waits in the lobby. No DOM.

import { Emitter } from './emitter.js';

/** @typedef {import('./protocol.js').Participant} Participant */
/**
 * A participant in the store: `self` marks you.
 * @typedef {Participant & {self: boolean}} StoredParticipant
 */

/**
 * @typedef {object} ParticipantEvents
 * @property {{participant: StoredParticipant, previous: StoredParticipant | undefined}} added
 * @property {{participant: StoredParticipant, previous: StoredParticipant | undefined}} updated
 * @property {{participant: StoredParticipant, reason: string}} removed
 * @property {{change: 'added' | 'updated' | 'removed', participant: StoredParticipant, reason?: string}} changed
 */

/**
 * Participants by id, in the order they became known (you first). Emits 'added', 'updated' and 'removed' with
 * {participant} (and {reason} for 'removed'); every change also emits 'changed'.
 * @extends {Emitter<ParticipantEvents>}
 */
export class ParticipantStore extends Emitter {
  constructor() {
    super();
    /** @type {Map<string, StoredParticipant>} */
    this.byId = new Map();
    /** @type {string | null} */
    this.selfId = null;
  }

  /**
   * Starts over with you and the others the welcome named.
   * @param {Participant} self
   * @param {Participant[]} others
   */
  welcome(self, others) {
    this.clear();
    this.selfId = self.id;
    this.upsert({ ...self });
    for (const other of others) {
      if (other.id !== self.id) this.upsert(other);
    }
  }

  /**
   * After a resume: you and the others the server names now, updated in place; whoever left meanwhile is removed.
   * @param {Participant} self
   * @param {Participant[]} others
   */
  reconcile(self, others) {
    const present = new Set([self.id, ...others.map((p) => p.id)]);
    for (const id of [...this.byId.keys()]) {
      if (!present.has(id)) this.remove(id, 'left');
    }
    this.selfId = self.id;
    this.upsert({ ...self });
    for (const other of others) {
      if (other.id !== self.id) this.upsert(other);
    }
  }

  /**
   * Adds or replaces a participant; returns 'added' or 'updated'.
   * @param {Participant} participant
   */
  upsert(participant) {
    const previous = this.byId.get(participant.id);
    const next = { ...participant, self: participant.id === this.selfId };
    this.byId.set(participant.id, next);
    const change = previous ? 'updated' : 'added';
    this.emit(change, { participant: next, previous });
    this.emit('changed', { change, participant: next });
    return change;
  }

  /**
   * Changes some fields of a known participant; returns false when the id is unknown.
   * @param {string} id
   * @param {Partial<Participant>} fields
   */
  patch(id, fields) {
    const current = this.byId.get(id);
    if (!current) return false;
    this.upsert({ ...current, ...fields });
    return true;
  }

  /**
   * @param {string} id
   * @param {string} reason
   */
  remove(id, reason) {
    const participant = this.byId.get(id);
    if (!participant) return false;
    this.byId.delete(id);
    this.emit('removed', { participant, reason });
    this.emit('changed', { change: 'removed', participant, reason });
    return true;
  }

  clear() {
    for (const id of [...this.byId.keys()]) this.remove(id, 'cleared');
    this.selfId = null;
  }

  /** @param {string} id */
  get(id) {
    return this.byId.get(id) ?? null;
  }

  /** @param {string} id */
  has(id) {
    return this.byId.has(id);
  }

  get self() {
    return this.selfId ? this.get(this.selfId) : null;
  }

  get size() {
    return this.byId.size;
  }

  /** Everyone in join order, you first. */
  list() {
    return [...this.byId.values()];
  }

  /** A plain-object copy, id -> participant (for the test hook). */
  snapshot() {
    /** @type {Record<string, StoredParticipant>} */
    const result = {};
    for (const [id, p] of this.byId) result[id] = { ...p };
    return result;
  }
}

/**
 * A request in the lobby; `deciding` once you sent a decision for it.
 * @typedef {{participant: Participant, deciding: boolean}} LobbyEntry
 */

/**
 * @typedef {object} LobbyEvents
 * @property {{change: 'added' | 'updated' | 'deciding' | 'undecided' | 'resolved', participant: Participant}} changed
 */

/**
 * Hosts' view of the lobby: who waits, and which requests a decision was already sent for.
 * @extends {Emitter<LobbyEvents>}
 */
export class LobbyRequests extends Emitter {
  constructor() {
    super();
    /** @type {Map<string, LobbyEntry>} */
    this.waiting = new Map();
    /** @type {Set<string>} those listed before a resume: listed again, they are no news */
    this.seen = new Set();
  }

  /** @param {Participant} participant */
  add(participant) {
    const known = this.waiting.has(participant.id) || this.seen.has(participant.id);
    this.waiting.set(participant.id, { participant, deciding: false });
    this.emit('changed', { change: known ? 'updated' : 'added', participant });
  }

  /**
   * Marks a request as decided by you; returns false when it is unknown or already being decided.
   * @param {string} id
   */
  decide(id) {
    const entry = this.waiting.get(id);
    if (!entry || entry.deciding) return false;
    entry.deciding = true;
    this.emit('changed', { change: 'deciding', participant: entry.participant });
    return true;
  }

  /** A decision was refused: let the host decide again. */
  undecideAll() {
    for (const entry of this.waiting.values()) {
      if (entry.deciding) {
        entry.deciding = false;
        this.emit('changed', { change: 'undecided', participant: entry.participant });
      }
    }
  }

  /**
   * The server says the request was handled (by any host).
   * @param {string} id
   */
  resolve(id) {
    const entry = this.waiting.get(id);
    if (!entry) return false;
    this.waiting.delete(id);
    this.emit('changed', { change: 'resolved', participant: entry.participant });
    return true;
  }

  clear() {
    for (const id of [...this.waiting.keys()]) this.resolve(id);
  }

  /**
   * After a resume the server lists who waits now: requests settled while you were away go, and those it lists again
   * come back as 'updated', not as news.
   */
  relist() {
    for (const id of this.waiting.keys()) this.seen.add(id);
    this.clear();
  }

  list() {
    return [...this.waiting.values()];
  }

  get size() {
    return this.waiting.size;
  }
}

/**
 * One or two letters for an avatar: first letters of the first and last word, or the first character.
 * @param {string | null | undefined} name
 */
export function initials(name) {
  const words = (name ?? '').trim().split(/\s+/u).filter(Boolean);
  if (words.length === 0) return '?';
  const first = [...words[0]];
  // Chinese, Japanese and Korean names: the last two characters (usually the given name) read better.
  if (words.length === 1 && /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u.test(first[0])) {
    return first.slice(-2).join('');
  }
  const letters = words.length > 1 ? first[0] + [...words[words.length - 1]][0] : first[0];
  return letters.toLocaleUpperCase();
}

/**
 * A stable hue (0-359) for a participant's avatar colour.
 * @param {unknown} key
 */
export function hueFor(key) {
  let hash = 0;
  for (const ch of String(key ?? '')) hash = (hash * 31 + /** @type {number} */ (ch.codePointAt(0))) >>> 0;
  return hash % 360;
}

/**
 * The raised hands in the order they went up (the server's times; ties by id): the ids, first in the queue first.
 * @param {Iterable<{id: string, hand?: number | null}>} participants
 * @returns {string[]}
 */
export function handQueue(participants) {
  return [...participants]
    .filter((p) => typeof p.hand === 'number')
    .sort((a, b) => /** @type {number} */ (a.hand) - /** @type {number} */ (b.hand) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((p) => p.id);
}
