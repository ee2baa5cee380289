package dev.parley.relay.sdp;

import java.util.List;

/**
 * The session-level a=msid-semantic attribute: {@code WMS} followed by stream ids or {@code *}. Chrome writes
 * {@code a=msid-semantic: WMS} (note the space), Firefox {@code a=msid-semantic:WMS *}.
 */
public record MsidSemantic(String semantic, List<String> streamIds) {

    public MsidSemantic {
        Syntax.word(semantic, "msid-semantic");
        streamIds = List.copyOf(streamIds);
        for (String id : streamIds) {
            Syntax.word(id, "msid-semantic stream id");
        }
    }

    /** {@code WMS *}: every stream. */
    public static MsidSemantic wmsAll() {
        return new MsidSemantic("WMS", List.of("*"));
    }

    static MsidSemantic parse(String value) {
        List<String> w = Syntax.words(value);
        if (w.isEmpty()) {
            throw new IllegalArgumentException("msid-semantic needs a semantic");
        }
        return new MsidSemantic(w.get(0), w.subList(1, w.size()));
    }

    String format() {
        StringBuilder sb = new StringBuilder(semantic);
        for (String id : streamIds) {
            sb.append(' ').append(id);
        }
        return sb.toString();
    }
}
