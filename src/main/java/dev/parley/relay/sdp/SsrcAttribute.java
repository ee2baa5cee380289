package dev.parley.relay.sdp;

/**
 * One a=ssrc line (RFC 5576): {@code <ssrc> <attribute>[:<value>]}, e.g. {@code 1234 cname:abc} or
 * {@code 1234 msid:stream track}. libdatachannel also writes a bare {@code a=ssrc:1234}.
 *
 * @param attribute null for a bare SSRC
 * @param value     null when the attribute has no value
 */
public record SsrcAttribute(long ssrc, String attribute, String value) {

    public SsrcAttribute {
        checkSsrc(ssrc);
        if (attribute != null) {
            Syntax.token(attribute, "ssrc attribute name");
        } else if (value != null) {
            throw new IllegalArgumentException("ssrc attribute value without a name");
        }
        if (value != null) {
            Syntax.text(value, "ssrc attribute value");
        }
    }

    static SsrcAttribute parse(String value) {
        String v = Syntax.trimSpaces(value);
        int space = v.indexOf(' ');
        long ssrc = Syntax.parseLong(space < 0 ? v : v.substring(0, space), 0, 0xFFFFFFFFL, "ssrc");
        if (space < 0) {
            return new SsrcAttribute(ssrc, null, null);
        }
        String attr = Syntax.trimSpaces(v.substring(space + 1));
        int colon = attr.indexOf(':');
        return colon < 0 ? new SsrcAttribute(ssrc, attr, null)
                : new SsrcAttribute(ssrc, attr.substring(0, colon), attr.substring(colon + 1));
    }

    String format() {
        if (attribute == null) {
            return Long.toString(ssrc);
        }
        return value == null ? ssrc + " " + attribute : ssrc + " " + attribute + ':' + value;
    }

    static void checkSsrc(long ssrc) {
        if (ssrc < 0 || ssrc > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("ssrc " + ssrc + " is out of range 0..4294967295");
        }
    }
}
