import test from 'node:test';
import assert from 'node:assert/strict';
import { summarise, counterpart, codecOf } from '../../main/resources/static/js/meeting/stats.js';

const tracks = { 2: { participantId: 'ada', kind: 'audio', source: 'microphone' },
  3: { participantId: 'ada', kind: 'video', source: 'camera' }, 4: { participantId: 'ada', kind: 'video', source: 'screen' } };

/**
 * A getStats() report at time ms, with cumulative counters scaled by the seconds since the start. `links` says how the
 * browser ties a sent stream to the relay's report of it: 'both' (outbound-rtp.remoteId and remote-inbound-rtp.localId,
 * as Chromium and current Firefox), 'remoteId' only, 'localId' only (no remoteId), or 'ssrc' (neither).
 */
function report(ms, links = 'both') {
  const s = ms / 1000;
  const remoteId = links === 'both' || links === 'remoteId';
  const localId = links === 'both' || links === 'localId';
  const sent = (id, ssrc, remote, fields) => ({ id, type: 'outbound-rtp', ssrc, timestamp: ms, ...(remoteId ? { remoteId: remote } : {}), ...fields });
  const relaySaw = (id, ssrc, local, fields) => ({ id, type: 'remote-inbound-rtp', ssrc, ...(localId ? { localId: local } : {}), ...fields });
  const entries = [
    { id: 'c-vp8', type: 'codec', mimeType: 'video/VP8' },
    { id: 'c-opus', type: 'codec', mimeType: 'audio/opus' },
    // Simulcast: two video layers sent, 600 and 200 kbit/s.
    sent('o-h', 11, 'r-h', { kind: 'video', bytesSent: 75_000 * s, frameWidth: 1280, frameHeight: 720, framesPerSecond: 30, codecId: 'c-vp8' }),
    sent('o-l', 12, 'r-l', { kind: 'video', bytesSent: 25_000 * s, frameWidth: 320, frameHeight: 180, framesPerSecond: 15, codecId: 'c-vp8' }),
    sent('o-a', 13, 'r-a', { kind: 'audio', bytesSent: 4_000 * s, codecId: 'c-opus' }),
    relaySaw('r-h', 11, 'o-h', { kind: 'video', fractionLost: 0.031, roundTripTime: 0.045 }),
    relaySaw('r-a', 13, 'o-a', { kind: 'audio', fractionLost: 0, roundTripTime: 0.05 }),
    { id: 'pair', type: 'candidate-pair', nominated: true, state: 'succeeded', currentRoundTripTime: 0.04, availableOutgoingBitrate: 2_500_000 },
    // From Ada: 95 of every 100 video packets arrive.
    { id: 'i-v', type: 'inbound-rtp', kind: 'video', mid: '3', timestamp: ms, bytesReceived: 50_000 * s, packetsReceived: 95 * s, packetsLost: 5 * s, jitter: 0.012, frameWidth: 640, frameHeight: 360, framesPerSecond: 24, codecId: 'c-vp8' },
    { id: 'i-a', type: 'inbound-rtp', kind: 'audio', mid: '2', timestamp: ms, bytesReceived: 4_000 * s, packetsReceived: 50 * s, packetsLost: 0, jitter: 0.003, codecId: 'c-opus' },
    { id: 'i-x', type: 'inbound-rtp', kind: 'video', mid: '9', timestamp: ms, bytesReceived: 1, packetsReceived: 1 },
  ];
  return new Map(entries.map((e) => [e.id, e]));
}

test('what you send: the simulcast layers add up, the largest picture shows, the relay\'s loss and the round trip', () => {
  const summary = summarise(report(10_000), report(12_000), tracks);
  assert.deepEqual(summary.sent.video, { kbps: 800, lossPercent: 3.1, codec: 'VP8', resolution: '1280x720', fps: 30, jitterMs: null });
  assert.equal(summary.sent.audio.kbps, 32);
  assert.equal(summary.sent.audio.codec, 'opus');
  assert.equal(summary.sent.audio.lossPercent, 0);
  assert.equal(summary.sent.rttMs, 40, 'the selected pair\'s round trip');
  assert.equal(summary.sent.availableKbps, 2500);
});

test('the relay\'s report of what you send is found however the browser links it: remoteId, localId, or only the SSRC', () => {
  for (const links of ['both', 'remoteId', 'localId', 'ssrc']) {
    const now = report(12_000, links);
    assert.equal(counterpart(now.get('o-h'), now, 'remote-inbound-rtp'), now.get('r-h'), links);
    assert.equal(counterpart(now.get('o-a'), now, 'remote-inbound-rtp'), now.get('r-a'), links);
    assert.equal(counterpart(now.get('o-l'), now, 'remote-inbound-rtp'), null, `${links}: no report on that layer yet`);
    const summary = summarise(report(10_000, links), now, tracks);
    assert.equal(summary.sent.video.lossPercent, 3.1, links);
  }
});

