// @ts-check
// One visit to a meeting over the signalling socket (sections 2 to 4): join, lobby, welcome, offers in order,
// participants, lobby decisions, leave, and getting back in after the connection dropped (resume). No DOM: the
// sockets and the negotiators are made by functions passed in.

import { Emitter } from './emitter.js';
import { OfferQueue } from './offer-queue.js';
import { ParticipantStore, LobbyRequests } from './participants.js';
import { ChatStore, checkChatText } from './chat.js';
import { ReconnectPlan } from './reconnect.js';
import * as protocol from './protocol.js';

const PING_INTERVAL_MS = 5000;
/** A socket the server said nothing on for this long (pongs included) is taken for dead. */
const SILENCE_LIMIT_MS = 12000;

/** @typedef {import('./protocol.js').OfferMessage} OfferMessage */
/** @typedef {import('./protocol.js').WelcomeMessage} WelcomeMessage */
/** @typedef {import('./protocol.js').ResumedMessage} ResumedMessage */
/** @typedef {import('./reconnect.js').ReconnectLimits} ReconnectLimits */
/** @typedef {import('./protocol.js').ErrorMessage} ErrorMessage */
/** @typedef {import('./protocol.js').LobbyMessage} LobbyMessage */
/** @typedef {import('./protocol.js').ModeratedMessage} ModeratedMessage */
/** @typedef {import('./protocol.js').ClientMessage} ClientMessage */
/** @typedef {import('./protocol.js').Participant} Participant */
/** @typedef {import('./protocol.js').Room} Room */
/** @typedef {import('./protocol.js').IceServer} IceServer */
/** @typedef {import('./tracks.js').TrackTable} TrackTable */
/** @typedef {import('./tracks.js').RemoteMedia} RemoteMedia */

/** @typedef {'idle' | 'connecting' | 'lobby' | 'joined' | 'reconnecting' | 'ended'} SessionState */
/** Why the connection is being got back: the socket closed, went silent, or the media connection failed. */
/** @typedef {'socket' | 'silent' | 'media'} LossCause */
/**
 * Per kind of media: sent at all (the join's flags), or live right now (media-state).
 * @typedef {{audio: boolean, video: boolean}} MediaFlags
 */

/**
 * The parts of a WebSocket the session uses (tests pass a fake).
 * @typedef {Pick<WebSocket, 'send' | 'close' | 'readyState' | 'onopen' | 'onmessage' | 'onclose' | 'onerror'>}
 *   SignalingSocket
 */

/**
 * The parts of a Negotiator the session uses.
 * @typedef {object} SessionNegotiator
 * @property {(offer: OfferMessage) => Promise<string>} answer  resolves to the answer's SDP
 * @property {(type: 'media', listener: (media: RemoteMedia) => void) => unknown} on
 * @property {() => void} close
 */

/**
 * @typedef {Pick<WindowOrWorkerGlobalScope, 'setInterval' | 'clearInterval' | 'setTimeout' | 'clearTimeout'>} Timers
 */

/**
 * @typedef {object} SessionEvents
 * @property {{state: SessionState}} state
 * @property {LobbyMessage} lobby
 * @property {{participantId: string, host: boolean, room: Room}} welcome
 * @property {{cause: LossCause}} reconnecting
 * @property {{participantId: string, host: boolean, room: Room}} resumed
 * @property {RemoteMedia} media
 * @property {{version: number}} answered
 * @property {ErrorMessage} notice
 * @property {{error: unknown, context: string}} problem
 * @property {{reason: string, code: string | undefined}} ended
 * @property {{participantId: string | null}} activeSpeaker
 * @property {{participantIds: string[] | null}} forwardedVideo
 * @property {{mids: string[]}} pausedVideo
 * @property {ModeratedMessage} moderated
 * @property {{participantId: string, name: import('./protocol.js').ReactionName}} reaction
 * @property {{locked: boolean, recording: import('./protocol.js').RecordingInfo | null, recordingEnded: string | null}} roomState
 * @property {{host: boolean, cohost: boolean}} powers
 */

