import test from 'node:test';
import assert from 'node:assert/strict';
import { ChatStore, checkChatText, linkify, MAX_CHAT_TEXT } from '../../main/resources/static/js/meeting/chat.js';
import { chat, parseServerMessage } from '../../main/resources/static/js/meeting/protocol.js';
import { MeetingSession } from '../../main/resources/static/js/meeting/session.js';
import { Negotiator } from '../../main/resources/static/js/meeting/negotiation.js';
import { FakeSocket, FakePeerConnection, FakeTrack, FakeTimers } from './fakes.js';

const message = (id, from = 'a', extra = {}) => ({
  id, from: { participantId: from, displayName: from.toUpperCase() }, to: null, text: `text ${id}`, sentAt: 1000,
  file: null, earlier: false, ...extra,
});

test('links: http and https only, trailing punctuation left out, the rest plain text', () => {
  assert.deepEqual(linkify('see https://example.org/a?b=1#c, then http://x.test.'), [
    { text: 'see ' },
    { text: 'https://example.org/a?b=1#c', href: 'https://example.org/a?b=1#c' },
    { text: ', then ' },
    { text: 'http://x.test', href: 'http://x.test' },
    { text: '.' },
  ]);
  assert.deepEqual(linkify('javascript:alert(1) ftp://x.test <b>bold</b>'), [{ text: 'javascript:alert(1) ftp://x.test <b>bold</b>' }]);
  assert.deepEqual(linkify('(https://en.wikipedia.org/wiki/Foo_(bar))'), [
    { text: '(' },
    { text: 'https://en.wikipedia.org/wiki/Foo_(bar)', href: 'https://en.wikipedia.org/wiki/Foo_(bar)' },
    { text: ')' },
  ]);
  assert.deepEqual(linkify('http:// alone'), [{ text: 'http:// alone' }]);
  assert.deepEqual(linkify('链接：https://example.org。好'), [
    { text: '链接：' }, { text: 'https://example.org', href: 'https://example.org' }, { text: '。好' },
  ]);
  assert.deepEqual(linkify('https://a.test"onmouseover="x'), [
    { text: 'https://a.test', href: 'https://a.test' }, { text: '"onmouseover="x' },
  ]);
  assert.deepEqual(linkify(''), []);
});

test('what may be sent: trimmed, not empty, at most 2000 code points', () => {
  assert.deepEqual(checkChatText('  hi \n'), { ok: true, text: 'hi' });
  assert.equal(checkChatText('   ').problem, 'empty');
  assert.equal(checkChatText(null).problem, 'empty');
  assert.equal(checkChatText('x'.repeat(MAX_CHAT_TEXT)).ok, true);
  assert.equal(checkChatText('x'.repeat(MAX_CHAT_TEXT + 1)).problem, 'too-long');
  assert.equal(checkChatText('😀'.repeat(MAX_CHAT_TEXT)).ok, true, 'code points, not UTF-16 units');
});

test('the store keeps messages once, marks yours, and counts unread only while closed and only from others', () => {
  const store = new ChatStore();
  const unread = [];
  store.on('unread', ({ count }) => unread.push(count));
  store.reset('me', [message('c-1')]);
  assert.equal(store.unread, 0, 'a history is no news');
  assert.equal(store.receive(message('c-2')), true);
  assert.equal(store.receive(message('c-2')), false, 'a duplicate is ignored');
  store.receive(message('c-3', 'me'));
  assert.equal(store.unread, 1, 'your own message is not unread');
  assert.deepEqual(store.messages.map((m) => [m.id, m.mine]), [['c-1', false], ['c-2', false], ['c-3', true]]);
  store.setOpen(true);
  assert.equal(store.unread, 0);
  store.receive(message('c-4'));
  assert.equal(store.unread, 0, 'nothing is unread while the chat is open');
  store.setOpen(false);
  store.history([message('c-4'), message('c-5')], false, 'me');
  assert.equal(store.unread, 1, 'after a resume only what was missed is added, as unread');
  assert.deepEqual(unread, [1, 0, 1]);
});

