package dev.parley.relay.stun;

/**
 * Packs and unpacks the 14-bit STUN message type. The class bits sit at positions 4 and 8, between the method bits
 * (RFC 8489 section 5, figure 3: M11..M7 C1 M6..M4 C0 M3..M0).
 */
public final class StunMessageType {

    public static final int METHOD_BINDING = 0x001;

    public static final int BINDING_REQUEST = of(METHOD_BINDING, StunClass.REQUEST);
    public static final int BINDING_INDICATION = of(METHOD_BINDING, StunClass.INDICATION);
    public static final int BINDING_SUCCESS_RESPONSE = of(METHOD_BINDING, StunClass.SUCCESS_RESPONSE);
    public static final int BINDING_ERROR_RESPONSE = of(METHOD_BINDING, StunClass.ERROR_RESPONSE);

    private StunMessageType() {
    }

    public static int of(int method, StunClass messageClass) {
        int c = messageClass.bits();
        return (method & 0x000F)
                | ((method & 0x0070) << 1)
                | ((method & 0x0F80) << 2)
                | ((c & 0b01) << 4)
                | ((c & 0b10) << 7);
    }

    public static int method(int type) {
        return (type & 0x000F) | ((type & 0x00E0) >> 1) | ((type & 0x3E00) >> 2);
    }

    public static StunClass messageClass(int type) {
        return StunClass.ofBits(((type >> 4) & 0b01) | ((type >> 7) & 0b10));
    }
}