/**
 * States: 'idle' -> 'connecting' -> ('lobby' ->) 'joined' (<-> 'reconnecting') -> 'ended'.
 * From 'joined', a socket that closes or goes silent, or {@link MeetingSession#lose} (the media connection failed),
 * leads to 'reconnecting': new sockets send resume with the last token, as the {@link ReconnectPlan} says, until the
 * server answers resumed (back to 'joined', with a new negotiator for the new transport's offers) or refuses, or the
 * grace is over ('ended' with 'disconnected'). The participants stay as they were meanwhile.
 * Events: 'state' {state}, 'lobby', 'welcome' {participantId, host, room}, 'reconnecting' {cause}, 'resumed'
 * {participantId, host, room}, 'media' (Map), 'notice' {code, message,
 * ref} for refused messages that do not end the visit, 'activeSpeaker' {participantId} when the room's dominant speaker
 * changes (null: nobody speaks), 'problem' {error, context} for things worth a log line, 'moderated' (a host control
 * that concerns you), 'roomState' {locked, recording, recordingEnded}, 'powers' {host, cohost} when yours change, 'reaction' {participantId, name},
 * 'ended' {reason, code}: reason is 'left', 'disconnected', a bye reason ('moved': join again at once, the meeting
 * runs on another server now), or 'error' with the error's code.
 * @extends {Emitter<SessionEvents>}
 */
export class MeetingSession extends Emitter {
  /**
   * @param {object} options
   * @param {(url: string) => SignalingSocket} options.openSocket
   * @param {(iceServers: IceServer[]) => SessionNegotiator} options.createNegotiator  for each transport, with the
   *     TURN servers of the welcome or resumed that came before it
   * @param {Timers} [options.timers]
   * @param {() => number} [options.now]   milliseconds, for the silence limit and the reconnect plan
   * @param {number} [options.pingIntervalMs]
   * @param {number} [options.silenceLimitMs]
   * @param {Partial<ReconnectLimits>} [options.reconnect]
   */
  constructor({
    openSocket, createNegotiator, timers = globalThis, now = () => Date.now(), pingIntervalMs = PING_INTERVAL_MS,
    silenceLimitMs = SILENCE_LIMIT_MS, reconnect = {},
  }) {
    super();
    this.openSocket = openSocket;
    this.createNegotiator = createNegotiator;
    this.timers = timers;
    this.now = now;
    this.pingIntervalMs = pingIntervalMs;
    this.silenceLimitMs = silenceLimitMs;
    this.plan = new ReconnectPlan(reconnect);
    this.participants = new ParticipantStore();
    this.lobby = new LobbyRequests();
    this.chat = new ChatStore();
    // Whether the next chat-history starts the list afresh (after a welcome) or adds what was missed (after a resume).
    this.freshChat = true;
    /** @type {SessionState} */
    this.state = 'idle';
    /** @type {string | null} */
    this.participantId = null;
    this.host = false;
    /** A host made you a co-host of this meeting (section 8). */
    this.cohost = false;
    /** A host locked the meeting: newcomers wait in the lobby. */
    this.locked = false;
    /** @type {import('./protocol.js').RecordingInfo | null} the meeting is recorded: since when, by whom */
    this.recording = null;
    /** @type {ModeratedMessage | null} the last host control that concerned you (who removed you, ended the meeting) */
    this.lastModeration = null;
    /** @type {Room | null} */
    this.room = null;
    /** @type {TrackTable} */
    this.tracks = {};
    /** @type {SessionNegotiator | null} */
    this.negotiator = null;
    /** @type {SignalingSocket | null} */
    this.socket = null;
    this.opened = false;
    /** @type {number | null} */
    this.pingTimer = null;
    this.pingCount = 0;
    this.lastHeard = 0;
    /** @type {number | null} */
    this.retryTimer = null;
    this.url = '';
    this.ticket = '';
    // From the last welcome or resumed: what takes our place back after a drop ('' when the server sent none).
    this.resumeToken = '';
    /** @type {IceServer[]} From the last welcome or resumed: TURN servers for the next peer connection. */
    this.iceServers = [];
    // From the welcome: the secret that shares and downloads the chat's files over HTTP ('' when the server sent none).
    this.fileKey = '';
    this.slug = '';
    this.offers = this.newOfferQueue();
    // Set by start: your name, what you send, and what is live now; then what the server was last told.
    this.displayName = '';
    /** @type {MediaFlags | null} */
    this.sending = null;
    /** @type {MediaFlags | null} */
    this.live = null;
    /** @type {MediaFlags | null} */
    this.announced = null;
    // Whether we share our screen, and what the server last took of it (section 7): they differ while a change could
    // not be sent (the socket was down), and are brought together when we are back.
    this.screenSharing = false;
    this.screenTold = false;
    /** @type {'good' | 'fair' | 'poor' | null} the connection quality the server was last told (kept across a resume) */
    this.qualityTold = null;
  }

