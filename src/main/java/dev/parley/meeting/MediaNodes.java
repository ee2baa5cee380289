package dev.parley.meeting;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.cluster.Node;
import dev.parley.cluster.NodeCalls;
import dev.parley.cluster.NodeRegistry;
import dev.parley.relay.LinkEvents;
import dev.parley.relay.LinkHandle;
import dev.parley.relay.LinkTrack;
import dev.parley.relay.Offer;
import dev.parley.relay.Relay;
import dev.parley.relay.RelayException;
import dev.parley.relay.TransportEvents;
import dev.parley.relay.TransportHandle;
import jakarta.annotation.PreDestroy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Where a meeting's browsers get their media transports, and the relay calls that follow them there (cascading,
 * docs/scaling.md). The meeting's signalling stays on its home node. With {@code parley.cluster.cascade.people-per-node}
 * set, once the home relay carries that many of the meeting's browsers, a later one gets its transport on another
 * node (the meeting's media node there): one already carrying fewer than that many of the meeting's browsers, else the
 * least-loaded other node that is up and not draining. Each media node is linked to the home relay, which is the hub
 * of the meeting's star of relay links: every relay sends its own publishers' tracks over its link, and the hub sends
 * each media node everyone else's too.
 *
 * <p>A media node's relay is called through {@link NodeCalls}; its transports' events come back the same way,
 * numbered, and are delivered in their order. Every call to another node is made on one thread of this class, in
 * order, never on the relay's loop or a request thread. Off (the default) or without a cluster, every transport is
 * this node's.
 */
@Component
public class MediaNodes {

    static final String OPEN = "cascade-open";
    static final String ANSWER = "cascade-answer";
    static final String TILES = "cascade-tiles";
    static final String SHARE = "cascade-share";
    static final String CLOSE = "cascade-close";
    static final String EVENT = "cascade-event";
    static final String LINK_OPEN = "cascade-link-open";
    static final String LINK_TRACKS = "cascade-link-tracks";
    static final String LINK_CLOSE = "cascade-link-close";
    /** How long a call to another node waits for its answer. */
    static final Duration CALL_LIMIT = Duration.ofSeconds(5);
    /** How long a relay call on this node may take. */
    private static final long RELAY_SECONDS = 5;
    private static final Logger log = LoggerFactory.getLogger(MediaNodes.class);

    private final Relay relay;
    private final NodeCalls calls;
    private final NodeRegistry nodes;
    private final ObjectMapper json;
    private final int peoplePerNode;
    private final String linkHost;
    /** Calls to other nodes, one at a time and in order. */
    private final ExecutorService outgoing = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "parley-cascade-calls");
        thread.setDaemon(true);
        return thread;
    });

    // The home node's side.
    /** Transports on media nodes, by the reference this node gave them (their events name it). */
    private final Map<String, RemoteTransport> remoteByRef = new ConcurrentHashMap<>();
    /** The same, by the transport's id on its node (the web app's calls name the handle). */
    private final Map<String, RemoteTransport> remoteById = new ConcurrentHashMap<>();
    /** Each meeting's browsers by the node their media is on (this node's id included), for the choice. */
    private final Map<String, Map<String, Set<String>>> placed = new HashMap<>();

    // Both sides: each room's links to other nodes, by room and the other node's id.
    private final Map<String, Map<String, LinkState>> links = new ConcurrentHashMap<>();

    /** A node on its own, every transport on its relay (for the meeting built without Spring in tests). */
    MediaNodes(Relay relay) {
        this.relay = relay;
        this.calls = null;
        this.nodes = null;
        this.json = null;
        this.peoplePerNode = 0;
        this.linkHost = null;
    }

    @Autowired
    MediaNodes(Relay relay, NodeCalls calls, NodeRegistry nodes, ObjectMapper json,
               @Value("${parley.cluster.cascade.people-per-node:0}") int peoplePerNode,
               @Value("${parley.cluster.cascade.link-address:}") String linkAddress) {
        if (peoplePerNode < 0) {
            throw new IllegalArgumentException("parley.cluster.cascade.people-per-node must be 0 (off) or more");
        }
        this.relay = relay;
        this.calls = calls;
        this.nodes = nodes;
        this.json = json;
        this.peoplePerNode = peoplePerNode;
        this.linkHost = linkAddress.isBlank() ? relay.announcedAddresses().get(0).getHostAddress()
                : linkAddress.strip();
        calls.answer(OPEN, body -> handle(body, OpenCall.class, this::onOpen));
        calls.answer(ANSWER, body -> handle(body, AnswerCall.class, this::onAnswer));
        calls.answer(TILES, body -> handle(body, TilesCall.class, this::onTiles));
        calls.answer(SHARE, body -> handle(body, ShareCall.class, this::onShare));
        calls.answer(CLOSE, body -> handle(body, CloseCall.class, this::onClose));
        calls.answer(EVENT, body -> handle(body, EventCall.class, this::onEvent));
        calls.answer(LINK_OPEN, body -> handle(body, LinkOpenCall.class, this::onLinkOpen));
        calls.answer(LINK_TRACKS, body -> handle(body, LinkTracksCall.class, this::onLinkTracks));
        calls.answer(LINK_CLOSE, body -> handle(body, LinkCloseCall.class, this::onLinkClose));
    }

    @PreDestroy
    void stop() {
        outgoing.shutdownNow();
    }

    // ================================================================== the web app's calls (the home node)

    /**
     * Opens a browser's transport where the meeting's next browser goes: on this relay, or on a media node, linked to
     * this one first. Its events reach {@code events} here either way.
     */
    public CompletableFuture<TransportHandle> openBrowser(String relayRoomId, String participantId, boolean screenShare,
                                                          TransportEvents events) {
        String node = nodes == null ? null : choose(relayRoomId, participantId);
        if (node == null || node.equals(nodes.id())) {
            return relay.openBrowser(relayRoomId, participantId, screenShare, placedEvents(relayRoomId,
                    participantId, node, events));
        }
        RemoteTransport remote = new RemoteTransport(UUID.randomUUID().toString(), node, relayRoomId, participantId,
                placedEvents(relayRoomId, participantId, node, events));
        remoteByRef.put(remote.ref, remote);
        CompletableFuture<TransportHandle> opened = new CompletableFuture<>();
        Runnable here = () -> {
            // The media node could not be reached or refused: the transport opens here after all.
            forget(remote);
            String home = choose(relayRoomId, participantId, nodes.id());
            relay.openBrowser(relayRoomId, participantId, screenShare, placedEvents(relayRoomId, participantId, home,
                    events)).whenComplete((transport, error) -> {
                        if (error == null) {
                            opened.complete(transport);
                        } else {
                            opened.completeExceptionally(error);
                        }
                    });
        };
        if (!submit(() -> {
            try {
                ensureLinked(relayRoomId, node);
                Optional<String> answer = calls.call(node, OPEN, write(new OpenCall(nodes.id(), remote.ref,
                        relayRoomId, participantId, screenShare)), CALL_LIMIT);
                OpenAnswer handle = answer.map(text -> read(text, OpenAnswer.class)).orElse(null);
                if (handle == null || handle.transportId() == null) {
                    throw new RelayException("media-node", handle == null ? "no answer" : handle.error());
                }
                log.info("Participant {} of {} has its media on node {}", participantId, relayRoomId, node);
                opened.complete(remote.handleFor(handle.transportId()));
            } catch (Exception e) {
                log.warn("Node {} opened no transport for {} of {} ({}); opening it here", node, participantId,
                        relayRoomId, e.toString());
                here.run();
            }
        })) {
            here.run();
        }
        return opened;
    }

    public CompletableFuture<Void> applyAnswer(TransportHandle transport, int version, String sdp) {
        RemoteTransport remote = remoteById.get(transport.id());
        if (remote == null) {
            return relay.applyAnswer(transport, version, sdp);
        }
        CompletableFuture<Void> applied = new CompletableFuture<>();
        if (!submit(() -> {
            Optional<String> answer = calls.call(remote.node, ANSWER, write(new AnswerCall(transport.id(), version,
                    sdp)), CALL_LIMIT);
            Refused refused = answer.map(text -> read(text, Refused.class)).orElse(
                    new Refused("media-node", "The media node did not answer."));
            if (refused.code() == null) {
                applied.complete(null);
            } else {
                applied.completeExceptionally(new RelayException(refused.code(), refused.message()));
            }
        })) {
            applied.completeExceptionally(new RelayException("media-node", "shutting down"));
        }
        return applied;
    }

    public void setTileSizes(TransportHandle transport, Map<String, int[]> sizesByMid) {
        RemoteTransport remote = remoteById.get(transport.id());
        if (remote == null) {
            relay.setTileSizes(transport, sizesByMid);
            return;
        }
        Map<String, int[]> copy = Map.copyOf(sizesByMid);
        submit(() -> calls.call(remote.node, TILES, write(new TilesCall(transport.id(), copy)), CALL_LIMIT));
    }

    public void allowScreenShare(TransportHandle transport, boolean allowed) {
        RemoteTransport remote = remoteById.get(transport.id());
        if (remote == null) {
            relay.allowScreenShare(transport, allowed);
            return;
        }
        submit(() -> calls.call(remote.node, SHARE, write(new ShareCall(transport.id(), allowed)), CALL_LIMIT));
    }

    /** Closes a transport wherever it is; its events hear nothing more of it once it was closed here. */
    public void closeTransport(TransportHandle transport, String reason) {
        RemoteTransport remote = remoteById.get(transport.id());
        if (remote == null) {
            relay.closeTransport(transport, reason);
            return;
        }
        forget(remote);
        submit(() -> calls.call(remote.node, CLOSE, write(new CloseCall(transport.id(), reason)), CALL_LIMIT));
    }

    /** The node a participant's media is on now; this node's id when it is here or unknown. */
    public String nodeOf(TransportHandle transport) {
        RemoteTransport remote = transport == null ? null : remoteById.get(transport.id());
        return remote != null ? remote.node : nodes == null ? "" : nodes.id();
    }

    // ================================================================== the choice

    private String choose(String relayRoomId, String participantId) {
        return choose(relayRoomId, participantId, null);
    }

    /** Places the participant's media on {@code node}, or (null) on the node the rule chooses; returns that node. */
    private synchronized String choose(String relayRoomId, String participantId, String node) {
        Map<String, Set<String>> byNode = placed.computeIfAbsent(relayRoomId, room -> new TreeMap<>());
        byNode.values().forEach(people -> people.remove(participantId));
        byNode.values().removeIf(Set::isEmpty);
        String chosen = node != null ? node : nodes.id();
        if (node == null && peoplePerNode > 0 && nodes.isClustered()
                && byNode.getOrDefault(nodes.id(), Set.of()).size() >= peoplePerNode) {
            List<Node> up = nodes.nodes().stream().filter(n -> !n.self() && !n.draining()).toList();
            Optional<Node> used = up.stream().filter(n -> byNode.containsKey(n.id())
                    && byNode.get(n.id()).size() < peoplePerNode).findFirst();
            Optional<Node> fresh = up.stream().filter(n -> !byNode.containsKey(n.id()))
                    .min(Comparator.comparingInt(Node::participants).thenComparing(Node::id));
            chosen = used.or(() -> fresh).map(Node::id).orElse(nodes.id());
        }
        byNode.computeIfAbsent(chosen, key -> new LinkedHashSet<>()).add(participantId);
        return chosen;
    }

    /** A transport ended: its place counts no more; a media node that carries none of the meeting is unlinked. */
    private void unplace(String relayRoomId, String participantId, String node) {
        boolean unlink;
        synchronized (this) {
            Map<String, Set<String>> byNode = placed.get(relayRoomId);
            Set<String> people = byNode == null ? null : byNode.get(node);
            if (people == null || !people.remove(participantId) || !people.isEmpty()) {
                return;
            }
            byNode.remove(node);
            if (byNode.isEmpty()) {
                placed.remove(relayRoomId);
            }
            unlink = !node.equals(nodes.id());
        }
        if (unlink) {
            submit(() -> closeLink(relayRoomId, node, true));
        }
    }

    private TransportEvents placedEvents(String relayRoomId, String participantId, String node,
                                         TransportEvents events) {
        return new TransportEvents() {
            @Override
            public void onCreated(TransportHandle transport) {
                events.onCreated(transport);
            }

            @Override
            public void onOffer(Offer offer) {
                events.onOffer(offer);
            }

            @Override
            public void onConnected() {
                events.onConnected();
            }

            @Override
            public void onClosed(String reason) {
                unplace(relayRoomId, participantId, node);
                events.onClosed(reason);
            }
        };
    }

    // ================================================================== links

    /** Links the room's relay here (the hub) with a media node's, unless they are linked. Outgoing thread. */
    private void ensureLinked(String relayRoomId, String node) throws Exception {
        Map<String, LinkState> byNode = links.computeIfAbsent(relayRoomId, room -> new ConcurrentHashMap<>());
        if (byNode.containsKey(node)) {
            return;
        }
        LinkState state = new LinkState(relayRoomId, node);
        LinkHandle link = relay.openLink(relayRoomId, node, true, state).get(RELAY_SECONDS, TimeUnit.SECONDS);
        Optional<LinkAddress> far = calls.call(node, LINK_OPEN, write(new LinkOpenCall(nodes.id(), relayRoomId,
                linkHost, relay.port(), link.tag())), CALL_LIMIT).map(text -> read(text, LinkAddress.class));
        if (far.isEmpty() || far.get().tag() == 0) {
            relay.closeLink(link, "the media node did not link");
            throw new RelayException("media-node", "node " + node + " did not open its link");
        }
        relay.connectLink(link, new InetSocketAddress(InetAddress.getByName(far.get().host()), far.get().port()),
                far.get().tag()).get(RELAY_SECONDS, TimeUnit.SECONDS);
        byNode.put(node, state);
        state.ready(link);
    }

    /** Closes this side of a room's link to a node, and asks that node to close its side. Outgoing thread. */
    private void closeLink(String relayRoomId, String node, boolean tellTheOther) {
        Map<String, LinkState> byNode = links.get(relayRoomId);
        LinkState state = byNode == null ? null : byNode.remove(node);
        if (state == null) {
            return;
        }
        if (byNode.isEmpty()) {
            links.remove(relayRoomId, byNode);
        }
        state.close();
        if (tellTheOther) {
            calls.call(node, LINK_CLOSE, write(new LinkCloseCall(nodes.id(), relayRoomId)), CALL_LIMIT);
        }
    }

    /** One side of a room's link: the tracks this relay sends, told to the other node once the link is up. */
    private final class LinkState implements LinkEvents {

        private final String relayRoomId;
        private final String node;
        private LinkHandle link;
        private List<LinkTrack> latest;

        LinkState(String relayRoomId, String node) {
            this.relayRoomId = relayRoomId;
            this.node = node;
        }

        synchronized void ready(LinkHandle handle) {
            link = handle;
            if (latest != null) {
                send(latest);
            }
        }

        @Override
        public synchronized void onTracks(List<LinkTrack> tracks) {
            latest = tracks;
            if (link != null) {
                send(tracks);
            }
        }

        private void send(List<LinkTrack> tracks) {
            submit(() -> calls.call(node, LINK_TRACKS, write(new LinkTracksCall(nodes.id(), relayRoomId, tracks)),
                    CALL_LIMIT));
        }

        synchronized LinkHandle link() {
            return link;
        }

        synchronized void close() {
            if (link != null) {
                relay.closeLink(link, "unlinked");
            }
        }
    }

    // ================================================================== a media node's handlers

    private Object onOpen(OpenCall call) {
        Sequenced events = new Sequenced(call.home(), call.ref());
        try {
            TransportHandle transport = relay.openBrowser(call.room(), call.participant(), call.screenShare(), events)
                    .get(RELAY_SECONDS, TimeUnit.SECONDS);
            return new OpenAnswer(transport.id(), null);
        } catch (Exception e) {
            return new OpenAnswer(null, e.toString());
        }
    }

    private Object onAnswer(AnswerCall call) {
        try {
            relay.applyAnswer(byId(call.transport()), call.version(), call.sdp()).get(RELAY_SECONDS,
                    TimeUnit.SECONDS);
            return new Refused(null, null);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RelayException refused) {
                return new Refused(refused.code(), refused.getMessage());
            }
            return new Refused("internal", "The media node could not apply the answer.");
        } catch (Exception e) {
            return new Refused("internal", "The media node could not apply the answer.");
        }
    }

    private Object onTiles(TilesCall call) {
        relay.setTileSizes(byId(call.transport()), call.sizes());
        return "";
    }

    private Object onShare(ShareCall call) {
        relay.allowScreenShare(byId(call.transport()), call.allowed());
        return "";
    }

    private Object onClose(CloseCall call) {
        relay.closeTransport(byId(call.transport()), call.reason());
        return "";
    }

    /** The relay finds a transport by its id alone. */
    private static TransportHandle byId(String transportId) {
        return new TransportHandle(transportId, TransportHandle.Kind.BROWSER, "");
    }

    private Object onLinkOpen(LinkOpenCall call) throws Exception {
        Map<String, LinkState> byNode = links.computeIfAbsent(call.room(), room -> new ConcurrentHashMap<>());
        LinkState previous = byNode.remove(call.home());
        if (previous != null) {
            previous.close();
        }
        LinkState state = new LinkState(call.room(), call.home());
        LinkHandle link = relay.openLink(call.room(), call.home(), false, state).get(RELAY_SECONDS, TimeUnit.SECONDS);
        relay.connectLink(link, new InetSocketAddress(InetAddress.getByName(call.host()), call.port()), call.tag())
                .get(RELAY_SECONDS, TimeUnit.SECONDS);
        byNode.put(call.home(), state);
        state.ready(link);
        return new LinkAddress(linkHost, relay.port(), link.tag());
    }

    private Object onLinkTracks(LinkTracksCall call) {
        Map<String, LinkState> byNode = links.get(call.room());
        LinkState state = byNode == null ? null : byNode.get(call.from());
        LinkHandle link = state == null ? null : state.link();
        if (link != null) {
            relay.setLinkTracks(link, call.tracks()).exceptionally(failure -> {
                log.warn("Node {} sent tracks for {} this relay cannot take: {}", call.from(), call.room(),
                        failure.toString());
                return null;
            });
        }
        return "";
    }

    private Object onLinkClose(LinkCloseCall call) {
        Map<String, LinkState> byNode = links.get(call.room());
        LinkState state = byNode == null ? null : byNode.remove(call.from());
        if (state != null) {
            state.close();
        }
        return "";
    }

    /**
     * A media node's transport events, sent to the home node numbered (NodeCalls handles calls on more than one
     * thread, so the home puts them back in order).
     */
    private final class Sequenced implements TransportEvents {

        private final String home;
        private final String ref;
        private int next;

        Sequenced(String home, String ref) {
            this.home = home;
            this.ref = ref;
        }

        /** Numbered on the relay's loop, written out (the SDP too) and sent on the outgoing thread. */
        private synchronized void send(String type, TransportHandle transport, Offer offer, String reason) {
            int sequence = next++;
            submit(() -> {
                OfferBody body = offer == null ? null : new OfferBody(offer.version(), offer.sdp(),
                        offer.publishAudioMid(), offer.publishVideoMid(), offer.publishScreenMid(), offer.tracks());
                calls.call(home, EVENT, write(new EventCall(ref, sequence, type,
                        transport == null ? null : transport.id(), body, reason)), CALL_LIMIT);
            });
        }

        @Override
        public void onCreated(TransportHandle transport) {
            send("created", transport, null, null);
        }

        @Override
        public void onOffer(Offer offer) {
            send("offer", null, offer, null);
        }

        @Override
        public void onConnected() {
            send("connected", null, null, null);
        }

        @Override
        public void onClosed(String reason) {
            send("closed", null, null, reason);
        }
    }

    // ================================================================== the home node's event handler

    private Object onEvent(EventCall call) {
        RemoteTransport remote = remoteByRef.get(call.ref());
        if (remote != null) {
            remote.deliver(call);
        }
        return "";
    }

    /** A transport on a media node, as its home node knows it; its events delivered in their order. */
    private final class RemoteTransport {

        final String ref;
        final String node;
        final String relayRoomId;
        final String participantId;
        final TransportEvents events;
        private TransportHandle handle;
        private int next;
        private final Map<Integer, EventCall> early = new TreeMap<>();

        RemoteTransport(String ref, String node, String relayRoomId, String participantId, TransportEvents events) {
            this.ref = ref;
            this.node = node;
            this.relayRoomId = relayRoomId;
            this.participantId = participantId;
            this.events = events;
        }

        /**
         * The one handle of the transport (the web app compares handles by identity), made and registered by whichever
         * comes first: the open call's answer or the created event.
         */
        synchronized TransportHandle handleFor(String transportId) {
            if (handle == null) {
                handle = new TransportHandle(transportId, TransportHandle.Kind.BROWSER, participantId);
                remoteById.put(transportId, this);
            }
            return handle;
        }

        synchronized TransportHandle handle() {
            return handle;
        }

        synchronized void deliver(EventCall call) {
            if (call.sequence() < next || early.size() > 64) {
                return;
            }
            early.put(call.sequence(), call);
            for (EventCall due = early.remove(next); due != null; due = early.remove(next)) {
                next++;
                dispatch(due);
            }
        }

        private void dispatch(EventCall call) {
            switch (call.type()) {
                case "created" -> events.onCreated(handleFor(call.transport()));
                case "offer" -> events.onOffer(Offer.of(call.offer().version(), call.offer().sdp(),
                        call.offer().audioMid(), call.offer().videoMid(), call.offer().screenMid(),
                        call.offer().tracks()));
                case "connected" -> events.onConnected();
                case "closed" -> {
                    forget(this);
                    events.onClosed(call.reason());
                }
                default -> log.debug("Unknown transport event {} from node {}", call.type(), node);
            }
        }
    }

    private void forget(RemoteTransport remote) {
        remoteByRef.remove(remote.ref, remote);
        TransportHandle handle = remote.handle();
        if (handle != null) {
            remoteById.remove(handle.id(), remote);
        }
        unplace(remote.relayRoomId, remote.participantId, remote.node);
    }

    // ================================================================== plumbing

    private boolean submit(Runnable call) {
        try {
            outgoing.execute(() -> {
                try {
                    call.run();
                } catch (RuntimeException e) {
                    log.warn("A call to another node failed: {}", e.toString());
                }
            });
            return true;
        } catch (RejectedExecutionException shuttingDown) {
            return false;
        }
    }

    @FunctionalInterface
    private interface Handler<T> {
        Object handle(T call) throws Exception;
    }

    private <T> String handle(String body, Class<T> type, Handler<T> handler) {
        try {
            Object answer = handler.handle(json.readValue(body, type));
            return answer instanceof String text ? text : write(answer);
        } catch (JsonProcessingException e) {
            log.warn("A cascading call this node cannot read: {}", e.getOriginalMessage());
            return "";
        } catch (Exception e) {
            log.warn("A cascading call failed here: {}", e.toString());
            return "";
        }
    }

    private String write(Object message) {
        try {
            return json.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private <T> T read(String text, Class<T> type) {
        try {
            return text.isEmpty() ? null : json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an answer this node cannot read: " + e.getOriginalMessage());
        }
    }

    // The messages between nodes.
    record OpenCall(String home, String ref, String room, String participant, boolean screenShare) {
    }

    record OpenAnswer(String transportId, String error) {
    }

    record AnswerCall(String transport, int version, String sdp) {
    }

    /** An answer's refusal; no code: applied. */
    record Refused(String code, String message) {
    }

    record TilesCall(String transport, Map<String, int[]> sizes) {
    }

    record ShareCall(String transport, boolean allowed) {
    }

    record CloseCall(String transport, String reason) {
    }

    record OfferBody(int version, String sdp, String audioMid, String videoMid, String screenMid,
                     List<Offer.Track> tracks) {
    }

    record EventCall(String ref, int sequence, String type, String transport, OfferBody offer, String reason) {
    }

    record LinkOpenCall(String home, String room, String host, int port, int tag) {
    }

    record LinkAddress(String host, int port, int tag) {
    }

    record LinkTracksCall(String from, String room, List<LinkTrack> tracks) {
    }

    record LinkCloseCall(String from, String room) {
    }

}
