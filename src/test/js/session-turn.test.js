import test from 'node:test';
import assert from 'node:assert/strict';
import { MeetingSession } from '../../main/resources/static/js/meeting/session.js';
import { Negotiator } from '../../main/resources/static/js/meeting/negotiation.js';
import { parseServerMessage } from '../../main/resources/static/js/meeting/protocol.js';
import { FakeSocket, FakePeerConnection, FakeTrack, FakeTimers, settle } from './fakes.js';

const turn = (user) => [{ urls: ['turn:turn.example.org:3478?transport=udp', 'turns:turn.example.org:443'],
  username: user, credential: 'c2VjcmV0' }];

const offer = { type: 'offer', version: 1, sdp: 'audio 0 recvonly\nvideo 1 recvonly', publish: { audio: '0', video: '1' },
  tracks: [] };

test('each peer connection gets the TURN servers of the welcome or resumed before it', async () => {
  const sockets = [];
  const given = [];
  const timers = new FakeTimers();
  const media = { stream: {}, tracks: { audio: new FakeTrack('audio'), video: new FakeTrack('video') }, track(k) { return this.tracks[k]; } };
  const session = new MeetingSession({
    openSocket: (url) => { const s = new FakeSocket(url); sockets.push(s); return s; },
    createNegotiator: (iceServers) => { given.push(iceServers); return new Negotiator(new FakePeerConnection(), media); },
    timers,
    now: () => timers.now,
    reconnect: { graceMs: 10000, firstDelayMs: 500, maxDelayMs: 2000, maxAttempts: 20 },
  });
  session.start({ ticket: 'T', url: 'ws://h/ws/signal', displayName: 'Me', send: { audio: true, video: true }, on: { audio: true, video: true } });
  sockets[0].open();
  sockets[0].deliver({ type: 'welcome', participantId: 'me', host: false, room: { title: 'R', slug: 's' },
    participants: [], resumeToken: 'token-1', iceServers: turn('100:me') });
  sockets[0].deliver(offer);
  await settle();
  await settle();
  assert.deepEqual(given, [turn('100:me')]);

  sockets[0].drop();
  timers.advance(0);
  sockets[1].open();
  sockets[1].deliver({ type: 'resumed', participantId: 'me', host: false, room: { title: 'R', slug: 's' },
    participants: [], resumeToken: 'token-2', iceServers: turn('200:me') });
  sockets[1].deliver(offer);
  await settle();
  await settle();
  assert.deepEqual(given, [turn('100:me'), turn('200:me')], 'the new connection has the fresh credential');
});

test('without TURN (or with entries that are not ICE servers) the peer connection gets none', () => {
  const base = { participantId: 'me', host: false, room: { title: 'R', slug: 's' }, participants: [], resumeToken: 't' };
  assert.deepEqual(parseServerMessage(JSON.stringify({ type: 'welcome', ...base })).message?.iceServers, []);
  const mixed = parseServerMessage(JSON.stringify({ type: 'resumed', ...base, iceServers: [
    { urls: 'turn:a', username: 'u', credential: 'c' },
    { urls: [], username: 'u', credential: 'c' },
    { urls: ['turn:b', 7], username: 'u', credential: 'c' },
    { urls: ['turn:c'], username: 'u' },
    null,
  ] })).message;
  assert.deepEqual(mixed?.iceServers, [{ urls: ['turn:b'], username: 'u', credential: 'c' }]);
});
