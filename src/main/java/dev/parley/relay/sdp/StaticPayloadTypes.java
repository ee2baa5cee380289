package dev.parley.relay.sdp;

import java.util.List;

/** The RFC 3551 section 6 static payload types, used when an m-line lists one without an a=rtpmap. */
final class StaticPayloadTypes {

    private static final RtpCodec[] TABLE = new RtpCodec[35];

    static {
        audio(0, "PCMU", 8000);
        audio(3, "GSM", 8000);
        audio(4, "G723", 8000);
        audio(5, "DVI4", 8000);
        audio(6, "DVI4", 16000);
        audio(7, "LPC", 8000);
        audio(8, "PCMA", 8000);
        // G722's RTP clock rate is 8000 although it samples at 16 kHz (RFC 3551 section 4.5.2).
        audio(9, "G722", 8000);
        TABLE[10] = new RtpCodec(10, "L16", 44100, 2, null, List.of());
        audio(11, "L16", 44100);
        audio(12, "QCELP", 8000);
        audio(13, "CN", 8000);
        TABLE[14] = RtpCodec.of(14, "MPA", 90000);
        audio(15, "G728", 8000);
        audio(16, "DVI4", 11025);
        audio(17, "DVI4", 22050);
        audio(18, "G729", 8000);
        TABLE[25] = RtpCodec.of(25, "CelB", 90000);
        TABLE[26] = RtpCodec.of(26, "JPEG", 90000);
        TABLE[28] = RtpCodec.of(28, "nv", 90000);
        TABLE[31] = RtpCodec.of(31, "H261", 90000);
        TABLE[32] = RtpCodec.of(32, "MPV", 90000);
        TABLE[33] = RtpCodec.of(33, "MP2T", 90000);
        TABLE[34] = RtpCodec.of(34, "H263", 90000);
    }

    private StaticPayloadTypes() {
    }

    private static void audio(int pt, String name, int rate) {
        TABLE[pt] = new RtpCodec(pt, name, rate, 1, null, List.of());
    }

    /** The static codec for {@code pt}, or null when {@code pt} is dynamic or unassigned. */
    static RtpCodec lookup(int pt) {
        return pt >= 0 && pt < TABLE.length ? TABLE[pt] : null;
    }
}