  /**
   * Opens the socket and joins.
   * @param {object} visit
   * @param {string} visit.ticket      from POST /r/{slug}/ticket
   * @param {string} visit.url         ws(s):// URL of the signalling socket
   * @param {string} visit.displayName the name the ticket carries (for your own entry)
   * @param {MediaFlags} visit.send    which kinds you will send (the join's flags)
   * @param {MediaFlags} visit.on      microphone unmuted / camera on right now (sent with media-state if it differs)
   */
  start({ ticket, url, displayName, send, on }) {
    if (this.state !== 'idle') throw new Error(`cannot start in state ${this.state}`);
    this.displayName = displayName;
    const sending = { audio: !!send.audio, video: !!send.video };
    this.sending = sending;
    this.live = { audio: !!(on.audio && send.audio), video: !!(on.video && send.video) };
    this.url = url;
    this.ticket = ticket;
    this.setState('connecting');
    this.connect('join');
  }

  /**
   * Opens a socket that joins (the first) or resumes (after a drop). Only the current socket is listened to.
   * @param {'join' | 'resume'} purpose
   */
  connect(purpose) {
    let socket;
    try {
      socket = this.openSocket(this.url);
    } catch (error) {
      this.emit('problem', { error, context: 'socket' });
      if (purpose === 'join') this.end('error', 'connect-failed');
      else this.retry();
      return;
    }
    this.socket = socket;
    this.opened = false;
    socket.onopen = () => {
      if (socket !== this.socket || this.state === 'ended') return;
      this.opened = true;
      this.lastHeard = this.now();
      const sending = /** @type {MediaFlags} set by start */ (this.sending);
      this.send(purpose === 'join' ? protocol.join(this.ticket, sending.audio, sending.video)
        : protocol.resume(this.resumeToken, this.slug));
      this.stopPinging();
      this.pingTimer = this.timers.setInterval(() => this.keepAlive(), this.pingIntervalMs);
    };
    socket.onmessage = (event) => {
      if (socket === this.socket) this.receive(event.data);
    };
    socket.onerror = () => {
      // Always followed by 'close', which decides what it means.
    };
    socket.onclose = () => {
      if (socket !== this.socket || this.state === 'ended') return;
      this.socketClosed();
    };
  }

  /** The current socket closed, without a bye (which ends the visit before this). */
  socketClosed() {
    this.stopPinging();
    if (this.state === 'joined') {
      this.lose('socket');
    } else if (this.state === 'reconnecting') {
      this.retry();
    } else {
      this.end(this.opened ? 'disconnected' : 'error', this.opened ? undefined : 'connect-failed');
    }
  }

  /** Every ping interval: a ping, unless the server has been silent too long, which counts as a dropped socket. */
  keepAlive() {
    if (this.now() - this.lastHeard > this.silenceLimitMs) {
      if (this.state === 'joined') {
        this.lose('silent');
        return;
      }
      if (this.state === 'reconnecting') {
        this.retry();
        return;
      }
    }
    this.send(protocol.ping(++this.pingCount));
  }

  /**
   * The connection is lost (section 4): keep the place and the participants, and start getting back in. Without a
   * resume token (a server that gives none) the visit ends instead.
   * @param {LossCause} cause
   */
  lose(cause) {
    if (this.state !== 'joined') return;
    if (!this.resumeToken) {
      if (cause === 'media') this.fail('connection-lost');
      else this.end('disconnected');
      return;
    }
    this.setState('reconnecting');
    this.plan.start(this.now());
    this.emit('reconnecting', { cause });
    this.retry();
  }

  /** The browser says the network is back: try again now rather than after the pause. */
  hurry() {
    if (this.state !== 'reconnecting' || this.retryTimer === null) return;
    this.timers.clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.plan.hurry();
    this.retry();
  }

