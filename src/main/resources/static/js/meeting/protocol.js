// @ts-check
// Parley signalling protocol, version 1 (docs/signaling.md): building client messages and checking server messages.
// No DOM, no sockets: plain data in, plain data out.

/** @typedef {'audio' | 'video'} MediaKind */
/** What a track comes from: a microphone, a camera, or a screen share. @typedef {'microphone' | 'camera' | 'screen'} TrackSource */

/**
 * A participant as the client keeps it (the server's fields, checked and defaulted).
 * @typedef {object} Participant
 * @property {string} id
 * @property {string} displayName
 * @property {boolean} audio  microphone unmuted
 * @property {boolean} video  camera on
 * @property {boolean} host
 * @property {'browser' | 'whip'} kind
 * @property {'connected' | 'reconnecting'} connection  'reconnecting': their connection dropped; they have a grace to
 *     come back
 * @property {boolean} [cohost]  a host made them a co-host for this meeting (section 8)
 * @property {number | null} [hand]  when they raised their hand (ms since the epoch; orders the queue), null: down
 * @property {Quality} [quality]  their connection, as their page reports it (section 10)
 */

/** A connection's quality as a page reports it; 'unknown' before the first report. @typedef {'unknown' | 'good' | 'fair' | 'poor'} Quality */

/** The reactions on offer (section 10), by their names on the wire, with the emoji each is drawn as. */
export const REACTIONS = Object.freeze({
  'thumbs-up': '\u{1F44D}', clap: '\u{1F44F}', laugh: '\u{1F602}', surprised: '\u{1F62E}', heart: '\u{2764}\u{FE0F}',
  party: '\u{1F389}',
});
/** @typedef {keyof typeof REACTIONS} ReactionName */

/**
 * One entry of an offer's `tracks`: the m-section `mid` carries `participantId`'s track of this kind, from `source`.
 * @typedef {{mid: string, participantId: string, kind: MediaKind, source: TrackSource}} TrackInfo
 */

/**
 * `startedAt`: when the meeting began (ms since the epoch), null when the server did not say; `chatKept`: the room
 * keeps its chat to everyone after the meeting.
 * @typedef {{title: string, slug: string, startedAt: number | null, chatKept: boolean}} Room
 */

/**
 * A TURN server with its short-lived credential, as RTCPeerConnection takes it in `iceServers`.
 * @typedef {{urls: string[], username: string, credential: string}} IceServer
 */

// Client -> server (section 2).
/** @typedef {{type: 'join', ticket: string, audio: boolean, video: boolean}} JoinMessage */
/** @typedef {{type: 'answer', version: number, sdp: string}} AnswerMessage */
/** @typedef {{type: 'media-state', audio: boolean, video: boolean}} MediaStateMessage */
/** @typedef {{mid: string, width: number, height: number}} Tile */
/** @typedef {{type: 'tile-sizes', tiles: Tile[], version?: number}} TileSizesMessage */
/** @typedef {{type: 'lobby-decision', participantId: string, admit: boolean}} LobbyDecisionMessage */
/** @typedef {{type: 'resume', token: string, slug: string}} ResumeMessage */
/** @typedef {{type: 'chat', text: string, to?: string}} ChatSendMessage */
/** @typedef {{type: 'screen-share', active: boolean}} ScreenShareMessage */
/**
 * A host control (section 8); `participantId` for the actions that concern one person, `ban` only with remove.
 * @typedef {'mute' | 'mute-all' | 'ask-unmute' | 'stop-camera' | 'remove' | 'lock' | 'unlock' | 'admit-all' | 'end'
 *   | 'make-cohost' | 'revoke-cohost' | 'lower-hand' | 'lower-all-hands' | 'record' | 'stop-recording'} ModerateAction
 */
/** @typedef {{type: 'moderate', action: ModerateAction, participantId?: string, ban?: boolean}} ModerateMessage */
/** @typedef {{type: 'hand', raised: boolean}} HandMessage */
/** @typedef {{type: 'reaction', name: ReactionName}} ReactionSendMessage */
/** @typedef {{type: 'quality', level: 'good' | 'fair' | 'poor'}} QualityMessage */
/** @typedef {{type: 'leave'}} LeaveMessage */
/** @typedef {{type: 'ping', id?: number}} PingMessage */
/**
 * @typedef {JoinMessage | ResumeMessage | AnswerMessage | MediaStateMessage | TileSizesMessage | LobbyDecisionMessage
 *   | ChatSendMessage | ScreenShareMessage | LeaveMessage
 *   | PingMessage | ModerateMessage | HandMessage | ReactionSendMessage | QualityMessage} ClientMessage
 */

