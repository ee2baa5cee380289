package dev.parley.relay.sdp;

import java.util.List;

/** The a=ssrc-group attribute (RFC 5576), e.g. {@code FID <media ssrc> <rtx ssrc>} or {@code SIM a b c}. */
public record SsrcGroup(String semantics, List<Long> ssrcs) {

    public static final String FID = "FID";
    public static final String SIM = "SIM";

    public SsrcGroup {
        Syntax.word(semantics, "ssrc-group semantics");
        ssrcs = List.copyOf(ssrcs);
        for (long ssrc : ssrcs) {
            SsrcAttribute.checkSsrc(ssrc);
        }
    }

    static SsrcGroup parse(String value) {
        List<String> w = Syntax.words(value);
        if (w.isEmpty()) {
            throw new IllegalArgumentException("ssrc-group needs a semantics");
        }
        Long[] ssrcs = new Long[w.size() - 1];
        for (int i = 1; i < w.size(); i++) {
            ssrcs[i - 1] = Syntax.parseLong(w.get(i), 0, 0xFFFFFFFFL, "ssrc-group ssrc");
        }
        return new SsrcGroup(w.get(0), List.of(ssrcs));
    }

    String format() {
        StringBuilder sb = new StringBuilder(semantics);
        for (long ssrc : ssrcs) {
            sb.append(' ').append(ssrc);
        }
        return sb.toString();
    }
}
