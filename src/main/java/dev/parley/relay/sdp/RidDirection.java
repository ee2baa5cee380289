package dev.parley.relay.sdp;

/** The direction of an a=rid line (RFC 8851) or a side of a=simulcast (RFC 8853). */
public enum RidDirection {
    SEND("send"),
    RECV("recv");

    private final String value;

    RidDirection(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    public RidDirection reverse() {
        return this == SEND ? RECV : SEND;
    }

    static RidDirection parse(String s) {
        for (RidDirection d : values()) {
            if (d.value.equals(s)) {
                return d;
            }
        }
        throw new IllegalArgumentException("rid direction '" + s + "' is neither send nor recv");
    }
}
