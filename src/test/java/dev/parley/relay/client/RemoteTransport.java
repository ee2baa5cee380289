package dev.parley.relay.client;

import dev.parley.relay.dtls.DtlsFingerprint;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * The remote side's transport parameters from its SDP: ICE credentials, its UDP host candidates (IP literals only,
 * highest priority first) and its certificate fingerprints.
 */
public record RemoteTransport(String iceUfrag, String icePwd, boolean iceLite, List<DtlsFingerprint> fingerprints,
                              List<InetSocketAddress> candidates) {

    public RemoteTransport {
        fingerprints = List.copyOf(fingerprints);
        candidates = List.copyOf(candidates);
    }

    /** Same ICE credentials and fingerprints: renegotiation kept the transport (no ICE restart, same certificate). */
    boolean sameTransport(RemoteTransport other) {
        return iceUfrag.equals(other.iceUfrag) && icePwd.equals(other.icePwd) && fingerprints.equals(
                other.fingerprints);
    }
}
