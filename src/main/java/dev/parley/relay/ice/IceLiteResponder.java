package dev.parley.relay.ice;

import dev.parley.relay.stats.DropReason;
import dev.parley.relay.stats.TrafficCounters;
import dev.parley.relay.stun.StunBindingWriter;
import dev.parley.relay.stun.StunMessage;
import dev.parley.relay.transport.DatagramSender;
import dev.parley.relay.transport.WebRtcTransport;
import java.net.InetSocketAddress;
import java.util.function.Function;

/**
 * The relay's side of ICE (RFC 8445 lite): it never checks, it answers. A binding request is matched to a transport by
 * the local ufrag in USERNAME, authenticated with that transport's password, answered with XOR-MAPPED-ADDRESS,
 * MESSAGE-INTEGRITY and FINGERPRINT, and then tells the transport where its client is (and whether it nominated).
 */
public final class IceLiteResponder {

    private final Function<String, WebRtcTransport> transportsByUfrag;
    private final SourceFilter sources;
    private final TrafficCounters relayCounters;
    private final StunBindingWriter writer = new StunBindingWriter();
    private final byte[] response = new byte[512];

    public IceLiteResponder(Function<String, WebRtcTransport> transportsByUfrag, SourceFilter sources,
                            TrafficCounters relayCounters) {
        this.transportsByUfrag = transportsByUfrag;
        this.sources = sources;
        this.relayCounters = relayCounters;
    }

    public void onStun(byte[] buf, int off, int len, InetSocketAddress from, long nowNanos, DatagramSender sender) {
        StunMessage message = StunMessage.parse(buf, off, len);
        if (message == null) {
            relayCounters.dropped(DropReason.BAD_STUN);
            return;
        }
        if (!message.isBindingRequest()) {
            // Indications are keep-alives; responses are not expected by a lite agent.
            return;
        }
        String username = message.username();
        int colon = username == null ? -1 : username.indexOf(':');
        if (colon <= 0) {
            relayCounters.dropped(DropReason.BAD_STUN);
            return;
        }
        WebRtcTransport transport = transportsByUfrag.apply(username.substring(0, colon));
        if (transport == null || transport.isClosed()) {
            relayCounters.dropped(DropReason.UNKNOWN_UFRAG);
            return;
        }
        if (!sources.allows(from.getAddress())) {
            transport.counters().dropped(DropReason.SOURCE_NOT_ALLOWED);
            return;
        }
        byte[] key = transport.localIce().integrityKey();
        if (!message.hasMessageIntegrity() || !message.verifyMessageIntegrity(key)
                || (message.fingerprintOffset() >= 0 && !message.verifyFingerprint())) {
            transport.counters().dropped(DropReason.STUN_INTEGRITY);
            return;
        }
        if (!transport.acceptsRemoteUfrag(username.substring(colon + 1))) {
            transport.counters().dropped(DropReason.UNKNOWN_UFRAG);
            return;
        }
        transport.counters().received(len);
        int length = writer.successResponse(response, 0, message.transactionId(), from, key);
        if (length > 0 && sender.send(response, 0, length, from)) {
            transport.counters().sent(length);
        }
        transport.onValidCheck(from, message.useCandidate(), nowNanos);
    }
}
