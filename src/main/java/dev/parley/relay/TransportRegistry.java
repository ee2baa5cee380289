package dev.parley.relay;

import dev.parley.relay.ice.IceConsent;
import dev.parley.relay.router.Router;
import dev.parley.relay.transport.WebRtcTransport;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every open transport, found by what identifies it on the wire (its ICE ufrag, then the addresses that passed a
 * check) and by id; and every room's router. Loop-owned, except {@link #byId}, which any thread may read.
 */
final class TransportRegistry {

    private final Map<String, Peer> byUfrag = new HashMap<>();
    private final Map<InetSocketAddress, WebRtcTransport> byAddress = new HashMap<>();
    private final List<Peer> all = new ArrayList<>();
    private final Map<String, Peer> byId = new ConcurrentHashMap<>();
    private final Map<String, Router> routers = new HashMap<>();
    private final int lastN;
    private final boolean nackRepair;

    TransportRegistry(int lastN, boolean nackRepair) {
        this.lastN = lastN;
        this.nackRepair = nackRepair;
    }

    boolean hasUfrag(String ufrag) {
        return byUfrag.containsKey(ufrag);
    }

    /** For the ICE responder. */
    IceConsent consent(String ufrag) {
        Peer peer = byUfrag.get(ufrag);
        return peer == null ? null : peer.transport.ice();
    }

    WebRtcTransport byAddress(InetSocketAddress address) {
        return byAddress.get(address);
    }

    /** Any thread. */
    Peer byId(String id) {
        return byId.get(id);
    }

    Router router(String roomId) {
        return routers.computeIfAbsent(roomId, id -> new Router(id, lastN, nackRepair));
    }

    /** The room's router, or null when nobody is in the room. */
    Router existingRouter(String roomId) {
        return routers.get(roomId);
    }

    Collection<Router> routers() {
        return routers.values();
    }

    void add(Peer peer) {
        byUfrag.put(peer.transport.localIce().ufrag(), peer);
        all.add(peer);
        byId.put(peer.transport.id(), peer);
    }

    void mapAddress(InetSocketAddress address, WebRtcTransport transport) {
        byAddress.put(address, transport);
    }

    /** Forgets a closed transport, and its room's router once the room is empty. */
    void remove(Peer peer) {
        byUfrag.remove(peer.transport.localIce().ufrag(), peer);
        for (InetSocketAddress address : peer.transport.validatedAddresses()) {
            byAddress.remove(address, peer.transport);
        }
        all.remove(peer);
        byId.remove(peer.transport.id());
        forgetIfEmpty(peer.endpoint.router());
    }

    /** Forgets a room's router once nobody (no transport, no link) is in the room. */
    void forgetIfEmpty(Router router) {
        if (router.isEmpty()) {
            routers.remove(router.id(), router);
        }
    }

    /** A copy, so that transports may close while the caller walks it. */
    List<Peer> all() {
        return List.copyOf(all);
    }
}
