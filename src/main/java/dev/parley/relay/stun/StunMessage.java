package dev.parley.relay.stun;

import dev.parley.relay.util.Bytes;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.OptionalLong;

/**
 * A parsed STUN message (RFC 8489) with the ICE attributes of RFC 8445.
 *
 * <p>{@link #parse} copies the bytes it is given, so the message stays valid when the caller reuses its receive
 * buffer. STUN arrives at signalling rate, so this class allocates; it never throws on any input. Malformed input
 * makes {@code parse} return {@code null}.
 *
 * <p>Attribute look-ups follow RFC 8489 section 14.5: attributes after MESSAGE-INTEGRITY, other than FINGERPRINT, are
 * ignored. Only the first occurrence of a repeated attribute is used. Typed accessors treat an attribute with a value
 * of the wrong size as absent; a check whose required attribute is absent deserves a 400.
 */
public final class StunMessage {

    private static final int NOT_PRESENT = -1;

    private final byte[] raw;
    private final int type;
    private final int[] attributeTypes;
    private final int[] valueOffsets;
    private final int[] valueLengths;
    private final int attributeCount;
    /** Attributes at index >= this are after MESSAGE-INTEGRITY and ignored by look-ups. */
    private final int visibleCount;
    private final int messageIntegrityOffset;
    private final int fingerprintOffset;

    private StunMessage(byte[] raw, int type, int[] attributeTypes, int[] valueOffsets, int[] valueLengths,
            int attributeCount, int visibleCount, int messageIntegrityOffset, int fingerprintOffset) {
        this.raw = raw;
        this.type = type;
        this.attributeTypes = attributeTypes;
        this.valueOffsets = valueOffsets;
        this.valueLengths = valueLengths;
        this.attributeCount = attributeCount;
        this.visibleCount = visibleCount;
        this.messageIntegrityOffset = messageIntegrityOffset;
        this.fingerprintOffset = fingerprintOffset;
    }

    /**
     * Parses exactly one message occupying {@code len} bytes at {@code off}.
     *
     * @return the message, or {@code null} if the bytes are not a well-formed RFC 5389/8489 message: shorter than the
     *     header, top two bits set, wrong magic cookie, length field not a multiple of 4 or not matching {@code len},
     *     an attribute running past the end, a MESSAGE-INTEGRITY that is not 20 bytes, or a FINGERPRINT that is not 4
     *     bytes or not the last attribute. Bad arguments (null buffer, range outside it) also give {@code null}.
     */
    public static StunMessage parse(byte[] buf, int off, int len) {
        if (buf == null || off < 0 || len < StunHeader.LENGTH || off > buf.length - len) {
            return null;
        }
        if ((buf[off] & 0xC0) != 0) {
            return null;
        }
        int bodyLength = Bytes.uint16(buf, off + 2);
        if ((bodyLength & 3) != 0 || StunHeader.LENGTH + bodyLength != len) {
            return null;
        }
        if (Bytes.int32(buf, off + 4) != StunHeader.MAGIC_COOKIE) {
            return null;
        }
        byte[] raw = Arrays.copyOfRange(buf, off, off + len);
        int maxAttributes = bodyLength / StunHeader.ATTRIBUTE_HEADER_LENGTH;
        int[] types = new int[maxAttributes];
        int[] offsets = new int[maxAttributes];
        int[] lengths = new int[maxAttributes];
        int count = 0;
        int visible = -1;
        int integrityOffset = NOT_PRESENT;
        int fingerprintOffset = NOT_PRESENT;
        int pos = StunHeader.LENGTH;
        while (pos < len) {
            if (fingerprintOffset != NOT_PRESENT) {
                return null; // FINGERPRINT must be the last attribute
            }
            if (len - pos < StunHeader.ATTRIBUTE_HEADER_LENGTH) {
                return null;
            }
            int attributeType = Bytes.uint16(raw, pos);
            int valueLength = Bytes.uint16(raw, pos + 2);
            int valueOffset = pos + StunHeader.ATTRIBUTE_HEADER_LENGTH;
            if (StunHeader.padded(valueLength) > len - valueOffset) {
                return null;
            }
            if (attributeType == StunAttributeType.MESSAGE_INTEGRITY && integrityOffset == NOT_PRESENT) {
                if (valueLength != StunHeader.MESSAGE_INTEGRITY_LENGTH) {
                    return null;
                }
                integrityOffset = pos;
                visible = count;
            } else if (attributeType == StunAttributeType.FINGERPRINT) {
                if (valueLength != StunHeader.FINGERPRINT_LENGTH) {
                    return null;
                }
                fingerprintOffset = pos;
            }
            types[count] = attributeType;
            offsets[count] = valueOffset;
            lengths[count] = valueLength;
            count++;
            pos = valueOffset + StunHeader.padded(valueLength);
        }
        if (visible < 0) {
            visible = count;
        }
        return new StunMessage(raw, Bytes.uint16(raw, 0), types, offsets, lengths, count, visible,
                integrityOffset, fingerprintOffset);
    }

