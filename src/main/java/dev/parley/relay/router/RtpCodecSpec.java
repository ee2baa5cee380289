package dev.parley.relay.router;

import java.util.Locale;

/**
 * One codec as the relay forwards it: the canonical payload type every browser negotiates with the relay (the relay
 * always writes the offer, so the numbers are its own), the format parameters, and the RTX payload type, if any.
 * Publishers that chose other numbers (WHIP clients offer their own) are mapped to these on the way in.
 */
public record RtpCodecSpec(MediaKind kind, int payloadType, String name, int clockRate, int channels, String fmtp,
                           int rtxPayloadType) {

    public static final RtpCodecSpec OPUS = new RtpCodecSpec(MediaKind.AUDIO, 111, "opus", 48000, 2,
            "minptime=10;useinbandfec=1", -1);
    public static final RtpCodecSpec VP8 = new RtpCodecSpec(MediaKind.VIDEO, 96, "VP8", 90000, 0, "", 97);
    public static final RtpCodecSpec VP9 = new RtpCodecSpec(MediaKind.VIDEO, 98, "VP9", 90000, 0, "profile-id=0", 99);
    public static final RtpCodecSpec H264 = new RtpCodecSpec(MediaKind.VIDEO, 102, "H264", 90000, 0,
            "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f", 103);

    public boolean hasRtx() {
        return rtxPayloadType >= 0;
    }

    public boolean isNamed(String other) {
        return name.equalsIgnoreCase(other);
    }

    public RtpCodecSpec withFmtp(String parameters) {
        return new RtpCodecSpec(kind, payloadType, name, clockRate, channels, parameters, rtxPayloadType);
    }

    public RtpCodecSpec withoutRtx() {
        return new RtpCodecSpec(kind, payloadType, name, clockRate, channels, fmtp, -1);
    }

    /** The canonical spec for a codec name, or null when the relay does not forward that codec. */
    public static RtpCodecSpec canonical(String name) {
        return switch (name.toUpperCase(Locale.ROOT)) {
            case "OPUS" -> OPUS;
            case "VP8" -> VP8;
            case "VP9" -> VP9;
            case "H264" -> H264;
            default -> null;
        };
    }
}
