import test from 'node:test';
import assert from 'node:assert/strict';
import { ScreenShare, DISPLAY_CONSTRAINTS, SCREEN_ENCODING, configureScreenSender }
  from '../../main/resources/static/js/meeting/screen-share.js';
import { FakeTrack } from './fakes.js';

class FakeDisplayTrack extends FakeTrack {
  constructor() {
    super('video', 'screen');
    this.contentHint = '';
    this.stopped = false;
    this.listeners = new Map();
  }

  addEventListener(type, listener) {
    this.listeners.set(type, listener);
  }

  removeEventListener(type) {
    this.listeners.delete(type);
  }

  stop() {
    this.stopped = true;
  }

  /** The browser's own "Stop sharing" (or the shared window closed). */
  endFromBrowser() {
    this.stopped = true;
    this.listeners.get('ended')?.();
  }
}

function devices(result) {
  const asked = [];
  return {
    asked,
    getDisplayMedia: async (constraints) => {
      asked.push(constraints);
      if (result instanceof Error) throw result;
      return { getVideoTracks: () => [result], getTracks: () => [result] };
    },
  };
}

const named = (name) => Object.assign(new Error(name), { name });

test('a share asks for video only, tuned for text, and ends however it is stopped', async () => {
  const track = new FakeDisplayTrack();
  const mediaDevices = devices(track);
  const share = new ScreenShare({ mediaDevices });
  const seen = [];
  share.on('track', ({ track: t }) => seen.push(t));

  assert.equal(await share.start(), 'ok');
  assert.deepEqual(mediaDevices.asked, [DISPLAY_CONSTRAINTS]);
  assert.equal(DISPLAY_CONSTRAINTS.audio, false);
  assert.equal(track.contentHint, 'detail');
  assert.equal(share.sharing, true);
  assert.equal(await share.start(), 'ok', 'a second start while sharing asks nothing');
  assert.equal(mediaDevices.asked.length, 1);

  track.endFromBrowser();
  assert.equal(share.sharing, false);
  assert.deepEqual(seen, [track, null]);
  share.stop();
  assert.deepEqual(seen, [track, null], 'stopping what ended already tells nobody');
});

test('the button stops the capture itself', async () => {
  const track = new FakeDisplayTrack();
  const share = new ScreenShare({ mediaDevices: devices(track) });
  await share.start();
  share.stop();
  assert.equal(track.stopped, true);
  assert.equal(share.track, null);
});

test('a cancelled picker, a browser without screen sharing and other failures are told apart', async () => {
  assert.equal(await new ScreenShare({ mediaDevices: devices(named('NotAllowedError')) }).start(), 'cancelled');
  assert.equal(await new ScreenShare({ mediaDevices: devices(named('NotSupportedError')) }).start(), 'unsupported');
  assert.equal(await new ScreenShare({ mediaDevices: devices(named('NotReadableError')) }).start(), 'failed');
  const phone = new ScreenShare({ mediaDevices: /** @type {any} */ ({}) });
  assert.equal(phone.supported(), false);
  assert.equal(await phone.start(), 'unsupported');
});

test('the sender gets one encoding for text: bitrate, frame rate, priority, and resolution kept', async () => {
  let parameters = { encodings: [{ active: true }] };
  const sender = { getParameters: () => structuredClone(parameters), setParameters: async (p) => { parameters = p; } };
  await configureScreenSender(sender);
  assert.deepEqual(parameters.encodings, [{ active: true, ...SCREEN_ENCODING }]);
  assert.equal(parameters.encodings[0].maxBitrate, 2_500_000);
  assert.ok(parameters.encodings[0].maxFramerate >= 5 && parameters.encodings[0].maxFramerate <= 15);
  assert.equal(parameters.degradationPreference, 'maintain-resolution');
});

test('a browser that refuses the priority and degradation preference keeps the bitrate and frame rate', async () => {
  let parameters = { encodings: [{}] };
  const sender = {
    getParameters: () => structuredClone(parameters),
    setParameters: async (p) => {
      if ('degradationPreference' in p || 'priority' in p.encodings[0]) throw named('InvalidModificationError');
      parameters = p;
    },
  };
  await configureScreenSender(sender);
  assert.deepEqual(parameters.encodings, [{ maxBitrate: 2_500_000, maxFramerate: SCREEN_ENCODING.maxFramerate }]);
});
