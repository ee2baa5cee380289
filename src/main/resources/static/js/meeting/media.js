// @ts-check
// Your camera and microphone: opening them, choosing devices, muting, turning the camera off and on.
// Uses navigator.mediaDevices; emits events so the pre-join page and the meeting can follow along.

import { Emitter } from './emitter.js';
import { classifyMediaError } from './media-errors.js';

const STORAGE_KEY = 'parley.devices';

export const AUDIO_CONSTRAINTS = { echoCancellation: true, noiseSuppression: true, autoGainControl: true };
// Without simulcast everyone receives what you send: 960x540 keeps tiles sharp without heavy encoding.
export const VIDEO_CONSTRAINTS = { width: { ideal: 960 }, height: { ideal: 540 }, frameRate: { ideal: 24, max: 30 } };

/** @typedef {import('./protocol.js').MediaKind} MediaKind */
/** @typedef {import('./media-errors.js').MediaProblem} MediaProblem */
/** @typedef {'audioinput' | 'videoinput' | 'audiooutput'} DeviceKind */
/**
 * What works of a kind: not tried yet, working, or why not.
 * @typedef {'pending' | 'ok' | MediaProblem} Outcome
 */
/** @typedef {{deviceId: string, label: string, groupId: string}} Device */
/** @typedef {Record<DeviceKind, Device[]>} DeviceLists */

/**
 * @typedef {object} MediaEvents
 * @property {{kind: MediaKind, track: MediaStreamTrack | null}} track
 * @property {DeviceLists} devices
 * @property {{}} state
 * @property {{audio: Outcome, video: Outcome}} outcome
 * @property {{deviceId: string}} speaker
 * @property {{kind: MediaKind}} lost
 */

/** @type {Record<MediaKind, 'audioinput' | 'videoinput'>} */
const KINDS = { audio: 'audioinput', video: 'videoinput' };

/**
 * The device choices saved by an earlier visit.
 * @param {Storage | undefined} storage
 * @returns {Partial<Record<DeviceKind, string>>}
 */
function readStored(storage) {
  try {
    const parsed = JSON.parse(storage?.getItem(STORAGE_KEY) ?? '{}');
    return parsed && typeof parsed === 'object' ? parsed : {};
  } catch (e) {
    return {};
  }
}

/**
 * Events: 'track' {kind, track} whenever the live track of a kind changes (null: none), 'devices' (lists changed),
 * 'state' (mic/camera switched), 'outcome' {audio, video} (what works), 'speaker' {deviceId}, 'lost' {kind}.
 * @extends {Emitter<MediaEvents>}
 */
export class LocalMedia extends Emitter {
  /**
   * @param {object} [browser] the browser's objects (tests pass fakes)
   * @param {MediaDevices} [browser.mediaDevices]
   * @param {Permissions} [browser.permissions]
   * @param {Storage} [browser.storage]
   */
  constructor({
    mediaDevices = globalThis.navigator?.mediaDevices,
    permissions = globalThis.navigator?.permissions,
    storage = globalThis.localStorage,
  } = {}) {
    super();
    this.mediaDevices = mediaDevices;
    this.permissions = permissions;
    this.storage = storage;
    this.stream = typeof MediaStream === 'function' ? new MediaStream() : null;
    /** @type {Record<MediaKind, MediaStreamTrack | null>} */
    this.tracks = { audio: null, video: null };
    this.micOn = true;
    this.cameraOn = true;
    this.listenOnly = false;
    /** @type {{audio: Outcome, video: Outcome}} */
    this.outcome = { audio: 'pending', video: 'pending' };
    /** @type {DeviceLists} */
    this.devices = { audioinput: [], videoinput: [], audiooutput: [] };
    /** @type {Record<DeviceKind, string>} */
    this.selected = { audioinput: '', videoinput: '', audiooutput: '', ...readStored(storage) };
    /** @type {Promise<unknown>} */
    this.busy = Promise.resolve();
    this.onDeviceChange = () => this.refreshDevices();
    if (mediaDevices && typeof mediaDevices.addEventListener === 'function') {
      mediaDevices.addEventListener('devicechange', this.onDeviceChange);
    }
  }

