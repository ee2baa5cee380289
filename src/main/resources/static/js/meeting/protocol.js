// Parley signalling protocol, version 1 (docs/signaling.md): building client messages and checking server messages.
// No DOM, no sockets: plain data in, plain data out.

export const MAX_DISPLAY_NAME = 60;

/** Error codes after which the join cannot go on (section 2). */
export const FATAL_JOIN_ERRORS = new Set([
  'ticket-invalid', 'ticket-expired', 'forbidden', 'room-full', 'room-closed',
]);

export const BYE_REASONS = new Set(['denied', 'room-closed', 'removed', 'replaced', 'server-shutdown']);
export const LEFT_REASONS = new Set(['left', 'disconnected', 'removed']);

export const join = (ticket, audio, video) => ({ type: 'join', ticket, audio: !!audio, video: !!video });
export const answer = (version, sdp) => ({ type: 'answer', version, sdp });
export const mediaState = (audio, video) => ({ type: 'media-state', audio: !!audio, video: !!video });
export const lobbyDecision = (participantId, admit) => ({ type: 'lobby-decision', participantId, admit: !!admit });
export const leave = () => ({ type: 'leave' });
export const ping = (id) => (id === undefined ? { type: 'ping' } : { type: 'ping', id });

const isString = (v) => typeof v === 'string';
const isBool = (v) => typeof v === 'boolean';
const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const isMid = (v) => v === null || v === undefined || isString(v);

/** A participant as the server describes it, or null when it lacks the fields the client relies on. */
export function participant(raw) {
  if (!isObject(raw) || !isString(raw.id) || raw.id === '') return null;
  return {
    id: raw.id,
    displayName: isString(raw.displayName) ? raw.displayName : '',
    audio: raw.audio === true,
    video: raw.video === true,
    host: raw.host === true,
    kind: raw.kind === 'whip' ? 'whip' : 'browser',
  };
}

function track(raw) {
  if (!isObject(raw) || !isString(raw.mid) || !isString(raw.participantId)) return null;
  if (raw.kind !== 'audio' && raw.kind !== 'video') return null;
  return { mid: raw.mid, participantId: raw.participantId, kind: raw.kind };
}

/** Checks one server message per type; returns the normalised message or null (malformed or unknown). */
const readers = {
  welcome(m) {
    if (!isString(m.participantId) || !Array.isArray(m.participants)) return null;
    const room = isObject(m.room) ? m.room : {};
    return {
      type: 'welcome',
      participantId: m.participantId,
      host: m.host === true,
      room: { title: isString(room.title) ? room.title : '', slug: isString(room.slug) ? room.slug : '' },
      participants: m.participants.map(participant).filter(Boolean),
    };
  },
  lobby(m) {
    return isString(m.state) ? { type: 'lobby', state: m.state } : null;
  },
  'lobby-request'(m) {
    const p = participant(m.participant);
    return p ? { type: 'lobby-request', participant: p } : null;
  },
  'lobby-resolved'(m) {
    return isString(m.participantId) ? { type: 'lobby-resolved', participantId: m.participantId } : null;
  },
  offer(m) {
    if (!Number.isInteger(m.version) || !isString(m.sdp)) return null;
    const publish = isObject(m.publish) ? m.publish : {};
    if (!isMid(publish.audio) || !isMid(publish.video)) return null;
    // A malformed track entry loses only that mapping: the offer itself must still be answered.
    const tracks = Array.isArray(m.tracks) ? m.tracks.map(track).filter(Boolean) : [];
    return {
      type: 'offer',
      version: m.version,
      sdp: m.sdp,
      publish: { audio: publish.audio ?? null, video: publish.video ?? null },
      tracks,
    };
  },
  'participant-joined'(m) {
    const p = participant(m.participant);
    return p ? { type: 'participant-joined', participant: p } : null;
  },
  'participant-updated'(m) {
    const p = participant(m.participant);
    return p ? { type: 'participant-updated', participant: p } : null;
  },
  'participant-left'(m) {
    if (!isString(m.participantId)) return null;
    return { type: 'participant-left', participantId: m.participantId, reason: LEFT_REASONS.has(m.reason) ? m.reason : 'left' };
  },
  error(m) {
    return {
      type: 'error',
      code: isString(m.code) ? m.code : 'internal',
      message: isString(m.message) ? m.message : '',
      ref: isString(m.ref) ? m.ref : null,
    };
  },
  pong(m) {
    return { type: 'pong', id: m.id };
  },
  // Not in the table: the server's keep-alive is the WebSocket's own ping frame. Tolerated quietly all the same.
  ping(m) {
    return { type: 'ping', id: m.id };
  },
  bye(m) {
    return { type: 'bye', reason: isString(m.reason) ? m.reason : 'server-shutdown' };
  },
};

/**
 * Parses one text frame. Returns {message} when it is a known, well-formed server message, or {problem} saying why
 * not ('bad-json', 'unknown-type' or 'bad-message').
 */
export function parseServerMessage(text) {
  let raw;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { problem: 'bad-json' };
  }
  if (!isObject(raw) || !isString(raw.type)) return { problem: 'bad-message' };
  const read = Object.prototype.hasOwnProperty.call(readers, raw.type) ? readers[raw.type] : null;
  if (!read) return { problem: 'unknown-type', type: raw.type };
  const message = read(raw);
  return message ? { message } : { problem: 'bad-message', type: raw.type };
}

/** The display name rule of POST /r/{slug}/ticket: trimmed, not empty, at most 60 UTF-16 units (like maxlength). */
export function checkDisplayName(value) {
  const name = (value ?? '').trim();
  if (name === '') return { ok: false, problem: 'required', name };
  if (name.length > MAX_DISPLAY_NAME) return { ok: false, problem: 'too-long', name };
  return { ok: true, name };
}