// Server -> client (section 2), as parseServerMessage returns them.
/**
 * `resumeToken`: the secret for `resume` after a dropped connection ('' when the server sent none);
 * `reconnectGraceMillis`: how long the server keeps the place after a drop (null when it did not say);
 * `iceServers`: TURN servers for the peer connection (empty without TURN).
 * @typedef {{type: 'welcome', participantId: string, host: boolean, room: Room, self: Participant | null,
 *   participants: Participant[], resumeToken: string, reconnectGraceMillis: number | null,
 *   iceServers: IceServer[], fileKey: string}} WelcomeMessage
 */
/**
 * Back in your place after `resume`: as a welcome, with the next token and fresh TURN credentials; an offer version 1
 * for a new connection follows.
 * @typedef {{type: 'resumed', participantId: string, host: boolean, room: Room, self: Participant | null,
 *   participants: Participant[], resumeToken: string, reconnectGraceMillis: number | null,
 *   iceServers: IceServer[], fileKey: string}} ResumedMessage
 */
/** @typedef {{type: 'lobby', state: string}} LobbyMessage */
/** @typedef {{type: 'lobby-request', participant: Participant}} LobbyRequestMessage */
/** @typedef {{type: 'lobby-resolved', participantId: string}} LobbyResolvedMessage */
/**
 * `publish`: the mids of the m-sections we send audio, video and our screen share on (null: none; the screen's only
 * once we shared).
 * @typedef {object} OfferMessage
 * @property {'offer'} type
 * @property {number} version
 * @property {string} sdp
 * @property {{audio: string | null, video: string | null, screen: string | null}} publish
 * @property {TrackInfo[]} tracks
 */
/** @typedef {{type: 'participant-joined', participant: Participant}} ParticipantJoinedMessage */
/** @typedef {{type: 'participant-updated', participant: Participant}} ParticipantUpdatedMessage */
/**
 * `reason`: one of LEFT_REASONS.
 * @typedef {{type: 'participant-left', participantId: string, reason: string}} ParticipantLeftMessage
 */
/**
 * `participantId`: the room's dominant speaker, or null when nobody speaks.
 * @typedef {{type: 'active-speaker', participantId: string | null}} ActiveSpeakerMessage
 */
/**
 * `participantIds`: whose video the relay forwards while last-N applies, or null when everyone's.
 * @typedef {{type: 'forwarded-video', participantIds: string[] | null}} ForwardedVideoMessage
 */
/**
 * `mids`: the videos the relay does not send you now because your link cannot carry them; empty when it sends all.
 * @typedef {{type: 'paused-video', mids: string[]}} PausedVideoMessage
 */
/**
 * A file shared in the chat: `type` is what the server found it holds.
 * @typedef {{id: string, name: string, size: number, type: string}} ChatAttachment
 */
/**
 * A chat message: `to` is the recipient's participant id on a private message, null on one to everyone; `sentAt` is
 * the server's time in milliseconds since the epoch; `file` the shared file it carries (its text is then empty);
 * `earlier`: from an earlier meeting of a room that keeps its chat.
 * @typedef {{id: string, from: {participantId: string, displayName: string}, to: string | null, text: string,
 *   sentAt: number, file: ChatAttachment | null, earlier: boolean}} ChatMessage
 */
/** @typedef {{type: 'chat'} & ChatMessage} ChatReceivedMessage */
/** @typedef {{type: 'chat-history', messages: ChatMessage[]}} ChatHistoryMessage */
/**
 * `ref`: the type of the refused message, when the server knows it.
 * @typedef {{type: 'error', code: string, message: string, ref: string | null}} ErrorMessage
 */
/** @typedef {{type: 'pong', id: unknown}} PongMessage */
/** @typedef {{type: 'ping', id: unknown}} ServerPingMessage */
/** @typedef {{type: 'bye', reason: string}} ByeMessage */
/**
 * To the one a host control concerns: what was done or asked, and by whom; `ban` on a removal that keeps them out;
 * `admin` when an administrator did it from Admin -> Live, outside the meeting (`by.participantId` is then empty).
 * @typedef {{type: 'moderated', action: string, by: {participantId: string, displayName: string}, ban: boolean,
 *   admin: boolean}} ModeratedMessage
 */
