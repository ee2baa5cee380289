import test from 'node:test';
import assert from 'node:assert/strict';
import { MeetingSession } from '../../main/resources/static/js/meeting/session.js';
import { Negotiator } from '../../main/resources/static/js/meeting/negotiation.js';
import { FakeSocket, FakePeerConnection, FakeTrack, FakeTimers, settle } from './fakes.js';

function setup({ send = { audio: true, video: true }, on = { audio: true, video: true } } = {}) {
  const sockets = [];
  const pcs = [];
  const timers = new FakeTimers();
  const media = { stream: {}, tracks: { audio: new FakeTrack('audio'), video: new FakeTrack('video') }, track(k) { return this.tracks[k]; } };
  const session = new MeetingSession({
    openSocket: (url) => { const s = new FakeSocket(url); sockets.push(s); return s; },
    createNegotiator: () => { const pc = new FakePeerConnection(); pcs.push(pc); return new Negotiator(pc, media); },
    timers,
  });
  const events = [];
  for (const type of ['state', 'lobby', 'welcome', 'notice', 'ended', 'answered']) {
    session.on(type, (detail) => events.push([type, detail]));
  }
  session.start({ ticket: 'T', url: 'ws://h/ws/signal', displayName: 'Me', send, on });
  return { session, socket: sockets[0], pcs, timers, events };
}

const welcome = (extra = {}) => ({
  type: 'welcome', participantId: 'me', host: false, room: { title: 'R', slug: 's' },
  participants: [{ id: 'a', displayName: 'Ann', audio: true, video: false, host: true, kind: 'browser' }], ...extra,
});
const offer = (version, lines, tracks = []) => ({
  type: 'offer', version, sdp: lines.join('\n'), publish: { audio: '0', video: '1' }, tracks,
});

test('join is the first message, with the ticket and what we will send', () => {
  const { session, socket } = setup({ send: { audio: true, video: false } });
  assert.equal(session.state, 'connecting');
  assert.deepEqual(socket.sent, []);
  socket.open();
  assert.deepEqual(socket.sent, [{ type: 'join', ticket: 'T', audio: true, video: false }]);
});

test('lobby, then welcome: you and the others are known and the state is joined', () => {
  const { session, socket, events } = setup();
  socket.open();
  socket.deliver({ type: 'lobby', state: 'waiting' });
  assert.equal(session.state, 'lobby');
  socket.deliver(welcome());
  assert.equal(session.state, 'joined');
  assert.equal(session.participantId, 'me');
  assert.deepEqual(session.participants.list().map((p) => [p.id, p.displayName, p.self]), [['me', 'Me', true], ['a', 'Ann', false]]);
  assert.deepEqual(events.filter(([t]) => t === 'state').map(([, d]) => d.state), ['connecting', 'lobby', 'joined']);
  assert.equal(socket.sentOfType('media-state').length, 0, 'nothing to correct when joining unmuted');
});

test('joining muted with the camera off: media-state follows the welcome', () => {
  const { session, socket } = setup({ on: { audio: false, video: false } });
  socket.open();
  socket.deliver(welcome());
  assert.deepEqual(socket.sentOfType('media-state'), [{ type: 'media-state', audio: false, video: false }]);
  assert.equal(session.participants.self.audio, false);
  session.setMediaState(true, false);
  assert.deepEqual(socket.sent.at(-1), { type: 'media-state', audio: true, video: false });
  assert.equal(session.participants.self.audio, true);
});

test('media-state never claims a kind the join did not send', () => {
  const { session, socket } = setup({ send: { audio: false, video: false } });
  socket.open();
  socket.deliver(welcome());
  session.setMediaState(true, true);
  assert.equal(socket.sentOfType('media-state').length, 0, 'still nothing to send: the join said neither');
  assert.equal(session.participants.self.audio, false);
  assert.equal(session.participants.self.video, false);
});

test('offers are answered in order with their versions, one at a time', async () => {
  const { session, socket, pcs } = setup();
  socket.open();
  socket.deliver(welcome());
  const base = ['audio 0 recvonly', 'video 1 recvonly'];
  socket.deliver(offer(1, [...base, 'audio 2 sendonly', 'video 3 sendonly'],
    [{ mid: '2', participantId: 'a', kind: 'audio' }, { mid: '3', participantId: 'a', kind: 'video' }]));
  socket.deliver(offer(2, [...base, 'audio 2 inactive', 'video 3 inactive']));
  await settle();
  await session.offers.idle();
  const answers = socket.sentOfType('answer');
  assert.deepEqual(answers.map((a) => a.version), [1, 2]);
  assert.equal(answers[0].sdp, 'audio 0 sendonly\nvideo 1 sendonly\naudio 2 recvonly\nvideo 3 recvonly');
  assert.equal(pcs.length, 1, 'one peer connection for every offer');
  assert.deepEqual(pcs[0].log, ['remote offer', 'create answer', 'local answer', 'remote offer', 'create answer', 'local answer']);
  assert.deepEqual(session.tracks, {});
});