test('two streams sent of one kind: each gets the report its remoteId names, not the first one a scan meets', () => {
  // The relay's reports come in the other order, and this browser names neither the stream in them (no localId) nor
  // the SSRC: only the links pair them. Taking the first video report found would give the large layer the small one's.
  const sent = [
    { id: 'o-h', type: 'outbound-rtp', kind: 'video', remoteId: 'r-l-of-h', timestamp: 2000, bytesSent: 150_000 },
    { id: 'o-l', type: 'outbound-rtp', kind: 'video', remoteId: 'r-h-of-l', timestamp: 2000, bytesSent: 50_000 },
  ];
  const relaySaw = [
    { id: 'r-h-of-l', type: 'remote-inbound-rtp', kind: 'video', fractionLost: 0.25, roundTripTime: 0.12 },
    { id: 'r-l-of-h', type: 'remote-inbound-rtp', kind: 'video', fractionLost: 0.01, roundTripTime: 0.045 },
  ];
  const now = new Map([...relaySaw, ...sent].map((e) => [e.id, e]));
  assert.equal(counterpart(now.get('o-h'), now, 'remote-inbound-rtp').fractionLost, 0.01);
  assert.equal(counterpart(now.get('o-l'), now, 'remote-inbound-rtp').fractionLost, 0.25);
  const summary = summarise(null, now, tracks);
  assert.equal(summary.sent.rttMs, 45, 'with no candidate pair, the first stream\'s own round trip');
  assert.equal(summary.sent.video.lossPercent, 25, 'the worse of the two layers');
});

test('a received stream\'s sender report is the remote-outbound-rtp its remoteId names; a link to another type is none', () => {
  const now = new Map([
    { id: 'i-v', type: 'inbound-rtp', kind: 'video', ssrc: 7, remoteId: 'ro-v' },
    { id: 'ro-a', type: 'remote-outbound-rtp', kind: 'audio', ssrc: 8, localId: 'i-a' },
    { id: 'ro-v', type: 'remote-outbound-rtp', kind: 'video', ssrc: 7, localId: 'i-v' },
    { id: 'i-a', type: 'inbound-rtp', kind: 'audio', ssrc: 8 },
    { id: 'i-odd', type: 'inbound-rtp', kind: 'video', remoteId: 'ro-a-missing' },
    { id: 'i-bad', type: 'inbound-rtp', kind: 'video', remoteId: 'i-a' },
  ].map((e) => [e.id, e]));
  assert.equal(counterpart(now.get('i-v'), now, 'remote-outbound-rtp'), now.get('ro-v'));
  assert.equal(counterpart(now.get('i-a'), now, 'remote-outbound-rtp'), now.get('ro-a'), 'no remoteId: by its localId');
  assert.equal(counterpart(now.get('i-odd'), now, 'remote-outbound-rtp'), null, 'a link to an entry not in this report, and nothing else names the stream');
  assert.equal(counterpart(now.get('i-bad'), now, 'remote-outbound-rtp'), null);
});

test('the codec is the one codecId names; without it only an unambiguous codec of the stream\'s kind', () => {
  const codecs = [
    { id: 'c-vp8', type: 'codec', mimeType: 'video/VP8', transportId: 't' },
    { id: 'c-rtx', type: 'codec', mimeType: 'video/rtx', transportId: 't' },
    { id: 'c-opus', type: 'codec', mimeType: 'audio/opus', transportId: 't' },
    { id: 'c-red', type: 'codec', mimeType: 'audio/red', transportId: 't' },
  ];
  const now = new Map(codecs.map((e) => [e.id, e]));
  assert.equal(codecOf({ kind: 'video', codecId: 'c-vp8', transportId: 't' }, now).mimeType, 'video/VP8');
  assert.equal(codecOf({ kind: 'video', transportId: 't' }, now).mimeType, 'video/VP8', 'RTX is repair, not the codec');
  assert.equal(codecOf({ kind: 'audio', transportId: 't' }, now).mimeType, 'audio/opus');
  now.set('c-h264', { id: 'c-h264', type: 'codec', mimeType: 'video/H264', transportId: 't' });
  assert.equal(codecOf({ kind: 'video', transportId: 't' }, now), null, 'two video codecs: no guess');
  assert.equal(codecOf({ kind: 'video', codecId: 'c-h264', transportId: 't' }, now).mimeType, 'video/H264');
});

test('what you receive, by participant: bitrate, loss over the interval, jitter, picture; unknown mids are left out', () => {
  const summary = summarise(report(10_000), report(12_000), tracks);
  assert.deepEqual(Object.keys(summary.received), ['ada']);
  assert.deepEqual(summary.received.ada.video, { kbps: 400, lossPercent: 5, codec: 'VP8', resolution: '640x360', fps: 24, jitterMs: 12 });
  assert.equal(summary.received.ada.audio.lossPercent, 0);
  assert.equal(summary.received.ada.screen, null);
});

test('the first report has no rates yet, only what it names', () => {
  const summary = summarise(null, report(10_000), tracks);
  assert.equal(summary.sent.video.kbps, null);
  assert.equal(summary.received.ada.video.kbps, null);
  assert.equal(summary.received.ada.video.lossPercent, null);
  assert.equal(summary.received.ada.video.resolution, '640x360');
});
