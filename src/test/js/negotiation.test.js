import test from 'node:test';
import assert from 'node:assert/strict';
import { Negotiator } from '../../main/resources/static/js/meeting/negotiation.js';
import { trackTable, remoteMedia, pausedOwners } from '../../main/resources/static/js/meeting/tracks.js';
import { FakePeerConnection, FakeTrack } from './fakes.js';

function localMedia(audio = new FakeTrack('audio'), video = new FakeTrack('video')) {
  const stream = { id: 'local-stream' };
  return { tracks: { audio, video }, stream, track(kind) { return this.tracks[kind]; } };
}

const offer = (version, lines, publish, tracks = []) => ({ type: 'offer', version, sdp: lines.join('\n'), publish, tracks });

test('publish sections become sendonly with our tracks and stream; remote sections are received', async () => {
  const pc = new FakePeerConnection();
  const media = localMedia();
  const n = new Negotiator(pc, media);
  const sdp = await n.answer(offer(1, ['audio 0 recvonly', 'video 1 recvonly', 'audio 2 sendonly', 'video 3 sendonly'],
    { audio: '0', video: '1' },
    [{ mid: '2', participantId: 'a', kind: 'audio' }, { mid: '3', participantId: 'a', kind: 'video' }]));
  assert.deepEqual(pc.log, ['remote offer', 'create answer', 'local answer'], 'remote description first, then the answer');
  assert.equal(sdp, 'audio 0 sendonly\nvideo 1 sendonly\naudio 2 recvonly\nvideo 3 recvonly');
  const [t0, t1] = pc.getTransceivers();
  assert.equal(t0.sender.track, media.tracks.audio);
  assert.equal(t1.sender.track, media.tracks.video);
  assert.deepEqual(t0.sender.streams, [media.stream]);
  const a = n.media().get('a');
  assert.equal(a.audio.id, 'remote-2');
  assert.equal(a.video.id, 'remote-3');
  assert.equal(n.version, 1);
});

test('a kind the client does not send (null mid) is left alone; a null local track sends nothing', async () => {
  const pc = new FakePeerConnection();
  const media = localMedia(new FakeTrack('audio'), null);
  const n = new Negotiator(pc, media);
  const sdp = await n.answer(offer(1, ['audio 0 recvonly', 'video 1 recvonly'], { audio: '0', video: null }));
  assert.equal(sdp, 'audio 0 sendonly\nvideo 1 inactive');
  assert.equal(n.canSend('audio'), true);
  assert.equal(n.canSend('video'), false);
  assert.equal(await n.replaceTrack('video', new FakeTrack('video')), false);
});

test('the track table is current when setRemoteDescription fires track events', async () => {
  const pc = new FakePeerConnection();
  const n = new Negotiator(pc, localMedia());
  const seen = [];
  n.on('media', (m) => seen.push([...m.keys()]));
  await n.answer(offer(1, ['audio 0 recvonly', 'video 1 recvonly', 'video 2 sendonly'], { audio: '0', video: '1' },
    [{ mid: '2', participantId: 'b', kind: 'video' }]));
  assert.deepEqual(seen[0], ['b'], 'the first media event (from the track event) already maps mid 2 to b');
});

test('renegotiation appends sections and a departed participant drops out when inactive', async () => {
  const pc = new FakePeerConnection();
  const n = new Negotiator(pc, localMedia());
  const base = ['audio 0 recvonly', 'video 1 recvonly'];
  await n.answer(offer(1, [...base, 'audio 2 sendonly'], { audio: '0', video: '1' }, [{ mid: '2', participantId: 'a', kind: 'audio' }]));
  await n.answer(offer(2, [...base, 'audio 2 sendonly', 'audio 3 sendonly'], { audio: '0', video: '1' },
    [{ mid: '2', participantId: 'a', kind: 'audio' }, { mid: '3', participantId: 'b', kind: 'audio' }]));
  assert.deepEqual([...n.media().keys()], ['a', 'b']);
  // a leaves: its section stays but becomes inactive, and the offer may or may not still list it.
  await n.answer(offer(3, [...base, 'audio 2 inactive', 'audio 3 sendonly'], { audio: '0', video: '1' },
    [{ mid: '2', participantId: 'a', kind: 'audio' }, { mid: '3', participantId: 'b', kind: 'audio' }]));
  assert.deepEqual([...n.media().keys()], ['b']);
  assert.equal(pc.getTransceivers().length, 4);
});

test('replaceTrack swaps the sending track without a new offer', async () => {
  const pc = new FakePeerConnection();
  const n = new Negotiator(pc, localMedia());
  await n.answer(offer(1, ['audio 0 recvonly', 'video 1 recvonly'], { audio: '0', video: '1' }));
  const logLength = pc.log.length;
  assert.equal(await n.replaceTrack('video', null), true);
  assert.equal(pc.getTransceivers()[1].sender.track, null);
  const camera = new FakeTrack('video');
  await n.replaceTrack('video', camera);
  assert.equal(pc.getTransceivers()[1].sender.track, camera);
  assert.equal(pc.log.length, logLength, 'no renegotiation');
});