test('a failed offer ends the visit with media-failed and a leave', async () => {
  const { session, socket, pcs } = setup();
  socket.open();
  socket.deliver(welcome());
  socket.deliver(offer(1, ['audio 0 recvonly']));
  await session.offers.idle();
  pcs[0].failNextRemote = true;
  socket.deliver(offer(2, ['audio 0 recvonly']));
  await session.offers.idle();
  assert.equal(session.state, 'ended');
  assert.deepEqual(socket.sent.at(-1), { type: 'leave' });
  assert.equal(pcs[0].closed, true);
});

test('participants join, change and leave; your own state is yours', () => {
  const { session, socket } = setup({ on: { audio: false, video: true } });
  socket.open();
  socket.deliver(welcome());
  socket.deliver({ type: 'participant-joined', participant: { id: 'b', displayName: 'Bo', audio: true, video: true, host: false, kind: 'whip' } });
  socket.deliver({ type: 'participant-updated', participant: { id: 'b', displayName: 'Bo', audio: false, video: true, host: false, kind: 'whip' } });
  socket.deliver({ type: 'participant-updated', participant: { id: 'me', displayName: 'Me', audio: true, video: true, host: true, kind: 'browser' } });
  assert.equal(session.participants.get('b').audio, false);
  assert.equal(session.participants.get('b').kind, 'whip');
  assert.equal(session.participants.self.audio, false, 'a late echo does not unmute you');
  assert.equal(session.participants.self.host, true);
  socket.deliver({ type: 'participant-left', participantId: 'b', reason: 'disconnected' });
  assert.equal(session.participants.has('b'), false);
  socket.deliver({ type: 'participant-left', participantId: 'me', reason: 'left' });
  assert.equal(session.participants.has('me'), true);
  socket.deliver({ type: 'participant-updated', participant: { id: 'b', displayName: 'Bo', audio: false, video: false, host: false, kind: 'whip' } });
  assert.equal(session.participants.has('b'), false, 'a change told after the leave brings no one back');
});

test('the active speaker is passed on once joined, null included', () => {
  const { session, socket } = setup();
  const speakers = [];
  session.on('activeSpeaker', ({ participantId }) => speakers.push(participantId));
  socket.open();
  socket.deliver({ type: 'active-speaker', participantId: 'a' });
  assert.deepEqual(speakers, [], 'not before the welcome');
  socket.deliver(welcome());
  socket.deliver({ type: 'active-speaker', participantId: 'a' });
  socket.deliver({ type: 'active-speaker', participantId: null });
  assert.deepEqual(speakers, ['a', null]);
});

test('hosts see lobby requests and decide once; others ignore them', () => {
  const { session, socket } = setup();
  socket.open();
  socket.deliver(welcome({ host: true }));
  const waiting = { id: 'w', displayName: 'Wan', audio: true, video: true, host: false, kind: 'browser' };
  socket.deliver({ type: 'lobby-request', participant: waiting });
  assert.equal(session.lobby.size, 1);
  assert.equal(session.decideLobby('w', true), true);
  assert.equal(session.decideLobby('w', false), false);
  assert.deepEqual(socket.sentOfType('lobby-decision'), [{ type: 'lobby-decision', participantId: 'w', admit: true }]);
  socket.deliver({ type: 'error', code: 'forbidden', message: 'no', ref: 'lobby-decision' });
  assert.equal(session.state, 'joined', 'a refused decision does not end the visit');
  assert.equal(session.decideLobby('w', false), true, 'and may be tried again');
  socket.deliver({ type: 'lobby-resolved', participantId: 'w' });
  assert.equal(session.lobby.size, 0);

  const guest = setup();
  guest.socket.open();
  guest.socket.deliver(welcome());
  guest.socket.deliver({ type: 'lobby-request', participant: waiting });
  assert.equal(guest.session.lobby.size, 0);
  assert.equal(guest.session.decideLobby('w', true), false);
});

for (const code of ['ticket-invalid', 'ticket-expired', 'forbidden', 'room-full', 'room-closed']) {
  test(`error ${code} while joining ends the visit`, () => {
    const { session, socket, events } = setup();
    socket.open();
    socket.deliver({ type: 'error', code, message: 'x', ref: 'join' });
    assert.equal(session.state, 'ended');
    assert.deepEqual(events.at(-1), ['ended', { reason: 'error', code }]);
    assert.equal(socket.closedWith, 1000);
  });
}