  /** @param {MediaKind} kind */
  track(kind) {
    return this.tracks[kind];
  }

  /** Whether setSinkId exists, i.e. the speaker can be chosen. */
  static speakerSelectable() {
    return typeof HTMLMediaElement !== 'undefined' && 'setSinkId' in HTMLMediaElement.prototype;
  }

  /**
   * One change at a time: device switches and toggles must not interleave.
   * @template T
   * @param {() => T | PromiseLike<T>} task
   * @returns {Promise<T>}
   */
  serial(task) {
    const run = this.busy.then(task, task);
    this.busy = run.catch(() => {});
    return run;
  }

  /** Opens what exists and is allowed. Never throws; look at `outcome` (and the 'outcome' event). */
  start() {
    return this.serial(() => this.open());
  }

  async open() {
    this.listenOnly = false;
    if (!this.mediaDevices || typeof this.mediaDevices.getUserMedia !== 'function') {
      this.setOutcome('insecure', 'insecure');
      return this.outcome;
    }
    await this.refreshDevices();
    // Before permission, browsers list one anonymous entry per kind that exists. A list without any input at all
    // may just be a privacy-minded browser: then ask for both and let getUserMedia tell what is missing.
    const listed = this.devices.audioinput.length + this.devices.videoinput.length > 0;
    const hasMic = !listed || this.devices.audioinput.length > 0;
    const hasCamera = !listed || this.devices.videoinput.length > 0;
    /** @type {{audio: Outcome, video: Outcome}} */
    const result = { audio: hasMic ? 'pending' : 'not-found', video: hasCamera ? 'pending' : 'not-found' };
    const wantVideo = hasCamera && this.cameraOn;
    if (hasMic || wantVideo) {
      try {
        const stream = await this.mediaDevices.getUserMedia({
          audio: hasMic ? this.constraints('audio', false) : false,
          video: wantVideo ? this.constraints('video', false) : false,
        });
        for (const track of stream.getTracks()) this.adopt(track);
        if (hasMic) result.audio = 'ok';
        if (wantVideo) result.video = 'ok';
      } catch (error) {
        await this.salvage(classifyMediaError(error), hasMic, wantVideo, result);
      }
    }
    // With the camera switched off before it was ever opened, it counts as working until tried.
    if (hasCamera && !wantVideo) result.video = 'ok';
    await this.refreshDevices();
    this.save();
    this.setOutcome(result.audio, result.video);
    return this.outcome;
  }

  /**
   * After a combined request failed: try each kind alone, but never cause a second permission prompt.
   * @param {MediaProblem} problem what the combined request ran into
   * @param {boolean} hasMic
   * @param {boolean} wantVideo
   * @param {{audio: Outcome, video: Outcome}} outcome filled in per kind
   */
  async salvage(problem, hasMic, wantVideo, outcome) {
    const states = await this.permissionStates();
    for (const kind of /** @type {const} */ (['audio', 'video'])) {
      const wanted = kind === 'audio' ? hasMic : wantVideo;
      if (!wanted) continue;
      if (problem === 'denied' && states[kind] !== 'granted') {
        outcome[kind] = 'denied';
        continue;
      }
      try {
        this.adopt(await this.acquire(kind, false));
        outcome[kind] = 'ok';
      } catch (error) {
        outcome[kind] = classifyMediaError(error);
      }
    }
  }

