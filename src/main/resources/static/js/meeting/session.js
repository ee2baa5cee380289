// @ts-check
// One visit to a meeting over the signalling socket (sections 2 to 4): join, lobby, welcome, offers in order,
// participants, lobby decisions, leave. No DOM: the socket and the negotiator are made by functions passed in.

import { Emitter } from './emitter.js';
import { OfferQueue } from './offer-queue.js';
import { ParticipantStore, LobbyRequests } from './participants.js';
import * as protocol from './protocol.js';

const PING_INTERVAL_MS = 20000;

/** @typedef {import('./protocol.js').OfferMessage} OfferMessage */
/** @typedef {import('./protocol.js').WelcomeMessage} WelcomeMessage */
/** @typedef {import('./protocol.js').ErrorMessage} ErrorMessage */
/** @typedef {import('./protocol.js').LobbyMessage} LobbyMessage */
/** @typedef {import('./protocol.js').ClientMessage} ClientMessage */
/** @typedef {import('./protocol.js').Participant} Participant */
/** @typedef {import('./protocol.js').Room} Room */
/** @typedef {import('./tracks.js').TrackTable} TrackTable */
/** @typedef {import('./tracks.js').RemoteMedia} RemoteMedia */

/** @typedef {'idle' | 'connecting' | 'lobby' | 'joined' | 'ended'} SessionState */
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

/** @typedef {Pick<WindowOrWorkerGlobalScope, 'setInterval' | 'clearInterval'>} Timers */

/**
 * @typedef {object} SessionEvents
 * @property {{state: SessionState}} state
 * @property {LobbyMessage} lobby
 * @property {{participantId: string, host: boolean, room: Room}} welcome
 * @property {RemoteMedia} media
 * @property {{version: number}} answered
 * @property {ErrorMessage} notice
 * @property {{error: unknown, context: string}} problem
 * @property {{reason: string, code: string | undefined}} ended
 * @property {{participantId: string | null}} activeSpeaker
 * @property {{participantIds: string[] | null}} forwardedVideo
 */

/**
 * States: 'idle' -> 'connecting' -> ('lobby' ->) 'joined' -> 'ended'.
 * Events: 'state' {state}, 'lobby', 'welcome' {participantId, host, room}, 'media' (Map), 'notice' {code, message,
 * ref} for refused messages that do not end the visit, 'activeSpeaker' {participantId} when the room's dominant speaker
 * changes (null: nobody speaks), 'problem' {error, context} for things worth a log line,
 * 'ended' {reason, code}: reason is 'left', 'disconnected', a bye reason, or 'error' with the error's code.
 * @extends {Emitter<SessionEvents>}
 */
