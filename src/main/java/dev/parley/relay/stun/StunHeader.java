package dev.parley.relay.stun;

/** Constants of the 20-byte STUN header and attribute framing (RFC 8489 section 5). */
final class StunHeader {

    static final int LENGTH = 20;
    static final int MAGIC_COOKIE = 0x2112A442;
    static final int TRANSACTION_ID_OFFSET = 8;
    static final int TRANSACTION_ID_LENGTH = 12;
    static final int ATTRIBUTE_HEADER_LENGTH = 4;
    static final int MESSAGE_INTEGRITY_LENGTH = 20;
    static final int FINGERPRINT_LENGTH = 4;

    private StunHeader() {
    }

    static int padded(int length) {
        return (length + 3) & ~3;
    }
}
