// @ts-check
// The meeting screen: the video grid (or the speaker layout), the participant list, the hosts' lobby requests, the
// toolbar and notes.

import { gridShape } from './layout.js';
import { initials, hueFor, handQueue } from './participants.js';
import { REACTIONS } from './protocol.js';
import { setToggle } from './toggle.js';
import { SpeakerLayout } from './speaker-layout.js';
import { ScreenStage } from './screen-view.js';

const SPEAKING_HOLD_MS = 700;
const REMOTE_SPEAKING_LEVEL = 0.04;
const SELF_SPEAKING_LEVEL = 0.35;
/** How long a reaction shows over its sender's tile. */
const REACTION_SHOW_MS = 4000;

/** @typedef {import('./protocol.js').Participant} Participant */
/** @typedef {import('./participants.js').StoredParticipant} StoredParticipant */
/** @typedef {import('./participants.js').LobbyEntry} LobbyEntry */
/** @typedef {import('./tracks.js').RemoteMedia} RemoteMedia */
/** @typedef {import('./i18n.js').Texts} Texts */

/**
 * What the toolbar and the lobby list ask for.
 * @typedef {object} MeetingHandlers
 * @property {() => void} mute
 * @property {() => void} camera
 * @property {() => void} [share] start or stop sharing your screen
 * @property {() => void} leave
 * @property {(participantId: string) => void} admit
 * @property {(participantId: string) => void} deny
 * @property {() => void} [tilesResized] the remote tiles changed size (or appeared, or went)
 * @property {(open: boolean) => void} [participantsToggled] the participant list was opened or closed
 * @property {(item: HTMLElement, participant: StoredParticipant) => void} [itemRendered] an entry in the participant
 *     list was drawn (the host controls add their menu)
 */

/**
 * A participant's tile in the grid, and what plays in it.
 * @typedef {object} Tile
 * @property {HTMLElement} el
 * @property {HTMLVideoElement} video
 * @property {HTMLAudioElement} audio
 * @property {HTMLElement} avatar
 * @property {HTMLElement} name
 * @property {HTMLElement} youTag
 * @property {HTMLElement} muted
 * @property {HTMLElement} cameraOff
 * @property {HTMLElement} reconnecting  the badge of someone whose connection dropped
 * @property {HTMLElement} paused  the note on a video the relay pauses because your link cannot carry it
 * @property {HTMLElement} hand  their place in the queue of raised hands
 * @property {HTMLElement} reaction  their last reaction, for a moment
 * @property {HTMLElement} quality  their connection's quality
 * @property {number} reactionTimer
 * @property {StoredParticipant} participant
 * @property {MediaStreamTrack | null} videoTrack
 * @property {MediaStreamTrack | null} audioTrack
 * @property {RTCRtpReceiver | null} audioReceiver
 * @property {number} speakingUntil
 * @property {() => void} onTrackState  re-renders the tile when its video track mutes, unmutes or ends
 */

/**
 * The element under scope that the page's templates always have (the type says which kind it is).
 * @template {Element} [E=HTMLElement]
 * @param {ParentNode} scope
 * @param {string} selector
 * @returns {E}
 */
export function find(scope, selector) {
  return /** @type {E} */ (scope.querySelector(selector));
}

/**
 * A fresh copy of a <template>'s element.
 * @param {HTMLTemplateElement} template
 * @returns {HTMLElement}
 */
function instantiate(template) {
  return /** @type {HTMLElement} */ (/** @type {Element} */ (template.content.firstElementChild).cloneNode(true));
}

/**
 * @param {HTMLElement} el
 * @param {Participant} participant
 */
function setAvatar(el, participant) {
  el.textContent = initials(participant.displayName);
  el.style.setProperty('--avatar-hue', String(hueFor(participant.id + participant.displayName)));
}

/**
 * Plays a stream on a media element, keeping the element if the track is the same.
 * @param {HTMLMediaElement} element
 * @param {MediaStreamTrack | null | undefined} track
 * @returns {Promise<void> | null} play()'s promise, when it started playing something new
 */
