import test from 'node:test';
import assert from 'node:assert/strict';
import { classify, QualityMeter, FAIR_LOSS, POOR_LOSS, FAIR_RTT, POOR_RTT } from '../../main/resources/static/js/meeting/quality.js';

test('loss or round trip past a threshold makes the connection fair, then poor', () => {
  assert.equal(classify({ loss: 0, rtt: 0.02 }), 'good');
  assert.equal(classify({ loss: FAIR_LOSS - 0.001, rtt: FAIR_RTT - 0.001 }), 'good');
  assert.equal(classify({ loss: FAIR_LOSS, rtt: 0 }), 'fair');
  assert.equal(classify({ loss: 0, rtt: FAIR_RTT }), 'fair');
  assert.equal(classify({ loss: POOR_LOSS, rtt: 0 }), 'poor');
  assert.equal(classify({ loss: 0.03, rtt: POOR_RTT }), 'poor');
});

/** One getStats() report: what we receive (cumulative counts), what the relay reports of what we send, the pair. */
const report = ({ received, lost, sentLoss = 0, rtt = 0.02 }) => [
  { type: 'inbound-rtp', kind: 'audio', packetsReceived: received * 0.4, packetsLost: lost * 0.4 },
  { type: 'inbound-rtp', kind: 'video', packetsReceived: received * 0.6, packetsLost: lost * 0.6 },
  { type: 'remote-inbound-rtp', kind: 'video', fractionLost: sentLoss, roundTripTime: rtt },
  { type: 'candidate-pair', nominated: true, state: 'succeeded', currentRoundTripTime: rtt },
  { type: 'candidate-pair', nominated: false, state: 'failed', currentRoundTripTime: 5 },
];

test('the first report sets the baseline; the loss is measured between reports, not since the start', () => {
  const meter = new QualityMeter();
  assert.equal(meter.sample(report({ received: 900, lost: 100 })), null, 'no level from a baseline alone');
  assert.equal(meter.sample(report({ received: 1900, lost: 100 })), 'good', 'no new loss: good, at once');
  assert.equal(meter.level, 'good');
});

test('a change needs two reports in a row; one bad burst does not flicker the badge', () => {
  const meter = new QualityMeter();
  meter.sample(report({ received: 0, lost: 0 }));
  assert.equal(meter.sample(report({ received: 1000, lost: 0 })), 'good');
  assert.equal(meter.sample(report({ received: 1900, lost: 100 })), null, '10 % lost once');
  assert.equal(meter.sample(report({ received: 2900, lost: 100 })), null, 'back to good: no change to report');
  assert.equal(meter.level, 'good');
  assert.equal(meter.sample(report({ received: 3850, lost: 150 })), null, '5 % lost: fair, once');
  assert.equal(meter.sample(report({ received: 4800, lost: 200 })), 'fair', 'fair twice in a row');
  assert.equal(meter.sample(report({ received: 5800, lost: 200, rtt: 0.8 })), null);
  assert.equal(meter.sample(report({ received: 6800, lost: 200, rtt: 0.9 })), 'poor', 'a long round trip alone');
});

test('loss of what we send, as the relay reports it back, counts as much as loss of what we receive', () => {
  const meter = new QualityMeter();
  meter.sample(report({ received: 0, lost: 0 }));
  assert.equal(meter.sample(report({ received: 1000, lost: 0, sentLoss: 0.12 })), 'poor');
});

test('counters that go backwards (a duplicate counted, a track replaced) are no loss', () => {
  const meter = new QualityMeter();
  meter.sample(report({ received: 1000, lost: 50 }));
  assert.equal(meter.sample(report({ received: 900, lost: -5 })), 'good');
});