  /** Drops the current socket (the server keeps our place) and tries again when the plan says, or gives up. */
  retry() {
    this.stopPinging();
    this.dropSocket(4000);
    if (this.retryTimer !== null) return;
    const pause = this.plan.next(this.now());
    if (pause === null) {
      this.end('disconnected');
      return;
    }
    this.retryTimer = this.timers.setTimeout(() => {
      this.retryTimer = null;
      if (this.state === 'reconnecting') this.connect('resume');
    }, pause);
  }

  /**
   * Stops listening to the current socket and closes it.
   * @param {number} code 1000 when we are done, 4000 when we mean to resume on another
   */
  dropSocket(code) {
    const socket = this.socket;
    this.socket = null;
    this.opened = false;
    if (!socket) return;
    socket.onopen = null;
    socket.onmessage = null;
    socket.onclose = null;
    try {
      socket.close(code);
    } catch (e) {
      // already closed
    }
  }

  stopPinging() {
    if (this.pingTimer !== null) this.timers.clearInterval(this.pingTimer);
    this.pingTimer = null;
  }

  /**
   * Microphone unmuted / camera on (section 3, step 4). Sent at once when joined, else after the welcome.
   * @param {boolean} audio
   * @param {boolean} video
   */
  setMediaState(audio, video) {
    if (!this.live) return;
    const sending = /** @type {MediaFlags} start sets it with live */ (this.sending);
    this.live = { audio: !!(audio && sending.audio), video: !!(video && sending.video) };
    if (this.state === 'joined' || this.state === 'reconnecting') {
      // While reconnecting nothing goes out; the resumed reply is compared with this.
      this.announce();
      this.participants.patch(/** @type {string} set by the welcome */ (this.participantId), { ...this.live });
    }
  }

  /** Sends media-state when what others see differs from what the server was last told. */
  announce() {
    const told = this.announced;
    const live = /** @type {MediaFlags} called after start */ (this.live);
    if (told && told.audio === live.audio && told.video === live.video) return;
    if (this.send(protocol.mediaState(live.audio, live.video))) this.announced = { ...live };
  }

  /**
   * Tells the relay the sizes the received videos are shown at (section 4 of the protocol).
   * @param {import('./protocol.js').Tile[]} tiles
   * @param {number | null} [version] the offer whose track list the tiles were read from
   * @returns {boolean} whether it was sent (only once joined)
   */
  sendTileSizes(tiles, version = null) {
    return this.state === 'joined' && this.send(protocol.tileSizes(tiles, version));
  }

  /** Whether you may use the host controls and decide the lobby: a host or a co-host. */
  get canModerate() {
    return this.host || this.cohost;
  }

  /**
   * Hosts and co-hosts only: a host control (section 8); the server checks it again.
   * @param {import('./protocol.js').ModerateAction} action
   * @param {string | null} [participantId] for the actions that concern one person
   * @param {boolean} [ban] with remove: do not let them back
   */
  moderate(action, participantId = null, ban = false) {
    if (this.state !== 'joined' || !this.canModerate) return false;
    return this.send(protocol.moderate(action, participantId, ban));
  }

  /**
   * Hosts and co-hosts only: admit or turn away someone in the lobby.
   * @param {string} participantId
   * @param {boolean} admit
   */
  decideLobby(participantId, admit) {
    if (this.state !== 'joined' || !this.canModerate) return false;
    if (!this.lobby.decide(participantId)) return false;
    return this.send(protocol.lobbyDecision(participantId, admit));
  }

  /**
   * Starts or stops sharing our screen (section 7): the server answers a start with an offer naming the section to
   * send it on, or refuses it (a notice with ref 'screen-share'); a stop ends the share for everyone at once.
   * @param {boolean} active
   * @returns {boolean} whether the server was told now (a stop not told now is told once we are back)
   */
  setScreenShare(active) {
    this.screenSharing = !!active;
    if (this.state !== 'joined') return false;
    return this.announceScreen();
  }

  /** Tells the server whether we share, when that differs from what it last took. */
  announceScreen() {
    if (this.screenTold === this.screenSharing) return true;
    if (!this.send(protocol.screenShare(this.screenSharing))) return false;
    this.screenTold = this.screenSharing;
    return true;
  }