function play(element, track) {
  const stream = /** @type {MediaStream | null} only streams are set here */ (element.srcObject);
  const current = stream ? stream.getTracks()[0] : null;
  if (current === (track || null)) return null;
  element.srcObject = track ? new MediaStream([track]) : null;
  return track ? element.play() : null;
}

export class MeetingView {
  /**
   * @param {HTMLElement} root the page's [data-meeting-app] element
   * @param {Texts} t
   * @param {MeetingHandlers} handlers
   */
  constructor(root, t, handlers) {
    this.root = root;
    this.t = t;
    this.handlers = handlers;
    /**
     * @template {Element} [E=HTMLElement]
     * @param {string} selector
     * @returns {E}
     */
    const $ = (selector) => find(root, selector);
    this.section = $('[data-testid="meeting"]');
    this.grid = $('[data-testid="video-grid"]');
    this.list = $('[data-testid="participant-list"]');
    this.sidebar = $('[data-sidebar]');
    this.participantsTitle = $('[data-participants-title]');
    this.participantCount = $('[data-participant-count]');
    this.participantsButton = $('[data-participants-button]');
    /** @type {HTMLButtonElement} */
    this.muteButton = $('[data-mute-button]');
    /** @type {HTMLButtonElement} */
    this.cameraButton = $('[data-camera-button]');
    /** @type {HTMLButtonElement} */
    this.shareButton = $('[data-testid="share-button"]');
    this.sharingBanner = $('[data-testid="screen-share-banner"]');
    this.leaveButton = $('[data-leave-button]');
    this.settingsButton = $('[data-settings-button]');
    /** @type {HTMLDialogElement} */
    this.settingsDialog = $('[data-settings-dialog]');
    this.settingsSlot = $('[data-settings-slot]');
    this.lobbyBox = $('[data-lobby-requests]');
    this.lobbyList = $('[data-lobby-list]');
    this.audioBlocked = $('[data-audio-blocked]');
    this.status = $('[data-meeting-status]');
    this.reconnectingBanner = $('[data-testid="reconnecting-banner"]');
    this.toasts = $('[data-toasts]');
    /** @type {HTMLTemplateElement} */
    this.tileTemplate = $('#tile-template');
    /** @type {HTMLTemplateElement} */
    this.itemTemplate = $('#participant-template');
    /** @type {HTMLTemplateElement} */
    this.lobbyTemplate = $('#lobby-request-template');
    /** @type {Map<string, Tile>} participant id -> tile */
    this.tiles = new Map();
    /** @type {Map<string, HTMLElement>} participant id -> entry in the participant list */
    this.items = new Map();
    /** @type {RemoteMedia} */
    this.remote = new Map();
    this.speakerId = '';
    /** @type {Set<HTMLMediaElement>} audio elements the browser would not play yet (autoplay policy) */
    this.blockedAudio = new Set();
    this.speakingTimer = 0;
    /** @type {string | null} the room's dominant speaker, as the relay hears it */
    this.activeSpeakerId = null;
    /** @type {Set<string> | null} whose video the relay forwards while last-N applies; null: everyone's */
    this.forwardedVideo = null;
    /** @type {Set<string>} whose camera the relay pauses because your link cannot carry it */
    this.pausedVideo = new Set();
    this.speakerLayout = new SpeakerLayout(root, t, () => this.layout());
    this.screens = new ScreenStage(root, t, () => this.layout());
    this.wire();
  }