test('protocol: the chat message to send, and the chat and chat-history the server sends', () => {
  assert.deepEqual(chat('hi'), { type: 'chat', text: 'hi' });
  assert.deepEqual(chat('hi', null), { type: 'chat', text: 'hi' });
  assert.deepEqual(chat('hi', 'p-1'), { type: 'chat', text: 'hi', to: 'p-1' });
  const read = parseServerMessage(JSON.stringify({ type: 'chat', ...message('c-1'), to: 'me' }));
  assert.deepEqual(read.message, { type: 'chat', ...message('c-1'), to: 'me' });
  assert.equal(parseServerMessage(JSON.stringify({ type: 'chat', id: 'c-1', text: 'x' })).problem, 'bad-message');
  const history = parseServerMessage(JSON.stringify({ type: 'chat-history', messages: [message('c-1'), { id: 7 }] }));
  assert.deepEqual(history.message, { type: 'chat-history', messages: [message('c-1')] });
  assert.equal(parseServerMessage('{"type":"chat-history"}').problem, 'bad-message');
});

test('protocol: a shared file and a message of an earlier meeting', () => {
  const file = { id: 'f1', name: 'notes.pdf', size: 2048, type: 'application/pdf' };
  const shared = parseServerMessage(JSON.stringify({ type: 'chat', ...message('c-2', 'a', { text: '' }), file }));
  assert.deepEqual(shared.message.file, file);
  const kept = parseServerMessage(JSON.stringify({ type: 'chat-history', messages: [
    { ...message('h-7', '', { earlier: true }), file: { id: 'f2', name: 'a.txt', size: 3 } },
    { ...message('h-8', ''), file: { id: 'f3' } },
  ] }));
  assert.deepEqual(kept.message.messages.map((m) => [m.id, m.earlier, m.file]), [
    ['h-7', true, { id: 'f2', name: 'a.txt', size: 3, type: 'application/octet-stream' }],
    ['h-8', false, null],
  ], 'a file without name and size is left out; an unknown type is plain bytes');
});

function joined() {
  const sockets = [];
  const timers = new FakeTimers();
  const media = { stream: {}, tracks: { audio: new FakeTrack('audio'), video: new FakeTrack('video') }, track(k) { return this.tracks[k]; } };
  const session = new MeetingSession({
    openSocket: (url) => { const s = new FakeSocket(url); sockets.push(s); return s; },
    createNegotiator: () => new Negotiator(new FakePeerConnection(), media),
    timers,
    now: () => timers.now,
    reconnect: { graceMs: 10000, firstDelayMs: 0, maxDelayMs: 2000, maxAttempts: 20 },
  });
  session.start({ ticket: 'T', url: 'ws://h/ws/signal', displayName: 'Me', send: { audio: true, video: true }, on: { audio: true, video: true } });
  sockets[0].open();
  return { session, sockets, timers };
}

test('the session sends trimmed chat only when joined, and keeps what the server sends', () => {
  const { session, sockets } = joined();
  assert.equal(session.sendChat('early'), false, 'not before the welcome');
  sockets[0].deliver({ type: 'welcome', participantId: 'me', host: false, room: { title: 'R', slug: 's' }, participants: [], resumeToken: 't1' });
  sockets[0].deliver({ type: 'chat-history', messages: [message('c-1')] });
  assert.deepEqual(session.chat.messages.map((m) => m.id), ['c-1']);
  assert.equal(session.chat.unread, 0);
  assert.equal(session.sendChat('  hello  ', 'a'), true);
  assert.equal(session.sendChat('   '), false);
  assert.deepEqual(sockets[0].sentOfType('chat'), [{ type: 'chat', text: 'hello', to: 'a' }]);
  sockets[0].deliver({ type: 'chat', ...message('c-2', 'me', { to: 'a', text: 'hello' }) });
  sockets[0].deliver({ type: 'chat', ...message('c-3') });
  assert.deepEqual(session.chat.messages.map((m) => [m.id, m.mine, m.to]), [['c-1', false, null], ['c-2', true, 'a'], ['c-3', false, null]]);
  assert.equal(session.chat.unread, 1);
});

test('after a resume the history adds only what was missed; a new visit starts empty', () => {
  const { session, sockets, timers } = joined();
  sockets[0].deliver({ type: 'welcome', participantId: 'me', host: false, room: { title: 'R', slug: 's' }, participants: [], resumeToken: 't1' });
  sockets[0].deliver({ type: 'chat-history', messages: [message('c-1')] });
  sockets[0].drop();
  timers.advance(0);
  sockets[1].open();
  sockets[1].deliver({ type: 'resumed', participantId: 'me', host: false, room: { title: 'R', slug: 's' }, participants: [], resumeToken: 't2' });
  sockets[1].deliver({ type: 'chat-history', messages: [message('c-1'), message('c-2')] });
  assert.deepEqual(session.chat.messages.map((m) => m.id), ['c-1', 'c-2']);
  assert.equal(session.chat.unread, 1);
});