/**
 * The meeting's own state: locked, and recorded since when and by whom (`startedBy` empty when the room records by
 * itself; `recording` null when it is not recorded); `recordingEnded` says why a recording just ended.
 * @typedef {{since: number, startedBy: string}} RecordingInfo
 * @typedef {{type: 'room-state', locked: boolean, recording: RecordingInfo | null, recordingEnded: string | null}}
 *   RoomStateMessage
 */
/** @typedef {{type: 'reaction', participantId: string, name: ReactionName}} ReactionMessage */
/**
 * @typedef {WelcomeMessage | ResumedMessage | LobbyMessage | LobbyRequestMessage | LobbyResolvedMessage | OfferMessage
 *   | ParticipantJoinedMessage | ParticipantUpdatedMessage | ParticipantLeftMessage | ActiveSpeakerMessage
 *   | ForwardedVideoMessage | PausedVideoMessage | ChatReceivedMessage | ChatHistoryMessage
 *   | ErrorMessage | PongMessage | ServerPingMessage | ByeMessage
 *   | ModeratedMessage | RoomStateMessage | ReactionMessage} ServerMessage
 */

/**
 * What parseServerMessage makes of one text frame.
 * @typedef {{message: ServerMessage, problem?: undefined, type?: undefined}
 *   | {message?: undefined, problem: 'bad-json' | 'unknown-type' | 'bad-message', type?: string}} ParseResult
 */

export const MAX_DISPLAY_NAME = 60;

/** Error codes after which the join cannot go on (section 2). */
export const FATAL_JOIN_ERRORS = new Set([
  'ticket-invalid', 'ticket-expired', 'forbidden', 'room-full', 'room-closed', 'banned',
]);

export const BYE_REASONS = new Set(['denied', 'room-closed', 'removed', 'server-shutdown', 'rate-limited', 'banned',
  'meeting-ended', 'moved']);
/** Bye reasons after which joining again cannot work: the page offers no Rejoin. */
export const FINAL_BYE_REASONS = new Set(['room-closed', 'banned', 'meeting-ended']);
export const LEFT_REASONS = new Set(['left', 'disconnected', 'removed', 'moved']);

/** @type {(ticket: string, audio: boolean, video: boolean) => JoinMessage} */
export const join = (ticket, audio, video) => ({ type: 'join', ticket, audio: !!audio, video: !!video });
/** @type {(version: number, sdp: string) => AnswerMessage} */
export const answer = (version, sdp) => ({ type: 'answer', version, sdp });
/** @type {(audio: boolean, video: boolean) => MediaStateMessage} */
export const mediaState = (audio, video) => ({ type: 'media-state', audio: !!audio, video: !!video });
/**
 * The sizes of the received videos, for the track list of offer `version` (a section may carry another track since
 * an older offer; null: not said, and left out of the JSON).
 * @type {(tiles: Tile[], version?: number | null) => TileSizesMessage}
 */
export const tileSizes = (tiles, version = null) => ({
  type: 'tile-sizes',
  tiles: tiles.map(({ mid, width, height }) => ({ mid, width, height })),
  version: typeof version === 'number' ? version : undefined,
});
/** @type {(participantId: string, admit: boolean) => LobbyDecisionMessage} */
export const lobbyDecision = (participantId, admit) => ({ type: 'lobby-decision', participantId, admit: !!admit });
/** @type {(token: string, slug: string) => ResumeMessage} */
export const resume = (token, slug) => ({ type: 'resume', token, slug });
/**
 * A chat message to everyone, or privately to one participant.
 * @param {string} text
 * @param {string | null} [to] the recipient's participant id; null or left out: everyone
 * @returns {ChatSendMessage}
 */
export const chat = (text, to) => (to ? { type: 'chat', text, to } : { type: 'chat', text });
/** @type {(active: boolean) => ScreenShareMessage} */
export const screenShare = (active) => ({ type: 'screen-share', active: !!active });

/**
 * A host control; `participantId` for the actions that concern one person.
 * @param {ModerateAction} action
 * @param {string | null} [participantId]
 * @param {boolean} [ban] with remove: do not let them back
 * @returns {ModerateMessage}
 */
export function moderate(action, participantId, ban) {
  if (!participantId) return { type: 'moderate', action };
  return ban ? { type: 'moderate', action, participantId, ban: true } : { type: 'moderate', action, participantId };
}
/** @type {(raised: boolean) => HandMessage} */
export const hand = (raised) => ({ type: 'hand', raised: !!raised });
/** @type {(name: ReactionName) => ReactionSendMessage} */
export const reaction = (name) => ({ type: 'reaction', name });
/** @type {(level: 'good' | 'fair' | 'poor') => QualityMessage} */
export const quality = (level) => ({ type: 'quality', level });
/** @type {() => LeaveMessage} */
export const leave = () => ({ type: 'leave' });
/** @type {(id?: number) => PingMessage} */
export const ping = (id) => (id === undefined ? { type: 'ping' } : { type: 'ping', id });

