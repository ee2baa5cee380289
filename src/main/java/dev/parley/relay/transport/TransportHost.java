package dev.parley.relay.transport;

import dev.parley.relay.dtls.DtlsFingerprint;
import dev.parley.relay.dtls.DtlsSession;
import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.List;

/** What a transport needs from the relay that owns it. */
public interface TransportHost {

    /** Runs a task on the relay loop thread (from any thread). */
    void execute(Runnable task);

    /** The loop's scratch objects; only valid on the loop thread. */
    LoopContext context();

    /** Sends a datagram as it is (STUN, DTLS); from any thread (others than the loop queue a copy to it). */
    void sendRaw(byte[] buf, int off, int len, InetSocketAddress to);

    /** Routes datagrams from this address (which passed an ICE check) to the transport. */
    void mapAddress(InetSocketAddress address, WebRtcTransport transport);

    /** Forgets a closed transport's ufrag and addresses. */
    void unregister(WebRtcTransport transport, Collection<InetSocketAddress> addresses);

    DtlsSession newDtlsSession(WebRtcTransport transport, List<DtlsFingerprint> remoteFingerprints,
                               DtlsSession.Listener listener);

    /** The transport has changes to offer to its browser. */
    void negotiationNeeded(WebRtcTransport transport);

    long consentTimeoutNanos();

    long videoBitrateCap();
}
