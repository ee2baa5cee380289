package dev.parley.relay.tcp;

import java.nio.ByteBuffer;

/**
 * RFC 4571 framing on a TCP stream: each packet (STUN, DTLS, SRTP or SRTCP) preceded by its length as a 16-bit
 * big-endian number. Bytes are read into {@link #buffer()}; {@link #next} hands out the complete frames one by one.
 * Written by hand because the framing is two bytes of length and the relay's loop reads the socket itself.
 */
final class FrameDecoder {

    /** What {@link #next} returns when no complete frame is buffered. */
    static final int NONE = -1;
    /** What {@link #next} returns when the next frame is longer than the relay takes: the stream cannot be trusted. */
    static final int TOO_LONG = -2;

    private final ByteBuffer buffer;
    private final int maxFrame;

    /** @param maxFrame the longest packet taken; the buffer always has room for one such frame and its length */
    FrameDecoder(int maxFrame, int capacity) {
        if (capacity < maxFrame + 2) {
            throw new IllegalArgumentException("the buffer must hold the longest frame");
        }
        this.maxFrame = maxFrame;
        this.buffer = ByteBuffer.allocate(capacity);
    }

    /** In write mode: read the socket into it, then {@link #flip()}, {@link #next} until none, {@link #compact()}. */
    ByteBuffer buffer() {
        return buffer;
    }

    /** After a read: the buffered bytes are ready to be taken apart. */
    void flip() {
        buffer.flip();
    }

    /** After the frames were taken: what is left (the start of a frame) moves to the front for the next read. */
    void compact() {
        buffer.compact();
    }

    /**
     * Between {@link #flip()} and {@link #compact()}: copies the next complete frame into {@code frame} and returns
     * its length (0 for an empty frame), or {@link #NONE} when no complete frame is buffered, or {@link #TOO_LONG}.
     */
    int next(byte[] frame) {
        if (buffer.remaining() < 2) {
            return NONE;
        }
        int length = Short.toUnsignedInt(buffer.getShort(buffer.position()));
        if (length > maxFrame || length > frame.length) {
            return TOO_LONG;
        }
        if (buffer.remaining() < 2 + length) {
            return NONE;
        }
        buffer.position(buffer.position() + 2);
        buffer.get(frame, 0, length);
        return length;
    }

    /**
     * Writes one frame (length and packet) into {@code out} if it fits whole; a frame is never split, so the stream
     * stays in step when a frame is dropped for want of room.
     */
    static boolean encode(byte[] packet, int off, int len, ByteBuffer out) {
        if (len > 0xFFFF || out.remaining() < 2 + len) {
            return false;
        }
        out.putShort((short) len).put(packet, off, len);
        return true;
    }
}
