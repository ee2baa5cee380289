package dev.parley.relay.stun;

/** The class of a STUN message, the two C bits spread over the message type (RFC 8489 section 5). */
public enum StunClass {
    REQUEST,
    INDICATION,
    SUCCESS_RESPONSE,
    ERROR_RESPONSE;

    private static final StunClass[] BY_BITS = values();

    /** The two class bits C1 C0 as a number 0..3, in the order of the constants above. */
    public int bits() {
        return ordinal();
    }

    static StunClass ofBits(int bits) {
        return BY_BITS[bits & 0b11];
    }
}