  /**
   * A chat message to everyone, or privately to one participant (section 6). Empty or too long text is not sent.
   * @param {string} text
   * @param {string | null} [to] the recipient's participant id; null: everyone
   * @returns {boolean} whether it went out (the server's copy of it then comes back as a chat message)
   */
  sendChat(text, to = null) {
    const checked = checkChatText(text);
    if (this.state !== 'joined' || !checked.ok) return false;
    return this.send(protocol.chat(checked.text, to));
  }

  /**
   * Who shares and downloads the chat's files now: this visit's place and key, while joined; else null.
   * @returns {import('./chat-files.js').FileCredentials}
   */
  fileCredentials() {
    if (this.state !== 'joined' || !this.participantId || !this.fileKey) return null;
    return { slug: this.slug, participantId: this.participantId, fileKey: this.fileKey };
  }

  /**
   * Raises or lowers your hand (section 10); the server's participant-updated about you confirms it.
   * @param {boolean} raised
   */
  raiseHand(raised) {
    return this.state === 'joined' && this.send(protocol.hand(raised));
  }

  /**
   * A reaction everyone sees for a moment; the server's copy comes back to you too.
   * @param {import('./protocol.js').ReactionName} name
   */
  react(name) {
    return this.state === 'joined' && protocol.isReaction(name) && this.send(protocol.reaction(name));
  }

  /**
   * Your connection's quality as the page measured it; the server hears of changes only.
   * @param {'good' | 'fair' | 'poor'} level
   */
  reportQuality(level) {
    if (this.state !== 'joined' || this.qualityTold === level) return false;
    if (!this.send(protocol.quality(level))) return false;
    this.qualityTold = level;
    return true;
  }

  /** Leaves on purpose. */
  leave() {
    if (this.state === 'ended' || this.state === 'idle') return;
    this.send(protocol.leave());
    this.end('left');
  }

  /**
   * Ends the visit because of a problem found outside the socket (for example the media connection failed).
   * @param {string} code
   */
  fail(code) {
    if (this.state === 'ended' || this.state === 'idle') return;
    this.send(protocol.leave());
    this.end('error', code);
  }

  /**
   * @param {ClientMessage} message
   * @returns {boolean} whether it went out
   */
  send(message) {
    const socket = this.socket;
    if (!socket || !this.opened || socket.readyState !== 1) return false;
    try {
      socket.send(JSON.stringify(message));
      return true;
    } catch (error) {
      this.emit('problem', { error, context: 'send' });
      return false;
    }
  }

  /** @param {unknown} text a frame's data */
  receive(text) {
    if (this.state === 'ended') return;
    this.lastHeard = this.now();
    const parsed = protocol.parseServerMessage(typeof text === 'string' ? text : '');
    if (!parsed.message) {
      this.emit('problem', { error: new Error(`ignored server message: ${parsed.problem} ${parsed.type ?? ''}`), context: 'receive' });
      return;
    }
    const m = parsed.message;
    switch (m.type) {
      case 'lobby':
        if (this.state === 'connecting') {
          this.setState('lobby');
          this.emit('lobby', m);
        }
        break;
      case 'welcome':
        this.welcome(m);
        break;
      case 'resumed':
        this.resumed(m);
        break;
      case 'offer':
        this.offers.push(m);
        break;
      case 'participant-joined':
        this.participantChanged(m.participant, true);
        break;
      case 'participant-updated':
        this.participantChanged(m.participant, false);
        break;
      case 'participant-left':
        if (m.participantId !== this.participantId) this.participants.remove(m.participantId, m.reason);
        this.lobby.resolve(m.participantId);
        break;
      case 'lobby-request':
        if (this.canModerate) this.lobby.add(m.participant);
        break;
      case 'lobby-resolved':
        this.lobby.resolve(m.participantId);
        break;
      case 'active-speaker':
        if (this.state === 'joined') this.emit('activeSpeaker', { participantId: m.participantId });
        break;
      case 'forwarded-video':
        if (this.state === 'joined') this.emit('forwardedVideo', { participantIds: m.participantIds });
        break;
      case 'paused-video':
        if (this.state === 'joined') this.emit('pausedVideo', { mids: m.mids });
        break;
      case 'chat':
        if (this.state === 'joined') this.chat.receive(m);
        break;
      case 'chat-history':
        if (this.state === 'joined') {
          this.chat.history(m.messages, this.freshChat, /** @type {string} set by the welcome */ (this.participantId));
          this.freshChat = false;
        }
        break;
      case 'error':
        this.refused(m);
        break;
      case 'bye':
        this.end(m.reason);
        break;
      case 'moderated':
        this.lastModeration = m;
        if (this.state === 'joined' || this.state === 'reconnecting') this.emit('moderated', m);
        break;
      case 'room-state':
        this.locked = m.locked;
        this.recording = m.recording;
        if (this.state === 'joined') {
          this.emit('roomState', { locked: m.locked, recording: m.recording, recordingEnded: m.recordingEnded });
        }
        break;
      case 'reaction':
        if (this.state === 'joined') this.emit('reaction', { participantId: m.participantId, name: m.name });
        break;
      case 'pong':
      default:
        break;
    }
  }

