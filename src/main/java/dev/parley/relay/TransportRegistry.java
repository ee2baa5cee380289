package dev.parley.relay;

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

    private final Map<String, WebRtcTransport> byUfrag = new HashMap<>();
    private final Map<InetSocketAddress, WebRtcTransport> byAddress = new HashMap<>();
    private final List<WebRtcTransport> all = new ArrayList<>();
    private final Map<String, WebRtcTransport> byId = new ConcurrentHashMap<>();
    private final Map<String, Router> routers = new HashMap<>();

    boolean hasUfrag(String ufrag) {
        return byUfrag.containsKey(ufrag);
    }

    WebRtcTransport byUfrag(String ufrag) {
        return byUfrag.get(ufrag);
    }

    WebRtcTransport byAddress(InetSocketAddress address) {
        return byAddress.get(address);
    }

    /** Any thread. */
    WebRtcTransport byId(String id) {
        return byId.get(id);
    }

    Router router(String roomId) {
        return routers.computeIfAbsent(roomId, Router::new);
    }

    /** The room's router, or null when nobody is in the room. */
    Router existingRouter(String roomId) {
        return routers.get(roomId);
    }

    Collection<Router> routers() {
        return routers.values();
    }

    void add(WebRtcTransport transport) {
        byUfrag.put(transport.localIce().ufrag(), transport);
        all.add(transport);
        byId.put(transport.id(), transport);
    }

    void mapAddress(InetSocketAddress address, WebRtcTransport transport) {
        byAddress.put(address, transport);
    }

    /** Forgets a closed transport, and its room's router once the room is empty. */
    void remove(WebRtcTransport transport, Collection<InetSocketAddress> addresses) {
        byUfrag.remove(transport.localIce().ufrag(), transport);
        for (InetSocketAddress address : addresses) {
            byAddress.remove(address, transport);
        }
        all.remove(transport);
        byId.remove(transport.id());
        Router router = transport.router();
        if (router.isEmpty()) {
            routers.remove(router.id(), router);
        }
    }

    /** A copy, so that transports may close while the caller walks it. */
    List<WebRtcTransport> all() {
        return List.copyOf(all);
    }
}
