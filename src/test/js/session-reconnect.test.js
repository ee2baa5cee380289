import test from 'node:test';
import assert from 'node:assert/strict';
import { MeetingSession } from '../../main/resources/static/js/meeting/session.js';
import { Negotiator } from '../../main/resources/static/js/meeting/negotiation.js';
import { FakeSocket, FakePeerConnection, FakeTrack, FakeTimers, settle } from './fakes.js';

const GRACE = 10000;

function setup() {
  const sockets = [];
  const pcs = [];
  const timers = new FakeTimers();
  const media = { stream: {}, tracks: { audio: new FakeTrack('audio'), video: new FakeTrack('video') }, track(k) { return this.tracks[k]; } };
  const session = new MeetingSession({
    openSocket: (url) => { const s = new FakeSocket(url); sockets.push(s); return s; },
    createNegotiator: () => { const pc = new FakePeerConnection(); pcs.push(pc); return new Negotiator(pc, media); },
    timers,
    now: () => timers.now,
    pingIntervalMs: 5000,
    silenceLimitMs: 12000,
    reconnect: { graceMs: GRACE, firstDelayMs: 500, maxDelayMs: 2000, maxAttempts: 20 },
  });
  const events = [];
  for (const type of ['state', 'welcome', 'reconnecting', 'resumed', 'ended', 'notice']) {
    session.on(type, (detail) => events.push([type, detail]));
  }
  const removed = [];
  session.participants.on('removed', ({ participant, reason }) => removed.push([participant.id, reason]));
  session.start({ ticket: 'T', url: 'ws://h/ws/signal', displayName: 'Me', send: { audio: true, video: true }, on: { audio: true, video: true } });
  const socket = sockets[0];
  socket.open();
  socket.deliver({
    type: 'welcome', participantId: 'me', host: true, room: { title: 'R', slug: 'room-slug' },
    participants: [{ id: 'a', displayName: 'Ann', audio: true, video: true, host: false, kind: 'browser', connection: 'connected' }],
    resumeToken: 'token-1',
  });
  return { session, sockets, pcs, timers, events, removed };
}

const offer = (version, lines, tracks = []) => ({
  type: 'offer', version, sdp: lines.join('\n'), publish: { audio: '0', video: '1' }, tracks,
});

const resumed = (extra = {}) => ({
  type: 'resumed', participantId: 'me', host: true, room: { title: 'R', slug: 'room-slug' },
  self: { id: 'me', displayName: 'Me', audio: true, video: true, host: true, kind: 'browser', connection: 'connected' },
  participants: [{ id: 'a', displayName: 'Ann', audio: true, video: true, host: false, kind: 'browser', connection: 'connected' }],
  resumeToken: 'token-2', ...extra,
});

test('a dropped socket: reconnecting, a new socket resumes with the token, and resumed brings the meeting back', async () => {
  const { session, sockets, pcs, timers, events, removed } = setup();
  sockets[0].deliver(offer(1, ['audio 0 recvonly', 'video 1 recvonly', 'video 2 sendonly'], [{ mid: '2', participantId: 'a', kind: 'video' }]));
  await settle();
  await settle();
  assert.equal(pcs.length, 1);

  sockets[0].drop();
  assert.equal(session.state, 'reconnecting');
  assert.deepEqual(events.filter(([t]) => t === 'reconnecting'), [['reconnecting', { cause: 'socket' }]]);
  assert.equal(pcs[0].closed, false, 'media may still flow while the socket is away');
  timers.advance(0);
  assert.equal(sockets.length, 2, 'the first try goes at once');
  sockets[1].open();
  assert.deepEqual(sockets[1].sent, [{ type: 'resume', token: 'token-1', slug: 'room-slug' }]);

  sockets[1].deliver(resumed());
  assert.equal(session.state, 'joined');
  assert.equal(session.participantId, 'me');
  assert.equal(session.resumeToken, 'token-2');
  assert.deepEqual(removed, [], 'nobody left the page: the tiles stay');
  assert.deepEqual(session.participants.list().map((p) => p.id), ['me', 'a']);
  assert.equal(pcs[0].closed, true, 'the old peer connection is closed');
  assert.equal(sockets[1].sentOfType('media-state').length, 0, 'the server kept the media state');

  sockets[1].deliver(offer(1, ['audio 0 recvonly', 'video 1 recvonly', 'video 2 sendonly'], [{ mid: '2', participantId: 'a', kind: 'video' }]));
  await settle();
  await settle();
  await settle();
  assert.equal(pcs.length, 2, 'a new peer connection for the new transport');
  assert.deepEqual(sockets[1].sentOfType('answer').map((a) => a.version), [1]);
  assert.equal(pcs[1].transceivers.find((t) => t.mid === '1').sender.track.kind, 'video', 'the same local tracks');
});

