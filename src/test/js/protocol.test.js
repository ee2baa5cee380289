import test from 'node:test';
import assert from 'node:assert/strict';
import * as protocol from '../../main/resources/static/js/meeting/protocol.js';

test('client messages carry exactly the fields of section 2', () => {
  assert.deepEqual(protocol.join('t1', 1, 0), { type: 'join', ticket: 't1', audio: true, video: false });
  assert.deepEqual(protocol.answer(3, 'v=0'), { type: 'answer', version: 3, sdp: 'v=0' });
  assert.deepEqual(protocol.mediaState(false, true), { type: 'media-state', audio: false, video: true });
  assert.deepEqual(protocol.lobbyDecision('p9', false), { type: 'lobby-decision', participantId: 'p9', admit: false });
  assert.deepEqual(protocol.leave(), { type: 'leave' });
  assert.deepEqual(protocol.ping(), { type: 'ping' });
  assert.deepEqual(protocol.ping(7), { type: 'ping', id: 7 });
});

test('welcome keeps the well-formed participants and normalises their fields', () => {
  const { message } = protocol.parseServerMessage(JSON.stringify({
    type: 'welcome', participantId: 'me', host: true, room: { title: 'Standup', slug: 's' },
    participants: [
      { id: 'a', displayName: 'Ann', audio: true, video: false, host: false, kind: 'browser' },
      { id: 'w', displayName: 'OBS', audio: true, video: true, host: false, kind: 'whip' },
      { displayName: 'no id' },
      'junk',
    ],
  }));
  assert.equal(message.type, 'welcome');
  assert.equal(message.host, true);
  assert.deepEqual(message.room, { title: 'Standup', slug: 's', startedAt: null, chatKept: false },
    'no start given: no timer; a room keeps no chat unless it says so');
  assert.equal(message.fileKey, '', 'no file key given: none');
  assert.deepEqual(message.participants.map((p) => [p.id, p.audio, p.video, p.kind]), [
    ['a', true, false, 'browser'],
    ['w', true, true, 'whip'],
  ]);
});

test('offer: publish mids may be null; track entries without mid, participant or kind are dropped', () => {
  const ok = protocol.parseServerMessage(JSON.stringify({
    type: 'offer', version: 2, sdp: 'v=0', publish: { audio: '0', video: null },
    tracks: [{ mid: '2', participantId: 'a', kind: 'video' }],
  }));
  assert.deepEqual(ok.message.publish, { audio: '0', video: null, screen: null });
  assert.deepEqual(ok.message.tracks, [{ mid: '2', participantId: 'a', kind: 'video', source: 'camera' }]);

  const badTrack = protocol.parseServerMessage(JSON.stringify({
    type: 'offer', version: 2, sdp: 'v=0', publish: {},
    tracks: [{ mid: '2', participantId: 'a', kind: 'data' }, { mid: null, participantId: 'a', kind: 'audio' }, { mid: '3', participantId: 'b', kind: 'audio' }],
  }));
  assert.deepEqual(badTrack.message.tracks, [{ mid: '3', participantId: 'b', kind: 'audio', source: 'microphone' }]);
  assert.deepEqual(badTrack.message.publish, { audio: null, video: null, screen: null });
  assert.equal(protocol.parseServerMessage('{"type":"offer","version":1,"sdp":"v=0","publish":{"audio":5}}').problem, 'bad-message');
  assert.equal(protocol.parseServerMessage('{"type":"offer","version":"1","sdp":"v=0"}').problem, 'bad-message');
  assert.equal(protocol.parseServerMessage('{"type":"offer","version":1.5,"sdp":"v=0"}').problem, 'bad-message');
});

test('offer: the screen share has a publish mid of its own and its tracks say where they come from', () => {
  const offer = protocol.parseServerMessage(JSON.stringify({
    type: 'offer', version: 3, sdp: 'v=0', publish: { audio: '0', video: '1', screen: '2' },
    tracks: [{ mid: '3', participantId: 'a', kind: 'video', source: 'camera' },
      { mid: '4', participantId: 'a', kind: 'video', source: 'screen' },
      { mid: '5', participantId: 'a', kind: 'audio', source: 'screen' },
      { mid: '6', participantId: 'b', kind: 'video', source: 'hologram' }],
  }));
  assert.deepEqual(offer.message.publish, { audio: '0', video: '1', screen: '2' });
  assert.deepEqual(offer.message.tracks.map((t) => t.source), ['camera', 'screen', 'microphone', 'camera'],
    'only video can be a screen share; what is not known is the main track of its kind');
  assert.equal(protocol.parseServerMessage('{"type":"offer","version":1,"sdp":"v=0","publish":{"screen":7}}').problem,
    'bad-message');
  assert.deepEqual(protocol.screenShare(1), { type: 'screen-share', active: true });
  assert.deepEqual(protocol.screenShare(false), { type: 'screen-share', active: false });
});

