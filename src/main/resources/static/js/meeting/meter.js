// @ts-check
// The microphone level, measured with a Web Audio AnalyserNode and shown in a <meter>.

import { levelFromSamples, smoothLevel } from './level.js';

export class MicMeter {
  /**
   * @param {HTMLMeterElement | null} meter a <meter min=0 max=1> element, or null
   * @param {(level: number) => void} [onLevel] called with each new level (0..1), for example to light up your
   *     tile while you speak
   */
  constructor(meter, onLevel = () => {}) {
    this.meter = meter;
    this.onLevel = onLevel;
    /** @type {AudioContext | null} */
    this.context = null;
    /** @type {MediaStreamAudioSourceNode | null} */
    this.source = null;
    /** @type {AnalyserNode | null} */
    this.analyser = null;
    /** @type {Float32Array<ArrayBuffer> | null} */
    this.samples = null;
    this.level = 0;
    this.frame = 0;
    this.lastAria = 0;
    this.resumeOnGesture = () => this.resume();
  }

  /**
   * Measures this track from now on (null: stop measuring).
   * @param {MediaStreamTrack | null} track
   */
  attach(track) {
    this.disconnect();
    if (!track) {
      this.show(0);
      return;
    }
    // Safari before 14.1 has only the prefixed one.
    const AudioContextClass = globalThis.AudioContext
      || /** @type {{webkitAudioContext?: typeof AudioContext}} */ (globalThis).webkitAudioContext;
    if (!AudioContextClass) return;
    if (!this.context) {
      this.context = new AudioContextClass();
      // Browsers may keep a context suspended until the person interacts with the page.
      document.addEventListener('pointerdown', this.resumeOnGesture, true);
      document.addEventListener('keydown', this.resumeOnGesture, true);
    }
    this.resume();
    this.source = this.context.createMediaStreamSource(new MediaStream([track]));
    this.analyser = this.context.createAnalyser();
    this.analyser.fftSize = 1024;
    this.samples = new Float32Array(this.analyser.fftSize);
    this.source.connect(this.analyser);
    if (!this.frame) this.frame = requestAnimationFrame(() => this.tick());
  }

  resume() {
    if (this.context && this.context.state === 'suspended') this.context.resume().catch(() => {});
  }

  tick() {
    this.frame = 0;
    if (!this.analyser) return;
    const samples = /** @type {Float32Array<ArrayBuffer>} set with the analyser */ (this.samples);
    this.analyser.getFloatTimeDomainData(samples);
    this.show(smoothLevel(this.level, levelFromSamples(samples)));
    this.frame = requestAnimationFrame(() => this.tick());
  }

  /** @param {number} level */
  show(level) {
    this.level = level;
    if (this.meter) {
      this.meter.value = level;
      // Screen readers do not need sixty updates a second.
      const now = performance.now();
      if (now - this.lastAria > 500) {
        this.lastAria = now;
        this.meter.setAttribute('aria-valuetext', `${Math.round(level * 100)}%`);
      }
    }
    this.onLevel(level);
  }

  disconnect() {
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = 0;
    if (this.source) this.source.disconnect();
    this.source = null;
    this.analyser = null;
  }

  close() {
    this.disconnect();
    document.removeEventListener('pointerdown', this.resumeOnGesture, true);
    document.removeEventListener('keydown', this.resumeOnGesture, true);
    if (this.context) this.context.close().catch(() => {});
    this.context = null;
  }
}
