package dev.parley.relay.client;

import dev.parley.relay.router.MediaKind;
import dev.parley.relay.rtp.HeaderExtensions;
import dev.parley.relay.rtp.RtpPacket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the negotiated descriptions tell the receive path, as an immutable snapshot replaced after each negotiation:
 * the kind of each payload type, the mid of each SSRC announced with a=ssrc, and the MID header extension id and
 * values, to place SSRCs that were not announced.
 */
final class ReceiveRouting {

    static final ReceiveRouting EMPTY = new ReceiveRouting(List.of());

    private final MediaKind[] kindByPayloadType = new MediaKind[128];
    private final Map<Integer, String> midBySsrc = new HashMap<>();
    private final int midExtensionId;
    private final String[] mids;
    private final byte[][] midBytes;

    ReceiveRouting(List<Transceiver> transceivers) {
        int extensionId = 0;
        mids = new String[transceivers.size()];
        midBytes = new byte[transceivers.size()][];
        for (int i = 0; i < transceivers.size(); i++) {
            Transceiver t = transceivers.get(i);
            mids[i] = t.mid();
            midBytes[i] = t.mid().getBytes(StandardCharsets.UTF_8);
            if (t.rejected()) {
                continue;
            }
            if (t.payloadType() >= 0 && t.kind() != null) {
                kindByPayloadType[t.payloadType()] = t.kind();
            }
            for (long ssrc : t.remoteSsrcs()) {
                midBySsrc.put((int) ssrc, t.mid());
            }
            if (extensionId == 0 && t.midExtensionId() > 0) {
                extensionId = t.midExtensionId();
            }
        }
        this.midExtensionId = extensionId;
    }

    /** Null when the payload type was not negotiated. */
    MediaKind kindOf(int payloadType) {
        return kindByPayloadType[payloadType & 0x7F];
    }

    /** The mid announced for this SSRC, or null. Boxes: call once per new SSRC, not per packet. */
    String announcedMid(int ssrc) {
        return midBySsrc.get(ssrc);
    }

    /** The mid the packet's MID header extension names, if it is one of ours; null otherwise. Allocation-free. */
    String midFromExtension(RtpPacket packet) {
        if (midExtensionId == 0) {
            return null;
        }
        long found = packet.findExtension(midExtensionId);
        if (found == HeaderExtensions.NOT_FOUND) {
            return null;
        }
        int off = HeaderExtensions.valueOffset(found);
        int len = HeaderExtensions.valueLength(found);
        byte[] buf = packet.buffer();
        for (int i = 0; i < midBytes.length; i++) {
            byte[] candidate = midBytes[i];
            if (candidate.length == len && java.util.Arrays.equals(candidate, 0, len, buf, off, off + len)) {
                return mids[i];
            }
        }
        return null;
    }
}
