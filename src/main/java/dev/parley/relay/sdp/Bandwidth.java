package dev.parley.relay.sdp;

/** A b= line: {@code b=<bwtype>:<bandwidth>}, e.g. {@code b=AS:2500} (kbit/s) or {@code b=TIAS:2500000} (bit/s). */
public record Bandwidth(String type, long value) {

    public Bandwidth {
        Syntax.word(type, "bandwidth type");
        if (type.indexOf(':') >= 0) {
            throw new IllegalArgumentException("bandwidth type '" + type + "' contains ':'");
        }
        if (value < 0) {
            throw new IllegalArgumentException("bandwidth " + value + " is negative");
        }
    }

    static Bandwidth parse(String value) {
        int colon = value.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("b= line needs <type>:<bandwidth>");
        }
        long bw = Syntax.parseLong(value.substring(colon + 1), 0, Long.MAX_VALUE, "bandwidth");
        return new Bandwidth(value.substring(0, colon), bw);
    }

    String format() {
        return type + ':' + value;
    }
}