test('close closes the peer connection once and refuses further offers', async () => {
  const pc = new FakePeerConnection();
  const n = new Negotiator(pc, localMedia());
  n.close();
  n.close();
  assert.equal(pc.closed, true);
  await assert.rejects(n.answer(offer(1, [], { audio: null, video: null })));
});

test('remoteMedia ignores unknown mids, wrong kinds and stopped transceivers', () => {
  const t = (mid, kind, extra = {}) => ({ mid, receiver: { track: new FakeTrack(kind, 'r' + mid) }, ...extra });
  const table = trackTable([
    { mid: '1', participantId: 'a', kind: 'audio' },
    { mid: '2', participantId: 'a', kind: 'video' },
    { mid: '3', participantId: 'b', kind: 'video' },
    { mid: '4', participantId: 'c', kind: 'audio' },
  ]);
  const media = remoteMedia([
    t('0', 'audio'), t(null, 'video'), t('1', 'audio'), t('2', 'video'), t('3', 'audio'),
    t('4', 'audio', { stopped: true }), t('toString', 'audio'),
  ], table);
  assert.deepEqual([...media.keys()], ['a']);
  assert.equal(media.get('a').audio.id, 'r1');
  assert.equal(media.get('a').video.id, 'r2');
});

test('our screen share goes out on the section the server offers for it, and stops going out when we stop', async () => {
  const pc = new FakePeerConnection();
  const screen = { track: null };
  const n = new Negotiator(pc, localMedia(), screen);
  const base = ['audio 0 recvonly', 'video 1 recvonly'];
  await n.answer(offer(1, base, { audio: '0', video: '1', screen: null }));

  screen.track = new FakeTrack('video', 'shared');
  const sdp = await n.answer(offer(2, [...base, 'video 2 recvonly'], { audio: '0', video: '1', screen: '2' }));
  assert.equal(sdp, 'audio 0 sendonly\nvideo 1 sendonly\nvideo 2 sendonly');
  const section = pc.getTransceivers()[2];
  assert.equal(section.sender.track, screen.track);
  assert.notEqual(pc.getTransceivers()[1].sender.track, screen.track, 'the camera keeps its own section');

  screen.track = null;
  assert.equal(await n.stopScreen(), true);
  assert.equal(section.sender.track, null, 'nothing goes out at once');
  const after = await n.answer(offer(3, [...base, 'video 2 recvonly'], { audio: '0', video: '1', screen: '2' }));
  assert.equal(after, 'audio 0 sendonly\nvideo 1 sendonly\nvideo 2 inactive', 'and the next answer says so');
});

test('without a section for the screen there is nothing to stop', async () => {
  const n = new Negotiator(new FakePeerConnection(), localMedia());
  await n.answer(offer(1, ['audio 0 recvonly', 'video 1 recvonly'], { audio: '0', video: '1' }));
  assert.equal(await n.stopScreen(), false);
});

test('remoteMedia keeps a participant\'s screen share apart from their camera', () => {
  const t = (mid, kind) => ({ mid, receiver: { track: new FakeTrack(kind, 'r' + mid) } });
  const table = trackTable([
    { mid: '2', participantId: 'a', kind: 'video', source: 'screen' },
    { mid: '3', participantId: 'a', kind: 'video', source: 'camera' },
    { mid: '4', participantId: 'b', kind: 'video', source: 'camera' },
  ]);
  const media = remoteMedia([t('2', 'video'), t('3', 'video'), t('4', 'video')], table);
  assert.equal(media.get('a').video.id, 'r3');
  assert.equal(media.get('a').screen.id, 'r2');
  assert.equal(media.get('a').screenReceiver.track.id, 'r2');
  assert.equal(media.get('b').screen, null);
});

test('paused mids name whose camera and whose share the relay pauses; unknown and audio mids name nobody', () => {
  const table = trackTable([
    { mid: '2', participantId: 'p-ada', kind: 'audio', source: 'microphone' },
    { mid: '3', participantId: 'p-ada', kind: 'video', source: 'camera' },
    { mid: '4', participantId: 'p-bob', kind: 'video', source: 'camera' },
    { mid: '5', participantId: 'p-bob', kind: 'video', source: 'screen' },
  ]);
  const { cameras, screens } = pausedOwners(table, ['3', '5', '2', '9', 'toString']);
  assert.deepEqual([...cameras], ['p-ada']);
  assert.deepEqual([...screens], ['p-bob']);
  const none = pausedOwners(table, []);
  assert.equal(none.cameras.size + none.screens.size, 0);
});
