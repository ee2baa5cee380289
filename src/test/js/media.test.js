import test from 'node:test';
import assert from 'node:assert/strict';
import { LocalMedia } from '../../main/resources/static/js/meeting/media.js';

class Track extends EventTarget {
  constructor(kind, deviceId) {
    super();
    this.kind = kind;
    this.deviceId = deviceId;
    this.enabled = true;
    this.stopped = false;
  }
  stop() { this.stopped = true; }
  getSettings() { return { deviceId: this.deviceId }; }
}

const error = (name) => Object.assign(new Error(name), { name });

/**
 * Fake navigator.mediaDevices. devices: what exists; refuse: kind -> error name thrown when that kind is asked for;
 * a request that includes a refused kind fails as a whole, like browsers do.
 */
function fakeDevices({ devices = ['audioinput', 'videoinput'], refuse = {} } = {}) {
  const calls = [];
  return {
    calls,
    async enumerateDevices() {
      return devices.map((kind, i) => ({ kind, deviceId: `${kind}-${i}`, label: '', groupId: 'g' }));
    },
    async getUserMedia(constraints) {
      calls.push(constraints);
      const kinds = ['audio', 'video'].filter((k) => constraints[k]);
      for (const k of kinds) {
        const deviceKind = k === 'audio' ? 'audioinput' : 'videoinput';
        if (refuse[k]) throw error(refuse[k]);
        if (!devices.includes(deviceKind)) throw error('NotFoundError');
      }
      const tracks = kinds.map((k) => new Track(k, `${k === 'audio' ? 'audioinput' : 'videoinput'}-x`));
      return { getTracks: () => tracks };
    },
    addEventListener() {},
  };
}

const permissions = (states) => ({ query: async ({ name }) => ({ state: states[name] ?? 'prompt' }) });
const memoryStorage = () => { const m = new Map(); return { getItem: (k) => m.get(k) ?? null, setItem: (k, v) => m.set(k, v) }; };

test('both devices work: one request for both, both can be sent', async () => {
  const devices = fakeDevices();
  const media = new LocalMedia({ mediaDevices: devices, permissions: permissions({}), storage: memoryStorage() });
  const outcome = await media.start();
  assert.deepEqual(outcome, { audio: 'ok', video: 'ok' });
  assert.equal(devices.calls.length, 1);
  assert.ok(devices.calls[0].audio && devices.calls[0].video);
  assert.equal(media.canSend('audio') && media.canSend('video'), true);
  assert.equal(media.isOn('video'), true);
});

test('denied without a grant for either kind: no second prompt, both denied', async () => {
  const devices = fakeDevices({ refuse: { audio: 'NotAllowedError', video: 'NotAllowedError' } });
  const media = new LocalMedia({ mediaDevices: devices, permissions: permissions({ camera: 'denied', microphone: 'prompt' }), storage: memoryStorage() });
  assert.deepEqual(await media.start(), { audio: 'denied', video: 'denied' });
  assert.equal(devices.calls.length, 1, 'no retry that could prompt again');
  assert.equal(media.canSend('audio'), false);
});

test('microphone blocked but camera granted: the camera alone is opened', async () => {
  const devices = fakeDevices({ refuse: { audio: 'NotAllowedError' } });
  const media = new LocalMedia({ mediaDevices: devices, permissions: permissions({ camera: 'granted', microphone: 'denied' }), storage: memoryStorage() });
  assert.deepEqual(await media.start(), { audio: 'denied', video: 'ok' });
  assert.deepEqual(devices.calls.map((c) => [!!c.audio, !!c.video]), [[true, true], [false, true]]);
  assert.ok(media.track('video'));
  assert.equal(media.track('audio'), null);
});

test('camera busy: the microphone still works', async () => {
  const devices = fakeDevices({ refuse: { video: 'NotReadableError' } });
  const media = new LocalMedia({ mediaDevices: devices, permissions: permissions({}), storage: memoryStorage() });
  assert.deepEqual(await media.start(), { audio: 'ok', video: 'in-use' });
  assert.equal(media.canSend('audio'), true);
  assert.equal(media.canSend('video'), false);
});

test('only a microphone exists: the camera is not asked for', async () => {
  const devices = fakeDevices({ devices: ['audioinput', 'audiooutput'] });
  const media = new LocalMedia({ mediaDevices: devices, permissions: permissions({}), storage: memoryStorage() });
  assert.deepEqual(await media.start(), { audio: 'ok', video: 'not-found' });
  assert.deepEqual(devices.calls.map((c) => [!!c.audio, !!c.video]), [[true, false]]);
});

test('no mediaDevices (insecure page): insecure for both', async () => {
  const media = new LocalMedia({ mediaDevices: undefined, permissions: undefined, storage: memoryStorage() });
  assert.deepEqual(await media.start(), { audio: 'insecure', video: 'insecure' });
});

test('mute keeps the track; camera off stops it and on opens it again', async () => {
  const devices = fakeDevices();
  const media = new LocalMedia({ mediaDevices: devices, permissions: permissions({}), storage: memoryStorage() });
  const changes = [];
  media.on('track', ({ kind, track }) => changes.push([kind, !!track]));
  await media.start();
  const mic = media.track('audio');
  media.setMicOn(false);
  assert.equal(mic.enabled, false);
  assert.equal(media.isOn('audio'), false);
  const camera = media.track('video');
  assert.equal(await media.setCameraOn(false), false);
  assert.equal(camera.stopped, true);
  assert.equal(media.track('video'), null);
  assert.equal(media.canSend('video'), true, 'a camera that is off can still be turned on in the meeting');
  assert.equal(await media.setCameraOn(true), true);
  assert.notEqual(media.track('video'), camera);
  assert.deepEqual(changes, [['audio', true], ['video', true], ['video', false], ['video', true]]);
});

test('switching the microphone keeps it muted and remembers the choice', async () => {
  const storage = memoryStorage();
  const devices = fakeDevices();
  const media = new LocalMedia({ mediaDevices: devices, permissions: permissions({}), storage });
  await media.start();
  media.setMicOn(false);
  const old = media.track('audio');
  assert.equal(await media.selectDevice('audioinput', 'mic-2'), true);
  assert.equal(old.stopped, true);
  assert.equal(media.track('audio').enabled, false);
  assert.deepEqual(devices.calls.at(-1).audio.deviceId, { exact: 'mic-2' });
  const again = new LocalMedia({ mediaDevices: fakeDevices(), permissions: permissions({}), storage });
  assert.equal(again.selected.audioinput, 'audioinput-x', 'the device the track reports is remembered');
});

test('listen only drops every device and offers nothing to send', async () => {
  const media = new LocalMedia({ mediaDevices: fakeDevices(), permissions: permissions({}), storage: memoryStorage() });
  await media.start();
  const mic = media.track('audio');
  await media.goListenOnly();
  assert.equal(mic.stopped, true);
  assert.equal(media.canSend('audio'), false);
  assert.equal(media.canSend('video'), false);
});