test('unknown, malformed and non-object frames are reported, not thrown', () => {
  assert.equal(protocol.parseServerMessage('{').problem, 'bad-json');
  assert.equal(protocol.parseServerMessage('[1]').problem, 'bad-message');
  assert.equal(protocol.parseServerMessage('null').problem, 'bad-message');
  assert.equal(protocol.parseServerMessage('{"type":"teleport"}').problem, 'unknown-type');
  assert.equal(protocol.parseServerMessage('{"type":"toString"}').problem, 'unknown-type');
  assert.equal(protocol.parseServerMessage('{"type":"participant-joined"}').problem, 'bad-message');
  assert.equal(protocol.parseServerMessage('{"type":"lobby-resolved","participantId":5}').problem, 'bad-message');
});

test('participant-left keeps its reason; error and bye have defaults', () => {
  assert.deepEqual(protocol.parseServerMessage('{"type":"participant-left","participantId":"a","reason":"removed"}').message,
    { type: 'participant-left', participantId: 'a', reason: 'removed' });
  assert.deepEqual(protocol.parseServerMessage('{"type":"error","code":"stale-answer","ref":"answer"}').message,
    { type: 'error', code: 'stale-answer', message: '', ref: 'answer' });
  assert.equal(protocol.parseServerMessage('{"type":"bye","reason":"replaced"}').message.reason, 'replaced');
});

test('active-speaker names a participant or nobody', () => {
  assert.deepEqual(protocol.parseServerMessage('{"type":"active-speaker","participantId":"p-1"}').message,
    { type: 'active-speaker', participantId: 'p-1' });
  assert.deepEqual(protocol.parseServerMessage('{"type":"active-speaker","participantId":null}').message,
    { type: 'active-speaker', participantId: null });
  assert.equal(protocol.parseServerMessage('{"type":"active-speaker","participantId":7}').problem, 'bad-message');
});

test('paused-video names the mids the relay pauses for bandwidth; anything else is a bad message', () => {
  assert.deepEqual(protocol.parseServerMessage('{"type":"paused-video","mids":["3","5"]}').message,
    { type: 'paused-video', mids: ['3', '5'] });
  assert.deepEqual(protocol.parseServerMessage('{"type":"paused-video","mids":[]}').message,
    { type: 'paused-video', mids: [] });
  assert.equal(protocol.parseServerMessage('{"type":"paused-video","mids":[3]}').problem, 'bad-message');
  assert.equal(protocol.parseServerMessage('{"type":"paused-video","mids":null}').problem, 'bad-message');
  assert.equal(protocol.parseServerMessage('{"type":"paused-video"}').problem, 'bad-message');
});

test('forwarded-video names whose video comes, or null for everyone', () => {
  assert.deepEqual(protocol.parseServerMessage('{"type":"forwarded-video","participantIds":["p-1","p-2"]}').message,
    { type: 'forwarded-video', participantIds: ['p-1', 'p-2'] });
  assert.deepEqual(protocol.parseServerMessage('{"type":"forwarded-video","participantIds":null}').message,
    { type: 'forwarded-video', participantIds: null });
  assert.equal(protocol.parseServerMessage('{"type":"forwarded-video","participantIds":[1]}').problem, 'bad-message');
});

test('tile-sizes carries only mid, width and height, and the offer\'s version when known', () => {
  const sent = (message) => JSON.parse(JSON.stringify(message));
  assert.deepEqual(sent(protocol.tileSizes([{ mid: '3', width: 640, height: 360, extra: true }])),
    { type: 'tile-sizes', tiles: [{ mid: '3', width: 640, height: 360 }] });
  assert.deepEqual(sent(protocol.tileSizes([], 7)), { type: 'tile-sizes', tiles: [], version: 7 });
});

test('display names are trimmed, required and at most 60 characters', () => {
  assert.deepEqual(protocol.checkDisplayName('  Ann  '), { ok: true, name: 'Ann' });
  assert.equal(protocol.checkDisplayName('   ').problem, 'required');
  assert.equal(protocol.checkDisplayName(null).problem, 'required');
  assert.equal(protocol.checkDisplayName('x'.repeat(60)).ok, true);
  assert.equal(protocol.checkDisplayName('x'.repeat(61)).problem, 'too-long');
});

test('a server ping is tolerated rather than reported as unknown', () => {
  assert.deepEqual(protocol.parseServerMessage('{"type":"ping","id":3}').message, { type: 'ping', id: 3 });
});

