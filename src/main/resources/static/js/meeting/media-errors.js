// @ts-check
// What a getUserMedia failure means to the person in front of the screen. No DOM.

/** @typedef {'denied' | 'not-found' | 'in-use' | 'insecure' | 'failed'} MediaProblem */

/**
 * @param {unknown} error what getUserMedia rejected with (a DOMException, or an Error with `insecure` set)
 * @returns {MediaProblem} 'denied' (permission refused), 'not-found' (no such device), 'in-use' (busy or failed
 *     hardware), 'insecure' (no mediaDevices: page not in a secure context), or 'failed' (anything else)
 */
export function classifyMediaError(error) {
  const failure = /** @type {{name?: unknown, insecure?: unknown} | null | undefined} */ (error);
  const name = failure && failure.name;
  switch (name) {
    case 'NotAllowedError':
    case 'PermissionDeniedError':
    case 'SecurityError':
      return 'denied';
    case 'NotFoundError':
    case 'DevicesNotFoundError':
    case 'OverconstrainedError':
    case 'ConstraintNotSatisfiedError':
      return 'not-found';
    case 'NotReadableError':
    case 'TrackStartError':
    case 'AbortError':
      return 'in-use';
    case 'TypeError':
      return failure && failure.insecure ? 'insecure' : 'failed';
    default:
      return 'failed';
  }
}

/**
 * The message for what is missing.
 * @param {string} audio outcome for the microphone: 'ok' or a classifyMediaError result
 * @param {string} video the same for the camera
 * @returns {{key: string, nothingWorks: boolean} | null} null when both work, else the text's key; nothingWorks
 *     when only listening is left
 */
export function deviceProblem(audio, video) {
  if (audio === 'ok' && video === 'ok') return null;
  const nothingWorks = audio !== 'ok' && video !== 'ok';
  if (audio === 'insecure' || video === 'insecure') return { key: 'device.insecure', nothingWorks };
  if (nothingWorks) {
    if (audio === 'denied' || video === 'denied') return { key: 'device.bothDenied', nothingWorks };
    if (audio === 'not-found' && video === 'not-found') return { key: 'device.noneFound', nothingWorks };
    if (audio === 'in-use' || video === 'in-use') return { key: 'device.bothInUse', nothingWorks };
    return { key: 'device.bothFailed', nothingWorks };
  }
  const which = audio !== 'ok' ? 'mic' : 'camera';
  const outcome = audio !== 'ok' ? audio : video;
  /** @type {Record<string, string | undefined>} */
  const reasons = { denied: 'Denied', 'not-found': 'NotFound', 'in-use': 'InUse' };
  const reason = reasons[outcome] ?? 'Failed';
  return { key: `device.${which}${reason}`, nothingWorks };
}
