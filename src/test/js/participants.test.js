import test from 'node:test';
import assert from 'node:assert/strict';
import { ParticipantStore, LobbyRequests, initials, hueFor, handQueue } from '../../main/resources/static/js/meeting/participants.js';

const p = (id, fields = {}) => ({ id, displayName: id.toUpperCase(), audio: true, video: true, host: false, kind: 'browser', ...fields });

test('welcome puts you first, marks you as self, and skips a duplicate of you', () => {
  const store = new ParticipantStore();
  store.welcome(p('me'), [p('a'), p('me'), p('b')]);
  assert.deepEqual(store.list().map((x) => [x.id, x.self]), [['me', true], ['a', false], ['b', false]]);
  assert.equal(store.self.id, 'me');
});

test('upsert, patch and remove emit what changed', () => {
  const store = new ParticipantStore();
  const events = [];
  store.on('added', ({ participant }) => events.push(`added ${participant.id}`));
  store.on('updated', ({ participant, previous }) => events.push(`updated ${participant.id} ${previous.audio}->${participant.audio}`));
  store.on('removed', ({ participant, reason }) => events.push(`removed ${participant.id} ${reason}`));
  store.welcome(p('me'), []);
  assert.equal(store.upsert(p('a')), 'added');
  assert.equal(store.patch('a', { audio: false }), true);
  assert.equal(store.patch('ghost', { audio: false }), false);
  assert.equal(store.remove('a', 'left'), true);
  assert.equal(store.remove('a', 'left'), false);
  assert.deepEqual(events, ['added me', 'added a', 'updated a true->false', 'removed a left']);
});

test('a new welcome clears everyone known before', () => {
  const store = new ParticipantStore();
  store.welcome(p('me'), [p('a')]);
  const removed = [];
  store.on('removed', ({ participant }) => removed.push(participant.id));
  store.welcome(p('me2'), [p('b')]);
  assert.deepEqual(removed.sort(), ['a', 'me']);
  assert.deepEqual(Object.keys(store.snapshot()), ['me2', 'b']);
});

test('snapshot is a detached plain object', () => {
  const store = new ParticipantStore();
  store.welcome(p('me'), [p('a')]);
  const snap = store.snapshot();
  snap.a.audio = false;
  assert.equal(store.get('a').audio, true);
  assert.equal(Object.getPrototypeOf(snap), Object.prototype);
});

test('lobby requests: one decision at a time, resolved by the server, undone when refused', () => {
  const lobby = new LobbyRequests();
  lobby.add(p('x'));
  lobby.add(p('y'));
  assert.equal(lobby.decide('x'), true);
  assert.equal(lobby.decide('x'), false, 'no second decision while the first is under way');
  lobby.undecideAll();
  assert.equal(lobby.decide('x'), true);
  assert.equal(lobby.decide('nobody'), false);
  assert.equal(lobby.resolve('x'), true);
  assert.deepEqual(lobby.list().map((e) => e.participant.id), ['y']);
  assert.equal(lobby.resolve('x'), false);
});

test('lobby requests after a resume: what was settled meanwhile goes, what waits still is no news', () => {
  const lobby = new LobbyRequests();
  lobby.add(p('x'));
  lobby.add(p('y'));
  /** @type {string[]} */
  const changes = [];
  lobby.on('changed', ({ change, participant }) => changes.push(`${change} ${participant.id}`));
  lobby.relist();
  lobby.add(p('y')); // the server lists who waits now: x was let in while we were away
  lobby.add(p('z'));
  assert.deepEqual(lobby.list().map((e) => e.participant.id), ['y', 'z']);
  assert.deepEqual(changes, ['resolved x', 'resolved y', 'updated y', 'added z']);
});

test('initials for Latin and CJK names', () => {
  assert.equal(initials('ada lovelace'), 'AL');
  assert.equal(initials('  Grace  Brewster  Hopper '), 'GH');
  assert.equal(initials('Linus'), 'L');
  assert.equal(initials('王小明'), '小明');
  assert.equal(initials('李'), '李');
  assert.equal(initials(''), '?');
  assert.equal(initials('émile zola'), 'ÉZ');
});

test('avatar hues are stable and in range', () => {
  assert.equal(hueFor('abc'), hueFor('abc'));
  for (const key of ['a', 'b', 'participant-1', '']) {
    const h = hueFor(key);
    assert.ok(h >= 0 && h < 360);
  }
});

test('the queue of raised hands follows the times they went up; ties by id; lowered hands are not in it', () => {
  assert.deepEqual(handQueue([
    p('c', { hand: 300 }), p('a', { hand: null }), p('d', { hand: 100 }), p('b', { hand: 300 }), p('e'),
  ]), ['d', 'b', 'c']);
  assert.deepEqual(handQueue([]), []);
});