test('other refusals while joined are notices', () => {
  const { session, socket, events } = setup();
  socket.open();
  socket.deliver(welcome());
  socket.deliver({ type: 'error', code: 'stale-answer', message: '', ref: 'answer' });
  socket.deliver({ type: 'error', code: 'unknown-type', message: '', ref: 'x' });
  assert.equal(session.state, 'joined');
  assert.deepEqual(events.filter(([t]) => t === 'notice').map(([, d]) => d.code), ['stale-answer', 'unknown-type']);
  /** @type {any[]} */
  const problems = [];
  session.on('problem', (detail) => problems.push(detail));
  socket.deliver({ type: 'error', code: 'bad-sdp', message: 'the answer lacks m-section 4', ref: 'answer' });
  assert.deepEqual(events.at(-1), ['ended', { reason: 'error', code: 'bad-sdp' }]);
  assert.equal(problems.length, 1, 'the refusal is a problem worth a log line');
  assert.equal(problems[0].context, 'answer');
  assert.match(String(problems[0].error.message), /lacks m-section 4/);
});

test('bye ends the visit with its reason and later messages are ignored', () => {
  const { session, socket, events } = setup();
  socket.open();
  socket.deliver({ type: 'lobby', state: 'waiting' });
  socket.deliver({ type: 'bye', reason: 'denied' });
  assert.deepEqual(events.at(-1), ['ended', { reason: 'denied', code: undefined }]);
  socket.deliver(welcome());
  assert.equal(session.state, 'ended');
});

test('a socket that closes after opening means disconnected; before opening, connect-failed', () => {
  const a = setup();
  a.socket.open();
  a.socket.deliver(welcome());
  a.socket.drop();
  assert.deepEqual(a.events.at(-1), ['ended', { reason: 'disconnected', code: undefined }]);

  const b = setup();
  b.socket.drop();
  assert.deepEqual(b.events.at(-1), ['ended', { reason: 'error', code: 'connect-failed' }]);
});

test('leave sends leave, closes the socket and the peer connection, and stops the pings', async () => {
  const { session, socket, pcs, timers, events } = setup();
  socket.open();
  socket.deliver(welcome());
  socket.deliver(offer(1, ['audio 0 recvonly', 'video 1 recvonly']));
  await session.offers.idle();
  timers.tick();
  assert.deepEqual(socket.sent.at(-1), { type: 'ping', id: 1 });
  session.leave();
  assert.deepEqual(socket.sent.at(-1), { type: 'leave' });
  assert.equal(socket.closedWith, 1000);
  assert.equal(pcs[0].closed, true);
  assert.equal(timers.intervals.size, 0);
  assert.deepEqual(events.at(-1), ['ended', { reason: 'left', code: undefined }]);
  session.leave();
  assert.equal(events.filter(([t]) => t === 'ended').length, 1);
});

test('malformed frames are reported as problems and change nothing', () => {
  const { session, socket } = setup();
  const problems = [];
  session.on('problem', (p) => problems.push(p.context));
  socket.open();
  socket.deliver('{oops');
  socket.deliver({ type: 'welcome' });
  assert.equal(session.state, 'connecting');
  assert.deepEqual(problems, ['receive', 'receive']);
});

test('media-state is sent only when it changes what others see', () => {
  const { session, socket } = setup();
  socket.open();
  socket.deliver(welcome());
  session.setMediaState(true, true);
  assert.equal(socket.sentOfType('media-state').length, 0);
  session.setMediaState(false, true);
  session.setMediaState(false, true);
  session.setMediaState(true, true);
  assert.deepEqual(socket.sentOfType('media-state').map((m) => m.audio), [false, true]);
});

test('sharing the screen is told to the server; a refusal forgets it, so no stop follows', () => {
  const { session, socket } = setup();
  assert.equal(session.setScreenShare(true), false, 'not before the welcome');
  socket.open();
  socket.deliver(welcome());
  assert.equal(socket.sentOfType('screen-share').length, 0, 'a new visit shares nothing');

  assert.equal(session.setScreenShare(true), true);
  assert.deepEqual(socket.sentOfType('screen-share'), [{ type: 'screen-share', active: true }]);
  session.setScreenShare(true);
  assert.equal(socket.sentOfType('screen-share').length, 1, 'only changes are told');

  socket.deliver({ type: 'error', code: 'too-many-shares', message: 'No.', ref: 'screen-share' });
  assert.equal(session.screenSharing, false);
  session.setScreenShare(false);
  assert.equal(socket.sentOfType('screen-share').length, 1, 'the server holds no share of ours to stop');

  session.setScreenShare(true);
  session.setScreenShare(false);
  assert.deepEqual(socket.sentOfType('screen-share').slice(1), [{ type: 'screen-share', active: true },
    { type: 'screen-share', active: false }]);
});

