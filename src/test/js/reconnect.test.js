import test from 'node:test';
import assert from 'node:assert/strict';
import { ReconnectPlan } from '../../main/resources/static/js/meeting/reconnect.js';

test('the first try goes at once, then the pause doubles up to its ceiling', () => {
  const plan = new ReconnectPlan({ graceMs: 30000, firstDelayMs: 500, maxDelayMs: 4000, maxAttempts: 20 });
  plan.start(0);
  const pauses = [];
  for (let i = 0; i < 7; i++) pauses.push(plan.next(0));
  assert.deepEqual(pauses, [0, 500, 1000, 2000, 4000, 4000, 4000]);
});

test('no try once the grace is over, and the last one leaves time to arrive', () => {
  const plan = new ReconnectPlan({ graceMs: 10000, firstDelayMs: 500, maxDelayMs: 4000, maxAttempts: 20 });
  plan.start(1000);
  plan.next(1000);
  plan.next(1000);
  assert.equal(plan.next(10800), 0, 'only 200 ms are left: at once');
  assert.equal(plan.next(11000), null, 'the grace is over');
});

test('the number of tries is bounded however short the pauses', () => {
  const plan = new ReconnectPlan({ graceMs: 60000, firstDelayMs: 1, maxDelayMs: 1, maxAttempts: 5 });
  plan.start(0);
  const made = [];
  for (let i = 0; i < 10; i++) made.push(plan.next(0));
  assert.equal(made.filter((p) => p !== null).length, 5);
});

test('the network coming back makes the next try go at once; stop forgets the drop', () => {
  const plan = new ReconnectPlan({ graceMs: 30000, firstDelayMs: 500, maxDelayMs: 4000, maxAttempts: 20 });
  plan.start(0);
  plan.next(0);
  plan.next(0);
  plan.next(0);
  plan.hurry();
  assert.equal(plan.next(0), 0);
  assert.equal(plan.next(0), 500);
  assert.equal(plan.active, true);
  plan.stop();
  assert.equal(plan.active, false);
  assert.equal(plan.next(0), null);
});
