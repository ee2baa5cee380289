// @ts-check
// Section 3 of the protocol on one RTCPeerConnection: the relay offers, we answer. The peer connection is passed
// in, so Node tests can drive this with a fake one.

import { Emitter } from './emitter.js';
import { trackTable, remoteMedia } from './tracks.js';
import { configureScreenSender } from './screen-share.js';

/** @typedef {import('./protocol.js').MediaKind} MediaKind */
/** @typedef {import('./protocol.js').OfferMessage} OfferMessage */
/** @typedef {import('./tracks.js').TrackTable} TrackTable */
/** @typedef {import('./tracks.js').RemoteMedia} RemoteMedia */

/**
 * The video layers the relay asks for (a=simulcast:recv l;m;h), lowest first: each one's downscale from the camera
 * and its bitrate ceiling. The relay's allocation assumes these bitrates until it has measured them.
 * @type {Record<string, {scaleResolutionDownBy: number, maxBitrate: number}>}
 */
export const SIMULCAST_LAYERS = {
  l: { scaleResolutionDownBy: 4, maxBitrate: 150_000 },
  m: { scaleResolutionDownBy: 2, maxBitrate: 500_000 },
  h: { scaleResolutionDownBy: 1, maxBitrate: 1_500_000 },
};

/**
 * What the negotiator sends: the live track of each kind and the stream they belong to (LocalMedia has both).
 * @typedef {object} LocalTracks
 * @property {(kind: MediaKind) => MediaStreamTrack | null} track
 * @property {MediaStream | null} stream
 */

/**
 * What the negotiator sends as our screen share: the shared track, null while we do not share (ScreenShare has it).
 * @typedef {object} LocalScreen
 * @property {MediaStreamTrack | null} track
 */

/**
 * @typedef {object} NegotiatorEvents
 * @property {{table: TrackTable}} tracks
 * @property {RemoteMedia} media
 * @property {{version: number}} answered
 */

/**
 * Emits 'tracks' ({table}) before each offer is applied, 'media' (Map participantId -> tracks) after each offer
 * and on every remote track, and 'answered' ({version}).
 * @extends {Emitter<NegotiatorEvents>}
 */
export class Negotiator extends Emitter {
  /**
   * @param {RTCPeerConnection} pc an RTCPeerConnection (or a fake with the same methods)
   * @param {LocalTracks} localMedia
   * @param {LocalScreen} [screen] our screen share, if the page can share
   */
  constructor(pc, localMedia, screen = { track: null }) {
    super();
    this.pc = pc;
    this.localMedia = localMedia;
    this.screen = screen;
    /** @type {OfferMessage['publish']} */
    this.publish = { audio: null, video: null, screen: null };
    /** @type {TrackTable} */
    this.table = {};
    /** The offer the table was read from (a section may carry another track in a later one). @type {number | null} */
    this.tableVersion = null;
    /** @type {number | null} */
    this.version = null;
    this.closed = false;
    this.onTrack = () => this.emit('media', this.media());
    pc.addEventListener('track', this.onTrack);
  }

  /**
   * Applies one offer and returns the answer's SDP (section 3, steps 2 and 3).
   * @param {OfferMessage} offer
   * @returns {Promise<string>}
   */
  async answer(offer) {
    if (this.closed) throw new Error('negotiator closed');
    // The table must be current before setRemoteDescription, which fires 'track' for the new m-sections.
    this.table = trackTable(offer.tracks);
    this.tableVersion = offer.version;
    this.publish = { ...offer.publish };
    this.emit('tracks', { table: this.table });
    await this.pc.setRemoteDescription({ type: 'offer', sdp: offer.sdp });
    for (const kind of /** @type {const} */ (['audio', 'video'])) {
      const transceiver = this.publishing(kind);
      if (!transceiver) continue;
      transceiver.direction = 'sendonly';
      await transceiver.sender.replaceTrack(this.localMedia.track(kind));
      if (typeof transceiver.sender.setStreams === 'function' && this.localMedia.stream) {
        transceiver.sender.setStreams(this.localMedia.stream);
      }
    }
    // The screen's section, once the server offers one: sending while we share, inactive otherwise (section 7).
    const screen = this.publishing('screen');
    const shared = this.screen.track;
    if (screen) {
      screen.direction = shared ? 'sendonly' : 'inactive';
      await screen.sender.replaceTrack(shared);
    }
    const answer = await this.pc.createAnswer();
    await this.pc.setLocalDescription(answer);
    const video = this.publishing('video');
    if (video) await configureLayers(video.sender);
    if (screen && shared) await configureScreenSender(screen.sender);
    this.version = offer.version;
    this.emit('media', this.media());
    this.emit('answered', { version: offer.version });
    // createAnswer always fills in the SDP; the type allows it to be missing.
    return this.pc.localDescription ? this.pc.localDescription.sdp : /** @type {string} */ (answer.sdp);
  }

