package dev.parley.relay.stun;

import java.security.GeneralSecurityException;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * MESSAGE-INTEGRITY (RFC 8489 section 14.5) and FINGERPRINT (section 14.7) computations over a message in a byte
 * array, shared by the parser's verification and the writer.
 */
final class StunIntegrity {

    static final int FINGERPRINT_XOR = 0x5354554E;
    private static final String HMAC_SHA1 = "HmacSHA1";

    private StunIntegrity() {
    }

    /**
     * HMAC-SHA1 over the message at {@code msgOff} up to the MESSAGE-INTEGRITY attribute at {@code miOffset} (relative
     * to the message), computed as if the header length field ended right after that attribute: attributes that
     * follow it (FINGERPRINT) must not count. The buffer is not modified.
     */
    static byte[] hmacSha1(byte[] key, byte[] msg, int msgOff, int miOffset) {
        int adjustedLength = miOffset - StunHeader.LENGTH
                + StunHeader.ATTRIBUTE_HEADER_LENGTH + StunHeader.MESSAGE_INTEGRITY_LENGTH;
        byte[] lengthField = {(byte) (adjustedLength >>> 8), (byte) adjustedLength};
        try {
            Mac mac = Mac.getInstance(HMAC_SHA1);
            mac.init(new SecretKeySpec(key, HMAC_SHA1));
            mac.update(msg, msgOff, 2);
            mac.update(lengthField);
            mac.update(msg, msgOff + 4, miOffset - 4);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            // Every Java runtime ships HmacSHA1 and accepts any non-empty raw key.
            throw new IllegalStateException("HmacSHA1 unavailable", e);
        }
    }

    /** CRC-32 of the message up to the FINGERPRINT attribute at {@code fpOffset}, XOR 0x5354554E. */
    static int fingerprint(byte[] msg, int msgOff, int fpOffset) {
        CRC32 crc = new CRC32();
        crc.update(msg, msgOff, fpOffset);
        return (int) crc.getValue() ^ FINGERPRINT_XOR;
    }
}