  wire() {
    this.muteButton.addEventListener('click', () => this.handlers.mute());
    this.cameraButton.addEventListener('click', () => this.handlers.camera());
    const share = () => this.handlers.share && this.handlers.share();
    this.shareButton.addEventListener('click', share);
    find(this.sharingBanner, '[data-testid="screen-share-stop"]').addEventListener('click', share);
    this.leaveButton.addEventListener('click', () => this.handlers.leave());
    this.participantsButton.addEventListener('click', () => this.setParticipantsOpen(this.sidebar.hidden));
    this.settingsButton.addEventListener('click', () => {
      if (typeof this.settingsDialog.showModal === 'function') this.settingsDialog.showModal();
      else this.settingsDialog.setAttribute('open', '');
    });
    find(this.root, '[data-settings-close]').addEventListener('click', () => this.closeSettings());
    find(this.root, '[data-audio-enable]').addEventListener('click', () => this.retryAudio());
    this.lobbyList.addEventListener('click', (event) => {
      const target = /** @type {Element} */ (event.target);
      const button = target.closest('button');
      /** @type {HTMLElement | null} */
      const item = target.closest('[data-participant-id]');
      if (!button || !item) return;
      const id = /** @type {string} */ (item.dataset.participantId);
      if (button.dataset.testid === 'lobby-admit') this.handlers.admit(id);
      else if (button.dataset.testid === 'lobby-deny') this.handlers.deny(id);
    });
    if (typeof ResizeObserver === 'function') {
      this.resizeObserver = new ResizeObserver(() => this.layout());
      this.resizeObserver.observe(this.grid);
      this.resizeObserver.observe(this.speakerLayout.box);
      this.resizeObserver.observe(this.screens.box);
    } else {
      window.addEventListener('resize', () => this.layout());
    }
  }

  /**
   * Shows or hides the participant list; the page keeps one side panel open at a time (see the chat).
   * @param {boolean} open
   */
  setParticipantsOpen(open) {
    if (this.sidebar.hidden === !open) return;
    this.sidebar.hidden = !open;
    this.participantsButton.setAttribute('aria-expanded', String(open));
    this.layout();
    if (this.handlers.participantsToggled) this.handlers.participantsToggled(open);
  }

  closeSettings() {
    if (typeof this.settingsDialog.close === 'function' && this.settingsDialog.open) this.settingsDialog.close();
    else this.settingsDialog.removeAttribute('open');
  }

  /** @param {boolean} visible */
  show(visible) {
    this.section.hidden = !visible;
    if (visible) {
      this.sidebar.hidden = window.matchMedia && window.matchMedia('(max-width: 720px)').matches;
      this.participantsButton.setAttribute('aria-expanded', String(!this.sidebar.hidden));
      this.layout();
      this.startSpeakingWatch();
    } else {
      this.closeSettings();
      this.stopSpeakingWatch();
    }
  }

  // ---- participants ----

  /**
   * Adds or refreshes a participant's tile and list entry.
   * @param {StoredParticipant} participant
   */
  upsert(participant) {
    let tile = this.tiles.get(participant.id);
    if (!tile) {
      tile = this.createTile(participant);
      this.tiles.set(participant.id, tile);
      if (participant.self) this.grid.prepend(tile.el);
      else this.grid.appendChild(tile.el);
      this.layout();
    }
    tile.participant = participant;
    this.renderTile(tile);
    // The offer with this participant's tracks may have come before the news that they joined.
    if (!participant.self) this.applyRemote(tile);

    let item = this.items.get(participant.id);
    if (!item) {
      item = instantiate(this.itemTemplate);
      item.dataset.participantId = participant.id;
      this.items.set(participant.id, item);
      if (participant.self) this.list.prepend(item);
      else this.list.appendChild(item);
    }
    this.renderItem(item, participant);
    this.renderHands();
    this.renderCount();
    this.updateScreens(); // a sharer's name may have come after their share
  }

  /** @param {string} id */
  remove(id) {
    const tile = this.tiles.get(id);
    if (tile) {
      tile.video.srcObject = null;
      tile.audio.srcObject = null;
      window.clearTimeout(tile.reactionTimer);
      tile.el.remove();
      this.tiles.delete(id);
      this.blockedAudio.delete(tile.audio);
      this.updateAudioBanner();
      this.layout();
    }
    const item = this.items.get(id);
    if (item) {
      item.remove();
      this.items.delete(id);
    }
    this.renderHands();
    this.renderCount();
    this.updateScreens();
  }

  clear() {
    for (const id of [...this.tiles.keys()]) this.remove(id);
    this.activeSpeakerId = null;
    this.speakerLayout.reset();
    this.remote = new Map();
    this.screens.clear();
    this.renderLobby([]);
    this.blockedAudio.clear();
    this.updateAudioBanner();
    this.toasts.replaceChildren();
    this.setStatus('');
  }

