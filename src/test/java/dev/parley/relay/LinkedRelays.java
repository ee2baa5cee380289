package dev.parley.relay;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One room's relay link between two relays on loopback, wired as the nodes' control plane wires it: each side's
 * {@link LinkEvents#onTracks} given to the other side's {@link Relay#setLinkTracks}, in order.
 */
final class LinkedRelays {

    final LinkHandle onA;
    final LinkHandle onB;
    final Wiring fromA;
    final Wiring fromB;

    private LinkedRelays(LinkHandle onA, LinkHandle onB, Wiring fromA, Wiring fromB) {
        this.onA = onA;
        this.onB = onB;
        this.fromA = fromA;
        this.fromB = fromB;
    }

    static LinkedRelays link(Relay a, Relay b, String roomId) throws Exception {
        return link(a, false, b, roomId);
    }

    /** @param hub whether A's side is a hub's (it then sends B what came to A over its other links too) */
    static LinkedRelays link(Relay a, boolean hub, Relay b, String roomId) throws Exception {
        return link(a, hub, b, roomId, false);
    }

    /** @param secure whether the link carries SRTP, each side given the other's key */
    static LinkedRelays link(Relay a, boolean hub, Relay b, String roomId, boolean secure) throws Exception {
        Wiring fromA = new Wiring(b);
        Wiring fromB = new Wiring(a);
        LinkHandle onA = a.openLink(roomId, "node-b", hub, secure, fromA).get(10, TimeUnit.SECONDS);
        LinkHandle onB = b.openLink(roomId, "node-a", false, secure, fromB).get(10, TimeUnit.SECONDS);
        fromA.target(onB);
        fromB.target(onA);
        InetAddress loopback = InetAddress.getLoopbackAddress();
        a.connectLink(onA, new InetSocketAddress(loopback, b.port()), onB.tag(), onB.key())
                .get(10, TimeUnit.SECONDS);
        b.connectLink(onB, new InetSocketAddress(loopback, a.port()), onA.tag(), onA.key())
                .get(10, TimeUnit.SECONDS);
        return new LinkedRelays(onA, onB, fromA, fromB);
    }

    /** One side's events: its tracks, handed to the far relay as they change. */
    static final class Wiring implements LinkEvents {

        private final Relay far;
        private LinkHandle target;
        private List<LinkTrack> latest;
        private String closed;

        Wiring(Relay far) {
            this.far = far;
        }

        synchronized void target(LinkHandle farSide) {
            target = farSide;
            if (latest != null) {
                far.setLinkTracks(farSide, latest);
            }
        }

        @Override
        public synchronized void onTracks(List<LinkTrack> tracks) {
            latest = tracks;
            if (target != null) {
                far.setLinkTracks(target, tracks);
            }
        }

        @Override
        public synchronized void onClosed(String reason) {
            closed = reason;
        }

        synchronized List<LinkTrack> latest() {
            return latest == null ? List.of() : latest;
        }

        synchronized String closed() {
            return closed;
        }
    }
}