  /** @param {WelcomeMessage} m */
  welcome(m) {
    if (this.state !== 'connecting' && this.state !== 'lobby') return;
    const live = /** @type {MediaFlags} set by start */ (this.live);
    this.participantId = m.participantId;
    this.host = m.host;
    this.cohost = false;
    this.locked = false;
    this.recording = null; // a room-state follows while the meeting is locked or recorded
    this.room = m.room;
    this.resumeToken = m.resumeToken;
    this.iceServers = m.iceServers;
    this.fileKey = m.fileKey;
    if (m.reconnectGraceMillis) this.plan.setGrace(m.reconnectGraceMillis);
    this.slug = m.room.slug;
    const self = {
      id: m.participantId,
      displayName: this.displayName,
      audio: live.audio,
      video: live.video,
      host: m.host,
      kind: /** @type {const} */ ('browser'),
      connection: /** @type {const} */ ('connected'),
    };
    this.participants.welcome(self, m.participants);
    this.chat.reset(m.participantId, []);
    this.freshChat = true;
    this.setState('joined');
    // The join told the server what we send; muted or camera-off from the start is corrected right away.
    this.announced = { .../** @type {MediaFlags} */ (this.sending) };
    this.announce();
    this.screenSharing = false;
    this.screenTold = false;
    this.qualityTold = null;
    this.emit('welcome', { participantId: m.participantId, host: m.host, room: m.room });
  }

  /**
   * Back in our place after a resume: the participants are brought up to date in place (tiles stay), and the offers
   * that follow are for a new transport, so they start a new negotiator at version 1. What the server still shows of
   * our microphone and camera is corrected if it changed meanwhile.
   * @param {ResumedMessage} m
   */
  resumed(m) {
    if (this.state !== 'reconnecting' || m.participantId !== this.participantId) return;
    this.plan.stop();
    this.host = m.host;
    this.cohost = !!(m.self && m.self.cohost);
    this.locked = false; // a room-state follows while the meeting is locked or recorded
    this.recording = null;
    this.room = m.room;
    this.resumeToken = m.resumeToken;
    this.iceServers = m.iceServers;
    if (m.fileKey) this.fileKey = m.fileKey; // the key of the welcome stays good for the same place
    if (m.reconnectGraceMillis) this.plan.setGrace(m.reconnectGraceMillis);
    this.offers.close();
    this.offers = this.newOfferQueue();
    if (this.negotiator) this.negotiator.close();
    this.negotiator = null;
    this.tracks = {};
    this.lobby.relist(); // lobby-resolved went to the old socket; the server lists who waits now, after this
    const live = /** @type {MediaFlags} set by start */ (this.live);
    this.participants.reconcile({
      id: m.participantId,
      displayName: this.displayName,
      audio: live.audio,
      video: live.video,
      host: m.host,
      kind: /** @type {const} */ ('browser'),
      connection: /** @type {const} */ ('connected'),
      cohost: this.cohost,
    }, m.participants);
    this.setState('joined');
    this.announced = m.self ? { audio: m.self.audio, video: m.self.video } : null;
    this.announce();
    this.announceScreen(); // the server kept our share across the drop; a stop made meanwhile is told now
    this.emit('resumed', { participantId: m.participantId, host: m.host, room: m.room });
  }