  /**
   * @param {StoredParticipant} participant
   * @returns {Tile}
   */
  createTile(participant) {
    const el = instantiate(this.tileTemplate);
    el.dataset.participantId = participant.id;
    if (participant.id === this.activeSpeakerId) el.dataset.speaking = 'true';
    if (participant.self) {
      el.dataset.self = 'true';
      el.classList.add('is-self');
    }
    /** @type {HTMLVideoElement} */
    const video = find(el, 'video');
    if (participant.self) video.classList.add('mirror');
    const audio = document.createElement('audio');
    audio.autoplay = true;
    audio.className = 'tile-audio';
    el.appendChild(audio);
    const refresh = () => this.renderTile(tile);
    /** @type {Tile} */
    const tile = {
      el,
      video,
      audio,
      avatar: find(el, '[data-avatar]'),
      name: find(el, '[data-testid="tile-name"]'),
      youTag: find(el, '[data-you-tag]'),
      muted: find(el, '[data-testid="muted-indicator"]'),
      cameraOff: find(el, '[data-testid="camera-off-indicator"]'),
      reconnecting: find(el, '[data-testid="tile-reconnecting"]'),
      paused: find(el, '[data-testid="tile-video-paused"]'),
      hand: find(el, '[data-testid="tile-hand"]'),
      reaction: find(el, '[data-testid="tile-reaction"]'),
      quality: find(el, '[data-testid="tile-quality"]'),
      reactionTimer: 0,
      participant,
      videoTrack: null,
      audioTrack: null,
      audioReceiver: null,
      speakingUntil: 0,
      onTrackState: refresh,
    };
    video.addEventListener('loadeddata', refresh);
    video.addEventListener('emptied', refresh);
    return tile;
  }

  /** @param {Tile} tile */
  renderTile(tile) {
    const p = tile.participant;
    tile.name.textContent = p.displayName;
    tile.youTag.hidden = !p.self;
    tile.el.setAttribute('aria-label', p.self ? this.t('meeting.you', p.displayName) : p.displayName);
    setAvatar(tile.avatar, p);
    tile.muted.hidden = p.audio;
    tile.cameraOff.hidden = p.video;
    tile.el.dataset.audio = p.audio ? 'on' : 'off';
    tile.el.dataset.video = p.video ? 'on' : 'off';
    tile.reconnecting.hidden = p.connection !== 'reconnecting';
    tile.el.dataset.connection = p.connection;
    const track = tile.videoTrack;
    const forwarded = p.self || this.forwardedVideo === null || this.forwardedVideo.has(p.id);
    const paused = !p.self && this.pausedVideo.has(p.id);
    const showing = p.video && forwarded && !paused && !!track && track.readyState !== 'ended'
      && (p.self || !track.muted);
    tile.el.classList.toggle('video-off', !showing);
    tile.el.dataset.forwarded = forwarded ? 'true' : 'false';
    tile.el.dataset.paused = paused ? 'true' : 'false';
    // a camera that is off, or a video last-N leaves out, is not a bandwidth matter; a dropped connection says more
    tile.paused.hidden = !(paused && p.video && forwarded) || p.connection === 'reconnecting';
    tile.el.classList.toggle('is-host', p.host);
    this.showQuality(tile.quality, p);
  }

  /**
   * @param {HTMLElement} el a tile's or a list entry's quality badge
   * @param {StoredParticipant} p
   */
  showQuality(el, p) {
    const quality = p.quality ?? 'unknown';
    el.dataset.quality = quality;
    el.hidden = quality === 'unknown';
    if (quality === 'unknown') return;
    const label = this.t(`quality.${quality}`);
    el.setAttribute('aria-label', label);
    el.title = label;
  }

  /**
   * Raised hands: each one's place in the queue on its tile and list entry, and the queue at the top of the list in
   * its order (everyone else after it as they came), so a host takes questions top down.
   */
  renderHands() {
    const queue = handQueue([...this.tiles.values()].map((tile) => tile.participant));
    const places = new Map(queue.map((id, index) => [id, index + 1]));
    for (const [id, tile] of this.tiles) this.showHand(tile.hand, places.get(id));
    for (const [id, item] of this.items) {
      this.showHand(find(item, '[data-testid="participant-hand"]'), places.get(id));
      item.dataset.hand = places.has(id) ? 'raised' : 'down';
    }
    const wanted = [...queue, ...[...this.items.keys()].filter((id) => !places.has(id))]
      .map((id) => /** @type {HTMLElement} */ (this.items.get(id)));
    const shown = [...this.list.children];
    if (wanted.some((item, index) => shown[index] !== item)) {
      for (const item of wanted) this.list.appendChild(item);
    }
  }

