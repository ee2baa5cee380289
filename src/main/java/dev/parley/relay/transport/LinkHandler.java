package dev.parley.relay.transport;

import dev.parley.relay.rtp.RtpPacket;
import dev.parley.relay.srtp.PacketBuffer;

/**
 * What a {@link LinkTransport} hands up: RTP named by the far relay's track number and simulcast layer, and the rest
 * as from any transport ({@link #onRtp} is not called on a link). Loop thread only.
 */
public interface LinkHandler extends TransportHandler {

    /** Whether the link takes the far relay's track {@code track} now, and it has a layer {@code layer}. */
    boolean receives(int track, int layer);

    /** An RTP packet of the far relay's track {@code track}, layer {@code layer}; {@code rtp} is a view over it. */
    void onLinkRtp(int track, int layer, PacketBuffer in, RtpPacket rtp, LoopContext ctx);
}
