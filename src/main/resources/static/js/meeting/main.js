// @ts-check
// Parley's meeting page: pre-join, lobby, meeting, and the screens after it. Wires the pure parts (session,
// negotiator, stores) to the browser (getUserMedia, RTCPeerConnection, WebSocket, the DOM).
//
// Modules (plain ES modules, no build step; every one is `// @ts-check` with JSDoc types, checked by tsc in the test
// suite: src/test/browsers/tsconfig.json, JavaScriptTypeCheckTest):
//   without DOM, tested with `node --test src/test/js/`:
//     protocol.js      messages of docs/signaling.md: builders for what we send, checks for what we receive
//     session.js       one visit over the socket: join, lobby, welcome, offers in order, participants, leave, resume
//     reconnect.js     when to try again after the connection dropped, within the server's grace
//     media-watch.js   when a 'disconnected' media connection counts as lost (its bytes both ways, two limits)
//     offer-queue.js   runs offers strictly one after the other
//     negotiation.js   section 3 on an RTCPeerConnection (passed in): answer, sendonly publish, replaceTrack
//     tracks.js        mid -> participant table and remote tracks per participant
//     tile-sizes.js    how large each received video shows, sent to the relay so it picks the simulcast layer
//     stage.js         who is on the speaker layout's stage: pinned, speaking (after a hold), or spoke last
//     participants.js  participant store, hosts' lobby requests, initials and avatar colours
//     chat.js          the chat as the page keeps it (no duplicates, unread count), what may be sent, links in text
//     ticket.js        POST /r/{slug}/ticket and the ws(s):// URL
//     network-check.js the pre-join network check: an ICE probe per path (UDP, TCP, TURN), round trip, upload
//     media.js         camera and microphone (getUserMedia, devices, mute, camera off); mediaDevices passed in
//     media-errors.js  what a getUserMedia failure means, and which message to show
//     farewell.js      the words after a meeting: why you are out, and who (a host, you, an administrator)
//     screen-share.js  your screen share (getDisplayMedia, tuned for text) and how its sender is encoded
//     layout.js, level.js, i18n.js, emitter.js   grid shape, meter level, texts, events
//   with DOM: prejoin-view.js, meeting-view.js, speaker-layout.js (stage and filmstrip, the layout switch, pins),
//     screen-view.js (others' screen shares shown large, a switcher between several),
//     chat-view.js (the chat panel, its badge and recipient choice), network-check-view.js, meter.js, toggle.js,
//     host-controls-view.js (participant menus, meeting-wide host buttons, locked badge, ask-to-unmute prompt), and
//     this file.

import { loadTexts } from './i18n.js';
import { LocalMedia } from './media.js';
import { MicMeter } from './meter.js';
import { PrejoinView } from './prejoin-view.js';
import { MeetingView, find } from './meeting-view.js';
import { ChatView } from './chat-view.js';
import { ChatFiles } from './chat-files.js';
import { NetworkCheckView } from './network-check-view.js';
import { HostControlsView } from './host-controls-view.js';
import { HandsView } from './hands-view.js';
import { QualityWatch } from './quality.js';
import { InvitationView } from './invitation.js';
import { MeetingTimer } from './timer.js';
import { StatsView } from './stats.js';
import { FINAL_BYE_REASONS } from './protocol.js';
import { farewellText } from './farewell.js';
import { MeetingSession } from './session.js';
import { Negotiator } from './negotiation.js';
import { requestTicket, signalingSocketUrl } from './ticket.js';
import { TileSizeReporter } from './tile-sizes.js';
import { pausedOwners } from './tracks.js';
import { DisconnectedWatch } from './media-watch.js';
import { ScreenShare } from './screen-share.js';

/** @typedef {import('./prejoin-view.js').JoinChoice} JoinChoice */
/** @typedef {import('./ticket.js').TicketError} TicketError */

/** Ticket and join errors after which only a fresh page (with the room's rules checked again) can help. */
const RELOAD_CODES = new Set(['forbidden', 'not-found', 'session-expired', 'ticket-invalid', 'room-closed']);
/** @type {Record<string, string | undefined>} */
const LEFT_NOTES = { left: 'meeting.leftNote', disconnected: 'meeting.disconnectedNote', removed: 'meeting.removedNote' };

