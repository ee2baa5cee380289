package dev.parley.relay.sdp;

import java.util.List;

/** One a=rtcp-fb line: {@code <payload type>|* <type> [<parameter>]}; payloadType is -1 for the wildcard. */
record RtcpFeedbackLine(int payloadType, RtcpFeedback feedback) {

    static final int WILDCARD = -1;

    static RtcpFeedbackLine parse(String value) {
        List<String> w = Syntax.words(value);
        if (w.size() < 2) {
            throw new IllegalArgumentException("rtcp-fb needs <payload type> <type> [<parameter>]");
        }
        int pt = w.get(0).equals("*") ? WILDCARD : Syntax.parseInt(w.get(0), 0, 127, "rtcp-fb payload type");
        String rest = Syntax.afterWords(value, 2);
        return new RtcpFeedbackLine(pt, new RtcpFeedback(w.get(1), rest.isEmpty() ? null : rest));
    }

    boolean appliesTo(int pt) {
        return payloadType == WILDCARD || payloadType == pt;
    }

    static String format(int payloadType, RtcpFeedback feedback) {
        return payloadType + " " + feedback.format();
    }
}