    public static StunMessage parse(byte[] buf) {
        return buf == null ? null : parse(buf, 0, buf.length);
    }

    // ---- header ----

    /** The 14-bit message type, e.g. {@link StunMessageType#BINDING_REQUEST}. */
    public int messageType() {
        return type;
    }

    public int method() {
        return StunMessageType.method(type);
    }

    public StunClass messageClass() {
        return StunMessageType.messageClass(type);
    }

    public boolean isBindingRequest() {
        return type == StunMessageType.BINDING_REQUEST;
    }

    public boolean isBindingIndication() {
        return type == StunMessageType.BINDING_INDICATION;
    }

    public boolean isBindingSuccessResponse() {
        return type == StunMessageType.BINDING_SUCCESS_RESPONSE;
    }

    public boolean isBindingErrorResponse() {
        return type == StunMessageType.BINDING_ERROR_RESPONSE;
    }

    /** Total length in bytes, header included. */
    public int length() {
        return raw.length;
    }

    /** A copy of the 12-byte transaction id. */
    public byte[] transactionId() {
        return Arrays.copyOfRange(raw, StunHeader.TRANSACTION_ID_OFFSET,
                StunHeader.TRANSACTION_ID_OFFSET + StunHeader.TRANSACTION_ID_LENGTH);
    }

    public boolean transactionIdEquals(byte[] transactionId) {
        return transactionId != null && transactionId.length == StunHeader.TRANSACTION_ID_LENGTH
                && Arrays.equals(raw, StunHeader.TRANSACTION_ID_OFFSET,
                        StunHeader.TRANSACTION_ID_OFFSET + StunHeader.TRANSACTION_ID_LENGTH,
                        transactionId, 0, StunHeader.TRANSACTION_ID_LENGTH);
    }

    /** A copy of the whole message as received. */
    public byte[] toByteArray() {
        return raw.clone();
    }

    // ---- generic attribute access ----

    /** Number of attributes in the message, including those after MESSAGE-INTEGRITY. */
    public int attributeCount() {
        return attributeCount;
    }

    public int attributeType(int index) {
        return attributeTypes[index];
    }

    /** Offset of the value of attribute {@code index}, relative to the start of the message. */
    public int attributeValueOffset(int index) {
        return valueOffsets[index];
    }

    /** Length of the value of attribute {@code index}, without padding. */
    public int attributeValueLength(int index) {
        return valueLengths[index];
    }

    /** True if an attribute of this type appears before MESSAGE-INTEGRITY (or anywhere, without one). */
    public boolean has(int attributeType) {
        return indexOf(attributeType) >= 0;
    }

    /** A copy of the first value of this type before MESSAGE-INTEGRITY, or null. */
    public byte[] attributeValue(int attributeType) {
        int i = indexOf(attributeType);
        return i < 0 ? null : Arrays.copyOfRange(raw, valueOffsets[i], valueOffsets[i] + valueLengths[i]);
    }

    /**
     * Comprehension-required attribute types (below 0x8000) this codec does not understand, in order of appearance
     * before MESSAGE-INTEGRITY; RFC 8489 section 6.3.1 asks for a 420 response to a request carrying any.
     */
    public int[] unknownComprehensionRequiredAttributes() {
        int[] unknown = new int[visibleCount];
        int n = 0;
        for (int i = 0; i < visibleCount; i++) {
            int t = attributeTypes[i];
            if (StunAttributeType.isComprehensionRequired(t) && !StunAttributeType.isKnown(t)) {
                unknown[n++] = t;
            }
        }
        return Arrays.copyOf(unknown, n);
    }

    private int indexOf(int attributeType) {
        for (int i = 0; i < visibleCount; i++) {
            if (attributeTypes[i] == attributeType) {
                return i;
            }
        }
        return -1;
    }

    // ---- typed accessors ----

    /** USERNAME decoded as UTF-8 (malformed sequences become U+FFFD), or null. */
    public String username() {
        return string(StunAttributeType.USERNAME);
    }

    /** SOFTWARE decoded as UTF-8, or null. */
    public String software() {
        return string(StunAttributeType.SOFTWARE);
    }