test('host controls: moderate is built with only the fields its action takes; moderated and room-state are read', () => {
  assert.deepEqual(protocol.moderate('mute-all'), { type: 'moderate', action: 'mute-all' });
  assert.deepEqual(protocol.moderate('mute', 'p-1'), { type: 'moderate', action: 'mute', participantId: 'p-1' });
  assert.deepEqual(protocol.moderate('remove', 'p-1', true), { type: 'moderate', action: 'remove', participantId: 'p-1', ban: true });
  const notice = protocol.parseServerMessage(JSON.stringify({ type: 'moderated', action: 'remove', by: { participantId: 'p-h', displayName: 'Host' }, ban: true }));
  assert.deepEqual(notice.message, { type: 'moderated', action: 'remove', by: { participantId: 'p-h', displayName: 'Host' }, ban: true, admin: false });
  const fromAdmin = protocol.parseServerMessage(JSON.stringify({ type: 'moderated', action: 'end', by: { participantId: '', displayName: 'Root' }, admin: true }));
  assert.deepEqual(fromAdmin.message, { type: 'moderated', action: 'end', by: { participantId: '', displayName: 'Root' }, ban: false, admin: true },
    'an administrator outside the meeting: no participant id, marked as an admin');
  assert.equal(protocol.parseServerMessage('{"type":"moderated","action":"mute"}').problem, 'bad-message');
  assert.deepEqual(protocol.parseServerMessage('{"type":"room-state","locked":true}').message,
    { type: 'room-state', locked: true, recording: null, recordingEnded: null });
  assert.deepEqual(protocol.parseServerMessage(JSON.stringify({ type: 'room-state', locked: false,
    recording: { since: 1700000000000, startedBy: 'Ann' }, recordingEnded: null })).message,
  { type: 'room-state', locked: false, recording: { since: 1700000000000, startedBy: 'Ann' }, recordingEnded: null });
  assert.deepEqual(protocol.parseServerMessage('{"type":"room-state","locked":false,"recording":{"since":"x"},"recordingEnded":"disk-full"}').message,
    { type: 'room-state', locked: false, recording: null, recordingEnded: 'disk-full' }, 'a malformed recording is read as none');
  assert.deepEqual(protocol.moderate('record'), { type: 'moderate', action: 'record' });
  assert.equal(protocol.parseServerMessage('{"type":"room-state","locked":"yes"}').problem, 'bad-message');
  assert.equal(protocol.participant({ id: 'p', cohost: true }).cohost, true);
  assert.ok(protocol.FINAL_BYE_REASONS.has('banned') && protocol.FINAL_BYE_REASONS.has('meeting-ended'));
  assert.ok(!protocol.FINAL_BYE_REASONS.has('removed'), 'someone removed without a ban may come back');
});

test('hands, reactions and quality: built with their fields; participants carry hand and quality; reactions read', () => {
  assert.deepEqual(protocol.hand(1), { type: 'hand', raised: true });
  assert.deepEqual(protocol.reaction('clap'), { type: 'reaction', name: 'clap' });
  assert.deepEqual(protocol.quality('fair'), { type: 'quality', level: 'fair' });
  const updated = (fields) => protocol.parseServerMessage(JSON.stringify({
    type: 'participant-updated', participant: { id: 'a', displayName: 'Ann', ...fields },
  })).message.participant;
  assert.equal(updated({ hand: 1700000000000, quality: 'poor' }).hand, 1700000000000);
  assert.equal(updated({ hand: 1700000000000, quality: 'poor' }).quality, 'poor');
  assert.equal(updated({ hand: null }).hand, null);
  assert.equal(updated({ hand: '12', quality: 'splendid' }).hand, null, 'not a time: down');
  assert.equal(updated({ quality: 'splendid' }).quality, 'unknown');
  assert.deepEqual(protocol.parseServerMessage('{"type":"reaction","participantId":"a","name":"heart"}').message,
    { type: 'reaction', participantId: 'a', name: 'heart' });
  assert.equal(protocol.parseServerMessage('{"type":"reaction","participantId":"a","name":"toString"}').problem,
    'bad-message', 'only the reactions on offer, not any property name');
  assert.equal(protocol.parseServerMessage('{"type":"reaction","name":"clap"}').problem, 'bad-message');
  assert.deepEqual(Object.keys(protocol.REACTIONS), ['thumbs-up', 'clap', 'laugh', 'surprised', 'heart', 'party'],
    'the names ServerMessage and Reactions.NAMES use, in the menu\'s order');
});

test('welcome carries when the meeting began, for the timer', () => {
  const read = (startedAt) => protocol.parseServerMessage(JSON.stringify({
    type: 'welcome', participantId: 'me', host: false, room: { title: 'T', slug: 's', startedAt }, participants: [],
  })).message.room.startedAt;
  assert.equal(read(1700000000000), 1700000000000);
  assert.equal(read('1700000000000'), null);
  assert.equal(read(-5), null);
});
