import test from 'node:test';
import assert from 'node:assert/strict';
import { hasCandidates, keepCandidates, summary } from '../../main/resources/static/js/meeting/network-check.js';

const answer = [
  'v=0', 'm=audio 9 UDP/TLS/RTP/SAVPF 111', 'a=ice-lite',
  'a=candidate:1 1 udp 2130706175 10.0.0.1 10000 typ host',
  'a=candidate:2 1 tcp 1509949183 10.0.0.1 10000 typ host tcptype passive',
  'a=end-of-candidates', '',
].join('\r\n');

test('a probe keeps only its own path\'s candidates, and every other line as it was', () => {
  const udp = keepCandidates(answer, 'udp');
  assert.match(udp, /a=candidate:1 1 udp /);
  assert.doesNotMatch(udp, /tcptype/);
  const tcp = keepCandidates(answer, 'tcp');
  assert.match(tcp, /a=candidate:2 1 tcp .* tcptype passive/);
  assert.doesNotMatch(tcp, / udp /);
  for (const kept of [udp, tcp]) {
    assert.match(kept, /^v=0\r\nm=audio 9 UDP\/TLS\/RTP\/SAVPF 111\r\na=ice-lite\r\n/);
    assert.match(kept, /a=end-of-candidates\r\n$/);
  }
});

test('a path whose candidates the server does not offer is not set up, not blocked', () => {
  assert.equal(hasCandidates(keepCandidates(answer, 'tcp')), true);
  const udpOnly = answer.split('\r\n').filter((l) => !/ tcp /.test(l)).join('\r\n');
  assert.equal(hasCandidates(keepCandidates(udpOnly, 'udp')), true);
  assert.equal(hasCandidates(keepCandidates(udpOnly, 'tcp')), false, 'a server without ICE-TCP');
});

test('the summary names the best path that works, then a slow upload', () => {
  const base = { udp: 'ok', tcp: 'ok', turn: 'not-configured', rttMs: 20, uploadKbps: 5000 };
  assert.deepEqual(summary(base), ['network.summary.good']);
  assert.deepEqual(summary({ ...base, uploadKbps: null }), ['network.summary.good']);
  assert.deepEqual(summary({ ...base, uploadKbps: 400 }), ['network.summary.slowUpload', '0.4']);
  assert.deepEqual(summary({ ...base, udp: 'blocked' }), ['network.summary.tcp']);
  assert.deepEqual(summary({ ...base, udp: 'blocked', tcp: 'blocked', turn: 'ok' }), ['network.summary.turn']);
  assert.deepEqual(summary({ ...base, udp: 'blocked', tcp: 'blocked' }), ['network.summary.none']);
  assert.deepEqual(summary({ ...base, udp: 'failed', tcp: 'blocked', turn: 'blocked' }), ['network.summary.none']);
});
