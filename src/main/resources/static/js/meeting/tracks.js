// @ts-check
// Which remote track belongs to whom: the offer's `tracks` list keyed by transceiver mid. No DOM.

/** @typedef {import('./protocol.js').MediaKind} MediaKind */
/** @typedef {import('./protocol.js').TrackInfo} TrackInfo */
/** @typedef {import('./protocol.js').TrackSource} TrackSource */

/**
 * mid -> owner of the track sent on it, and what it comes from.
 * @typedef {Record<string, {participantId: string, kind: MediaKind, source: TrackSource}>} TrackTable
 */

/**
 * One participant's remote media: the first track of each kind (the camera's for video) and the receiver it arrives
 * on, and their screen share while they share.
 * @typedef {object} RemoteMediaEntry
 * @property {MediaStreamTrack | null} audio
 * @property {MediaStreamTrack | null} video
 * @property {MediaStreamTrack | null} screen
 * @property {RTCRtpReceiver | null} audioReceiver
 * @property {RTCRtpReceiver | null} videoReceiver
 * @property {RTCRtpReceiver | null} screenReceiver
 */

/**
 * participantId -> their remote media.
 * @typedef {Map<string, RemoteMediaEntry>} RemoteMedia
 */

/**
 * mid -> {participantId, kind, source}, as a plain object (also what window.parleyMeeting.tracks shows).
 * @param {TrackInfo[]} tracks
 * @returns {TrackTable}
 */
export function trackTable(tracks) {
  /** @type {TrackTable} */
  const table = {};
  for (const t of tracks) table[t.mid] = { participantId: t.participantId, kind: t.kind, source: t.source };
  return table;
}

/**
 * Whose camera and whose screen share the relay pauses for bandwidth, from the mids it named (section 3 of the
 * protocol); a mid the table does not know (an older offer's) names nobody.
 * @param {TrackTable} table
 * @param {string[]} mids
 * @returns {{cameras: Set<string>, screens: Set<string>}} participant ids
 */
export function pausedOwners(table, mids) {
  const cameras = new Set();
  const screens = new Set();
  for (const mid of mids) {
    const owner = Object.prototype.hasOwnProperty.call(table, mid) ? table[mid] : null;
    if (!owner || owner.kind !== 'video') continue;
    (owner.source === 'screen' ? screens : cameras).add(owner.participantId);
  }
  return { cameras, screens };
}

/**
 * Collects the receivers' tracks per participant from the transceivers the table names.
 * @param {Iterable<RTCRtpTransceiver & {stopped?: boolean}>} transceivers RTCRtpTransceivers (or fakes with mid,
 *     receiver.track, currentDirection; `stopped` where an older browser still has it)
 * @param {TrackTable} table
 * @returns {RemoteMedia}
 */
export function remoteMedia(transceivers, table) {
  /** @type {RemoteMedia} */
  const result = new Map();
  for (const transceiver of transceivers) {
    const mid = transceiver.mid;
    if (mid === null || mid === undefined) continue;
    const owner = Object.prototype.hasOwnProperty.call(table, mid) ? table[mid] : null;
    if (!owner) continue;
    if (transceiver.stopped || transceiver.currentDirection === 'stopped' || transceiver.currentDirection === 'inactive') continue;
    const track = transceiver.receiver?.track;
    if (!track || track.kind !== owner.kind) continue;
    let entry = result.get(owner.participantId);
    if (!entry) {
      entry = { audio: null, video: null, screen: null, audioReceiver: null, videoReceiver: null, screenReceiver: null };
      result.set(owner.participantId, entry);
    }
    const slot = owner.kind === 'video' && owner.source === 'screen' ? 'screen' : owner.kind;
    // A participant with several tracks of one kind and source (not sent by browsers today): the first one is shown.
    if (!entry[slot]) {
      entry[slot] = track;
      entry[/** @type {const} */ (`${slot}Receiver`)] = transceiver.receiver;
    }
  }
  return result;
}