test('host controls: only hosts and co-hosts send them; a co-host gets the lobby; notices and the lock are passed on', () => {
  const guest = setup();
  guest.socket.open();
  guest.socket.deliver(welcome());
  assert.equal(guest.session.moderate('mute', 'a'), false, 'a guest sends no host control');
  assert.equal(guest.socket.sentOfType('moderate').length, 0);
  const seen = [];
  guest.session.on('moderated', (m) => seen.push(m.action));
  guest.session.on('powers', (p) => seen.push(`powers ${p.host} ${p.cohost}`));
  guest.session.on('roomState', ({ locked }) => seen.push(`locked ${locked}`));
  guest.socket.deliver({ type: 'lobby-request', participant: { id: 'w', displayName: 'Wes' } });
  assert.equal(guest.session.lobby.size, 0);

  guest.socket.deliver({ type: 'moderated', action: 'make-cohost', by: { participantId: 'a', displayName: 'Ann' } });
  guest.socket.deliver({ type: 'participant-updated', participant: { id: 'me', displayName: 'Me', audio: true, video: true, cohost: true } });
  assert.equal(guest.session.cohost, true);
  assert.equal(guest.session.canModerate, true);
  guest.socket.deliver({ type: 'lobby-request', participant: { id: 'w', displayName: 'Wes' } });
  assert.equal(guest.session.lobby.size, 1, 'a co-host sees who waits');
  assert.equal(guest.session.moderate('remove', 'a', true), true);
  assert.deepEqual(guest.socket.sentOfType('moderate'), [{ type: 'moderate', action: 'remove', participantId: 'a', ban: true }]);
  guest.session.moderate('lock');
  assert.deepEqual(guest.socket.sent.at(-1), { type: 'moderate', action: 'lock' });
  guest.socket.deliver({ type: 'room-state', locked: true });
  assert.equal(guest.session.locked, true);

  guest.socket.deliver({ type: 'participant-updated', participant: { id: 'me', displayName: 'Me', audio: true, video: true, cohost: false } });
  assert.equal(guest.session.lobby.size, 0, 'no longer a co-host: the lobby is not yours to decide');
  guest.socket.deliver({ type: 'moderated', action: 'end', by: { participantId: 'a', displayName: 'Ann' } });
  guest.socket.deliver({ type: 'bye', reason: 'meeting-ended' });
  assert.deepEqual(seen, ['make-cohost', 'powers false true', 'locked true', 'powers false false', 'end']);
  assert.equal(guest.session.lastModeration.by.displayName, 'Ann');
  assert.deepEqual(guest.events.at(-1), ['ended', { reason: 'meeting-ended', code: undefined }]);
});

test('hands, reactions and quality go out only while joined; reactions are passed on; quality only when it changed', () => {
  const { session, socket } = setup();
  assert.equal(session.raiseHand(true), false, 'not joined yet');
  socket.open();
  socket.deliver(welcome());
  const reactions = [];
  session.on('reaction', (r) => reactions.push(`${r.participantId} ${r.name}`));
  assert.equal(session.raiseHand(true), true);
  assert.equal(session.react('party'), true);
  assert.equal(session.react('explode'), false, 'not a reaction on offer');
  assert.equal(session.reportQuality('fair'), true);
  assert.equal(session.reportQuality('fair'), false, 'the same level again is not sent');
  assert.equal(session.reportQuality('good'), true);
  assert.deepEqual(socket.sent.filter((m) => ['hand', 'reaction', 'quality'].includes(m.type)), [
    { type: 'hand', raised: true }, { type: 'reaction', name: 'party' },
    { type: 'quality', level: 'fair' }, { type: 'quality', level: 'good' },
  ]);
  socket.deliver({ type: 'participant-updated', participant: { id: 'me', displayName: 'Me', audio: true, video: true, hand: 5 } });
  assert.equal(session.participants.self.hand, 5, 'the server\'s word on your hand');
  socket.deliver({ type: 'reaction', participantId: 'a', name: 'clap' });
  socket.deliver({ type: 'reaction', participantId: 'a', name: 'boom' });
  assert.deepEqual(reactions, ['a clap']);
});
