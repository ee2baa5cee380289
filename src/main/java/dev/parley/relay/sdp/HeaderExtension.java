package dev.parley.relay.sdp;

import java.util.List;

/**
 * An a=extmap attribute (RFC 8285): {@code <id>[/<direction>] <uri> [<extension attributes>]}. The id is 1..14 for
 * one-byte headers and up to 255 with two-byte headers. An answer must reuse the offerer's ids.
 *
 * @param direction  null when absent
 * @param attributes extension attributes, or null when absent
 */
public record HeaderExtension(int id, Direction direction, String uri, String attributes) {

    public static final String SDES_MID = "urn:ietf:params:rtp-hdrext:sdes:mid";
    public static final String SDES_RTP_STREAM_ID = "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id";
    public static final String SDES_REPAIRED_RTP_STREAM_ID = "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id";
    public static final String SSRC_AUDIO_LEVEL = "urn:ietf:params:rtp-hdrext:ssrc-audio-level";
    public static final String ABS_SEND_TIME = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time";
    public static final String TRANSPORT_WIDE_CC =
            "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";

    public HeaderExtension {
        if (id < 1 || id > 255) {
            throw new IllegalArgumentException("extmap id " + id + " is out of range 1..255");
        }
        Syntax.word(uri, "extmap uri");
        if (attributes != null) {
            Syntax.text(attributes, "extmap attributes");
            if (attributes.isBlank() || !attributes.equals(Syntax.trimSpaces(attributes))) {
                throw new IllegalArgumentException("extmap attributes '" + attributes + "' are blank or padded");
            }
        }
    }

    public static HeaderExtension of(int id, String uri) {
        return new HeaderExtension(id, null, uri, null);
    }

    static HeaderExtension parse(String value) {
        List<String> w = Syntax.words(value);
        if (w.size() < 2) {
            throw new IllegalArgumentException("extmap needs <id>[/<direction>] <uri>");
        }
        String idPart = w.get(0);
        Direction direction = null;
        int slash = idPart.indexOf('/');
        if (slash >= 0) {
            direction = Direction.parse(idPart.substring(slash + 1));
            idPart = idPart.substring(0, slash);
        }
        int id = Syntax.parseInt(idPart, 0, Integer.MAX_VALUE, "extmap id");
        String rest = Syntax.afterWords(value, 2);
        return new HeaderExtension(id, direction, w.get(1), rest.isEmpty() ? null : rest);
    }

    String format() {
        StringBuilder sb = new StringBuilder().append(id);
        if (direction != null) {
            sb.append('/').append(direction.attributeName());
        }
        sb.append(' ').append(uri);
        if (attributes != null) {
            sb.append(' ').append(attributes);
        }
        return sb.toString();
    }
}
