package dev.parley.relay.srtp;

import java.util.Objects;
import org.jitsi.utils.ByteArrayBuffer;

/**
 * A reusable window (array, offset, length) over one packet, handed to jitsi-srtp, which transforms it in place.
 *
 * <p>Protecting appends up to {@link #SRTP_OVERHEAD} bytes after the packet, so keep that much room between
 * {@code offset + length} and the end of the array ({@link #forPackets(int)} does). With that room jitsi never
 * needs {@link #grow(int)}; if it does, the array is replaced by a larger copy, so always read the packet back through
 * {@link #buffer()} rather than through a reference kept from before.
 *
 * <p>Not thread-safe: one buffer per thread.
 */
public final class PacketBuffer implements ByteArrayBuffer {

    /** The most any protect call appends: an SRTCP index (4) plus a GCM tag (16). */
    public static final int SRTP_OVERHEAD = SrtpProfile.SRTCP_INDEX_LENGTH + 16;

    private byte[] buffer;
    private int offset;
    private int length;

    public PacketBuffer(int capacity) {
        this(new byte[capacity], 0, 0);
    }

    public PacketBuffer(byte[] buffer, int offset, int length) {
        wrap(buffer, offset, length);
    }

    /** A buffer that holds a packet of up to {@code maxPacketSize} bytes plus what protecting it appends. */
    public static PacketBuffer forPackets(int maxPacketSize) {
        return new PacketBuffer(maxPacketSize + SRTP_OVERHEAD);
    }

    /** Points this window at another array, e.g. the receive loop's datagram buffer. */
    public void wrap(byte[] buffer, int offset, int length) {
        Objects.requireNonNull(buffer, "buffer");
        checkBounds(buffer.length, offset, length);
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
    }

    /** Sets where the packet lies in the current array. */
    public void set(int offset, int length) {
        checkBounds(buffer.length, offset, length);
        this.offset = offset;
        this.length = length;
    }

    /** Copies {@code len} bytes from {@code src} into this buffer at offset 0. */
    public void copyFrom(byte[] src, int srcOffset, int len) {
        checkBounds(src.length, srcOffset, len);
        if (len > buffer.length) {
            throw new IllegalArgumentException("packet of " + len + " bytes does not fit in " + buffer.length);
        }
        System.arraycopy(src, srcOffset, buffer, 0, len);
        offset = 0;
        length = len;
    }

    public byte[] buffer() {
        return buffer;
    }

    public int offset() {
        return offset;
    }

    public int length() {
        return length;
    }

    /** Bytes free after the packet. */
    public int tailRoom() {
        return buffer.length - offset - length;
    }

    // ByteArrayBuffer, as jitsi-srtp calls it.

    @Override
    public byte[] getBuffer() {
        return buffer;
    }

    @Override
    public int getOffset() {
        return offset;
    }

    @Override
    public int getLength() {
        return length;
    }

    @Override
    public void setLength(int length) {
        checkBounds(buffer.length, offset, length);
        this.length = length;
    }

    @Override
    public void setOffset(int offset) {
        checkBounds(buffer.length, offset, length);
        this.offset = offset;
    }

    @Override
    public boolean isInvalid() {
        return false;
    }

    /** Copies {@code len} bytes at {@code off} (relative to the packet) into {@code out}; does nothing out of range. */
    @Override
    public void readRegionToBuff(int off, int len, byte[] out) {
        if (off < 0 || len <= 0 || off + len > length || out.length < len) {
            return;
        }
        System.arraycopy(buffer, offset + off, out, 0, len);
    }

    /** Makes room for {@code howMuch} more bytes after the packet, replacing the array only when it must. */
    @Override
    public void grow(int howMuch) {
        if (howMuch < 0) {
            throw new IllegalArgumentException("howMuch must not be negative");
        }
        if (tailRoom() >= howMuch) {
            return;
        }
        byte[] bigger = new byte[offset + length + howMuch];
        System.arraycopy(buffer, offset, bigger, offset, length);
        buffer = bigger;
    }

    @Override
    public void append(byte[] data, int len) {
        if (data == null || len <= 0) {
            return;
        }
        grow(len);
        System.arraycopy(data, 0, buffer, offset + length, len);
        length += len;
    }

    @Override
    public void shrink(int len) {
        if (len <= 0) {
            return;
        }
        length = Math.max(0, length - len);
    }

    private static void checkBounds(int arrayLength, int offset, int length) {
        if (offset < 0 || length < 0 || offset > arrayLength - length) {
            throw new IllegalArgumentException(
                    "offset " + offset + " and length " + length + " do not fit an array of " + arrayLength);
        }
    }
}