  /** @returns {Promise<Record<MediaKind, PermissionState | 'unknown'>>} */
  async permissionStates() {
    /** @type {Record<MediaKind, PermissionState | 'unknown'>} */
    const states = { audio: 'unknown', video: 'unknown' };
    const permissions = this.permissions;
    if (!permissions || typeof permissions.query !== 'function') return states;
    for (const [kind, name] of /** @type {const} */ ([['audio', 'microphone'], ['video', 'camera']])) {
      try {
        states[kind] = (await permissions.query({ name })).state;
      } catch (e) {
        // Not queryable in this browser.
      }
    }
    return states;
  }

  /**
   * @param {MediaKind} kind
   * @param {boolean} exact insist on the chosen device (else it is only preferred)
   * @returns {MediaTrackConstraints}
   */
  constraints(kind, exact) {
    const base = kind === 'audio' ? AUDIO_CONSTRAINTS : VIDEO_CONSTRAINTS;
    const id = this.selected[KINDS[kind]];
    if (!id) return { ...base };
    return { ...base, deviceId: exact ? { exact: id } : { ideal: id } };
  }

  /**
   * @param {MediaKind} kind
   * @param {boolean} exact
   * @returns {Promise<MediaStreamTrack>}
   */
  async acquire(kind, exact) {
    const stream = await this.mediaDevices.getUserMedia({ [kind]: this.constraints(kind, exact) });
    const track = stream.getTracks().find((t) => t.kind === kind);
    stream.getTracks().filter((t) => t !== track).forEach((t) => t.stop());
    if (!track) throw Object.assign(new Error('no track'), { name: 'NotFoundError' });
    return track;
  }

  /**
   * Makes a track the live one of its kind, replacing (and stopping) the previous one.
   * @param {MediaStreamTrack} track
   */
  adopt(track) {
    const kind = /** @type {MediaKind} */ (track.kind);
    const previous = this.tracks[kind];
    if (previous === track) return;
    if (previous) this.drop(kind);
    if (kind === 'audio') track.enabled = this.micOn;
    const deviceId = track.getSettings ? track.getSettings().deviceId : undefined;
    if (deviceId) this.selected[KINDS[kind]] = deviceId;
    track.addEventListener('ended', () => this.trackEnded(track));
    this.tracks[kind] = track;
    if (this.stream) this.stream.addTrack(track);
    this.emit('track', { kind, track });
  }

  /** @param {MediaKind} kind */
  drop(kind) {
    const track = this.tracks[kind];
    if (!track) return;
    this.tracks[kind] = null;
    if (this.stream) this.stream.removeTrack(track);
    track.stop();
    this.emit('track', { kind, track: null });
  }

  /**
   * A device was unplugged or the browser took it away: fall back to the default device once.
   * @param {MediaStreamTrack} track
   */
  async trackEnded(track) {
    const kind = /** @type {MediaKind} */ (track.kind);
    if (this.tracks[kind] !== track) return;
    this.tracks[kind] = null;
    if (this.stream) this.stream.removeTrack(track);
    this.emit('track', { kind, track: null });
    await this.serial(async () => {
      const stored = this.selected[KINDS[kind]];
      this.selected[KINDS[kind]] = '';
      try {
        if (kind === 'video' && !this.cameraOn) return;
        this.adopt(await this.acquire(kind, false));
      } catch (error) {
        this.selected[KINDS[kind]] = stored;
        this.setOutcome(kind === 'audio' ? classifyMediaError(error) : this.outcome.audio,
          kind === 'video' ? classifyMediaError(error) : this.outcome.video);
        this.emit('lost', { kind });
      }
    });
  }

