package dev.parley.relay.rtp;

import dev.parley.relay.util.Bytes;

/**
 * RTP header extension elements in the one-byte (profile 0xBEDE) and two-byte (profile 0x100X) forms of RFC 8285.
 *
 * <p>Methods work on the extension data block: {@code dataOff} points just after the 4-byte extension header
 * (profile, length) and {@code dataLen} is the length in bytes that header announces. Look-ups return a packed
 * {@code long} to stay allocation-free: {@link #NOT_FOUND} or ({@code valueOffset << 32 | valueLength}) with an
 * absolute offset into the buffer; unpack with {@link #valueOffset} and {@link #valueLength}.
 *
 * <p>Walking rules: a zero byte is padding; in the one-byte form ID 15 ends the walk (elements before it count) and
 * ID 0 with a non-zero length is malformed, as is an element running past the block.
 */
public final class HeaderExtensions {

    public static final int ONE_BYTE_PROFILE = 0xBEDE;
    public static final long NOT_FOUND = -1L;

    private static final int ONE_BYTE_RESERVED_ID = 15;
    private static final int WALK_MALFORMED = -1;

    private HeaderExtensions() {
    }

    public static boolean isOneByte(int profile) {
        return profile == ONE_BYTE_PROFILE;
    }

    /** 0x1000..0x100F: "0x100" followed by four application bits. */
    public static boolean isTwoByte(int profile) {
        return (profile & 0xFFF0) == 0x1000;
    }

    public static int valueOffset(long found) {
        return (int) (found >>> 32);
    }

    public static int valueLength(long found) {
        return (int) found;
    }

    /** Finds the first element with {@code id}; {@link #NOT_FOUND} if absent, malformed, or an unknown profile. */
    public static long find(byte[] buf, int dataOff, int dataLen, int profile, int id) {
        if (id <= 0 || !Bytes.validRange(buf, dataOff, dataLen)) {
            return NOT_FOUND;
        }
        boolean oneByte = isOneByte(profile);
        if (!oneByte && !isTwoByte(profile)) {
            return NOT_FOUND;
        }
        int end = dataOff + dataLen;
        int pos = dataOff;
        while (pos < end) {
            int next = nextElement(buf, pos, end, oneByte);
            if (next == WALK_MALFORMED) {
                return NOT_FOUND;
            }
            if (next == pos) {
                return NOT_FOUND; // one-byte ID 15: stop
            }
            int header = oneByte ? 1 : 2;
            if (buf[pos] != 0 && elementId(buf, pos, oneByte) == id) {
                int valueOff = pos + header;
                return ((long) valueOff << 32) | (next - valueOff);
            }
            pos = next;
        }
        return NOT_FOUND;
    }

    /**
     * Rewrites element ids in place through {@code map} (old id -> new id, unsigned). Ids at or beyond
     * {@code map.length} stay as they are. A mapping to 0 erases the element: its header and value bytes are all set
     * to 0, which receivers skip as padding; this works in both forms and needs no spare id (a one-byte element with
     * data cannot simply be given id 0). One-byte targets must be 1..14.
     *
     * @return false, leaving the bytes untouched, if the block is malformed, the profile unknown, or a target id does
     *     not fit the form
     */
    public static boolean remapIds(byte[] buf, int dataOff, int dataLen, int profile, byte[] map) {
        if (map == null || !Bytes.validRange(buf, dataOff, dataLen)) {
            return false;
        }
        boolean oneByte = isOneByte(profile);
        if (!oneByte && !isTwoByte(profile)) {
            return false;
        }
        int end = dataOff + dataLen;
        // First pass validates everything so a failure never leaves a half-rewritten packet.
        for (int pos = dataOff; pos < end; ) {
            int next = nextElement(buf, pos, end, oneByte);
            if (next == WALK_MALFORMED) {
                return false;
            }
            if (next == pos) {
                break;
            }
            if (buf[pos] != 0) {
                int id = elementId(buf, pos, oneByte);
                if (id < map.length) {
                    int target = map[id] & 0xFF;
                    if (oneByte && target > 14) {
                        return false;
                    }
                }
            }
            pos = next;
        }
        for (int pos = dataOff; pos < end; ) {
            int next = nextElement(buf, pos, end, oneByte);
            if (next == pos) {
                break;
            }
            if (buf[pos] != 0) {
                int id = elementId(buf, pos, oneByte);
                if (id < map.length) {
                    int target = map[id] & 0xFF;
                    if (target == 0) {
                        for (int i = pos; i < next; i++) {
                            buf[i] = 0;
                        }
                    } else if (oneByte) {
                        buf[pos] = (byte) ((target << 4) | (buf[pos] & 0x0F));
                    } else {
                        buf[pos] = (byte) target;
                    }
                }
            }
            pos = next;
        }
        return true;
    }

    private static int elementId(byte[] buf, int pos, boolean oneByte) {
        return oneByte ? (buf[pos] >> 4) & 0x0F : buf[pos] & 0xFF;
    }

    /**
     * Position after the element (or padding byte) at {@code pos}; {@code pos} itself for a one-byte ID 15 (stop);
     * {@link #WALK_MALFORMED} if it does not fit.
     */
    private static int nextElement(byte[] buf, int pos, int end, boolean oneByte) {
        int first = buf[pos] & 0xFF;
        if (first == 0) {
            return pos + 1;
        }
        if (oneByte) {
            int id = first >> 4;
            if (id == ONE_BYTE_RESERVED_ID) {
                return pos;
            }
            if (id == 0) {
                return WALK_MALFORMED;
            }
            int next = pos + 1 + (first & 0x0F) + 1;
            return next <= end ? next : WALK_MALFORMED;
        }
        if (end - pos < 2) {
            return WALK_MALFORMED;
        }
        int next = pos + 2 + (buf[pos + 1] & 0xFF);
        return next <= end ? next : WALK_MALFORMED;
    }
}
