package dev.parley.relay.stats;

/** Why the relay dropped a datagram or packet. Each reason is counted separately, per transport and relay-wide. */
public enum DropReason {
    /** Not STUN, DTLS, RTP or RTCP by its first byte (RFC 7983), or too short to be anything. */
    UNKNOWN_PROTOCOL,
    /** A STUN message that does not parse. */
    BAD_STUN,
    /** A binding request whose USERNAME names no transport. */
    UNKNOWN_UFRAG,
    /** A binding request with a wrong MESSAGE-INTEGRITY or FINGERPRINT. */
    STUN_INTEGRITY,
    /** A connectivity check from an address outside the configured sources. */
    SOURCE_NOT_ALLOWED,
    /** A STUN message from a source address over its rate of binding requests (the check is not even parsed). */
    STUN_RATE,
    /** A DTLS ClientHello from a source address over its rate of handshakes. */
    DTLS_RATE,
    /** DTLS or SRTP from an address no valid ICE check came from. */
    UNKNOWN_SOURCE,
    /** DTLS arriving while the transport cannot take it (queue full, closed, no fingerprint yet and backlog full). */
    DTLS_REJECTED,
    /** SRTP or SRTCP before the DTLS handshake produced keys. */
    NOT_CONNECTED,
    /** SRTP/SRTCP authentication failed. */
    SRTP_AUTH,
    /** SRTP/SRTCP replayed or too old for the replay window. */
    SRTP_REPLAY,
    /** Other SRTP failures (invalid length, too many SSRCs). */
    SRTP_OTHER,
    /** RTP that does not parse after decryption. */
    MALFORMED_RTP,
    /** RTCP that does not parse after decryption. */
    MALFORMED_RTCP,
    /** RTP from an SSRC that belongs to no producer of the transport. */
    UNKNOWN_SSRC,
    /** RTP with a payload type the producer did not negotiate. */
    UNKNOWN_PAYLOAD_TYPE,
    /** A send that failed in the socket. */
    SEND_FAILED,
    /** Video not sent to a subscriber while its copy waits for a keyframe (counted on the subscriber's transport). */
    KEYFRAME_WAIT,
    /** An ICE-TCP connection refused: its source is not allowed, or too many connections are open. */
    TCP_REFUSED,
    /** An ICE check over TCP left unanswered while the transport's UDP path works (UDP wins). */
    TCP_DEFERRED,
    /** An ICE-TCP frame longer than any packet the relay takes; the connection is closed. */
    TCP_FRAMING,
    /**
     * A relay-link datagram refused: its tag names no link, it came from an address other than the link's far end or
     * over ICE-TCP, or its type is unknown.
     */
    LINK_REJECTED,
    /** A packet the subscriber cannot take: a payload type it did not negotiate, or extensions that do not map. */
    NOT_NEGOTIATED,
    /**
     * Transport-wide feedback that reports on far more packets than the relay sent the subscriber lately (each report
     * costs the loop a look at each packet it names): ignored.
     */
    FEEDBACK_OVER_BUDGET
}
