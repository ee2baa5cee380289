package dev.parley.relay.transport;

import dev.parley.relay.srtp.PacketBuffer;
import dev.parley.relay.stats.TrafficCounters;
import java.net.InetSocketAddress;

/**
 * What a room's router needs of the channel to one endpoint: a browser's or a WHIP or WHEP client's
 * ({@link WebRtcTransport}), or another relay's ({@link LinkTransport}). Packets it receives go up to its
 * {@link TransportHandler}. Loop thread only, except where stated.
 */
public interface Transport {

    String id();

    /** Sends an RTP packet prepared in {@code out} (which it may change in place); whether it left the socket. */
    boolean sendRtp(PacketBuffer out, LoopContext ctx);

    /** Sends an RTCP packet prepared in {@code out} (which it may change in place). */
    boolean sendRtcp(PacketBuffer out, LoopContext ctx);

    TrafficCounters counters();

    /** Whether media can flow both ways now. */
    boolean isConnected();

    boolean isClosed();

    /** Closes it and tells the handler; idempotent. */
    void close(String reason);

    /** Where media goes, or null before that is known; readable from any thread. */
    InetSocketAddress selectedAddress();

    /** The SRTP profile protecting it, or null when it carries plain RTP or is not connected yet. */
    String srtpProfile();
}
