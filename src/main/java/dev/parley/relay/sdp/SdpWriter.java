package dev.parley.relay.sdp;

/**
 * Writes a {@link SessionDescription} as SDP text with CRLF line ends, in RFC 8866 order: v, o, s, i, u, e, p, c,
 * b, t (each with its r lines), z, k, unknown lines, session a= lines, then per media section m, i, c, b, k,
 * unknown lines, a= lines. Attributes keep their order and exact values. Stateless and thread-safe.
 */
public final class SdpWriter {

    private SdpWriter() {
    }

    public static String write(SessionDescription s) {
        StringBuilder sb = new StringBuilder(2048);
        line(sb, 'v', "0");
        line(sb, 'o', s.origin().format());
        line(sb, 's', s.sessionName());
        s.information().ifPresent(v -> line(sb, 'i', v));
        s.uri().ifPresent(v -> line(sb, 'u', v));
        s.emails().forEach(v -> line(sb, 'e', v));
        s.phones().forEach(v -> line(sb, 'p', v));
        s.connection().ifPresent(c -> line(sb, 'c', c.format()));
        s.bandwidths().forEach(b -> line(sb, 'b', b.format()));
        for (Timing t : s.timings()) {
            line(sb, 't', t.format());
            t.repeats().forEach(r -> line(sb, 'r', r));
        }
        s.zoneAdjustments().ifPresent(v -> line(sb, 'z', v));
        s.encryptionKey().ifPresent(v -> line(sb, 'k', v));
        tail(sb, s);
        for (MediaDescription m : s.media()) {
            line(sb, 'm', m.format());
            m.information().ifPresent(v -> line(sb, 'i', v));
            m.connection().ifPresent(c -> line(sb, 'c', c.format()));
            m.bandwidths().forEach(b -> line(sb, 'b', b.format()));
            m.encryptionKey().ifPresent(v -> line(sb, 'k', v));
            tail(sb, m);
        }
        return sb.toString();
    }

    private static void tail(StringBuilder sb, SdpSection section) {
        section.unknownLines().forEach(l -> sb.append(l).append("\r\n"));
        section.attributes().forEach(a -> line(sb, 'a', a.format()));
    }

    private static void line(StringBuilder sb, char type, String value) {
        sb.append(type).append('=').append(value).append("\r\n");
    }
}