test('failed tries back off, are bounded, and the grace ends the visit as disconnected', () => {
  const { session, sockets, timers, events } = setup();
  sockets[0].drop();
  const opened = [];
  for (let ms = 0; ms <= GRACE + 1000; ms += 100) {
    timers.advance(100);
    const last = sockets.at(-1);
    if (last !== sockets[0] && !opened.includes(last)) {
      opened.push(last);
      last.drop(); // refused: the network is still down
    }
  }
  assert.equal(session.state, 'ended');
  assert.deepEqual(events.at(-1), ['ended', { reason: 'disconnected', code: undefined }]);
  assert.ok(opened.length >= 5 && opened.length <= 12, `tries: ${opened.length}`);
});

test('a refused resume ends the visit cleanly as disconnected', () => {
  const { session, sockets, timers, events } = setup();
  sockets[0].drop();
  timers.advance(0);
  sockets[1].open();
  sockets[1].deliver({ type: 'error', code: 'resume-invalid', message: 'gone', ref: 'resume' });
  assert.equal(session.state, 'ended');
  assert.deepEqual(events.at(-1), ['ended', { reason: 'disconnected', code: undefined }]);
  assert.equal(sockets[1].closedWith, 1000);
});

test('a resume refused as meeting-moved ends the visit as moved, for the page to join again', () => {
  const { session, sockets, timers, events } = setup();
  sockets[0].drop();
  timers.advance(0);
  sockets[1].open();
  sockets[1].deliver({ type: 'error', code: 'meeting-moved', message: 'joining again', ref: 'resume' });
  assert.equal(session.state, 'ended');
  assert.deepEqual(events.at(-1), ['ended', { reason: 'moved', code: undefined }]);
  assert.equal(sockets[1].closedWith, 1000);
});

test('bye moved (the node drains) ends the visit as moved', () => {
  const { session, sockets, events } = setup();
  sockets[0].deliver({ type: 'bye', reason: 'moved' });
  assert.equal(session.state, 'ended');
  assert.deepEqual(events.at(-1), ['ended', { reason: 'moved', code: undefined }]);
});

test('a silent socket counts as dropped; the media connection failing does too', () => {
  const a = setup();
  a.timers.tick();
  assert.equal(a.sockets[0].sentOfType('ping').length, 1);
  a.timers.now += 13000;
  a.timers.tick();
  assert.equal(a.session.state, 'reconnecting');
  assert.equal(a.sockets[0].closedWith, 4000, 'the dead socket is let go without a leave');
  assert.equal(a.sockets[0].sentOfType('leave').length, 0);

  const b = setup();
  b.session.lose('media');
  assert.equal(b.session.state, 'reconnecting');
  assert.deepEqual(b.events.filter(([t]) => t === 'reconnecting'), [['reconnecting', { cause: 'media' }]]);
  assert.equal(b.sockets[0].closedWith, 4000);
});

