package dev.parley.relay.transport;

import dev.parley.relay.rtp.RtpPacket;
import dev.parley.relay.srtp.PacketBuffer;

/**
 * What a transport hands up to the layer that routes its media (the router's endpoint): decrypted packets, its
 * connection, the loop's tick and its end. Loop thread only.
 */
public interface TransportHandler {

    /** A decrypted RTP packet: {@code in} holds it, {@code rtp} is a parsed view over it. */
    void onRtp(PacketBuffer in, RtpPacket rtp, LoopContext ctx);

    /** One packet of a decrypted RTCP compound packet, of RTCP packet type {@code type}. */
    void onRtcp(byte[] buf, int off, int len, int type, LoopContext ctx);

    /** DTLS finished and SRTP is ready in both directions. */
    void onConnected(LoopContext ctx);

    /** The loop's periodic tick, after the transport's own timeouts. */
    void onTick(LoopContext ctx);

    /** The transport closed (by its owner, by the client's DTLS close, by ICE consent expiry); called once. */
    void onClosed(String reason);
}