  /**
   * The transceiver that carries what we send of this kind (or our screen share), once an offer named it.
   * @param {MediaKind | 'screen'} kind
   * @returns {RTCRtpTransceiver | null}
   */
  publishing(kind) {
    const mid = this.publish[kind];
    if (mid === null || mid === undefined) return null;
    return this.pc.getTransceivers().find((t) => t.mid === mid) ?? null;
  }

  /**
   * Whether the relay gave us an m-section to send this kind on.
   * @param {MediaKind} kind
   */
  canSend(kind) {
    return this.publish[kind] !== null && this.publish[kind] !== undefined;
  }

  /**
   * Puts a new local track (or null: send nothing) on the sender of that kind, without renegotiating.
   * @param {MediaKind} kind
   * @param {MediaStreamTrack | null} track
   * @returns {Promise<boolean>} false when nothing of this kind is published or the negotiator is closed
   */
  async replaceTrack(kind, track) {
    const transceiver = this.publishing(kind);
    if (!transceiver || this.closed) return false;
    await transceiver.sender.replaceTrack(track);
    return true;
  }

  /**
   * Our share ended: nothing more goes out on its section at once (the next offer makes the section inactive).
   * Starting a share waits for the server's offer instead, which names the section to send it on.
   * @returns {Promise<boolean>} false when no section for the screen was offered or the negotiator is closed
   */
  async stopScreen() {
    const transceiver = this.publishing('screen');
    if (!transceiver || this.closed) return false;
    await transceiver.sender.replaceTrack(null);
    return true;
  }

  /** Remote tracks per participant, from the transceivers of the latest offer's table. */
  media() {
    return remoteMedia(this.pc.getTransceivers(), this.table);
  }

  close() {
    if (this.closed) return;
    this.closed = true;
    this.pc.removeEventListener('track', this.onTrack);
    try {
      this.pc.close();
    } catch (e) {
      // already closed
    }
  }
}

/**
 * Gives each simulcast encoding the relay negotiated its scale and bitrate (browsers pick their own otherwise, and
 * Chromium sends every layer at full size). Nothing to do without simulcast; a browser that refuses keeps its choice.
 * @param {RTCRtpSender} sender
 */
export async function configureLayers(sender) {
  if (typeof sender.getParameters !== 'function') return;
  const parameters = sender.getParameters();
  if (!parameters.encodings || parameters.encodings.length < 2) return;
  let changed = false;
  for (const encoding of parameters.encodings) {
    const layer = encoding.rid ? SIMULCAST_LAYERS[encoding.rid] : undefined;
    if (!layer) continue;
    if (encoding.scaleResolutionDownBy !== layer.scaleResolutionDownBy || encoding.maxBitrate !== layer.maxBitrate) {
      encoding.scaleResolutionDownBy = layer.scaleResolutionDownBy;
      encoding.maxBitrate = layer.maxBitrate;
      changed = true;
    }
  }
  if (!changed) return;
  try {
    await sender.setParameters(parameters);
  } catch (error) {
    console.warn('Parley: could not set the simulcast layers', error);
  }
}
