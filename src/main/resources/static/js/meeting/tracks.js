// Which remote track belongs to whom: the offer's `tracks` list keyed by transceiver mid. No DOM.

/** mid -> {participantId, kind}, as a plain object (also what window.parleyMeeting.tracks shows). */
export function trackTable(tracks) {
  const table = {};
  for (const t of tracks) table[t.mid] = { participantId: t.participantId, kind: t.kind };
  return table;
}

/**
 * Collects the receivers' tracks per participant from the transceivers the table names.
 * @param transceivers RTCRtpTransceiver-like objects ({mid, receiver: {track}, currentDirection?, stopped?})
 * @returns Map participantId -> {audio: track|null, video: track|null, audioReceiver, videoReceiver}
 */
export function remoteMedia(transceivers, table) {
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
      entry = { audio: null, video: null, audioReceiver: null, videoReceiver: null };
      result.set(owner.participantId, entry);
    }
    // A participant with several tracks of one kind (not sent by browsers today): the first one is shown.
    if (!entry[owner.kind]) {
      entry[owner.kind] = track;
      entry[owner.kind + 'Receiver'] = transceiver.receiver;
    }
  }
  return result;
}
