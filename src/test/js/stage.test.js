import test from 'node:test';
import assert from 'node:assert/strict';
import { StagePicker, STAGE_HOLD_MS } from '../../main/resources/static/js/meeting/stage.js';

const others = ['ada', 'grace', 'linus'];

test('before anyone speaks the first other participant is on stage; alone, yourself', () => {
  const picker = new StagePicker();
  assert.deepEqual(picker.choose(others, 'me', 0), { stageId: 'ada', pinnedId: null, recheckAt: null });
  assert.equal(picker.choose([], 'me', 0).stageId, 'me');
  assert.equal(picker.choose([], null, 0).stageId, null);
});

test('the first speaker takes the stage at once; the next one only after holding the floor', () => {
  const picker = new StagePicker();
  picker.heard('linus', 1000, 'me');
  assert.equal(picker.choose(others, 'me', 1000).stageId, 'linus', 'nobody held the stage before');
  picker.heard('grace', 5000, 'me');
  assert.deepEqual(picker.choose(others, 'me', 5000), { stageId: 'linus', pinnedId: null, recheckAt: 5000 + STAGE_HOLD_MS });
  assert.equal(picker.choose(others, 'me', 5000 + STAGE_HOLD_MS - 1).stageId, 'linus');
  assert.deepEqual(picker.choose(others, 'me', 5000 + STAGE_HOLD_MS), { stageId: 'grace', pinnedId: null, recheckAt: null });
});

test('a speaker who flickers in and out does not move the stage', () => {
  const picker = new StagePicker({ holdMs: 2000 });
  picker.heard('ada', 0, 'me');
  picker.choose(others, 'me', 0);
  picker.heard('grace', 100, 'me');
  picker.heard('ada', 900, 'me');
  picker.heard('grace', 1500, 'me');
  assert.equal(picker.choose(others, 'me', 2200).stageId, 'ada', 'grace came back at 1500, so her hold started again');
  assert.equal(picker.choose(others, 'me', 3500).stageId, 'grace');
});

test('nobody speaking leaves the last speaker on stage, and a waiting speaker still gets there', () => {
  const picker = new StagePicker({ holdMs: 2000 });
  picker.heard('ada', 0, 'me');
  picker.heard(null, 500, 'me');
  assert.equal(picker.choose(others, 'me', 10_000).stageId, 'ada');
  picker.heard('linus', 11_000, 'me');
  picker.heard(null, 11_500, 'me');
  assert.equal(picker.choose(others, 'me', 12_000).stageId, 'ada');
  assert.equal(picker.choose(others, 'me', 13_000).stageId, 'linus', 'linus spoke last');
});

test('your own voice never puts you on your own stage', () => {
  const picker = new StagePicker();
  picker.heard('grace', 0, 'me');
  picker.heard('me', 100, 'me');
  assert.deepEqual(picker.choose(others, 'me', 60_000), { stageId: 'grace', pinnedId: null, recheckAt: null });
});

test('a pin overrides the speaker, a second click unpins, and a pin to someone who left goes', () => {
  const picker = new StagePicker();
  picker.heard('ada', 0, 'me');
  picker.togglePin('linus');
  assert.deepEqual(picker.choose(others, 'me', 0), { stageId: 'linus', pinnedId: 'linus', recheckAt: null });
  picker.heard('grace', 100, 'me');
  assert.equal(picker.choose(others, 'me', 60_000).stageId, 'linus', 'the speaker does not move a pinned stage');
  picker.togglePin('linus');
  assert.deepEqual(picker.choose(others, 'me', 60_000), { stageId: 'grace', pinnedId: null, recheckAt: null },
    'unpinned, the stage shows who spoke meanwhile');
  picker.togglePin('ada');
  assert.equal(picker.choose(['grace', 'linus'], 'me', 60_000).pinnedId, null, 'ada left');
  picker.togglePin('me');
  assert.equal(picker.choose(others, 'me', 60_000).stageId, 'me', 'you may pin yourself');
});

test('when the speaker leaves, the one who spoke before them takes the stage', () => {
  const picker = new StagePicker({ holdMs: 2000 });
  picker.heard('ada', 0, 'me');
  picker.choose(others, 'me', 0);
  picker.heard('linus', 1000, 'me');
  picker.choose(others, 'me', 3000);
  assert.equal(picker.choose(['ada', 'grace'], 'me', 3000).stageId, 'ada');
  assert.equal(picker.choose(['grace'], 'me', 3000).stageId, 'grace', 'then the first one here');
});

test('a speaker named before their tile comes takes the stage when it does', () => {
  const picker = new StagePicker();
  picker.heard('newcomer', 0, 'me');
  assert.equal(picker.choose(others, 'me', 0).stageId, 'ada');
  assert.equal(picker.choose([...others, 'newcomer'], 'me', 100).stageId, 'newcomer');
});

test('reset forgets pins and speakers', () => {
  const picker = new StagePicker();
  picker.heard('linus', 0, 'me');
  picker.togglePin('grace');
  picker.reset();
  assert.equal(picker.choose(others, 'me', 0).stageId, 'ada');
});
