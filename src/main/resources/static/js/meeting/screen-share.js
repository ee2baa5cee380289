// @ts-check
// Your screen share: asking the browser for a screen, window or tab (getDisplayMedia), tuned for text, and noticing
// when it ends (your stop, or the browser's own "Stop sharing"). Uses navigator.mediaDevices; no DOM.

import { Emitter } from './emitter.js';

/**
 * What is asked of the browser: video only, at most full HD (a larger screen is scaled down, text stays legible), and
 * at most 15 frames a second: slides and code need detail far more than motion.
 */
export const DISPLAY_CONSTRAINTS = {
  video: { width: { max: 1920 }, height: { max: 1080 }, frameRate: { ideal: 15, max: 15 } },
  audio: false,
};

/**
 * How the share is encoded: one stream (the relay sends it whole, before any camera), up to 2.5 Mbit/s and 15 frames a
 * second; under pressure the frame rate drops, never the resolution; and the browser's own sending gives it priority
 * over the camera.
 */
export const SCREEN_ENCODING = { maxBitrate: 2_500_000, maxFramerate: 15, priority: 'high', networkPriority: 'high' };

/**
 * How starting a share ended: it runs; the person (or the browser's settings) said no; the browser cannot share a
 * screen; or it failed otherwise.
 * @typedef {'ok' | 'cancelled' | 'unsupported' | 'failed'} ShareOutcome
 */

/**
 * @typedef {object} ScreenShareEvents
 * @property {{track: MediaStreamTrack | null}} track  the shared track changed (null: the share ended)
 */

/**
 * Events: 'track' {track} when a share starts (the track) or ends (null), whoever ended it.
 * @extends {Emitter<ScreenShareEvents>}
 */
export class ScreenShare extends Emitter {
  /** @param {{mediaDevices?: MediaDevices}} [browser] the browser's objects (tests pass fakes) */
  constructor({ mediaDevices = globalThis.navigator?.mediaDevices } = {}) {
    super();
    this.mediaDevices = mediaDevices;
    /** @type {MediaStreamTrack | null} the shared screen while sharing */
    this.track = null;
    this.starting = false;
    this.onEnded = () => this.stop();
  }

  /** Whether this browser can share a screen at all (desktop browsers can; most phones cannot). */
  supported() {
    return !!this.mediaDevices && typeof this.mediaDevices.getDisplayMedia === 'function';
  }

  get sharing() {
    return this.track !== null;
  }

  /**
   * Asks the browser for something to share (it shows its own picker). Must run from a click: browsers allow it only
   * then.
   * @returns {Promise<ShareOutcome>}
   */
  async start() {
    if (this.track) return 'ok';
    if (!this.supported()) return 'unsupported';
    if (this.starting) return 'failed';
    this.starting = true;
    try {
      const stream = await /** @type {MediaDevices} supported() */ (this.mediaDevices).getDisplayMedia(DISPLAY_CONSTRAINTS);
      const track = stream.getVideoTracks()[0];
      stream.getTracks().filter((t) => t !== track).forEach((t) => t.stop());
      if (!track) return 'failed';
      // Encoders keep edges sharp for 'detail' and, with maintain-resolution, drop frames before pixels.
      if ('contentHint' in track) track.contentHint = 'detail';
      track.addEventListener('ended', this.onEnded);
      this.track = track;
      this.emit('track', { track });
      return 'ok';
    } catch (error) {
      const name = error && typeof error === 'object' && 'name' in error ? error.name : '';
      if (name === 'NotAllowedError' || name === 'AbortError') return 'cancelled';
      if (name === 'NotSupportedError' || name === 'TypeError') return 'unsupported';
      return 'failed';
    } finally {
      this.starting = false;
    }
  }

  /** Ends the share (the button, leaving, or the browser's own stop); nothing when not sharing. */
  stop() {
    const track = this.track;
    if (!track) return;
    this.track = null;
    track.removeEventListener('ended', this.onEnded);
    track.stop();
    this.emit('track', { track: null });
  }
}

/**
 * Tunes a sender for a screen share: the encoding above and 'maintain-resolution' where the browser takes it. A
 * browser that refuses part of it keeps its own choice for that part.
 * @param {RTCRtpSender} sender
 */
export async function configureScreenSender(sender) {
  if (typeof sender.getParameters !== 'function') return;
  const parameters = /** @type {RTCRtpSendParameters & {degradationPreference?: string}} */ (sender.getParameters());
  if (!parameters.encodings || parameters.encodings.length === 0) parameters.encodings = [{}];
  const encoding = /** @type {RTCRtpEncodingParameters & Record<string, unknown>} */ (parameters.encodings[0]);
  let changed = false;
  for (const [key, value] of Object.entries(SCREEN_ENCODING)) {
    if (encoding[key] !== value) {
      encoding[key] = value;
      changed = true;
    }
  }
  if (parameters.degradationPreference !== 'maintain-resolution') {
    parameters.degradationPreference = 'maintain-resolution';
    changed = true;
  }
  if (!changed) return;
  try {
    await sender.setParameters(parameters);
  } catch (error) {
    // Firefox takes neither priority nor degradationPreference: keep the bitrate and frame rate at least.
    delete parameters.degradationPreference;
    delete encoding.priority;
    delete encoding.networkPriority;
    try {
      await sender.setParameters(parameters);
    } catch (again) {
      console.warn('Parley: could not tune the screen share', again);
    }
  }
}
