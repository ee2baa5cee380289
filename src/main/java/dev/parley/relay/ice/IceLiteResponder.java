package dev.parley.relay.ice;

import dev.parley.relay.stats.DropReason;
import dev.parley.relay.stats.TrafficCounters;
import dev.parley.relay.stun.StunBindingWriter;
import dev.parley.relay.stun.StunMessage;
import dev.parley.relay.packet.DatagramSender;
import java.net.InetSocketAddress;
import java.util.function.Function;

/**
 * The relay's side of ICE (RFC 8445 lite): it never checks, it answers. A binding request is matched to a transport's
 * {@link IceConsent} by the local ufrag in USERNAME, authenticated with its password, answered with XOR-MAPPED-ADDRESS,
 * MESSAGE-INTEGRITY and FINGERPRINT, and then tells the consent where its client is (and whether it nominated).
 */
public final class IceLiteResponder {

    private final Function<String, IceConsent> consentsByUfrag;
    private final SourceFilter sources;
    private final TrafficCounters relayCounters;
    private final StunBindingWriter writer = new StunBindingWriter();
    private final byte[] response = new byte[512];

    public IceLiteResponder(Function<String, IceConsent> consentsByUfrag, SourceFilter sources,
                            TrafficCounters relayCounters) {
        this.consentsByUfrag = consentsByUfrag;
        this.sources = sources;
        this.relayCounters = relayCounters;
    }

    public void onStun(byte[] buf, int off, int len, InetSocketAddress from, long nowNanos, DatagramSender sender) {
        onStun(buf, off, len, from, nowNanos, sender, false);
    }

    /**
     * As {@link #onStun(byte[], int, int, InetSocketAddress, long, DatagramSender)}; {@code tcp}: it came over
     * ICE-TCP, and is answered only when {@link IceConsent#answersTcpCheck} says so (UDP first).
     */
    public void onStun(byte[] buf, int off, int len, InetSocketAddress from, long nowNanos, DatagramSender sender,
                       boolean tcp) {
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
        IceConsent consent = consentsByUfrag.apply(username.substring(0, colon));
        if (consent == null || consent.isClosed()) {
            relayCounters.dropped(DropReason.UNKNOWN_UFRAG);
            return;
        }
        if (!sources.allows(from.getAddress())) {
            consent.counters().dropped(DropReason.SOURCE_NOT_ALLOWED);
            return;
        }
        byte[] key = consent.localCredentials().integrityKey();
        if (!message.hasMessageIntegrity() || !message.verifyMessageIntegrity(key)
                || (message.fingerprintOffset() >= 0 && !message.verifyFingerprint())) {
            consent.counters().dropped(DropReason.STUN_INTEGRITY);
            return;
        }
        if (!consent.acceptsRemoteUfrag(username.substring(colon + 1))) {
            consent.counters().dropped(DropReason.UNKNOWN_UFRAG);
            return;
        }
        consent.counters().received(len);
        if (tcp && !consent.answersTcpCheck(nowNanos)) {
            consent.counters().dropped(DropReason.TCP_DEFERRED);
            return;
        }
        int length = writer.successResponse(response, 0, message.transactionId(), from, key);
        if (length > 0 && sender.send(response, 0, length, from)) {
            consent.counters().sent(length);
        }
        consent.onValidCheck(from, message.useCandidate(), nowNanos, tcp);
    }
}
