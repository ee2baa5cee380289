import test from 'node:test';
import assert from 'node:assert/strict';
import { gridShape } from '../../main/resources/static/js/meeting/layout.js';
import { levelFromSamples, smoothLevel } from '../../main/resources/static/js/meeting/level.js';
import { classifyMediaError, deviceProblem } from '../../main/resources/static/js/meeting/media-errors.js';
import { format } from '../../main/resources/static/js/meeting/i18n.js';
import { requestTicket, signalingSocketUrl, TicketError } from '../../main/resources/static/js/meeting/ticket.js';

test('grid: one tile fills the space; more tiles pick the arrangement with the largest tiles', () => {
  assert.deepEqual(gridShape(1, 1600, 900, { gap: 0 }), { cols: 1, rows: 1, tileWidth: 1600, tileHeight: 900 });
  assert.equal(gridShape(2, 1600, 900).cols, 2, 'side by side on a wide screen');
  assert.equal(gridShape(2, 400, 900).cols, 1, 'stacked on a tall phone');
  assert.deepEqual([gridShape(4, 1600, 900).cols, gridShape(4, 1600, 900).rows], [2, 2]);
  assert.equal(gridShape(9, 1600, 900).cols, 3);
  const twelve = gridShape(12, 1600, 900);
  assert.ok(twelve.cols * twelve.rows >= 12);
  assert.deepEqual(gridShape(5, 0, 0), { cols: 3, rows: 2, tileWidth: 0, tileHeight: 0 });
  assert.equal(gridShape(0, 100, 100).cols, 1);
});

test('grid: two people sit side by side wherever the space is wider than tall, in tiles no taller than square', () => {
  const two = gridShape(2, 940, 560, { gap: 0 });
  assert.deepEqual(two, { cols: 2, rows: 1, tileWidth: 470, tileHeight: 470 },
    'side by side, each cropped to a square, rather than two 16:9 letterboxes stacked');
  const wide = gridShape(1, 1600, 600, { gap: 0 });
  assert.deepEqual([wide.tileWidth, wide.tileHeight], [1066, 600], 'one tile no wider than 16:9');
  const tall = gridShape(1, 400, 900, { gap: 0 });
  assert.deepEqual([tall.tileWidth, tall.tileHeight], [400, 400], 'and no taller than square');
  const six = gridShape(6, 1280, 600, { gap: 8 });
  assert.deepEqual([six.cols, six.rows], [3, 2]);
  assert.ok(six.tileWidth / six.tileHeight <= 16 / 9 + 0.01 && six.tileWidth / six.tileHeight >= 1);
});

test('meter level: silence is 0, full scale is 1, -30 dBFS is halfway', () => {
  assert.equal(levelFromSamples(new Float32Array(128)), 0);
  assert.equal(levelFromSamples(new Float32Array(128).fill(1)), 1);
  const amp = 10 ** (-30 / 20);
  assert.ok(Math.abs(levelFromSamples(new Float32Array(128).fill(amp)) - 0.5) < 1e-6);
  assert.equal(levelFromSamples(new Float32Array(0)), 0);
  assert.equal(smoothLevel(0.2, 0.9), 0.9);
  assert.ok(Math.abs(smoothLevel(0.9, 0) - 0.82) < 1e-9);
});

