import test from 'node:test';
import assert from 'node:assert/strict';
import { summarise } from '../../main/resources/static/js/meeting/stats.js';

const tracks = { 2: { participantId: 'ada', kind: 'audio', source: 'microphone' },
  3: { participantId: 'ada', kind: 'video', source: 'camera' }, 4: { participantId: 'ada', kind: 'video', source: 'screen' } };

/** A getStats() report at time ms, with cumulative counters scaled by the seconds since the start. */
function report(ms) {
  const s = ms / 1000;
  const entries = [
    { id: 'c-vp8', type: 'codec', mimeType: 'video/VP8' },
    { id: 'c-opus', type: 'codec', mimeType: 'audio/opus' },
    // Simulcast: two video layers sent, 600 and 200 kbit/s.
    { id: 'o-h', type: 'outbound-rtp', kind: 'video', timestamp: ms, bytesSent: 75_000 * s, frameWidth: 1280, frameHeight: 720, framesPerSecond: 30, codecId: 'c-vp8' },
    { id: 'o-l', type: 'outbound-rtp', kind: 'video', timestamp: ms, bytesSent: 25_000 * s, frameWidth: 320, frameHeight: 180, framesPerSecond: 15, codecId: 'c-vp8' },
    { id: 'o-a', type: 'outbound-rtp', kind: 'audio', timestamp: ms, bytesSent: 4_000 * s, codecId: 'c-opus' },
    { id: 'r-h', type: 'remote-inbound-rtp', localId: 'o-h', fractionLost: 0.031, roundTripTime: 0.045 },
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
  assert.equal(summary.sent.rttMs, 40, 'the selected pair\'s round trip');
  assert.equal(summary.sent.availableKbps, 2500);
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