  /**
   * @param {HTMLElement} el
   * @param {number | undefined} place
   */
  showHand(el, place) {
    el.hidden = place === undefined;
    el.dataset.position = place === undefined ? '' : String(place);
    find(el, '[data-hand-position]').textContent = place === undefined ? '' : String(place);
    if (place === undefined) return;
    const label = this.t('hand.position', place);
    el.setAttribute('aria-label', label);
    el.title = label;
  }

  /**
   * Someone's reaction over their tile for a moment; the tile keeps the last one's name and a count (data-reaction,
   * data-reactions) for scripts.
   * @param {string} participantId
   * @param {import('./protocol.js').ReactionName} name
   */
  showReaction(participantId, name) {
    const tile = this.tiles.get(participantId);
    if (!tile) return;
    tile.reaction.textContent = REACTIONS[name];
    tile.reaction.dataset.reaction = name;
    tile.reaction.hidden = false;
    tile.reaction.classList.remove('is-new');
    void tile.reaction.offsetWidth; // restarts the animation for a second reaction in a row
    tile.reaction.classList.add('is-new');
    tile.el.dataset.reaction = name;
    tile.el.dataset.reactions = String(Number(tile.el.dataset.reactions || '0') + 1);
    window.clearTimeout(tile.reactionTimer);
    tile.reactionTimer = window.setTimeout(() => {
      tile.reaction.hidden = true;
    }, REACTION_SHOW_MS);
  }

  /**
   * @param {HTMLElement} item
   * @param {StoredParticipant} p
   */
  renderItem(item, p) {
    find(item, '[data-name]').textContent = p.displayName;
    find(item, '[data-you-tag]').hidden = !p.self;
    setAvatar(find(item, '[data-avatar]'), p);
    find(item, '[data-host-badge]').hidden = !p.host;
    find(item, '[data-stream-badge]').hidden = p.kind !== 'whip';
    find(item, '[data-mic-off]').hidden = p.audio;
    find(item, '[data-camera-off]').hidden = p.video;
    this.showQuality(find(item, '[data-testid="participant-quality"]'), p);
    item.dataset.audio = p.audio ? 'on' : 'off';
    item.dataset.video = p.video ? 'on' : 'off';
    if (p.self) item.dataset.self = 'true';
    if (this.handlers.itemRendered) this.handlers.itemRendered(item, p);
  }

  renderCount() {
    const count = this.tiles.size;
    this.participantCount.textContent = String(count);
    this.participantsTitle.textContent = this.t('meeting.participantsCount', count);
    this.participantsButton.setAttribute('aria-label', this.t('meeting.participantsCount', count));
    this.grid.dataset.count = String(count);
  }

  // ---- media ----

  /**
   * Your own camera in your tile.
   * @param {string} selfId
   * @param {MediaStreamTrack | null} track
   */
  setSelfVideo(selfId, track) {
    const tile = this.tiles.get(selfId);
    if (!tile) return;
    this.attachVideo(tile, track);
  }

  /**
   * Remote tracks per participant (from the negotiator). Tiles without an entry lose their media.
   * @param {RemoteMedia} media
   */
  setRemoteMedia(media) {
    this.remote = media;
    for (const tile of this.tiles.values()) {
      if (tile.participant.self) continue;
      this.applyRemote(tile);
    }
    this.updateScreens();
  }

  /** The others' screen shares, on the screen stage, named after their sharers (once their tiles are there). */
  updateScreens() {
    /** @type {import('./screen-view.js').Share[]} */
    const shares = [];
    for (const [id, entry] of this.remote) {
      const tile = this.tiles.get(id);
      if (entry.screen && entry.screen.readyState !== 'ended' && tile && !tile.participant.self) {
        shares.push({ participantId: id, name: tile.participant.displayName, track: entry.screen });
      }
    }
    this.screens.update(shares);
  }

