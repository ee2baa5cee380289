package dev.parley.relay.ice;

import dev.parley.relay.stats.TrafficCounters;
import java.net.InetSocketAddress;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * One transport's side of ICE-lite (RFC 8445 §2.5) and consent freshness (RFC 7675): its credentials, the client's
 * ufrag once known, the addresses that passed a check and the one media goes to, and whether consent ran out. The
 * {@link IceLiteResponder} finds it by ufrag and reports each valid check. Loop thread only, except
 * {@link #selectedAddress()}.
 */
public final class IceConsent {

    /** Told about each address the first time it passes a check, so datagrams from it reach the transport. */
    @FunctionalInterface
    public interface AddressListener {
        void onNewAddress(InetSocketAddress address);
    }

    private final IceCredentials local;
    private final TrafficCounters counters;
    private final AddressListener listener;
    private final long createdNanos;
    private final long timeoutNanos;
    /**
     * While a valid check came over UDP this recently, checks over ICE-TCP go unanswered, so a browser's TCP pair stops
     * being usable and UDP wins wherever it works. Longer than the 4-6 s between RFC 7675 consent checks. A first TCP
     * check is never held back: over TCP a check is not sent again (RFC 8489 section 6.2.2), and Firefox waits for
     * the answer it would never get.
     */
    public static final long UDP_FRESH_NANOS = 8_000_000_000L;
    private static final long NEVER = Long.MIN_VALUE;

    private final Set<InetSocketAddress> validated = new LinkedHashSet<>();
    private long lastUdpCheckNanos = NEVER;
    private String remoteUfrag;
    private volatile InetSocketAddress selectedAddress;
    private long lastCheckNanos;
    private boolean connected;
    private boolean closed;

    /**
     * @param counters the transport's counters, where checks and their drops are counted
     * @param timeoutNanos how long a transport waits for its first check, and for the next one after that
     */
    public IceConsent(IceCredentials local, TrafficCounters counters, AddressListener listener, long nowNanos,
                      long timeoutNanos) {
        this.local = local;
        this.counters = counters;
        this.listener = listener;
        this.createdNanos = nowNanos;
        this.timeoutNanos = timeoutNanos;
    }

    /** A check that passed MESSAGE-INTEGRITY arrived from {@code from}; USE-CANDIDATE moves the media there. */
    public void onValidCheck(InetSocketAddress from, boolean useCandidate, long nowNanos) {
        onValidCheck(from, useCandidate, nowNanos, false);
    }

    /** As {@link #onValidCheck(InetSocketAddress, boolean, long)}; {@code tcp}: it came over ICE-TCP. */
    public void onValidCheck(InetSocketAddress from, boolean useCandidate, long nowNanos, boolean tcp) {
        if (closed) {
            return;
        }
        if (!tcp) {
            lastUdpCheckNanos = nowNanos;
        }
        lastCheckNanos = nowNanos;
        if (validated.add(from)) {
            listener.onNewAddress(from);
        }
        if (selectedAddress == null || (useCandidate && !from.equals(selectedAddress))) {
            selectedAddress = from;
        }
        connected = true;
    }

    /**
     * SRTP or SRTCP that authenticated with this transport's keys arrived from {@code from}. From the selected address
     * it counts as consent, like a check: only the peer holding the DTLS-negotiated keys can send it, and ICE agents
     * such as libnice (GStreamer's webrtcbin) keep a path alive with media and binding indications, not with the
     * consent checks browsers send (RFC 7675). From another address it counts for nothing.
     */
    public void onAuthenticatedMedia(InetSocketAddress from, long nowNanos) {
        if (from.equals(selectedAddress)) {
            lastCheckNanos = nowNanos;
        }
    }

    /** Whether a valid check that came over ICE-TCP is answered now: not while UDP checks keep coming. */
    public boolean answersTcpCheck(long nowNanos) {
        return lastUdpCheckNanos == NEVER || nowNanos - lastUdpCheckNanos >= UDP_FRESH_NANOS;
    }

    /** Whether the username's remote part matches what the client's SDP announced (unknown yet: accepted). */
    public boolean acceptsRemoteUfrag(String ufrag) {
        return remoteUfrag == null || remoteUfrag.equals(ufrag);
    }

    /** The client's ufrag from its SDP; the first one stays (no ICE restarts). */
    public void setRemoteUfrag(String ufrag) {
        if (remoteUfrag == null) {
            remoteUfrag = ufrag;
        }
    }

    /** Why the transport must close now ({@code ice-timeout}, {@code ice-consent-expired}), or null. */
    public String expiry(long nowNanos) {
        if (!connected && nowNanos - createdNanos > timeoutNanos) {
            return "ice-timeout";
        }
        if (connected && nowNanos - lastCheckNanos > timeoutNanos) {
            return "ice-consent-expired";
        }
        return null;
    }

    public void close() {
        closed = true;
    }

    public boolean isClosed() {
        return closed;
    }

    public boolean isConnected() {
        return connected;
    }

    public IceCredentials localCredentials() {
        return local;
    }

    public TrafficCounters counters() {
        return counters;
    }

    /** Where media goes; readable from any thread (DTLS handshake threads send there). */
    public InetSocketAddress selectedAddress() {
        return selectedAddress;
    }

    public Set<InetSocketAddress> validatedAddresses() {
        return Collections.unmodifiableSet(validated);
    }
}
