package dev.parley.relay.sdp;

import java.util.List;

/** The a=group attribute (RFC 5888), e.g. {@code BUNDLE 0 1 2} (RFC 8843) or {@code LS 0 1}. */
public record Group(String semantics, List<String> mids) {

    public static final String BUNDLE = "BUNDLE";

    public Group {
        Syntax.word(semantics, "group semantics");
        mids = List.copyOf(mids);
        for (String mid : mids) {
            Syntax.word(mid, "group mid");
        }
    }

    static Group parse(String value) {
        List<String> w = Syntax.words(value);
        if (w.isEmpty()) {
            throw new IllegalArgumentException("group needs a semantics");
        }
        return new Group(w.get(0), w.subList(1, w.size()));
    }

    String format() {
        StringBuilder sb = new StringBuilder(semantics);
        for (String mid : mids) {
            sb.append(' ').append(mid);
        }
        return sb.toString();
    }
}