/** @type {(v: unknown) => v is string} */
const isString = (v) => typeof v === 'string';
/** @type {(v: unknown) => v is Record<string, unknown>} */
const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
/** @type {(v: unknown) => v is string | null | undefined} */
const isMid = (v) => v === null || v === undefined || isString(v);

/**
 * A participant as the server describes it, or null when it lacks the fields the client relies on.
 * @param {unknown} raw
 * @returns {Participant | null}
 */
export function participant(raw) {
  if (!isObject(raw) || !isString(raw.id) || raw.id === '') return null;
  return {
    id: raw.id,
    displayName: isString(raw.displayName) ? raw.displayName : '',
    audio: raw.audio === true,
    video: raw.video === true,
    host: raw.host === true,
    kind: raw.kind === 'whip' ? 'whip' : 'browser',
    connection: raw.connection === 'reconnecting' ? 'reconnecting' : 'connected',
    cohost: raw.cohost === true,
    hand: typeof raw.hand === 'number' && Number.isFinite(raw.hand) ? raw.hand : null,
    quality: raw.quality === 'good' || raw.quality === 'fair' || raw.quality === 'poor' ? raw.quality : 'unknown',
  };
}

/** @type {(v: unknown) => v is ReactionName} */
export const isReaction = (v) => isString(v) && Object.prototype.hasOwnProperty.call(REACTIONS, v);

/**
 * The fields welcome and resumed share, or null when the ones the client relies on are missing.
 * @param {Record<string, unknown>} m
 */
function arrival(m) {
  if (!isString(m.participantId) || !Array.isArray(m.participants)) return null;
  const room = isObject(m.room) ? m.room : {};
  return {
    participantId: m.participantId,
    host: m.host === true,
    room: {
      title: isString(room.title) ? room.title : '',
      slug: isString(room.slug) ? room.slug : '',
      startedAt: typeof room.startedAt === 'number' && room.startedAt > 0 ? room.startedAt : null,
      chatKept: room.chatKept === true,
    },
    self: participant(m.self),
    participants: m.participants.map(participant).filter((p) => p !== null),
    resumeToken: isString(m.resumeToken) ? m.resumeToken : '',
    reconnectGraceMillis: typeof m.reconnectGraceMillis === 'number' && m.reconnectGraceMillis > 0
      ? m.reconnectGraceMillis : null,
    iceServers: Array.isArray(m.iceServers) ? m.iceServers.map(iceServer).filter((s) => s !== null) : [],
    fileKey: isString(m.fileKey) ? m.fileKey : '',
  };
}

/**
 * A TURN server entry of welcome or resumed, or null when it is not one.
 * @param {unknown} raw
 * @returns {IceServer | null}
 */
function iceServer(raw) {
  if (!isObject(raw) || !Array.isArray(raw.urls) || !isString(raw.username) || !isString(raw.credential)) return null;
  const urls = raw.urls.filter(isString);
  return urls.length > 0 ? { urls, username: raw.username, credential: raw.credential } : null;
}

/**
 * A chat message as the server sends it (alone or in a history), or null when it lacks what the page shows.
 * @param {unknown} raw
 * @returns {ChatMessage | null}
 */
export function chatMessage(raw) {
  if (!isObject(raw) || !isString(raw.id) || !isString(raw.text) || !isObject(raw.from)) return null;
  const from = raw.from;
  if (!isString(from.participantId)) return null;
  return {
    id: raw.id,
    from: { participantId: from.participantId, displayName: isString(from.displayName) ? from.displayName : '' },
    to: isString(raw.to) && raw.to !== '' ? raw.to : null,
    text: raw.text,
    sentAt: typeof raw.sentAt === 'number' && Number.isFinite(raw.sentAt) ? raw.sentAt : 0,
    file: attachment(raw.file),
    earlier: raw.earlier === true,
  };
}

/**
 * @param {unknown} raw
 * @returns {ChatAttachment | null}
 */
function attachment(raw) {
  if (!isObject(raw) || !isString(raw.id) || !isString(raw.name) || typeof raw.size !== 'number') return null;
  return { id: raw.id, name: raw.name, size: raw.size, type: isString(raw.type) ? raw.type : 'application/octet-stream' };
}