  /**
   * @param {Participant} participant
   * @param {boolean} joined whether it joined (participant-joined), or only changed
   */
  participantChanged(participant, joined) {
    if (this.state !== 'joined') return;
    if (participant.id === this.participantId) {
      // Your own microphone and camera state is what you set last; the server's echo may lag behind it.
      this.participants.upsert({ ...participant, displayName: participant.displayName || this.displayName, ...this.live });
      const changed = this.host !== participant.host || this.cohost !== !!participant.cohost;
      this.host = participant.host;
      this.cohost = !!participant.cohost;
      if (!this.canModerate) this.lobby.clear();
      if (changed) this.emit('powers', { host: this.host, cohost: this.cohost });
      return;
    }
    // A change about someone not on the list came after they left (or before a stream's participant-joined, which
    // carries its state): taken as a join, it would bring back for good someone who left.
    if (joined || this.participants.has(participant.id)) this.participants.upsert(participant);
  }

  /** @param {ErrorMessage} m */
  refused(m) {
    if (this.state === 'reconnecting' && m.ref === 'resume' && m.code === 'meeting-moved') {
      // The server that held our place stopped, and the meeting runs on another now: the page joins it afresh.
      this.end('moved');
      return;
    }
    if (this.state === 'reconnecting' && m.ref === 'resume') {
      // The place is gone (the grace ran out, we were removed) or may not be resumed: a clean end, with Rejoin.
      this.emit('notice', m);
      this.end('disconnected');
      return;
    }
    const joining = this.state === 'connecting' || this.state === 'lobby';
    if (joining && (protocol.FATAL_JOIN_ERRORS.has(m.code) || m.ref === 'join')) {
      this.end('error', m.code);
      return;
    }
    if (m.code === 'bad-sdp' && (m.ref === 'answer' || m.ref === null)) {
      // The media connection closes with the visit: say why where a log reads it.
      this.emit('problem', { error: new Error(`the server refused our answer: ${m.message}`), context: 'answer' });
      this.end('error', 'bad-sdp');
      return;
    }
    if (m.ref === 'screen-share') {
      // Refused (too many share already): the server holds no share of ours.
      this.screenSharing = false;
      this.screenTold = false;
    }
    if (m.ref === 'lobby-decision') {
      // Let the host try again: the request stays listed until the server resolves it.
      this.lobby.undecideAll();
    }
    this.emit('notice', m);
  }

  /** A queue for one transport's offers; a resume replaces it, and what the old one still does is then ignored. */
  newOfferQueue() {
    /** @type {OfferQueue} */
    const queue = new OfferQueue((offer) => this.applyOffer(offer, queue),
      (error, offer) => this.offerFailed(error, offer, queue));
    return queue;
  }

  /**
   * @param {OfferMessage} offer
   * @param {OfferQueue} queue the queue it came from
   */
  async applyOffer(offer, queue) {
    if (this.state === 'ended' || queue !== this.offers) return;
    if (!this.negotiator) {
      const created = this.createNegotiator(this.iceServers);
      created.on('media', (media) => {
        if (created === this.negotiator) this.emit('media', media);
      });
      this.negotiator = created;
    }
    const negotiator = this.negotiator;
    this.tracks = Object.fromEntries(offer.tracks.map((t) => [t.mid,
      { participantId: t.participantId, kind: t.kind, source: t.source }]));
    const sdp = await negotiator.answer(offer);
    // end() or a resume may have come while the answer was made: then it is no answer to anything current.
    if (/** @type {SessionState} */ (this.state) === 'ended' || negotiator !== this.negotiator) return;
    this.send(protocol.answer(offer.version, sdp));
    this.emit('answered', { version: offer.version });
  }

  /**
   * @param {unknown} error
   * @param {OfferMessage} offer
   * @param {OfferQueue} queue
   */
  offerFailed(error, offer, queue) {
    this.emit('problem', { error, context: `offer ${offer.version}` });
    if (this.state !== 'ended' && queue === this.offers) this.fail('media-failed');
  }

  /** @param {SessionState} state */
  setState(state) {
    this.state = state;
    this.emit('state', { state });
  }

  /**
   * @param {string} reason
   * @param {string} [code]
   */
  end(reason, code) {
    if (this.state === 'ended') return;
    this.setState('ended');
    this.stopPinging();
    if (this.retryTimer !== null) this.timers.clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.plan.stop();
    this.offers.close();
    if (this.negotiator) this.negotiator.close();
    this.dropSocket(1000);
    this.lobby.clear();
    this.emit('ended', { reason, code });
  }
}
