package dev.parley.relay.client;

import dev.parley.relay.router.MediaKind;
import dev.parley.relay.sdp.Direction;
import java.util.List;

/**
 * One negotiated m-section, from this endpoint's point of view.
 *
 * @param media          the m-line media type as written (audio, video, application...)
 * @param kind           the kind this endpoint handles, or null for media it does not (always rejected)
 * @param direction      this endpoint's direction: SENDONLY means we send on it
 * @param payloadType    the payload type of our codec in this section, -1 when rejected
 * @param localSsrc      the SSRC we send with (unsigned 32 bits in a long), 0 when we do not send
 * @param midExtensionId the negotiated id of the MID header extension, 0 when not negotiated
 * @param remoteSsrcs    SSRCs the remote side announced with a=ssrc in this section
 * @param rejected       port 0: the section takes no part (removed from BUNDLE)
 */
public record Transceiver(String mid, String media, MediaKind kind, Direction direction, int payloadType,
                          long localSsrc, int midExtensionId, List<Long> remoteSsrcs, boolean rejected) {

    public Transceiver {
        remoteSsrcs = List.copyOf(remoteSsrcs);
    }

    /** Whether we send media on this section. */
    public boolean sending() {
        return !rejected && direction.sends();
    }

    /** Whether we expect media on this section. */
    public boolean receiving() {
        return !rejected && direction.receives();
    }
}