  /** @param {Tile} tile */
  applyRemote(tile) {
    const entry = this.remote.get(tile.participant.id);
    this.attachVideo(tile, entry ? entry.video : null);
    const audioTrack = entry ? entry.audio : null;
    tile.audioReceiver = entry ? entry.audioReceiver : null;
    if (tile.audioTrack !== audioTrack) {
      tile.audioTrack = audioTrack;
      const playing = play(tile.audio, audioTrack);
      if (audioTrack) this.applySink(tile.audio);
      if (playing) {
        playing.then(() => {
          this.blockedAudio.delete(tile.audio);
          this.updateAudioBanner();
        }, (error) => {
          if (error && error.name === 'NotAllowedError') {
            this.blockedAudio.add(tile.audio);
            this.updateAudioBanner();
          }
        });
      }
    }
  }

  /**
   * @param {Tile} tile
   * @param {MediaStreamTrack | null} track
   */
  attachVideo(tile, track) {
    if (tile.videoTrack === track) {
      this.renderTile(tile);
      return;
    }
    if (tile.videoTrack) {
      tile.videoTrack.removeEventListener('mute', tile.onTrackState);
      tile.videoTrack.removeEventListener('unmute', tile.onTrackState);
      tile.videoTrack.removeEventListener('ended', tile.onTrackState);
    }
    tile.videoTrack = track;
    if (track) {
      track.addEventListener('mute', tile.onTrackState);
      track.addEventListener('unmute', tile.onTrackState);
      track.addEventListener('ended', tile.onTrackState);
    }
    const playing = play(tile.video, track);
    if (playing) playing.catch(() => {});
    this.renderTile(tile);
  }

  /**
   * Plays everyone's sound on the chosen speaker, where the browser allows choosing.
   * @param {string} deviceId
   */
  setSpeaker(deviceId) {
    this.speakerId = deviceId || '';
    for (const tile of this.tiles.values()) this.applySink(tile.audio);
  }

  /** @param {HTMLMediaElement} element */
  applySink(element) {
    if (typeof element.setSinkId !== 'function') return;
    if ((element.sinkId || '') === this.speakerId) return;
    element.setSinkId(this.speakerId).catch(() => {});
  }

  updateAudioBanner() {
    this.audioBlocked.hidden = this.blockedAudio.size === 0;
  }

  retryAudio() {
    for (const element of [...this.blockedAudio]) {
      element.play().then(() => {
        this.blockedAudio.delete(element);
        this.updateAudioBanner();
      }, () => {});
    }
  }

  // ---- who is speaking ----

  /**
   * Your own level from the microphone meter.
   * @param {string} selfId
   * @param {number} level
   */
  setSelfLevel(selfId, level) {
    const tile = this.tiles.get(selfId);
    if (tile && level > SELF_SPEAKING_LEVEL && tile.participant.audio) tile.speakingUntil = performance.now() + SPEAKING_HOLD_MS;
  }

  /**
   * Marks the room's dominant speaker's tile (data-speaking="true"), as the relay decided it; null: nobody speaks.
   * @param {string | null} participantId
   */
  setActiveSpeaker(participantId) {
    this.activeSpeakerId = participantId;
    for (const [id, tile] of this.tiles) {
      if (id === participantId) tile.el.dataset.speaking = 'true';
      else delete tile.el.dataset.speaking;
    }
    const self = [...this.tiles.values()].find((tile) => tile.participant.self);
    this.speakerLayout.heard(participantId, self ? self.participant.id : null);
  }

  /**
   * Last-N: only these participants' video comes (the most recent speakers); the others show their picture.
   * @param {string[] | null} participantIds null when everyone's video comes
   */
  setForwardedVideo(participantIds) {
    this.forwardedVideo = participantIds === null ? null : new Set(participantIds);
    for (const tile of this.tiles.values()) this.renderTile(tile);
    if (this.handlers.tilesResized) this.handlers.tilesResized();
  }

