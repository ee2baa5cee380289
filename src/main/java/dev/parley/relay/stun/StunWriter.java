package dev.parley.relay.stun;

import dev.parley.relay.util.Bytes;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * Encodes one STUN message attribute by attribute into a caller-provided buffer.
 *
 * <p>Call {@link #begin}, add attributes in wire order, end with {@link #addMessageIntegrity} and
 * {@link #addFingerprint} as needed, then {@link #finish}. The header length field is kept current after every
 * attribute, which is what the integrity and fingerprint computations need. If the buffer runs out, later calls do
 * nothing and {@code finish} returns -1. Arguments that cannot be encoded (a value over 65535 bytes, an unresolved
 * address, a transaction id that is not 12 bytes) throw {@link IllegalArgumentException}.
 *
 * <p>Not thread-safe; reuse one instance per thread.
 */
public final class StunWriter {

    private byte paddingByte;
    private byte[] buf;
    private int start;
    private int pos;
    private int end;
    private boolean overflow;

    /**
     * The byte written into attribute padding. RFC 8489 lets it be anything; RFC 5769's test vectors use 0x20, and
     * because padding is covered by MESSAGE-INTEGRITY and FINGERPRINT, reproducing them needs the same byte.
     */
    public StunWriter paddingByte(int value) {
        this.paddingByte = (byte) value;
        return this;
    }

    /** Starts a message of {@code messageType} at {@code off}, using at most {@code capacity} bytes. */
    public StunWriter begin(byte[] out, int off, int capacity, int messageType, byte[] transactionId) {
        if (transactionId == null || transactionId.length != StunHeader.TRANSACTION_ID_LENGTH) {
            throw new IllegalArgumentException("transaction id must be 12 bytes");
        }
        if ((messageType & ~0x3FFF) != 0) {
            throw new IllegalArgumentException("message type has 14 bits");
        }
        if (off < 0 || capacity < 0 || off > out.length - capacity) {
            throw new IllegalArgumentException("range outside the buffer");
        }
        this.buf = out;
        this.start = off;
        this.end = off + capacity;
        this.pos = off;
        this.overflow = false;
        if (capacity < StunHeader.LENGTH) {
            overflow = true;
            return this;
        }
        Bytes.putUint16(out, off, messageType);
        Bytes.putUint16(out, off + 2, 0);
        Bytes.putInt32(out, off + 4, StunHeader.MAGIC_COOKIE);
        System.arraycopy(transactionId, 0, out, off + StunHeader.TRANSACTION_ID_OFFSET,
                StunHeader.TRANSACTION_ID_LENGTH);
        pos = off + StunHeader.LENGTH;
        return this;
    }

    public StunWriter addBytes(int attributeType, byte[] value, int valueOff, int valueLen) {
        int at = reserve(attributeType, valueLen);
        if (at >= 0) {
            System.arraycopy(value, valueOff, buf, at, valueLen);
        }
        return this;
    }

    /** A UTF-8 string attribute such as USERNAME or SOFTWARE. */
    public StunWriter addString(int attributeType, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        return addBytes(attributeType, bytes, 0, bytes.length);
    }

    public StunWriter addUint32(int attributeType, long value) {
        int at = reserve(attributeType, 4);
        if (at >= 0) {
            Bytes.putInt32(buf, at, (int) value);
        }
        return this;
    }

    public StunWriter addUint64(int attributeType, long value) {
        int at = reserve(attributeType, 8);
        if (at >= 0) {
            Bytes.putInt64(buf, at, value);
        }
        return this;
    }

    /** An attribute without a value, such as USE-CANDIDATE. */
    public StunWriter addEmpty(int attributeType) {
        reserve(attributeType, 0);
        return this;
    }

    /** XOR-MAPPED-ADDRESS (or another XOR address attribute) for an IPv4 or IPv6 address. */
    public StunWriter addXorAddress(int attributeType, InetSocketAddress address) {
        if (address == null || address.getAddress() == null) {
            throw new IllegalArgumentException("address must be resolved");
        }
        int at = reserve(attributeType, XorAddress.valueLength(address));
        if (at >= 0) {
            XorAddress.encode(address, buf, start, at);
        }
        return this;
    }

    /** ERROR-CODE (RFC 8489 section 14.8): 21 reserved bits, class (hundreds), number, UTF-8 reason phrase. */
    public StunWriter addErrorCode(int code, String reason) {
        if (code < 300 || code > 699) {
            throw new IllegalArgumentException("error code must be 300..699");
        }
        byte[] phrase = reason.getBytes(StandardCharsets.UTF_8);
        int at = reserve(StunAttributeType.ERROR_CODE, 4 + phrase.length);
        if (at >= 0) {
            buf[at] = 0;
            buf[at + 1] = 0;
            buf[at + 2] = (byte) (code / 100);
            buf[at + 3] = (byte) (code % 100);
            System.arraycopy(phrase, 0, buf, at + 4, phrase.length);
        }
        return this;
    }

    /** MESSAGE-INTEGRITY over everything written so far, keyed with {@code key} (non-empty). */
    public StunWriter addMessageIntegrity(byte[] key) {
        if (key == null || key.length == 0) {
            throw new IllegalArgumentException("integrity key must not be empty");
        }
        int miOffset = pos - start;
        int at = reserve(StunAttributeType.MESSAGE_INTEGRITY, StunHeader.MESSAGE_INTEGRITY_LENGTH);
        if (at >= 0) {
            byte[] hmac = StunIntegrity.hmacSha1(key, buf, start, miOffset);
            System.arraycopy(hmac, 0, buf, at, StunHeader.MESSAGE_INTEGRITY_LENGTH);
        }
        return this;
    }

    /** FINGERPRINT over everything written so far; must be the last attribute. */
    public StunWriter addFingerprint() {
        int fpOffset = pos - start;
        int at = reserve(StunAttributeType.FINGERPRINT, StunHeader.FINGERPRINT_LENGTH);
        if (at >= 0) {
            Bytes.putInt32(buf, at, StunIntegrity.fingerprint(buf, start, fpOffset));
        }
        return this;
    }

    /** The length of the finished message, or -1 if it did not fit. */
    public int finish() {
        return overflow ? -1 : pos - start;
    }

    /**
     * Writes an attribute header, pads the value and updates the message length; returns where the value goes, or -1
     * after an overflow.
     */
    private int reserve(int attributeType, int valueLength) {
        if (valueLength < 0 || valueLength > 0xFFFF) {
            throw new IllegalArgumentException("attribute value length " + valueLength);
        }
        if (buf == null) {
            throw new IllegalStateException("begin() first");
        }
        int total = StunHeader.ATTRIBUTE_HEADER_LENGTH + StunHeader.padded(valueLength);
        if (overflow || total > end - pos || pos + total - start - StunHeader.LENGTH > 0xFFFF) {
            overflow = true;
            return -1;
        }
        Bytes.putUint16(buf, pos, attributeType);
        Bytes.putUint16(buf, pos + 2, valueLength);
        int valueAt = pos + StunHeader.ATTRIBUTE_HEADER_LENGTH;
        for (int i = valueAt + valueLength; i < pos + total; i++) {
            buf[i] = paddingByte;
        }
        pos += total;
        Bytes.putUint16(buf, start + 2, pos - start - StunHeader.LENGTH);
        return valueAt;
    }
}
