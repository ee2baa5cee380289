package dev.parley.relay.sdp;

import java.util.List;

/** A t= line ({@code t=<start> <stop>}, NTP seconds; 0 0 for an unbounded session) with its r= lines kept raw. */
public record Timing(long start, long stop, List<String> repeats) {

    /** {@code t=0 0}: the only timing a WebRTC description uses. */
    public static final Timing UNBOUNDED = new Timing(0, 0, List.of());

    public Timing {
        if (start < 0 || stop < 0) {
            throw new IllegalArgumentException("timing must not be negative");
        }
        repeats = List.copyOf(repeats);
        for (String r : repeats) {
            Syntax.text(r, "repeat time");
        }
    }

    static Timing parse(String value) {
        List<String> w = Syntax.words(value);
        if (w.size() != 2) {
            throw new IllegalArgumentException("t= line needs 2 fields (start stop), found " + w.size());
        }
        return new Timing(Syntax.parseLong(w.get(0), 0, Long.MAX_VALUE, "start time"),
                Syntax.parseLong(w.get(1), 0, Long.MAX_VALUE, "stop time"), List.of());
    }

    String format() {
        return Long.toString(start) + ' ' + stop;
    }
}
