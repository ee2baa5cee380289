import test from 'node:test';
import assert from 'node:assert/strict';
import { OfferQueue } from '../../main/resources/static/js/meeting/offer-queue.js';

function deferred() {
  let resolve;
  let reject;
  const promise = new Promise((res, rej) => { resolve = res; reject = rej; });
  return { promise, resolve, reject };
}

test('offers are handled one at a time, in arrival order', async () => {
  const events = [];
  const gates = new Map([[1, deferred()], [2, deferred()], [3, deferred()]]);
  const queue = new OfferQueue(async (offer) => {
    events.push(`start ${offer.version}`);
    await gates.get(offer.version).promise;
    events.push(`end ${offer.version}`);
  }, (e) => { throw e; });
  queue.push({ version: 1 });
  queue.push({ version: 2 });
  queue.push({ version: 3 });
  await Promise.resolve();
  assert.deepEqual(events, ['start 1']);
  assert.equal(queue.size, 3);
  gates.get(2).resolve();
  gates.get(3).resolve();
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(events, ['start 1'], 'the second offer waits for the first even when it could finish');
  gates.get(1).resolve();
  await queue.idle();
  assert.deepEqual(events, ['start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3']);
});

test('a failing offer is reported and the next one still runs', async () => {
  const failures = [];
  const handled = [];
  const queue = new OfferQueue(async (offer) => {
    if (offer.version === 1) throw new Error('boom');
    handled.push(offer.version);
  }, (error, offer) => failures.push([error.message, offer.version]));
  queue.push({ version: 1 });
  queue.push({ version: 2 });
  await queue.idle();
  assert.deepEqual(failures, [['boom', 1]]);
  assert.deepEqual(handled, [2]);
});

test('an offer whose version is not newer is dropped', async () => {
  const handled = [];
  const failures = [];
  const queue = new OfferQueue(async (o) => handled.push(o.version), (e, o) => failures.push(o.version));
  queue.push({ version: 2 });
  queue.push({ version: 2 });
  queue.push({ version: 1 });
  queue.push({ version: 3 });
  await queue.idle();
  assert.deepEqual(handled, [2, 3]);
  assert.deepEqual(failures, [2, 1]);
});

test('after close, queued offers are dropped and new ones refused', async () => {
  const gate = deferred();
  const handled = [];
  const queue = new OfferQueue(async (o) => { handled.push(o.version); await gate.promise; }, () => {});
  queue.push({ version: 1 });
  queue.push({ version: 2 });
  queue.close();
  assert.equal(queue.push({ version: 3 }), false);
  gate.resolve();
  await queue.idle();
  assert.deepEqual(handled, [1]);
});
