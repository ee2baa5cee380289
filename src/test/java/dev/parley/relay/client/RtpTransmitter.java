package dev.parley.relay.client;

import dev.parley.relay.srtp.PacketBuffer;
import java.nio.ByteBuffer;

/** The endpoint's send half as a stream sees it: SRTP-protect in place, then one datagram to the selected peer. */
interface RtpTransmitter {

    /**
     * @param view a ByteBuffer over {@code packet.buffer()}, reused to avoid a wrapper per packet
     * @return false (and counted) when the endpoint is not connected, protection failed or the send failed
     */
    boolean transmitRtp(PacketBuffer packet, ByteBuffer view);
}