  /**
   * Switches to another camera or microphone. Resolves true when the new device works.
   * @param {DeviceKind} deviceKind
   * @param {string} deviceId
   * @returns {Promise<boolean>}
   */
  selectDevice(deviceKind, deviceId) {
    if (deviceKind === 'audiooutput') {
      this.selected.audiooutput = deviceId;
      this.save();
      this.emit('speaker', { deviceId });
      return Promise.resolve(true);
    }
    const kind = deviceKind === 'audioinput' ? 'audio' : 'video';
    return this.serial(async () => {
      const previousId = this.selected[deviceKind];
      this.selected[deviceKind] = deviceId;
      if (this.listenOnly || (kind === 'video' && !this.cameraOn)) {
        this.save();
        return true;
      }
      // Cameras often cannot be opened twice: let go of the old one first.
      if (kind === 'video') this.drop('video');
      try {
        this.adopt(await this.acquire(kind, true));
        this.setOutcome(kind === 'audio' ? 'ok' : this.outcome.audio, kind === 'video' ? 'ok' : this.outcome.video);
        return true;
      } catch (error) {
        this.selected[deviceKind] = previousId;
        if (kind === 'video') {
          try {
            this.adopt(await this.acquire(kind, false));
          } catch (e) {
            // Neither works; the camera stays off.
          }
        }
        return false;
      } finally {
        this.save();
        await this.refreshDevices();
      }
    });
  }

  /**
   * Microphone on (unmuted) or off. The track stays, only its `enabled` changes.
   * @param {boolean} on
   */
  setMicOn(on) {
    this.micOn = !!on;
    if (this.tracks.audio) this.tracks.audio.enabled = this.micOn;
    this.emit('state', {});
  }

  /**
   * Camera on or off. Off stops the camera (its light goes out); on opens it again. Resolves to the new state.
   * @param {boolean} on
   * @returns {Promise<boolean>}
   */
  setCameraOn(on) {
    return this.serial(async () => {
      if (!on) {
        this.cameraOn = false;
        this.drop('video');
        this.emit('state', {});
        return false;
      }
      this.cameraOn = true;
      if (!this.tracks.video && !this.listenOnly) {
        try {
          this.adopt(await this.acquire('video', false));
          this.setOutcome(this.outcome.audio, 'ok');
        } catch (error) {
          this.cameraOn = false;
          this.setOutcome(this.outcome.audio, classifyMediaError(error));
        }
      }
      this.emit('state', {});
      return this.cameraOn;
    });
  }

  /** Gives up every device: listen only. */
  goListenOnly() {
    return this.serial(async () => {
      this.listenOnly = true;
      this.drop('audio');
      this.drop('video');
      this.emit('state', {});
    });
  }

  /**
   * Whether the join should offer to send this kind (a working device exists and we are not listening only).
   * @param {MediaKind} kind
   */
  canSend(kind) {
    return !this.listenOnly && this.outcome[kind] === 'ok';
  }

  /** @param {MediaKind} kind */
  isOn(kind) {
    if (kind === 'audio') return this.canSend('audio') && this.micOn && !!this.tracks.audio;
    return this.canSend('video') && this.cameraOn && !!this.tracks.video;
  }

  async refreshDevices() {
    if (!this.mediaDevices || typeof this.mediaDevices.enumerateDevices !== 'function') return;
    /** @type {MediaDeviceInfo[]} */
    let list = [];
    try {
      list = await this.mediaDevices.enumerateDevices();
    } catch (e) {
      return;
    }
    /** @type {DeviceLists} */
    const devices = { audioinput: [], videoinput: [], audiooutput: [] };
    for (const d of list) {
      if (devices[d.kind]) devices[d.kind].push({ deviceId: d.deviceId, label: d.label, groupId: d.groupId });
    }
    this.devices = devices;
    this.emit('devices', devices);
  }

  /**
   * @param {Outcome} audio
   * @param {Outcome} video
   */
  setOutcome(audio, video) {
    this.outcome = { audio, video };
    this.emit('outcome', { ...this.outcome });
  }

  save() {
    try {
      this.storage?.setItem(STORAGE_KEY, JSON.stringify(this.selected));
    } catch (e) {
      // Storage may be disabled; choices then last for this page only.
    }
  }

  /** Stops every device (leaving the meeting). `start` opens them again. */
  stop() {
    return this.serial(async () => {
      this.drop('audio');
      this.drop('video');
      this.save();
    });
  }
}
