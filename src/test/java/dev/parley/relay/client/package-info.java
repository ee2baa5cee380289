/**
 * A WebRTC endpoint without a browser, for Parley's tests and load generator.
 *
 * <p>{@link dev.parley.relay.client.WebRtcEndpoint} is the entry point: one UDP socket, one receive thread, BUNDLE and
 * rtcp-mux, a controlling ICE agent with aggressive nomination against an ICE-lite peer
 * ({@link dev.parley.relay.client.IceAgent}), the DTLS client role over BouncyCastle
 * ({@link dev.parley.relay.client.DtlsSrtpClient}), SRTP from the relay's own {@code srtp} package, and synthetic
 * media: Opus-like audio and VP8 video whose payloads carry a {@link dev.parley.relay.client.ProbePayload} (send time
 * and per-stream sequence number) so receivers measure latency, loss and reordering.
 *
 * <p>Negotiation takes and returns SDP strings ({@link dev.parley.relay.client.SdpNegotiator}): the endpoint offers
 * (WHIP/WHEP, with {@link dev.parley.relay.client.WhipClient} for the HTTP part) or answers remote offers (Parley's
 * WebSocket signalling, renegotiated as often as the server likes). A signalling adapter only moves those strings.
 *
 * <p>Per stream: {@link dev.parley.relay.client.OutboundStream} sends (low-level {@code sendRtp}, or synthetic audio
 * packets and video frames, or a {@link dev.parley.relay.client.PacedSender}); an
 * {@link dev.parley.relay.client.InboundStream} counts what one remote SSRC sent. Receiving allocates nothing per
 * packet; sending allocates nothing per packet in this package (jitsi-srtp may).
 */
package dev.parley.relay.client;