  /**
   * The videos the relay pauses because your link cannot carry them beside the sound (they come back by themselves):
   * those tiles show the picture and a note instead of a frozen frame.
   * @param {Set<string>} cameras participant ids whose camera is paused
   * @param {Set<string>} screens participant ids whose screen share is paused
   */
  setPausedVideo(cameras, screens) {
    this.pausedVideo = new Set(cameras);
    for (const tile of this.tiles.values()) this.renderTile(tile);
    this.screens.setPaused(screens);
  }

  startSpeakingWatch() {
    if (this.speakingTimer) return;
    this.speakingTimer = window.setInterval(() => this.watchSpeaking(), 250);
  }

  stopSpeakingWatch() {
    if (this.speakingTimer) window.clearInterval(this.speakingTimer);
    this.speakingTimer = 0;
  }

  watchSpeaking() {
    const now = performance.now();
    for (const tile of this.tiles.values()) {
      const receiver = tile.audioReceiver;
      if (receiver && typeof receiver.getSynchronizationSources === 'function' && tile.participant.audio) {
        const loudest = receiver.getSynchronizationSources().reduce((max, s) => Math.max(max, s.audioLevel ?? 0), 0);
        if (loudest > REMOTE_SPEAKING_LEVEL) tile.speakingUntil = now + SPEAKING_HOLD_MS;
      }
      const speaking = tile.speakingUntil > now && tile.participant.audio;
      tile.el.classList.toggle('is-speaking', speaking);
      const item = this.items.get(tile.participant.id);
      if (item && (item.dataset.speaking === 'true') !== speaking) {
        item.dataset.speaking = String(speaking);
        find(item, '[data-speaking-label]').textContent = speaking ? this.t('meeting.speaking') : '';
      }
    }
  }

  // ---- layout ----

  layout() {
    this.speakerLayout.arrange(this.grid, this.laidTiles());
    // Two people on the grid: the other fills it and your own view floats small in a corner, as in a call.
    const pip = !this.speakerLayout.on && this.tiles.size === 2;
    for (const tile of this.tiles.values()) tile.el.classList.toggle('is-pip', pip && tile.participant.self);
    const count = Math.max(1, this.tiles.size - (pip ? 1 : 0));
    const style = getComputedStyle(this.grid);
    const width = this.grid.clientWidth - parseFloat(style.paddingLeft || '0') - parseFloat(style.paddingRight || '0');
    const height = this.grid.clientHeight - parseFloat(style.paddingTop || '0') - parseFloat(style.paddingBottom || '0');
    const shape = gridShape(count, width, height, { gap: parseFloat(style.columnGap) || 8 });
    this.grid.style.setProperty('--cols', String(shape.cols));
    this.grid.style.setProperty('--rows', String(shape.rows));
    if (shape.tileWidth > 0) {
      this.grid.style.setProperty('--tile-width', `${shape.tileWidth}px`);
      this.grid.style.setProperty('--tile-height', `${shape.tileHeight}px`);
      this.grid.dataset.sized = 'true';
    } else {
      this.grid.style.removeProperty('--tile-width');
      this.grid.style.removeProperty('--tile-height');
      delete this.grid.dataset.sized;
    }
    if (this.handlers.tilesResized) this.handlers.tilesResized();
  }

  /**
   * The tiles in the order they show: yours, then the others as they came.
   * @returns {import('./speaker-layout.js').LaidTile[]}
   */
  laidTiles() {
    const tiles = [...this.tiles.values()].map(({ el, participant: p }) => ({ id: p.id, el, self: p.self, name: p.displayName }));
    return [...tiles.filter((tile) => tile.self), ...tiles.filter((tile) => !tile.self)];
  }

  /**
   * How large each remote participant's video shows, in device pixels; 0 x 0 while its tile shows no video (camera
   * off, or not laid out).
   * @returns {Map<string, {width: number, height: number}>}
   */
  shownSizes() {
    const ratio = window.devicePixelRatio || 1;
    /** @type {Map<string, {width: number, height: number}>} */
    const sizes = new Map();
    for (const tile of this.tiles.values()) {
      if (tile.participant.self) continue;
      const showing = tile.videoTrack !== null && tile.participant.video !== false;
      sizes.set(tile.participant.id, showing
        ? { width: tile.video.clientWidth * ratio, height: tile.video.clientHeight * ratio }
        : { width: 0, height: 0 });
    }
    for (const [key, size] of this.screens.shownSizes()) sizes.set(key, size);
    return sizes;
  }