export class MeetingSession extends Emitter {
  /**
   * @param {object} options
   * @param {(url: string) => SignalingSocket} options.openSocket
   * @param {() => SessionNegotiator} options.createNegotiator
   * @param {Timers} [options.timers]
   * @param {number} [options.pingIntervalMs]
   */
  constructor({ openSocket, createNegotiator, timers = globalThis, pingIntervalMs = PING_INTERVAL_MS }) {
    super();
    this.openSocket = openSocket;
    this.createNegotiator = createNegotiator;
    this.timers = timers;
    this.pingIntervalMs = pingIntervalMs;
    this.participants = new ParticipantStore();
    this.lobby = new LobbyRequests();
    /** @type {SessionState} */
    this.state = 'idle';
    /** @type {string | null} */
    this.participantId = null;
    this.host = false;
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
    this.offers = new OfferQueue((offer) => this.applyOffer(offer), (error, offer) => this.offerFailed(error, offer));
    // Set by start: your name, what you send, and what is live now; then what the server was last told.
    this.displayName = '';
    /** @type {MediaFlags | null} */
    this.sending = null;
    /** @type {MediaFlags | null} */
    this.live = null;
    /** @type {MediaFlags | null} */
    this.announced = null;
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
    this.setState('connecting');
    let socket;
    try {
      socket = this.openSocket(url);
    } catch (error) {
      this.emit('problem', { error, context: 'socket' });
      this.end('error', 'connect-failed');
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      if (this.state === 'ended') return;
      this.opened = true;
      this.send(protocol.join(ticket, sending.audio, sending.video));
      this.pingTimer = this.timers.setInterval(() => this.send(protocol.ping(++this.pingCount)), this.pingIntervalMs);
    };
    socket.onmessage = (event) => this.receive(event.data);
    socket.onerror = () => {
      // Always followed by 'close', which decides what it means.
    };
    socket.onclose = () => {
      if (this.state === 'ended') return;
      this.end(this.opened ? 'disconnected' : 'error', this.opened ? undefined : 'connect-failed');
    };
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
    if (this.state === 'joined') {
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
   * @returns {boolean} whether it was sent (only once joined)
   */
  sendTileSizes(tiles) {
    return this.state === 'joined' && this.send(protocol.tileSizes(tiles));
  }

  /**
   * Hosts only: admit or turn away someone in the lobby.
   * @param {string} participantId
   * @param {boolean} admit
   */
  decideLobby(participantId, admit) {
    if (this.state !== 'joined' || !this.host) return false;
    if (!this.lobby.decide(participantId)) return false;
    return this.send(protocol.lobbyDecision(participantId, admit));
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
      case 'offer':
        this.offers.push(m);
        break;
      case 'participant-joined':
      case 'participant-updated':
        this.participantChanged(m.participant);
        break;
      case 'participant-left':
        if (m.participantId !== this.participantId) this.participants.remove(m.participantId, m.reason);
        this.lobby.resolve(m.participantId);
        break;
      case 'lobby-request':
        if (this.host) this.lobby.add(m.participant);
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
      case 'error':
        this.refused(m);
        break;
      case 'bye':
        this.end(m.reason);
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
    this.room = m.room;
    const self = {
      id: m.participantId,
      displayName: this.displayName,
      audio: live.audio,
      video: live.video,
      host: m.host,
      kind: /** @type {const} */ ('browser'),
    };
    this.participants.welcome(self, m.participants);
    this.setState('joined');
    // The join told the server what we send; muted or camera-off from the start is corrected right away.
    this.announced = { .../** @type {MediaFlags} */ (this.sending) };
    this.announce();
    this.emit('welcome', { participantId: m.participantId, host: m.host, room: m.room });
  }

  /** @param {Participant} participant */
  participantChanged(participant) {
    if (this.state !== 'joined') return;
    if (participant.id === this.participantId) {
      // Your own microphone and camera state is what you set last; the server's echo may lag behind it.
      this.participants.upsert({ ...participant, displayName: participant.displayName || this.displayName, ...this.live });
      this.host = participant.host;
      return;
    }
    this.participants.upsert(participant);
  }

  /** @param {ErrorMessage} m */
  refused(m) {
    const joining = this.state === 'connecting' || this.state === 'lobby';
    if (joining && (protocol.FATAL_JOIN_ERRORS.has(m.code) || m.ref === 'join')) {
      this.end('error', m.code);
      return;
    }
    if (m.code === 'bad-sdp' && (m.ref === 'answer' || m.ref === null)) {
      this.end('error', 'bad-sdp');
      return;
    }
    if (m.ref === 'lobby-decision') {
      // Let the host try again: the request stays listed until the server resolves it.
      this.lobby.undecideAll();
    }
    this.emit('notice', m);
  }

  /** @param {OfferMessage} offer */
  async applyOffer(offer) {
    if (this.state === 'ended') return;
    if (!this.negotiator) {
      this.negotiator = this.createNegotiator();
      this.negotiator.on('media', (media) => this.emit('media', media));
    }
    this.tracks = Object.fromEntries(offer.tracks.map((t) => [t.mid, { participantId: t.participantId, kind: t.kind }]));
    const sdp = await this.negotiator.answer(offer);
    // end() may have run while the answer was made (TypeScript keeps the narrowing from above across the await).
    if (/** @type {SessionState} */ (this.state) === 'ended') return;
    this.send(protocol.answer(offer.version, sdp));
    this.emit('answered', { version: offer.version });
  }

  /**
   * @param {unknown} error
   * @param {OfferMessage} offer
   */
  offerFailed(error, offer) {
    this.emit('problem', { error, context: `offer ${offer.version}` });
    if (this.state !== 'ended') this.fail('media-failed');
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
    if (this.pingTimer !== null) this.timers.clearInterval(this.pingTimer);
    this.pingTimer = null;
    this.offers.close();
    if (this.negotiator) this.negotiator.close();
    const socket = this.socket;
    if (socket) {
      socket.onmessage = null;
      socket.onclose = null;
      try {
        socket.close(1000);
      } catch (e) {
        // already closed
      }
    }
    this.lobby.clear();
    this.emit('ended', { reason, code });
  }
}
