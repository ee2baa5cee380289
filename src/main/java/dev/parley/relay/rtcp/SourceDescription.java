package dev.parley.relay.rtcp;

import dev.parley.relay.util.Bytes;

import java.nio.charset.StandardCharsets;

/**
 * View of a source description packet, PT 202 (RFC 3550 section 6.5).
 *
 * <pre>
 * |V=2|P|    SC   |  PT=SDES=202  |             length            |
 * |                          SSRC/CSRC_1                          |   chunk 1
 * |                           SDES items                          |
 * ...
 * </pre>
 * Each item is |type|length|text|; a chunk's item list ends with a zero type octet and is padded with zeros to the
 * next 32-bit boundary. {@link #wrap} walks every chunk, so accessors never meet a malformed one. Look-ups return a
 * packed (absolute offset &lt;&lt; 32 | length) or {@link #NOT_FOUND}; {@link #cname(int)} is the allocating convenience.
 */
public final class SourceDescription {

    public static final long NOT_FOUND = -1L;
    public static final int ITEM_CNAME = 1;

    private byte[] buf;
    private int off;
    private int contentEnd;

    public boolean wrap(byte[] buf, int off, int len) {
        this.buf = null;
        int size = RtcpHeader.packetLength(buf, off, len);
        if (size < 0 || (buf[off + 1] & 0xFF) != RtcpHeader.SDES) {
            return false;
        }
        int content = RtcpHeader.contentLength(buf, off, size);
        if (content < 0) {
            return false;
        }
        int end = off + content;
        int pos = off + RtcpHeader.LENGTH;
        for (int chunk = 0; chunk < (buf[off] & 0x1F); chunk++) {
            pos = chunkEnd(buf, pos, end, off);
            if (pos < 0) {
                return false;
            }
        }
        this.buf = buf;
        this.off = off;
        this.contentEnd = end;
        return true;
    }

    public int sourceCount() {
        return buf[off] & 0x1F;
    }

    /** SSRC or CSRC of chunk {@code index} (0..sourceCount-1). */
    public int chunkSsrc(int index) {
        return Bytes.int32(buf, chunkOffset(index));
    }

    /** Packed offset and length of the first item of {@code itemType} in the chunk for {@code ssrc}. */
    public long findItem(int ssrc, int itemType) {
        for (int i = 0; i < sourceCount(); i++) {
            int chunk = chunkOffset(i);
            if (Bytes.int32(buf, chunk) != ssrc) {
                continue;
            }
            int pos = chunk + 4;
            while (buf[pos] != 0) {
                int length = buf[pos + 1] & 0xFF;
                if ((buf[pos] & 0xFF) == itemType) {
                    return ((long) (pos + 2) << 32) | length;
                }
                pos += 2 + length;
            }
        }
        return NOT_FOUND;
    }

    public long findCname(int ssrc) {
        return findItem(ssrc, ITEM_CNAME);
    }

    /** CNAME of {@code ssrc} decoded as UTF-8, or null. Allocates. */
    public String cname(int ssrc) {
        long found = findCname(ssrc);
        if (found == NOT_FOUND) {
            return null;
        }
        return new String(buf, (int) (found >>> 32), (int) found, StandardCharsets.UTF_8);
    }

    /**
     * Writes an SDES packet with one chunk holding one CNAME item; returns the length or -1 if it does not fit.
     *
     * @param cname the CNAME bytes (UTF-8), 1..255 bytes; encode once and reuse
     */
    public static int writeCname(byte[] buf, int off, int ssrc, byte[] cname) {
        if (cname == null || cname.length == 0 || cname.length > 255) {
            throw new IllegalArgumentException("CNAME must be 1..255 bytes");
        }
        // SSRC, type, length, text, at least one zero octet, padded to 32 bits
        int chunk = (4 + 2 + cname.length + 1 + 3) & ~3;
        int size = RtcpHeader.LENGTH + chunk;
        if (!RtcpHeader.hasRoom(buf, off, size)) {
            return -1;
        }
        RtcpHeader.write(buf, off, 1, RtcpHeader.SDES, size);
        Bytes.putInt32(buf, off + 4, ssrc);
        buf[off + 8] = (byte) ITEM_CNAME;
        buf[off + 9] = (byte) cname.length;
        System.arraycopy(cname, 0, buf, off + 10, cname.length);
        for (int i = off + 10 + cname.length; i < off + size; i++) {
            buf[i] = 0;
        }
        return size;
    }

    private int chunkOffset(int index) {
        if (index < 0 || index >= sourceCount()) {
            throw new IndexOutOfBoundsException(index);
        }
        int pos = off + RtcpHeader.LENGTH;
        for (int i = 0; i < index; i++) {
            pos = chunkEnd(buf, pos, contentEnd, off);
        }
        return pos;
    }

    /** End of the chunk at {@code pos} (32-bit aligned relative to the packet), or -1 if it runs past {@code end}. */
    private static int chunkEnd(byte[] buf, int pos, int end, int packetOff) {
        if (end - pos < 4) {
            return -1;
        }
        pos += 4;
        while (true) {
            if (pos >= end) {
                return -1;
            }
            if (buf[pos] == 0) {
                break;
            }
            if (end - pos < 2) {
                return -1;
            }
            pos += 2 + (buf[pos + 1] & 0xFF);
        }
        int aligned = packetOff + ((pos + 1 - packetOff + 3) & ~3);
        return aligned <= end ? aligned : -1;
    }
}
