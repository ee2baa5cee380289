package dev.parley.relay.rtp;

import dev.parley.relay.util.Bytes;

/**
 * The transport-wide sequence number header extension
 * ({@code http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01}, section 2): one 16-bit counter
 * over every packet a transport sends, whatever its SSRC, which transport-wide congestion control feedback refers
 * to. Its value is 2 bytes, big-endian, in either RFC 8285 form (one-byte header with L=1, or two-byte header with
 * length 2).
 *
 * <p>A relay forwarding a packet numbers it on the outgoing transport, so it overwrites the value the publisher put
 * there; {@link #write} does that in place. A packet without the element is left alone (adding one would move the
 * payload); packets the relay builds itself get it from {@link RtpHeaderWriter#addExtension(int, long, int)}.
 */
public final class TransportSequenceNumber {

    public static final int VALUE_LENGTH = 2;
    public static final int NOT_FOUND = -1;

    private TransportSequenceNumber() {
    }

    /** The value of element {@code id}, 0..65535, or {@link #NOT_FOUND} if absent, malformed or not 2 bytes long. */
    public static int read(RtpPacket packet, int id) {
        int at = valueOffset(packet, id);
        return at < 0 ? NOT_FOUND : Bytes.uint16(packet.buffer(), at);
    }

    /**
     * Overwrites the value of element {@code id} with the low 16 bits of {@code sequenceNumber}. Returns false,
     * changing nothing, if the packet has no such element of 2 bytes (or its extension block is malformed).
     */
    public static boolean write(RtpPacket packet, int id, int sequenceNumber) {
        int at = valueOffset(packet, id);
        if (at < 0) {
            return false;
        }
        Bytes.putUint16(packet.buffer(), at, sequenceNumber);
        return true;
    }

    private static int valueOffset(RtpPacket packet, int id) {
        long found = packet.findExtension(id);
        if (found == HeaderExtensions.NOT_FOUND || HeaderExtensions.valueLength(found) != VALUE_LENGTH) {
            return -1;
        }
        return HeaderExtensions.valueOffset(found);
    }
}
