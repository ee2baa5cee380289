// @ts-check
// Microphone level for the meter: RMS of the samples in decibels, mapped onto 0..1. No DOM.

const FLOOR_DB = -60;

/**
 * @param {ArrayLike<number> | null | undefined} samples time-domain samples in -1..1 (a Float32Array)
 * @returns {number} level in 0..1
 */
export function levelFromSamples(samples) {
  if (!samples || samples.length === 0) return 0;
  let sum = 0;
  for (let i = 0; i < samples.length; i++) sum += samples[i] * samples[i];
  const rms = Math.sqrt(sum / samples.length);
  if (!(rms > 0)) return 0;
  const db = 20 * Math.log10(rms);
  if (db <= FLOOR_DB) return 0;
  return Math.min(1, (db - FLOOR_DB) / -FLOOR_DB);
}

/**
 * Meters rise at once and fall slowly, so short sounds stay visible.
 * @param {number} previous
 * @param {number} current
 * @param {number} [fall]
 */
export function smoothLevel(previous, current, fall = 0.08) {
  return current >= previous ? current : Math.max(current, previous - fall);
}