    /** PRIORITY (RFC 8445 section 7.1.1), an unsigned 32-bit value. */
    public OptionalLong priority() {
        int i = indexOf(StunAttributeType.PRIORITY);
        if (i < 0 || valueLengths[i] != 4) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Bytes.int32(raw, valueOffsets[i]) & 0xFFFFFFFFL);
    }

    /** Tie-breaker of ICE-CONTROLLING (RFC 8445 section 7.1.3), present when the sender claims the controlling role. */
    public OptionalLong iceControlling() {
        return uint64(StunAttributeType.ICE_CONTROLLING);
    }

    /** Tie-breaker of ICE-CONTROLLED, present when the sender claims the controlled role. */
    public OptionalLong iceControlled() {
        return uint64(StunAttributeType.ICE_CONTROLLED);
    }

    /** USE-CANDIDATE (RFC 8445 section 7.1.2): the controlling agent nominates this pair. */
    public boolean useCandidate() {
        return has(StunAttributeType.USE_CANDIDATE);
    }

    /** XOR-MAPPED-ADDRESS decoded to an IPv4 or IPv6 socket address (no name lookup), or null. */
    public InetSocketAddress xorMappedAddress() {
        int i = indexOf(StunAttributeType.XOR_MAPPED_ADDRESS);
        return i < 0 ? null : XorAddress.decode(raw, 0, valueOffsets[i], valueLengths[i]);
    }

    /** ERROR-CODE as class * 100 + number (e.g. 487), or -1 if absent or malformed. */
    public int errorCode() {
        int i = indexOf(StunAttributeType.ERROR_CODE);
        if (i < 0 || valueLengths[i] < 4) {
            return -1;
        }
        int errorClass = raw[valueOffsets[i] + 2] & 0x07;
        int number = raw[valueOffsets[i] + 3] & 0xFF;
        if (errorClass < 3 || errorClass > 6 || number > 99) {
            return -1;
        }
        return errorClass * 100 + number;
    }

    /** The reason phrase of ERROR-CODE, or null. */
    public String errorReason() {
        int i = indexOf(StunAttributeType.ERROR_CODE);
        if (i < 0 || valueLengths[i] < 4) {
            return null;
        }
        return new String(raw, valueOffsets[i] + 4, valueLengths[i] - 4, StandardCharsets.UTF_8);
    }

    private String string(int attributeType) {
        int i = indexOf(attributeType);
        return i < 0 ? null : new String(raw, valueOffsets[i], valueLengths[i], StandardCharsets.UTF_8);
    }

    private OptionalLong uint64(int attributeType) {
        int i = indexOf(attributeType);
        if (i < 0 || valueLengths[i] != 8) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Bytes.int64(raw, valueOffsets[i]));
    }

    // ---- integrity ----

    /** Offset of the MESSAGE-INTEGRITY attribute header from the start of the message, or -1. */
    public int messageIntegrityOffset() {
        return messageIntegrityOffset;
    }

    /** Offset of the FINGERPRINT attribute header from the start of the message, or -1. */
    public int fingerprintOffset() {
        return fingerprintOffset;
    }

    public boolean hasMessageIntegrity() {
        return messageIntegrityOffset != NOT_PRESENT;
    }

    public boolean hasFingerprint() {
        return fingerprintOffset != NOT_PRESENT;
    }

    /**
     * Checks MESSAGE-INTEGRITY with the given key; for ICE short-term credentials the key is the UTF-8 bytes of the
     * password ({@link #shortTermKey}). False when the attribute is absent or the key is null or empty.
     */
    public boolean verifyMessageIntegrity(byte[] key) {
        if (messageIntegrityOffset == NOT_PRESENT || key == null || key.length == 0) {
            return false;
        }
        byte[] expected = StunIntegrity.hmacSha1(key, raw, 0, messageIntegrityOffset);
        int valueOffset = messageIntegrityOffset + StunHeader.ATTRIBUTE_HEADER_LENGTH;
        byte[] actual = Arrays.copyOfRange(raw, valueOffset, valueOffset + StunHeader.MESSAGE_INTEGRITY_LENGTH);
        return MessageDigest.isEqual(expected, actual);
    }

    /** Checks FINGERPRINT; false when absent. */
    public boolean verifyFingerprint() {
        if (fingerprintOffset == NOT_PRESENT) {
            return false;
        }
        int expected = StunIntegrity.fingerprint(raw, 0, fingerprintOffset);
        return expected == Bytes.int32(raw, fingerprintOffset + StunHeader.ATTRIBUTE_HEADER_LENGTH);
    }

    /** The short-term credential key of RFC 8489 section 9.1.1: the password as UTF-8 (OpaqueString is identity). */
    public static byte[] shortTermKey(String password) {
        return password.getBytes(StandardCharsets.UTF_8);
    }
}
