package dev.parley.relay.srtp;

import org.jitsi.srtp.SrtpErrorStatus;

/** What protecting or unprotecting one packet came to; every value but {@link #OK} is a drop to count. */
public enum SrtpStatus {
    OK,
    /** The tag did not verify: tampered, wrong key, or a wrong rollover counter guess. */
    AUTH_FAIL,
    /** Seen already (inside the replay window). */
    REPLAY,
    /** Too old to tell (behind the 64-packet replay window). */
    REPLAY_OLD,
    /** Too short, not version 2, or a header that runs past the packet. */
    INVALID,
    /** The buffer has too little room after the packet for the tag (see {@link PacketBuffer#SRTP_OVERHEAD}). */
    NO_TAIL_ROOM,
    /** The session already tracks its limit of SSRCs in this direction. */
    SSRC_LIMIT,
    /** The cipher failed for another reason. */
    CRYPTO_ERROR,
    /** The session was closed. */
    CLOSED;

    static SrtpStatus of(SrtpErrorStatus status) {
        return switch (status) {
            case OK -> OK;
            case AUTH_FAIL -> AUTH_FAIL;
            case REPLAY_FAIL -> REPLAY;
            case REPLAY_OLD -> REPLAY_OLD;
            case INVALID_PACKET -> INVALID;
            case FAIL -> CRYPTO_ERROR;
        };
    }
}
