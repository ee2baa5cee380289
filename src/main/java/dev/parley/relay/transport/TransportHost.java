package dev.parley.relay.transport;

import dev.parley.relay.dtls.DtlsFingerprint;
import dev.parley.relay.dtls.DtlsSession;
import java.net.InetSocketAddress;
import java.util.List;

/** What a transport needs from the relay that owns it. */
public interface TransportHost {

    /** Runs a task on the relay loop thread (from any thread). */
    void execute(Runnable task);

    /** The loop's scratch objects; only valid on the loop thread. */
    LoopContext context();

    /** Routes datagrams from this address (which passed an ICE check) to the transport. */
    void mapAddress(InetSocketAddress address, WebRtcTransport transport);

    /** A DTLS server session for the transport, its records sent to the transport's selected address. */
    DtlsSession newDtlsSession(WebRtcTransport transport, List<DtlsFingerprint> remoteFingerprints,
                               DtlsSession.Listener listener);
}
