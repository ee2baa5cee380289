import test from 'node:test';
import assert from 'node:assert/strict';
import { FakeTimers, settle } from './fakes.js';
import {
  DisconnectedWatch, bytesBothWays, MEDIA_DISCONNECTED_LIMIT_MS, MEDIA_DISCONNECTED_FLOWING_LIMIT_MS,
} from '../../main/resources/static/js/meeting/media-watch.js';

/** A watch on a fake clock whose connection's byte counters the test moves: `flow` adds to them. */
function setup() {
  const timers = new FakeTimers();
  const counters = { received: 0, sent: 0 };
  const lost = [];
  let readings = 0;
  const connection = /** a stand-in: the watch only hands it back */ { name: 'pc' };
  const watch = new DisconnectedWatch({
    onLost: (c) => lost.push({ connection: c, at: timers.now }),
    timers,
    now: () => timers.now,
    bytes: async () => {
      readings += 1;
      return { ...counters };
    },
  });
  const flow = (received, sent) => {
    counters.received += received;
    counters.sent += sent;
  };
  /** Moves the clock on in steps of `step` ms, media moving as `each` says before each step, reads settling. */
  const run = async (ms, step = 500, each = () => {}) => {
    for (let t = 0; t < ms; t += step) {
      each();
      await settle();
      timers.advance(step);
      await settle();
    }
  };
  return { timers, watch, connection, lost, flow, run, reads: () => readings };
}

test('the limits are 6 s, and 18 s while bytes go both ways', () => {
  assert.equal(MEDIA_DISCONNECTED_LIMIT_MS, 6000);
  assert.equal(MEDIA_DISCONNECTED_FLOWING_LIMIT_MS, 18000);
});

test('a connection whose bytes stopped counts as lost after 6 s, once', async () => {
  const { watch, connection, lost, run } = setup();
  watch.watch(connection);
  assert.equal(watch.active, true);
  await run(5500);
  assert.deepEqual(lost, [], 'not before the limit');
  await run(500);
  assert.deepEqual(lost, [{ connection, at: 6000 }]);
  assert.equal(watch.active, false);
  await run(30000);
  assert.equal(lost.length, 1, 'told once');
});

test('bytes going both ways keep it until 18 s, then it counts as lost', async () => {
  const { watch, connection, lost, flow, run } = setup();
  watch.watch(connection);
  await run(17500, 500, () => flow(1000, 1000));
  assert.deepEqual(lost, [], 'kept through the checks at 6 and 12 s');
  assert.equal(watch.active, true);
  await run(500, 500, () => flow(1000, 1000));
  assert.deepEqual(lost, [{ connection, at: 18000 }], 'the bound, though bytes still flow');
});

test('bytes going one way only do not keep it', async () => {
  for (const [received, sent] of [[1000, 0], [0, 1000]]) {
    const { watch, connection, lost, flow, run } = setup();
    watch.watch(connection);
    await run(6000, 500, () => flow(received, sent));
    assert.deepEqual(lost, [{ connection, at: 6000 }], `received ${received}, sent ${sent}`);
  }
});

test('media that stops after a kept check counts as lost at the next check', async () => {
  const { watch, connection, lost, flow, run } = setup();
  watch.watch(connection);
  await run(6000, 500, () => flow(1000, 1000));
  assert.deepEqual(lost, []);
  await run(6000);
  assert.deepEqual(lost, [{ connection, at: 12000 }]);
});

test('stop ends the watch: nothing is lost, and a later watch starts its own clock', async () => {
  const { watch, connection, lost, run } = setup();
  watch.watch(connection);
  await run(5000);
  watch.stop();
  assert.equal(watch.active, false);
  await run(20000);
  assert.deepEqual(lost, []);
  watch.watch(connection);
  await run(6000);
  assert.deepEqual(lost, [{ connection, at: 31000 }]);
});

test('a second watch while one runs neither restarts the clock nor reads the statistics again', async () => {
  const { watch, connection, lost, run, reads } = setup();
  watch.watch(connection);
  await run(3000);
  watch.watch(connection);
  await run(3000);
  assert.deepEqual(lost, [{ connection, at: 6000 }]);
  assert.equal(reads(), 2, 'one reading when the watch began, one at its check');
});

test('a check still reading the statistics when the watch stops does nothing', async () => {
  const timers = new FakeTimers();
  const lost = [];
  /** @type {Array<(bytes: {received: number, sent: number}) => void>} */
  const pending = [];
  const watch = new DisconnectedWatch({
    onLost: (c) => lost.push(c),
    timers,
    now: () => timers.now,
    bytes: () => new Promise((resolve) => pending.push(resolve)),
  });
  watch.watch({});
  timers.advance(6000); // the check starts and waits for its second reading
  assert.equal(pending.length, 2);
  watch.stop();
  pending.forEach((resolve) => resolve({ received: 0, sent: 0 }));
  await settle();
  await settle();
  assert.deepEqual(lost, [], 'the connection came back while its statistics were read');
});

test('bytes are summed over transports, candidate pairs and RTP streams; no statistics count as none', async () => {
  const stats = new Map([
    ['t', { type: 'transport', bytesReceived: 100, bytesSent: 10 }],
    ['p', { type: 'candidate-pair', bytesReceived: 200, bytesSent: 20 }],
    ['i', { type: 'inbound-rtp', bytesReceived: 300 }],
    ['o', { type: 'outbound-rtp', bytesSent: 30 }],
    ['c', { type: 'codec', bytesReceived: 999, bytesSent: 999 }],
  ]);
  const connection = /** @type {any} */ ({ getStats: async () => stats });
  assert.deepEqual(await bytesBothWays(connection), { received: 600, sent: 60 });
  const closed = /** @type {any} */ ({ getStats: async () => { throw new Error('closed'); } });
  assert.deepEqual(await bytesBothWays(closed), { received: 0, sent: 0 });
});
