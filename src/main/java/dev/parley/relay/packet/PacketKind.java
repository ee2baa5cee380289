package dev.parley.relay.packet;

/**
 * What arrived on the shared UDP port, decided from the first bytes as RFC 7983 section 7 describes.
 *
 * <p>Ranges of the first byte: 0..3 STUN, 20..63 DTLS, 128..191 RTP or RTCP. RTCP is told apart from RTP by the second
 * byte: with rtcp-mux an RTCP packet type 192..223 occupies the byte where RTP has marker + payload type (RFC 5761
 * section 4). 8 and 9 (in 4..15, unassigned there and in RFC 9443) start Parley's relay links between nodes.
 * Everything else (ZRTP 16..19, TURN channels 64..79, reserved ranges) is {@link #UNKNOWN}, as is any packet shorter
 * than the fixed header of its protocol.
 */
public enum PacketKind {
    STUN,
    DTLS,
    RTP,
    RTCP,
    /** Parley's relay link between nodes: first byte 8 (RTP) or 9 (RTCP), then its header (see LinkTransport). */
    LINK,
    UNKNOWN;

    /** STUN header: type, length, magic cookie, transaction id (RFC 8489 section 5). */
    static final int STUN_HEADER_LENGTH = 20;
    /** DTLS record header: type, version, epoch, sequence number, length (RFC 6347 section 4.1). */
    static final int DTLS_RECORD_HEADER_LENGTH = 13;
    /** RTP fixed header (RFC 3550 section 5.1). */
    static final int RTP_HEADER_LENGTH = 12;
    /** RTCP common header plus the sender SSRC every packet type we handle starts with (RFC 3550 section 6.4). */
    static final int RTCP_MIN_LENGTH = 8;
    /** The relay link's header, before the RTP or RTCP it carries. */
    static final int LINK_HEADER_LENGTH = 12;

    /** Classifies {@code len} bytes at {@code off}; never throws, out-of-range arguments give {@link #UNKNOWN}. */
    public static PacketKind classify(byte[] buf, int off, int len) {
        if (buf == null || off < 0 || len <= 0 || off > buf.length - len) {
            return UNKNOWN;
        }
        int first = buf[off] & 0xFF;
        if (first <= 3) {
            return len >= STUN_HEADER_LENGTH ? STUN : UNKNOWN;
        }
        if (first == 8 || first == 9) { // in 4..15, which RFC 7983 and RFC 9443 leave unassigned
            return len >= LINK_HEADER_LENGTH ? LINK : UNKNOWN;
        }
        if (first >= 20 && first <= 63) {
            return len >= DTLS_RECORD_HEADER_LENGTH ? DTLS : UNKNOWN;
        }
        if (first >= 128 && first <= 191) {
            if (len < 2) {
                return UNKNOWN;
            }
            int second = buf[off + 1] & 0xFF;
            if (second >= 192 && second <= 223) {
                return len >= RTCP_MIN_LENGTH ? RTCP : UNKNOWN;
            }
            return len >= RTP_HEADER_LENGTH ? RTP : UNKNOWN;
        }
        return UNKNOWN;
    }
}
