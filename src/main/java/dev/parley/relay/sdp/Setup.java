package dev.parley.relay.sdp;

/** The a=setup attribute (RFC 4145, used for DTLS roles by RFC 5763). */
public enum Setup {
    ACTIVE("active"),
    PASSIVE("passive"),
    ACTPASS("actpass"),
    HOLDCONN("holdconn");

    private final String value;

    Setup(String value) {
        this.value = value;
    }

    /** The value as written in SDP, e.g. {@code actpass}. */
    public String value() {
        return value;
    }

    static Setup parse(String value) {
        String v = Syntax.trimSpaces(value);
        for (Setup s : values()) {
            if (s.value.equals(v)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown setup role '" + value + "'");
    }
}
