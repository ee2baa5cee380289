package dev.parley.relay.client;

/**
 * The two kinds of media this endpoint sends and understands, each with the one codec it negotiates: Opus for audio
 * (RFC 7587: always {@code opus/48000/2}) and VP8 for video (RFC 7741).
 */
public enum MediaKind {
    AUDIO("audio", "opus", 48_000, 2, 111),
    VIDEO("video", "VP8", 90_000, null, 96);

    private final String media;
    private final String codecName;
    private final int clockRate;
    private final Integer channels;
    private final int defaultPayloadType;

    MediaKind(String media, String codecName, int clockRate, Integer channels, int defaultPayloadType) {
        this.media = media;
        this.codecName = codecName;
        this.clockRate = clockRate;
        this.channels = channels;
        this.defaultPayloadType = defaultPayloadType;
    }

    /** The SDP media type of the m-line: {@code audio} or {@code video}. */
    public String media() {
        return media;
    }

    public String codecName() {
        return codecName;
    }

    public int clockRate() {
        return clockRate;
    }

    /** Encoding parameters of the rtpmap (2 for Opus), or null. */
    public Integer channels() {
        return channels;
    }

    /** The payload type used when this endpoint offers (Chrome's numbers: 111 Opus, 96 VP8). */
    public int defaultPayloadType() {
        return defaultPayloadType;
    }

    /** The kind for an m-line media type, or null for anything else (application, text, ...). */
    public static MediaKind ofMedia(String media) {
        for (MediaKind kind : values()) {
            if (kind.media.equals(media)) {
                return kind;
            }
        }
        return null;
    }
}
