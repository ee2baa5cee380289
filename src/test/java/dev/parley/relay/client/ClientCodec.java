package dev.parley.relay.client;

import dev.parley.relay.router.MediaKind;

/**
 * The one codec this endpoint sends and understands for each kind of media: Opus for audio (RFC 7587: always
 * {@code opus/48000/2}) and VP8 for video (RFC 7741), offered with Chrome's payload type numbers.
 *
 * <p>The kinds are the relay's {@link MediaKind}; the codec table is the client's own, not the relay's
 * {@code RtpCodecSpec}, so that the two sides agree because both follow the RFCs rather than because they share a
 * constant.
 */
enum ClientCodec {
    OPUS("opus", 48_000, 2, 111),
    VP8("VP8", 90_000, null, 96);

    private final String codecName;
    private final int clockRate;
    private final Integer channels;
    private final int defaultPayloadType;

    ClientCodec(String codecName, int clockRate, Integer channels, int defaultPayloadType) {
        this.codecName = codecName;
        this.clockRate = clockRate;
        this.channels = channels;
        this.defaultPayloadType = defaultPayloadType;
    }

    /** Our codec for a kind of media: Opus for audio, VP8 for video. */
    static ClientCodec of(MediaKind kind) {
        return switch (kind) {
            case AUDIO -> OPUS;
            case VIDEO -> VP8;
        };
    }

    String codecName() {
        return codecName;
    }

    int clockRate() {
        return clockRate;
    }

    /** Encoding parameters of the rtpmap (2 for Opus), or null. */
    Integer channels() {
        return channels;
    }

    /** The payload type used when this endpoint offers (Chrome's numbers: 111 Opus, 96 VP8). */
    int defaultPayloadType() {
        return defaultPayloadType;
    }
}
