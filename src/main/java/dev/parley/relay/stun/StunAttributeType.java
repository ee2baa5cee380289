package dev.parley.relay.stun;

/**
 * Attribute types used by ICE connectivity checks (RFC 8489 section 18.3, RFC 8445 section 16.1). Types below 0x8000
 * are comprehension-required: an agent must reject a request carrying one it does not know.
 */
public final class StunAttributeType {

    public static final int MAPPED_ADDRESS = 0x0001;
    public static final int USERNAME = 0x0006;
    public static final int MESSAGE_INTEGRITY = 0x0008;
    public static final int ERROR_CODE = 0x0009;
    public static final int UNKNOWN_ATTRIBUTES = 0x000A;
    public static final int XOR_MAPPED_ADDRESS = 0x0020;
    public static final int PRIORITY = 0x0024;
    public static final int USE_CANDIDATE = 0x0025;
    public static final int SOFTWARE = 0x8022;
    public static final int FINGERPRINT = 0x8028;
    public static final int ICE_CONTROLLED = 0x8029;
    public static final int ICE_CONTROLLING = 0x802A;

    private StunAttributeType() {
    }

    public static boolean isComprehensionRequired(int type) {
        return type < 0x8000;
    }

    /** The attributes this codec understands; anything else comprehension-required deserves a 420. */
    public static boolean isKnown(int type) {
        switch (type) {
            case MAPPED_ADDRESS:
            case USERNAME:
            case MESSAGE_INTEGRITY:
            case ERROR_CODE:
            case UNKNOWN_ATTRIBUTES:
            case XOR_MAPPED_ADDRESS:
            case PRIORITY:
            case USE_CANDIDATE:
            case SOFTWARE:
            case FINGERPRINT:
            case ICE_CONTROLLED:
            case ICE_CONTROLLING:
                return true;
            default:
                return false;
        }
    }
}
