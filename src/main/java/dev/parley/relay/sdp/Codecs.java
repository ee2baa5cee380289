package dev.parley.relay.sdp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/** Assembles {@link RtpCodec}s from a media section's rtpmap/fmtp/rtcp-fb lines, and writes them back. */
final class Codecs {

    private Codecs() {
    }

    static List<RtpCodec> assemble(List<Integer> payloadTypes, AttributeList attributes) {
        Map<Integer, RtpMap> rtpmaps = new HashMap<>();
        Map<Integer, StringBuilder> fmtps = new HashMap<>();
        List<RtcpFeedbackLine> feedback = new ArrayList<>();
        for (Attribute a : attributes) {
            switch (a.name()) {
                case "rtpmap" -> {
                    RtpMap m = RtpMap.parse(a.value());
                    rtpmaps.putIfAbsent(m.payloadType(), m);
                }
                case "fmtp" -> {
                    Fmtp f = Fmtp.parse(a.value());
                    int pt = f.payloadType();
                    if (pt >= 0 && !f.parameters().isEmpty()) {
                        // libdatachannel may split one payload type's parameters over several fmtp lines
                        StringBuilder joined = fmtps.get(pt);
                        if (joined == null) {
                            fmtps.put(pt, new StringBuilder(f.parameters()));
                        } else {
                            joined.append(';').append(f.parameters());
                        }
                    }
                }
                case "rtcp-fb" -> feedback.add(RtcpFeedbackLine.parse(a.value()));
                default -> {
                }
            }
        }
        List<RtpCodec> out = new ArrayList<>();
        for (int pt : new LinkedHashSet<>(payloadTypes)) {
            RtpMap m = rtpmaps.get(pt);
            RtpCodec base = m != null
                    ? new RtpCodec(pt, m.encodingName(), m.clockRate(), m.channels(), null, List.of())
                    : StaticPayloadTypes.lookup(pt);
            if (base == null) {
                continue;
            }
            List<RtcpFeedback> fb = new ArrayList<>();
            for (RtcpFeedbackLine line : feedback) {
                if (line.appliesTo(pt)) {
                    fb.add(line.feedback());
                }
            }
            StringBuilder fmtp = fmtps.get(pt);
            out.add(base.withFmtp(fmtp == null ? null : fmtp.toString()).withFeedback(fb));
        }
        return out;
    }

    static void add(RtpCodec codec, MediaDescription media) {
        String pt = Integer.toString(codec.payloadType());
        if (!media.payloadTypes().contains(codec.payloadType())) {
            media.addFormat(pt);
        }
        AttributeList attributes = media.attributes();
        attributes.add("rtpmap", codec.rtpmapValue());
        for (RtcpFeedback fb : codec.feedback()) {
            attributes.add("rtcp-fb", RtcpFeedbackLine.format(codec.payloadType(), fb));
        }
        if (codec.fmtp() != null && !codec.fmtp().isEmpty()) {
            attributes.add("fmtp", pt + ' ' + codec.fmtp());
        }
    }

    static void removeLines(int payloadType, AttributeList attributes) {
        attributes.removeIf(a -> switch (a.name()) {
            case "rtpmap" -> RtpMap.parse(a.value()).payloadType() == payloadType;
            case "fmtp" -> Fmtp.parse(a.value()).payloadType() == payloadType;
            case "rtcp-fb" -> RtcpFeedbackLine.parse(a.value()).payloadType() == payloadType;
            default -> false;
        });
    }
}
