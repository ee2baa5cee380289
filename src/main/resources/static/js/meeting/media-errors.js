// What a getUserMedia failure means to the person in front of the screen. No DOM.

/**
 * @returns 'denied' (permission refused), 'not-found' (no such device), 'in-use' (busy or failed hardware),
 *          'insecure' (no mediaDevices: page not in a secure context), or 'failed' (anything else)
 */
export function classifyMediaError(error) {
  const name = error && error.name;
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
      return error && error.insecure ? 'insecure' : 'failed';
    default:
      return 'failed';
  }
}

/**
 * The message for what is missing.
 * @param audio outcome for the microphone: 'ok' or a classifyMediaError result
 * @param video the same for the camera
 * @returns null when both work, else {key, nothingWorks}: nothingWorks when only listening is left
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
  const reason = { denied: 'Denied', 'not-found': 'NotFound', 'in-use': 'InUse' }[outcome] ?? 'Failed';
  return { key: `device.${which}${reason}`, nothingWorks };
}