test('getUserMedia errors are named for people', () => {
  const e = (name) => ({ name });
  assert.equal(classifyMediaError(e('NotAllowedError')), 'denied');
  assert.equal(classifyMediaError(e('NotFoundError')), 'not-found');
  assert.equal(classifyMediaError(e('OverconstrainedError')), 'not-found');
  assert.equal(classifyMediaError(e('NotReadableError')), 'in-use');
  assert.equal(classifyMediaError({ name: 'TypeError', insecure: true }), 'insecure');
  assert.equal(classifyMediaError(null), 'failed');
  assert.equal(deviceProblem('ok', 'ok'), null);
  assert.deepEqual(deviceProblem('denied', 'denied'), { key: 'device.bothDenied', nothingWorks: true });
  assert.deepEqual(deviceProblem('not-found', 'not-found'), { key: 'device.noneFound', nothingWorks: true });
  assert.deepEqual(deviceProblem('ok', 'denied'), { key: 'device.cameraDenied', nothingWorks: false });
  assert.deepEqual(deviceProblem('not-found', 'ok'), { key: 'device.micNotFound', nothingWorks: false });
  assert.deepEqual(deviceProblem('ok', 'in-use'), { key: 'device.cameraInUse', nothingWorks: false });
  assert.deepEqual(deviceProblem('insecure', 'insecure'), { key: 'device.insecure', nothingWorks: true });
});

test('format fills numbered placeholders and leaves unknown ones', () => {
  assert.equal(format('{0} is muted', 'Ann'), 'Ann is muted');
  assert.equal(format('{1}/{0} {2}', 'a', 'b'), 'b/a {2}');
});

test('signalling URL: same origin, ws for http and wss for https', () => {
  assert.equal(signalingSocketUrl('/ws/signal', 'http://127.0.0.1:8080/r/abc#x'), 'ws://127.0.0.1:8080/ws/signal');
  assert.equal(signalingSocketUrl('/ws/signal', 'https://meet.example/r/abc'), 'wss://meet.example/ws/signal');
  assert.equal(signalingSocketUrl('wss://meet.example/ws/signal', 'https://meet.example/r/abc'), 'wss://meet.example/ws/signal');
});

function fakeFetch(status, body, { type = 'basic' } = {}) {
  const calls = [];
  const fetch = async (url, init) => {
    calls.push({ url, init });
    return {
      status, type, ok: status >= 200 && status < 300,
      json: async () => { if (typeof body === 'string') throw new SyntaxError('html'); return body; },
    };
  };
  return { fetch, calls };
}

test('ticket: POST with the name, the CSRF header and same-origin credentials', async () => {
  const { fetch, calls } = fakeFetch(200, { ticket: 'abc', expiresInSeconds: 120, signalingUrl: '/ws/signal' });
  const result = await requestTicket({ fetch, ticketUrl: '/r/s/ticket', displayName: 'Ann Lee', csrf: { header: 'X-CSRF-TOKEN', token: 'tok' } });
  assert.deepEqual(result, { ticket: 'abc', expiresInSeconds: 120, signalingUrl: '/ws/signal' });
  const { url, init } = calls[0];
  assert.equal(url, '/r/s/ticket');
  assert.equal(init.method, 'POST');
  assert.equal(init.credentials, 'same-origin');
  assert.equal(init.headers['X-CSRF-TOKEN'], 'tok');
  assert.equal(init.body.toString(), 'displayName=Ann+Lee');
});

test('ticket refusals keep their code and message', async () => {
  const cases = [
    [400, { error: 'display-name', message: 'too long' }, 'display-name'],
    [403, { error: 'forbidden', message: 'no' }, 'forbidden'],
    [404, { error: 'not-found', message: 'gone' }, 'not-found'],
    [409, { error: 'room-full', message: 'full' }, 'room-full'],
    [403, '<html>csrf</html>', 'session-expired'],
    [500, '<html>oops</html>', 'server'],
    [200, { nothing: true }, 'server'],
    [0, null, 'session-expired', { type: 'opaqueredirect' }],
  ];
  for (const [status, body, code, options] of cases) {
    const { fetch } = fakeFetch(status, body, options);
    await assert.rejects(requestTicket({ fetch, ticketUrl: '/t', displayName: 'x' }),
      (e) => e instanceof TicketError && e.code === code, `${status} -> ${code}`);
  }
  const failing = async () => { throw new TypeError('offline'); };
  await assert.rejects(requestTicket({ fetch: failing, ticketUrl: '/t', displayName: 'x' }), (e) => e.code === 'network');
});