test('the network coming back cuts the pause short', () => {
  const { session, sockets, timers } = setup();
  sockets[0].drop();
  for (let i = 0; i < 3; i++) {
    timers.advance(0);
    sockets.at(-1).drop();
  }
  const before = sockets.length;
  session.hurry();
  assert.equal(sockets.length, before, 'the try is queued at once…');
  timers.advance(0);
  assert.equal(sockets.length, before + 1, '…with no pause');
});

test('without a resume token (an older server) a dropped socket ends the visit as before', () => {
  const sockets = [];
  const session = new MeetingSession({
    openSocket: (url) => { const s = new FakeSocket(url); sockets.push(s); return s; },
    createNegotiator: () => { throw new Error('unused'); },
    timers: new FakeTimers(),
  });
  session.start({ ticket: 'T', url: 'ws://h', displayName: 'Me', send: { audio: true, video: true }, on: { audio: true, video: true } });
  sockets[0].open();
  sockets[0].deliver({ type: 'welcome', participantId: 'me', host: false, room: { title: 'R', slug: 's' }, participants: [] });
  sockets[0].drop();
  assert.equal(session.state, 'ended');
  assert.equal(sockets.length, 1);
});

test('someone else reconnecting is shown as such, and who left meanwhile is gone after the resume', () => {
  const { session, sockets, timers, removed } = setup();
  sockets[0].deliver({ type: 'participant-updated', participant: { id: 'a', displayName: 'Ann', audio: true, video: true, host: false, kind: 'browser', connection: 'reconnecting' } });
  assert.equal(session.participants.get('a').connection, 'reconnecting');
  sockets[0].drop();
  timers.advance(0);
  sockets[1].open();
  sockets[1].deliver(resumed({ participants: [] }));
  assert.deepEqual(removed, [['a', 'left']]);
});

test('leaving while reconnecting ends the visit and stops the tries', () => {
  const { session, sockets, timers, events } = setup();
  sockets[0].drop();
  session.leave();
  assert.deepEqual(events.at(-1), ['ended', { reason: 'left', code: undefined }]);
  timers.advance(GRACE);
  assert.equal(sockets.length, 1, 'no try after the end');
});

test('the server\'s grace from its welcome replaces the default one', () => {
  const { session, sockets } = setup();
  assert.equal(session.plan.limits.graceMs, GRACE, 'a welcome without one keeps the default');
  const fresh = new MeetingSession({
    openSocket: (url) => { const s = new FakeSocket(url); sockets.push(s); return s; },
    createNegotiator: () => null,
    reconnect: { graceMs: GRACE },
  });
  fresh.start({ ticket: 'T', url: 'ws://h/ws/signal', displayName: 'Me', send: { audio: true, video: true }, on: { audio: true, video: true } });
  const socket = sockets[sockets.length - 1];
  socket.open();
  socket.deliver({
    type: 'welcome', participantId: 'me', host: false, room: { title: 'R', slug: 'room-slug' }, participants: [],
    resumeToken: 'token-1', reconnectGraceMillis: 45000,
  });
  assert.equal(fresh.plan.limits.graceMs, 45000);
  fresh.leave();
});

test('a share stopped while reconnecting is told once back; one that goes on is not told again', async () => {
  const { session, sockets, timers } = setup();
  session.setScreenShare(true);
  assert.deepEqual(sockets[0].sentOfType('screen-share'), [{ type: 'screen-share', active: true }]);
  sockets[0].drop();
  session.setScreenShare(false); // the browser's own "Stop sharing" while the socket is down
  timers.advance(600);
  sockets[1].open();
  sockets[1].deliver(resumed());
  assert.deepEqual(sockets[1].sentOfType('screen-share'), [{ type: 'screen-share', active: false }]);

  session.setScreenShare(true);
  sockets[1].drop();
  timers.advance(600);
  sockets[2].open();
  sockets[2].deliver(resumed({ resumeToken: 'token-3' }));
  assert.equal(sockets[2].sentOfType('screen-share').length, 0, 'the server kept the share across the drop');
});