/** @type {HTMLElement | null} */
const root = document.querySelector('[data-meeting-app]');
if (root) start(root);

/** @param {HTMLElement} root */
function start(root) {
  const t = loadTexts(root.querySelector('[data-texts]'));
  const screens = {
    lobby: find(root, '[data-testid="lobby-waiting"]'),
    left: find(root, '[data-testid="left"]'),
    error: find(root, '[data-testid="meeting-error"]'),
  };
  const media = new LocalMedia();
  const screenShare = new ScreenShare();
  /** @type {MeetingSession | null} */
  let session = null;
  /** @type {Negotiator | null} */
  let negotiator = null;
  /** @type {RTCPeerConnection | null} */
  let pc = null;
  let screen = 'prejoin';
  /** @type {JoinChoice | null} */
  let lastChoice = null;
  const tileSizes = new TileSizeReporter((tiles, version) => session !== null && session.sendTileSizes(tiles, version));
  /** @type {MeetingView | null} */
  let shownView = null;
  const reportTiles = () => {
    if (negotiator && shownView) tileSizes.update(negotiator.table, shownView.shownSizes(), negotiator.tableVersion);
  };
  /** @type {string[]} the mids the relay last said it pauses for bandwidth on this peer connection */
  let pausedMids = [];
  /** @param {string[]} mids */
  const showPaused = (mids) => {
    pausedMids = mids;
    const { cameras, screens } = pausedOwners(negotiator ? negotiator.table : {}, mids);
    view.setPausedVideo(cameras, screens);
  };

  const view = new MeetingView(root, t, {
    mute: () => media.setMicOn(!media.micOn),
    camera: () => toggleCamera(),
    share: () => toggleScreenShare(),
    leave: () => session && session.leave(),
    admit: (id) => session && session.decideLobby(id, true),
    deny: (id) => session && session.decideLobby(id, false),
    tilesResized: () => reportTiles(),
    participantsToggled: (open) => {
      if (open) chatView.setOpen(false);
    },
    itemRendered: (item, participant) => hostView.renderItem(item, participant),
  });
  const hostView = new HostControlsView(root, t, {
    moderate: (action, participantId, ban) => session !== null && session.moderate(action, participantId, ban),
  });
  const handsView = new HandsView(root, t, {
    raise: (raised) => session !== null && session.raiseHand(raised),
    react: (name) => session !== null && session.react(name),
  });
  const invitation = new InvitationView(root, t);
  const stats = new StatsView(root, t, {
    peerConnection: () => pc,
    tracks: () => (session ? session.tracks : {}),
    people: () => ({
      selfId: session ? session.participantId : null,
      names: new Map(session ? session.participants.list().map((p) => [p.id, p.displayName]) : []),
    }),
  });
  const timer = new MeetingTimer(find(root, '[data-testid="meeting-timer"]'));
  const quality = new QualityWatch(() => pc, (level) => session !== null && session.reportQuality(level));
  shownView = view;
  const chatFiles = new ChatFiles({
    credentials: () => (session ? session.fileCredentials() : null),
    csrf: { header: root.dataset.csrfHeader, token: root.dataset.csrfToken },
    maxBytes: Number(root.dataset.maxFileSize) || 0,
  });
  const chatView = new ChatView(root, t, (text, to) => session !== null && session.sendChat(text, to), {
    share: (file, to) => chatFiles.share(file, to),
    download: (file) => chatFiles.download(file),
  });
  // One side panel at a time, as in other meeting apps: the video keeps its room.
  chatView.onToggle = (open) => {
    if (open) view.setParticipantsOpen(false);
    view.layout();
  };
  const meter = new MicMeter(root.querySelector('[data-testid="prejoin-mic-level"]'), (level) => {
    if (session && session.participantId) view.setSelfLevel(session.participantId, level);
  });
  const prejoin = new PrejoinView(root, t, media, (choice) => join(choice));
  const networkCheck = root.querySelector('[data-network-check]');
  if (networkCheck) {
    new NetworkCheckView(/** @type {HTMLElement} */ (networkCheck), t,
      { header: root.dataset.csrfHeader, token: root.dataset.csrfToken });
  }

  /**
   * While waiting in the lobby you see yourself as the others will.
   * @param {MediaStreamTrack | null} track null: no camera, no preview
   */
  function showLobbyPreview(track) {
    /** @type {HTMLVideoElement} */
    const preview = find(screens.lobby, '[data-testid="lobby-preview"]');
    preview.srcObject = track ? new MediaStream([track]) : null;
    preview.hidden = !track;
  }

  /** @param {'prejoin' | 'lobby' | 'meeting' | 'left' | 'error'} name */
  function show(name) {
    if (name !== 'lobby') showLobbyPreview(null);
    screen = name;
    prejoin.show(name === 'prejoin');
    screens.lobby.hidden = name !== 'lobby';
    screens.left.hidden = name !== 'left';
    screens.error.hidden = name !== 'error';
    view.show(name === 'meeting');
    document.body.classList.toggle('in-meeting', name === 'meeting');
  }

  /** @param {string} code */
  function showError(code) {
    const known = t(`error.${code}`);
    find(screens.error, '[data-error-message]').textContent = known === `error.${code}` ? t('error.generic') : known;
    const reload = RELOAD_CODES.has(code);
    find(screens.error, '[data-error-retry]').hidden = reload || code === 'unsupported' || code === 'banned';
    find(screens.error, '[data-error-reload]').hidden = !reload;
    screens.error.dataset.code = code;
    show('error');
  }

  /**
   * @param {string} reason
   * @param {import('./protocol.js').ModeratedMessage | null} [moderation] the host or admin control that sent us out
   * @param {string | null} [selfId]
   */
  function showLeft(reason, moderation = null, selfId = null) {
    const { key, args } = farewellText(reason, moderation, selfId);
    const known = t(key, ...args);
    find(screens.left, '[data-left-message]').textContent = known === key ? t('end.disconnected') : known;
    // Joining again cannot work after these: no Rejoin button that would only fail.
    find(screens.left, '[data-testid="rejoin-button"]').hidden = FINAL_BYE_REASONS.has(reason);
    screens.left.dataset.reason = reason;
    show('left');
  }

  // ---- your devices ----

  media.on('track', ({ kind, track }) => {
    if (kind === 'audio') meter.attach(track);
    if (negotiator && session && session.state === 'joined') {
      negotiator.replaceTrack(kind, track).catch((error) => console.warn('Parley: replaceTrack failed', error));
    }
    if (kind === 'video' && session && session.participantId) view.setSelfVideo(session.participantId, track);
    syncMediaState();
  });
  media.on('state', () => syncMediaState());
  media.on('outcome', () => syncMediaState());
  media.on('speaker', ({ deviceId }) => view.setSpeaker(deviceId));
  media.on('lost', ({ kind }) => {
    if (screen === 'meeting') view.toast(t(kind === 'audio' ? 'device.micLost' : 'device.cameraLost'), { urgent: true });
  });
  root.addEventListener('parley:device-switch-failed', () => {
    if (screen === 'meeting') view.toast(t('device.switchFailed'), { urgent: true });
  });

  function syncMediaState() {
    if (session && session.state !== 'ended') session.setMediaState(media.isOn('audio'), media.isOn('video'));
    const sending = session && session.sending ? session.sending : { audio: false, video: false };
    view.renderControls({
      canAudio: sending.audio,
      micOn: media.micOn && !!media.track('audio'),
      canVideo: sending.video,
      cameraOn: media.cameraOn && !!media.track('video'),
      canShare: screenShare.supported(),
      sharing: screenShare.sharing,
    });
  }

  // ---- your screen share ----

  async function toggleScreenShare() {
    if (screenShare.sharing) {
      screenShare.stop();
      return;
    }
    if (!session || session.state !== 'joined') return;
    const outcome = await screenShare.start();
    if (outcome === 'ok') {
      // The server answers with an offer naming the section to send it on (or refuses: see the notices).
      if (!session || !session.setScreenShare(true)) screenShare.stop();
    } else if (outcome !== 'cancelled') {
      view.toast(t(outcome === 'unsupported' ? 'screen.unavailable' : 'screen.failed'), { urgent: true });
    }
  }

  // Whoever ended it (the button, the banner, the browser's own "Stop sharing"), the share ends for everyone.
  screenShare.on('track', ({ track }) => {
    if (!track) {
      if (negotiator) negotiator.stopScreen().catch((error) => console.warn('Parley: stopping the share failed', error));
      if (session) session.setScreenShare(false);
    }
    syncMediaState();
  });

  async function toggleCamera() {
    const wanted = !media.cameraOn;
    const on = await media.setCameraOn(wanted);
    if (wanted && !on) view.toast(t('device.cameraFailed'), { urgent: true });
  }

  // ---- joining ----

  let joining = false;

  /** @param {JoinChoice} choice */
  async function join(choice) {
    if (joining || session) return;
    joining = true;
    try {
      await enter(choice);
    } finally {
      joining = false;
    }
  }

  /** @param {JoinChoice} choice */
  async function enter(choice) {
    lastChoice = choice;
    show('prejoin');
    prejoin.setBusy(true, t('prejoin.joining'));
    if (choice.listenOnly) await media.goListenOnly();
    // Let a pending permission prompt finish first: the join says what we send, and the ticket lives 2 minutes.
    await media.busy;
    let ticket;
    try {
      ticket = await requestTicket({
        fetch: (...args) => window.fetch(...args),
        ticketUrl: /** @type {string} the page always sets it */ (root.dataset.ticketUrl),
        displayName: choice.name,
        csrf: { header: root.dataset.csrfHeader, token: root.dataset.csrfToken },
      });
    } catch (e) {
      const error = /** @type {TicketError} requestTicket rejects with nothing else */ (e);
      prejoin.setBusy(false);
      if (error.code === 'display-name') {
        prejoin.showNameError(choice.name.length > 60 ? t('prejoin.nameTooLong') : t('prejoin.nameRequired'));
        return;
      }
      // No camera light while only an error is on screen; going back to the pre-join opens the devices again.
      media.stop();
      showError(error.code || 'generic');
      return;
    }
    session = new MeetingSession({
      openSocket: (url) => new WebSocket(url),
      createNegotiator,
      timers: window,
    });
    wireSession(session);
    session.start({
      ticket: ticket.ticket,
      url: signalingSocketUrl(ticket.signalingUrl, window.location.href),
      displayName: choice.name,
      send: { audio: media.canSend('audio'), video: media.canSend('video') },
      on: { audio: media.isOn('audio'), video: media.isOn('video') },
    });
  }

  // A 'disconnected' connection that stays so counts as lost: the session resumes on a new transport.
  const disconnected = new DisconnectedWatch({
    onLost: (connection) => {
      if (connection === pc && session) session.lose('media');
    },
  });

  /**
   * A peer connection for the relay's offers: one per transport, so a new one after each resume.
   * @param {RTCIceServer[]} [iceServers] TURN servers from the welcome or resumed before it (iceTransportPolicy stays
   *     'all': direct paths first, the TURN relay where they fail)
   */
  function createNegotiator(iceServers = []) {
    disconnected.stop();
    pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require', iceServers });
    const connection = pc;
    const onState = () => {
      if (connection !== pc) return;
      // Browsers without connectionState go by the ICE state.
      const state = /** @type {string} */ (connection.connectionState || connection.iceConnectionState);
      if (state !== 'disconnected') disconnected.stop();
      if (!session || session.state === 'reconnecting') return;
      if (state === 'connected' || state === 'completed') view.setStatus('');
      else if (state === 'connecting' || state === 'checking') view.setStatus(t('meeting.connecting'));
      else if (state === 'disconnected') {
        view.setStatus(t('meeting.unstable'));
        // A short loss heals by itself (ICE consent lasts 30 s on the relay); a long one needs a new transport.
        disconnected.watch(connection);
      } else if (state === 'failed') session.lose('media');
    };
    pc.addEventListener('connectionstatechange', onState);
    pc.addEventListener('iceconnectionstatechange', onState);
    negotiator = new Negotiator(pc, media, screenShare);
    return negotiator;
  }

  /** @param {MeetingSession} s */
  function wireSession(s) {
    s.on('state', ({ state }) => {
      if (s !== session) return;
      if (state === 'lobby') {
        prejoin.setBusy(false);
        show('lobby');
      }
    });
    s.on('reconnecting', ({ cause }) => {
      if (s !== session) return;
      disconnected.stop();
      view.setStatus('');
      view.setReconnecting(true);
      console.info('Parley meeting: reconnecting after', cause);
    });
    s.on('resumed', () => {
      if (s !== session) return;
      hostView.setPowers({ host: s.host, cohost: s.cohost });
      hostView.setLocked(s.locked);
      hostView.setRecording(!!s.recording);
      // The old peer connection is closed; the next offer makes a new one with the same local tracks.
      negotiator = null;
      pc = null;
      tileSizes.reset(); // the new transport's mids are told afresh
      showPaused([]); // and what it pauses
      view.setReconnecting(false);
      view.setStatus(t('meeting.connecting'));
    });
    s.on('lobby', (m) => {
      if (s !== session) return;
      find(screens.lobby, '[data-lobby-title]').textContent = t(m.state === 'locked' ? 'lobby.locked' : 'lobby.waiting');
      showLobbyPreview(media.track('video'));
    });
    s.on('welcome', () => {
      hostView.setPowers({ host: s.host, cohost: s.cohost });
      hostView.setLocked(false);
      tileSizes.reset();
      view.setForwardedVideo(null);
      showPaused([]);
      prejoin.setBusy(false);
      prejoin.lendDeviceSettings(find(root, '[data-settings-slot]'));
      chatView.attach(s.chat);
      chatView.setKept(!!(s.room && s.room.chatKept));
      syncRecipients();
      show('meeting');
      view.setSelfVideo(/** @type {string} set by the welcome */ (s.participantId), media.track('video'));
      view.setSpeaker(media.selected.audiooutput);
      syncMediaState();
      quality.start();
      timer.start(s.room ? s.room.startedAt : null);
    });
    const syncRecipients = () => {
      if (s === session) chatView.setParticipants(s.participantId ?? '', s.participants.list());
    };
    s.chat.on('added', ({ message }) => {
      if (s !== session || message.mine || s.chat.open) return;
      const text = message.file ? t('chat.sharedFile', message.file.name) : message.text;
      const preview = text.length > 80 ? `${text.slice(0, 80)}…` : text;
      view.toast(t('chat.newFrom', message.from.displayName, preview));
    });
    s.participants.on('added', syncRecipients);
    s.participants.on('removed', syncRecipients);
    s.participants.on('updated', syncRecipients);
    const syncHands = () => {
      if (s !== session) return;
      const self = s.participants.self;
      handsView.setRaised(!!self && typeof self.hand === 'number');
      hostView.setRaisedHands(s.participants.list().filter((p) => !p.self && typeof p.hand === 'number').length);
    };
    s.participants.on('changed', syncHands);
    s.participants.on('added', ({ participant }) => {
      view.upsert(participant);
      if (participant.self) view.setSelfVideo(participant.id, media.track('video'));
      else if (s.state === 'joined') view.toast(t('meeting.joined', participant.displayName));
    });
    s.participants.on('updated', ({ participant, previous }) => {
      view.upsert(participant);
      reportTiles();
      const handUp = typeof participant.hand === 'number' && !(previous && typeof previous.hand === 'number');
      if (handUp && !participant.self && s.canModerate) view.toast(t('hand.raised', participant.displayName));
      if (participant.self || !previous || previous.connection === participant.connection) return;
      if (participant.connection === 'reconnecting') view.toast(t('meeting.reconnectingNote', participant.displayName));
    });
    s.participants.on('removed', ({ participant, reason }) => {
      view.remove(participant.id);
      if (LEFT_NOTES[reason] && s.state === 'joined') view.toast(t(LEFT_NOTES[reason], participant.displayName));
    });
    s.lobby.on('changed', ({ change, participant }) => {
      view.renderLobby(s.lobby.list());
      hostView.setWaiting(s.lobby.size);
      if (change === 'added') view.toast(t('lobby.arrived', participant.displayName), { urgent: true });
    });
    s.on('media', (remote) => {
      view.setRemoteMedia(remote);
      showPaused(pausedMids); // a mid may have changed owner with the offer
      reportTiles();
    });
    s.on('activeSpeaker', ({ participantId }) => view.setActiveSpeaker(participantId));
    s.on('reaction', ({ participantId, name }) => view.showReaction(participantId, name));
    s.on('powers', (powers) => hostView.setPowers(powers));
    s.on('roomState', ({ locked, recording, recordingEnded }) => {
      if (locked !== hostView.locked) view.toast(t(locked ? 'host.lockedNote' : 'host.unlockedNote'));
      hostView.setLocked(locked);
      if (recording && !hostView.recording) {
        view.toast(recording.startedBy ? t('recording.startedBy', recording.startedBy) : t('recording.on'),
          { urgent: true });
      } else if (!recording && recordingEnded) {
        const notes = { 'disk-full': 'recording.diskFull', failed: 'recording.failed' };
        view.toast(t(notes[/** @type {keyof typeof notes} */ (recordingEnded)] ?? 'recording.stopped'),
          { urgent: recordingEnded !== 'stopped' });
      }
      hostView.setRecording(!!recording);
    });
    s.on('moderated', (m) => {
      if (s !== session) return;
      const name = m.by.displayName;
      if (m.action === 'mute') {
        media.setMicOn(false);
        view.toast(t('host.mutedYou', name), { urgent: true });
      } else if (m.action === 'ask-unmute') {
        if (!media.micOn) hostView.askToUnmute(name, () => media.setMicOn(true));
      } else if (m.action === 'stop-camera') {
        media.setCameraOn(false);
        view.toast(t('host.stoppedCamera', name), { urgent: true });
      } else if (m.action === 'make-cohost') {
        view.toast(t('host.madeCohost', name));
      } else if (m.action === 'revoke-cohost') {
        view.toast(t('host.revokedCohost', name));
      } else if (m.action === 'lower-hand') {
        view.toast(t('host.loweredHand', name));
      }
    });
    s.on('forwardedVideo', ({ participantIds }) => view.setForwardedVideo(participantIds));
    s.on('pausedVideo', ({ mids }) => showPaused(mids));
    s.on('notice', (notice) => {
      if (notice.code === 'stale-answer') return;
      if (notice.ref === 'screen-share') {
        screenShare.stop(); // the session forgot the share already, so no stop goes out
        view.toast(t(notice.code === 'too-many-shares' ? 'screen.tooMany' : 'screen.refused'), { urgent: true });
        return;
      }
      if (notice.ref === 'chat') {
        const chatNotes = { 'rate-limited': 'chat.tooFast', 'unknown-recipient': 'chat.noRecipient' };
        view.toast(t(chatNotes[/** @type {keyof typeof chatNotes} */ (notice.code)] ?? 'chat.notSent'), { urgent: true });
        return;
      }
      if (notice.ref === 'hand' || notice.ref === 'reaction' || notice.ref === 'quality') {
        if (notice.ref !== 'quality') view.toast(t(notice.ref === 'reaction' ? 'reaction.tooFast' : 'hand.tooFast'));
        return;
      }
      if (notice.code === 'unknown-participant') {
        view.toast(t('host.gone'), { urgent: true });
        return;
      }
      if (notice.code.startsWith('recording-')) {
        const known = t(`error.${notice.code}`);
        view.toast(known === `error.${notice.code}` ? t('recording.failed') : known, { urgent: true });
        return;
      }
      const refusedForPowers = notice.code === 'forbidden' || notice.code === 'not-allowed';
      view.toast(refusedForPowers ? t('meeting.notAllowed') : t('meeting.refused'), { urgent: true });
    });
    s.on('problem', ({ error, context }) => console.warn('Parley meeting:', context, error));
    s.on('ended', ({ reason, code }) => finish(s, reason, code));
  }

  /**
   * @param {MeetingSession} s
   * @param {string} reason
   * @param {string | undefined} code
   */
  function finish(s, reason, code) {
    if (s !== session) return;
    session = null;
    negotiator = null;
    pc = null;
    disconnected.stop();
    view.setReconnecting(false);
    view.clear();
    chatView.clear();
    hostView.clear();
    handsView.clear();
    quality.stop();
    timer.stop();
    invitation.close(); // a modal dialog left open would keep the page behind it unusable
    stats.close();
    prejoin.takeBackDeviceSettings();
    prejoin.setBusy(false);
    media.stop();
    screenShare.stop();
    if (reason === 'moved') {
      // The meeting now runs on another of the deployment's servers (the one that held it stopped or is draining):
      // a new ticket and a join take us there, without asking.
      console.info('Parley meeting: the meeting moved to another server; joining it again');
      void rejoin();
      return;
    }
    if (reason === 'error') showError(code || 'generic');
    else showLeft(reason, s.lastModeration, s.participantId);
  }

  async function rejoin() {
    if (!lastChoice || joining || session) return;
    show('prejoin');
    prejoin.setBusy(true, t('prejoin.joining'));
    if (!lastChoice.listenOnly) await media.start();
    join(lastChoice);
  }

  function backToPrejoin() {
    show('prejoin');
    prejoin.setBusy(false);
    if (!media.listenOnly && !media.track('audio') && !media.track('video')) media.start();
  }

  find(screens.left, '[data-testid="rejoin-button"]').addEventListener('click', () => rejoin());
  find(screens.lobby, '[data-lobby-cancel]').addEventListener('click', () => session && session.leave());
  find(screens.error, '[data-error-retry]').addEventListener('click', () => backToPrejoin());
  find(screens.error, '[data-error-reload]').addEventListener('click', () => window.location.reload());

  window.addEventListener('pagehide', () => {
    if (session) session.leave();
  });
  // The network is back: no need to wait out the pause between reconnect tries.
  window.addEventListener('online', () => {
    if (session) session.hurry();
  });

  document.addEventListener('keydown', (event) => {
    if (screen !== 'meeting' || !(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return;
    const key = event.key.toLowerCase();
    if (key === 'd') {
      event.preventDefault();
      if (session && session.sending?.audio) media.setMicOn(!media.micOn);
    } else if (key === 'e') {
      event.preventDefault();
      if (session && session.sending?.video) toggleCamera();
    }
  });

  // The test hook (and a handy console aid): live views of the current visit.
  /** @type {Window & {parleyMeeting?: object}} */ (window).parleyMeeting = {
    get peerConnection() {
      return pc;
    },
    get participantId() {
      return session ? session.participantId : null;
    },
    get tracks() {
      return session ? { ...session.tracks } : {};
    },
    get participants() {
      return session ? session.participants.snapshot() : {};
    },
    get state() {
      return session ? session.state : screen;
    },
    get localStream() {
      return media.stream;
    },
    get screenTrack() {
      return screenShare.track;
    },
    get chat() {
      return session ? session.chat.messages.map((m) => ({ ...m })) : [];
    },
    /**
     * Downloads a shared file of the chat as the download button does and says what came: its size and SHA-256, or
     * the problem (for browser tests, which cannot read what the browser saved).
     * @param {string} id
     */
    async fetchFile(id) {
      const message = session ? session.chat.messages.find((m) => m.file && m.file.id === id) : undefined;
      if (!message || !message.file) return { ok: false, problem: 'not-in-chat' };
      const result = await chatFiles.download(message.file);
      if (!result.ok || !result.blob) return { ok: false, problem: result.ok ? 'network' : result.problem };
      const digest = await crypto.subtle.digest('SHA-256', await result.blob.arrayBuffer());
      const sha256 = Array.from(new Uint8Array(digest)).map((b) => b.toString(16).padStart(2, '0')).join('');
      return { ok: true, size: result.blob.size, sha256 };
    },
  };

  if (typeof RTCPeerConnection !== 'function' || typeof WebSocket !== 'function') {
    showError('unsupported');
    return;
  }
  show('prejoin');
  media.start();
}
