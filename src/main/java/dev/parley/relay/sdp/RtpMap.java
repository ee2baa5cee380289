package dev.parley.relay.sdp;

import java.util.List;

/** One a=rtpmap line: {@code <payload type> <encoding name>/<clock rate>[/<encoding parameters>]}. */
record RtpMap(int payloadType, String encodingName, int clockRate, Integer channels) {

    static RtpMap parse(String value) {
        List<String> w = Syntax.words(value);
        if (w.size() != 2) {
            throw new IllegalArgumentException("rtpmap needs <payload type> <encoding>/<clock rate>[/<channels>]");
        }
        int pt = Syntax.parseInt(w.get(0), 0, 127, "rtpmap payload type");
        String[] parts = w.get(1).split("/", -1);
        if (parts.length < 2 || parts.length > 3 || parts[0].isEmpty()) {
            throw new IllegalArgumentException("rtpmap encoding '" + w.get(1)
                    + "' is not <encoding name>/<clock rate>[/<channels>]");
        }
        Syntax.word(parts[0], "rtpmap encoding name");
        int clockRate = Syntax.parseInt(parts[1], 1, Integer.MAX_VALUE, "rtpmap clock rate");
        Integer channels = parts.length == 3 ? Syntax.parseInt(parts[2], 1, 255, "rtpmap channels") : null;
        return new RtpMap(pt, parts[0], clockRate, channels);
    }
}