  // ---- toolbar ----

  /**
   * @param {object} state
   * @param {boolean} state.canAudio the meeting takes your microphone
   * @param {boolean} state.micOn
   * @param {boolean} state.canVideo the meeting takes your camera
   * @param {boolean} state.cameraOn
   * @param {boolean} [state.canShare] this browser can share its screen (else the button is not shown)
   * @param {boolean} [state.sharing] you share your screen now
   */
  renderControls({ canAudio, micOn, canVideo, cameraOn, canShare = false, sharing = false }) {
    const t = this.t;
    setToggle(this.muteButton, canAudio, micOn, t('mic.mute'), t('mic.unmute'), t('mic.unavailable'));
    find(this.muteButton, '[data-label]').textContent = !canAudio ? t('mic.unavailable') : micOn ? t('mic.muteShort') : t('mic.unmuteShort');
    setToggle(this.cameraButton, canVideo, cameraOn, t('camera.stop'), t('camera.start'), t('camera.unavailable'));
    find(this.cameraButton, '[data-label]').textContent = !canVideo ? t('camera.unavailable') : cameraOn ? t('camera.stopShort') : t('camera.startShort');
    this.shareButton.hidden = !canShare; // phones and older browsers cannot share a screen at all
    this.shareButton.setAttribute('aria-pressed', String(sharing));
    this.shareButton.dataset.sharing = String(sharing);
    const shareLabel = sharing ? t('screen.stop') : t('screen.start');
    find(this.shareButton, '[data-label]').textContent = shareLabel;
    this.shareButton.title = shareLabel;
    this.sharingBanner.hidden = !sharing;
  }

  // ---- lobby (hosts) ----

  /** @param {LobbyEntry[]} entries */
  renderLobby(entries) {
    const seen = new Set();
    for (const { participant, deciding } of entries) {
      seen.add(participant.id);
      /** @type {HTMLElement | null} */
      let item = this.lobbyList.querySelector(`[data-participant-id="${CSS.escape(participant.id)}"]`);
      if (!item) {
        item = instantiate(this.lobbyTemplate);
        item.dataset.participantId = participant.id;
        this.lobbyList.appendChild(item);
      }
      find(item, '[data-name]').textContent = participant.displayName;
      setAvatar(find(item, '[data-avatar]'), participant);
      /** @type {HTMLButtonElement} */
      const admit = find(item, '[data-testid="lobby-admit"]');
      /** @type {HTMLButtonElement} */
      const deny = find(item, '[data-testid="lobby-deny"]');
      admit.setAttribute('aria-label', this.t('lobby.admitName', participant.displayName));
      deny.setAttribute('aria-label', this.t('lobby.denyName', participant.displayName));
      admit.disabled = deciding;
      deny.disabled = deciding;
    }
    for (const item of /** @type {HTMLElement[]} */ ([...this.lobbyList.children])) {
      if (!seen.has(item.dataset.participantId)) item.remove();
    }
    this.lobbyBox.hidden = entries.length === 0;
  }

  // ---- notes ----

  /**
   * Our own connection dropped and the page is getting back in: a banner over the meeting, which stays as it was.
   * @param {boolean} on
   */
  setReconnecting(on) {
    this.reconnectingBanner.hidden = !on;
    this.section.dataset.reconnecting = on ? 'true' : 'false';
  }

  /** @param {string} text */
  setStatus(text) {
    this.status.textContent = text;
    this.status.hidden = !text;
  }

  /**
   * @param {string} text
   * @param {{urgent?: boolean}} [options] urgent notes stay longer and look different
   */
  toast(text, { urgent = false } = {}) {
    const note = document.createElement('div');
    note.className = urgent ? 'toast toast-urgent' : 'toast';
    note.textContent = text;
    this.toasts.appendChild(note);
    while (this.toasts.children.length > 4) /** @type {Element} */ (this.toasts.firstElementChild).remove();
    window.setTimeout(() => note.remove(), urgent ? 8000 : 4500);
  }
}