/**
 * @param {unknown} raw
 * @returns {TrackInfo | null}
 */
function track(raw) {
  if (!isObject(raw) || !isString(raw.mid) || !isString(raw.participantId)) return null;
  if (raw.kind !== 'audio' && raw.kind !== 'video') return null;
  const fallback = raw.kind === 'audio' ? 'microphone' : 'camera';
  const source = raw.source === 'screen' && raw.kind === 'video' ? 'screen' : fallback;
  return { mid: raw.mid, participantId: raw.participantId, kind: raw.kind, source };
}

/**
 * Checks one server message per type; returns the normalised message or null (malformed or unknown).
 * @type {Record<string, (m: Record<string, unknown>) => ServerMessage | null>}
 */
const readers = {
  welcome(m) {
    const fields = arrival(m);
    return fields ? { type: 'welcome', ...fields } : null;
  },
  resumed(m) {
    const fields = arrival(m);
    return fields && fields.resumeToken ? { type: 'resumed', ...fields } : null;
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
    if (!isMid(publish.audio) || !isMid(publish.video) || !isMid(publish.screen)) return null;
    // A malformed track entry loses only that mapping: the offer itself must still be answered.
    const tracks = Array.isArray(m.tracks) ? m.tracks.map(track).filter((t) => t !== null) : [];
    return {
      type: 'offer',
      version: /** @type {number} checked by Number.isInteger */ (m.version),
      sdp: m.sdp,
      publish: { audio: publish.audio ?? null, video: publish.video ?? null, screen: publish.screen ?? null },
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
    const reason = isString(m.reason) && LEFT_REASONS.has(m.reason) ? m.reason : 'left';
    return { type: 'participant-left', participantId: m.participantId, reason };
  },
  'active-speaker'(m) {
    if (m.participantId !== null && m.participantId !== undefined && !isString(m.participantId)) return null;
    return { type: 'active-speaker', participantId: m.participantId || null };
  },
  'forwarded-video'(m) {
    if (m.participantIds === null || m.participantIds === undefined) return { type: 'forwarded-video', participantIds: null };
    if (!Array.isArray(m.participantIds) || !m.participantIds.every(isString)) return null;
    return { type: 'forwarded-video', participantIds: [...m.participantIds] };
  },
  'paused-video'(m) {
    if (!Array.isArray(m.mids) || !m.mids.every(isString)) return null;
    return { type: 'paused-video', mids: [...m.mids] };
  },
  chat(m) {
    const message = chatMessage(m);
    return message ? { type: 'chat', ...message } : null;
  },
  'chat-history'(m) {
    if (!Array.isArray(m.messages)) return null;
    // A malformed entry is left out; the rest of the history still shows.
    const messages = m.messages.map(chatMessage).filter((c) => c !== null);
    return { type: 'chat-history', messages };
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
  moderated(m) {
    if (!isString(m.action) || !isObject(m.by) || !isString(m.by.participantId)) return null;
    const by = { participantId: m.by.participantId, displayName: isString(m.by.displayName) ? m.by.displayName : '' };
    return { type: 'moderated', action: m.action, by, ban: m.ban === true, admin: m.admin === true };
  },
  'room-state'(m) {
    if (typeof m.locked !== 'boolean') return null;
    const r = m.recording;
    const recording = isObject(r) && typeof r.since === 'number'
      ? { since: r.since, startedBy: isString(r.startedBy) ? r.startedBy : '' } : null;
    const recordingEnded = isString(m.recordingEnded) ? m.recordingEnded : null;
    return { type: 'room-state', locked: m.locked, recording, recordingEnded };
  },
  reaction(m) {
    return isString(m.participantId) && isReaction(m.name)
      ? { type: 'reaction', participantId: m.participantId, name: m.name } : null;
  },
};

/**
 * Parses one text frame. Returns {message} when it is a known, well-formed server message, or {problem} saying why
 * not ('bad-json', 'unknown-type' or 'bad-message').
 * @param {string} text
 * @returns {ParseResult}
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

/**
 * The display name rule of POST /r/{slug}/ticket: trimmed, not empty, at most 60 UTF-16 units (like maxlength).
 * @param {string | null | undefined} value
 * @returns {{ok: boolean, problem?: 'required' | 'too-long', name: string}}
 */
export function checkDisplayName(value) {
  const name = (value ?? '').trim();
  if (name === '') return { ok: false, problem: 'required', name };
  if (name.length > MAX_DISPLAY_NAME) return { ok: false, problem: 'too-long', name };
  return { ok: true, name };
}
