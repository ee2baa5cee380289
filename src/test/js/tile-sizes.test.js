import test from 'node:test';
import assert from 'node:assert/strict';
import { tilesFor, TileSizeReporter, screenKey } from '../../main/resources/static/js/meeting/tile-sizes.js';
import { configureLayers, SIMULCAST_LAYERS } from '../../main/resources/static/js/meeting/negotiation.js';

const table = {
  2: { participantId: 'a', kind: 'audio' },
  3: { participantId: 'a', kind: 'video' },
  5: { participantId: 'b', kind: 'video' },
};

test('each received video section gets its owner\'s tile size, in steps of 16, and 0 x 0 when not shown', () => {
  const shown = new Map([['a', { width: 641.5, height: 359 }]]);
  assert.deepEqual(tilesFor(table, shown), [
    { mid: '3', width: 640, height: 352 },
    { mid: '5', width: 0, height: 0 },
  ]);
});

function fakeTimers() {
  const pending = [];
  return {
    pending,
    setTimeout(fn) { pending.push(fn); return pending.length; },
    clearTimeout() { pending.length = 0; },
    run() { pending.splice(0).forEach((fn) => fn()); },
  };
}

test('the reporter sends once per delay, only what changed, and again after a reset', () => {
  const timers = fakeTimers();
  const sent = [];
  const reporter = new TileSizeReporter((tiles) => { sent.push(tiles); return true; }, { timers });
  reporter.update(table, new Map([['a', { width: 320, height: 180 }]]));
  reporter.update(table, new Map([['a', { width: 640, height: 360 }]]));
  assert.equal(sent.length, 0, 'nothing before the delay');
  timers.run();
  assert.deepEqual(sent, [[{ mid: '3', width: 640, height: 368 }, { mid: '5', width: 0, height: 0 }]], 'the last one wins');
  reporter.update(table, new Map([['a', { width: 645, height: 361 }]]));
  assert.equal(timers.pending.length, 0, 'the same sizes after rounding are not sent again');
  reporter.reset();
  reporter.update(table, new Map([['a', { width: 645, height: 361 }]]));
  timers.run();
  assert.equal(sent.length, 2);
});

test('the offer the table came from goes with the tiles, and a new offer sends the same tiles again', () => {
  const timers = fakeTimers();
  const sent = [];
  const reporter = new TileSizeReporter((tiles, version) => { sent.push({ tiles, version }); return true; }, { timers });
  const shown = new Map([['a', { width: 320, height: 176 }]]);
  reporter.update(table, shown, 4);
  timers.run();
  reporter.update(table, shown, 4);
  assert.equal(timers.pending.length, 0, 'nothing new: not sent again');
  reporter.update(table, shown, 5);
  timers.run();
  assert.deepEqual(sent.map((s) => s.version), [4, 5]);
  assert.deepEqual(sent[1].tiles, sent[0].tiles);
});

test('a send that fails (not joined yet) is tried at the next change', () => {
  const timers = fakeTimers();
  let joined = false;
  const sent = [];
  const reporter = new TileSizeReporter((tiles) => { if (joined) sent.push(tiles); return joined; }, { timers });
  reporter.update(table, new Map());
  timers.run();
  joined = true;
  reporter.update(table, new Map());
  timers.run();
  assert.equal(sent.length, 1);
});

function fakeSender(encodings) {
  return {
    parameters: { encodings },
    set: [],
    getParameters() { return structuredClone(this.parameters); },
    async setParameters(p) { this.set.push(p); this.parameters = p; },
  };
}

test('simulcast encodings get the scale and bitrate of their layer; one encoding is left alone', async () => {
  const sender = fakeSender([{ rid: 'l' }, { rid: 'm' }, { rid: 'h' }]);
  await configureLayers(sender);
  assert.equal(sender.set.length, 1);
  assert.deepEqual(sender.parameters.encodings.map((e) => [e.rid, e.scaleResolutionDownBy, e.maxBitrate]),
    [['l', 4, 150000], ['m', 2, 500000], ['h', 1, 1500000]]);
  await configureLayers(sender);
  assert.equal(sender.set.length, 1, 'already set: not again');
  const single = fakeSender([{}]);
  await configureLayers(single);
  assert.equal(single.set.length, 0);
  assert.equal(SIMULCAST_LAYERS.h.scaleResolutionDownBy, 1);
});

test('a screen share is sized by its own tile, apart from its sharer\'s camera', () => {
  const table = {
    3: { participantId: 'a', kind: 'video', source: 'camera' },
    4: { participantId: 'a', kind: 'video', source: 'screen' },
    5: { participantId: 'b', kind: 'video', source: 'screen' },
  };
  const shown = new Map([['a', { width: 320, height: 180 }], [screenKey('a'), { width: 1600, height: 900 }],
    [screenKey('b'), { width: 0, height: 0 }]]);
  assert.deepEqual(tilesFor(table, shown), [
    { mid: '3', width: 320, height: 176 },
    { mid: '4', width: 1600, height: 896 },
    { mid: '5', width: 0, height: 0 },
  ]);
});
