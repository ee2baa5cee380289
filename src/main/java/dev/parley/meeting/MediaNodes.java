package dev.parley.meeting;

import dev.parley.cluster.Node;
import dev.parley.cluster.NodeRegistry;
import dev.parley.meeting.CascadeMessages.AnswerCall;
import dev.parley.meeting.CascadeMessages.CloseCall;
import dev.parley.meeting.CascadeMessages.EventCall;
import dev.parley.meeting.CascadeMessages.OpenAnswer;
import dev.parley.meeting.CascadeMessages.OpenCall;
import dev.parley.meeting.CascadeMessages.Refused;
import dev.parley.meeting.CascadeMessages.ShareCall;
import dev.parley.meeting.CascadeMessages.TilesCall;
import dev.parley.relay.Offer;
import dev.parley.relay.Relay;
import dev.parley.relay.RelayException;
import dev.parley.relay.TransportEvents;
import dev.parley.relay.TransportHandle;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Where a meeting's browsers get their media transports, and the relay calls that follow them there (cascading,
 * docs/scaling.md). The meeting's signalling stays on its home node. With
 * {@code parley.cluster.cascade.people-per-node} set, once the home relay carries that many of the meeting's browsers,
 * a later one gets its transport on another node (the meeting's media node there): one already carrying fewer than
 * that many of the meeting's browsers, else the node with the fewest people that is up, not draining and answering;
 * with none, the home. A media node is linked to the home relay first ({@link CascadeLinks}); the calls to its relay
 * are made on its thread of {@link CascadeCalls}, its transports' events come back numbered
 * ({@link MediaNodeHandlers}) and are delivered here in their order. A media node that does not answer or refuses is
 * passed over: the transport opens on the home. Off (the default) or without a cluster, every transport is this
 * node's.
 */
@Component
public class MediaNodes {

    private static final Logger log = LoggerFactory.getLogger(MediaNodes.class);

    private final Relay relay;
    private final CascadeCalls calls;
    private final CascadeLinks links;
    private final NodeRegistry nodes;
    private final int peoplePerNode;
    /** Transports on media nodes, by the reference this node gave them (their events name it). */
    private final Map<String, RemoteTransport> remoteByRef = new ConcurrentHashMap<>();
    /** The same, by the transport's id on its node (the web app's calls name the handle). */
    private final Map<String, RemoteTransport> remoteById = new ConcurrentHashMap<>();
    /** Each meeting's transports by the node their media is on (this node's too): placements, each its own object. */
    private final Map<String, Map<String, List<Object>>> placed = new HashMap<>();

    /** A node on its own, every transport on its relay (for the meeting built without Spring in tests). */
    MediaNodes(Relay relay) {
        this.relay = relay;
        this.calls = null;
        this.links = null;
        this.nodes = null;
        this.peoplePerNode = 0;
    }

    @Autowired
    MediaNodes(Relay relay, CascadeCalls calls, CascadeLinks links, NodeRegistry nodes,
               @Value("${parley.cluster.cascade.people-per-node:0}") int peoplePerNode) {
        if (peoplePerNode < 0) {
            throw new IllegalArgumentException("parley.cluster.cascade.people-per-node must be 0 (off) or more");
        }
        this.relay = relay;
        this.calls = calls;
        this.links = links;
        this.nodes = nodes;
        this.peoplePerNode = peoplePerNode;
        calls.answer(CascadeMessages.EVENT, EventCall.class, this::onEvent);
    }

    // ================================================================== the web app's calls

    /**
     * Opens a browser's transport where the meeting's next browser goes: on this relay, or on a media node, linked to
     * this one first. Its events reach {@code events} here either way.
     */
    public CompletableFuture<TransportHandle> openBrowser(String relayRoomId, String participantId, boolean screenShare,
                                                          TransportEvents events) {
        String node = chooseNode(relayRoomId);
        Object placement = place(relayRoomId, node);
        if (node.equals(here())) {
            return relay.openBrowser(relayRoomId, participantId, screenShare,
                    unplacing(relayRoomId, node, placement, events));
        }
        RemoteTransport remote = new RemoteTransport(UUID.randomUUID().toString(), node, relayRoomId, participantId,
                placement, events);
        remoteByRef.put(remote.ref, remote);
        CompletableFuture<TransportHandle> opened = new CompletableFuture<>();
        Runnable instead = () -> {
            forget(remote);
            Object home = place(relayRoomId, here());
            relay.openBrowser(relayRoomId, participantId, screenShare, unplacing(relayRoomId, here(), home, events))
                    .whenComplete((transport, error) -> {
                        if (error == null) {
                            opened.complete(transport);
                        } else {
                            opened.completeExceptionally(error);
                        }
                    });
        };
        boolean queued = calls.submit(node, () -> {
            try {
                links.ensureLinked(relayRoomId, node);
                OpenCall call = new OpenCall(here(), remote.ref, relayRoomId, participantId, screenShare);
                OpenAnswer answer = calls.call(node, CascadeMessages.OPEN, call, OpenAnswer.class, false).orElse(null);
                if (answer != null && CascadeMessages.NOT_LINKED.equals(answer.error())) {
                    log.info("Node {} lost its side of the link for {}; linking again", node, relayRoomId);
                    links.relink(relayRoomId, node);
                    answer = calls.call(node, CascadeMessages.OPEN, call, OpenAnswer.class, false).orElse(null);
                }
                if (answer == null || answer.transportId() == null) {
                    throw new RelayException("media-node", answer == null ? "no answer" : answer.error());
                }
                log.info("Participant {} of {} has its media on node {}", participantId, relayRoomId, node);
                opened.complete(remote.opened(answer.transportId()));
            } catch (Exception e) {
                log.warn("Node {} opened no transport for {} of {} ({}); opening it here", node, participantId,
                        relayRoomId, e.toString());
                instead.run();
            }
        });
        if (!queued) {
            instead.run();
        }
        return opened;
    }

    public CompletableFuture<Void> applyAnswer(TransportHandle transport, int version, String sdp) {
        RemoteTransport remote = remoteById.get(transport.id());
        if (remote == null) {
            return relay.applyAnswer(transport, version, sdp);
        }
        CompletableFuture<Void> applied = new CompletableFuture<>();
        boolean queued = calls.submit(remote.node, () -> {
            Refused refused = calls.call(remote.node, CascadeMessages.ANSWER, new AnswerCall(transport.id(), version,
                    sdp), Refused.class, true).orElse(new Refused("media-node", "The media node did not answer."));
            if (refused.code() == null) {
                applied.complete(null);
            } else {
                applied.completeExceptionally(new RelayException(refused.code(), refused.message()));
            }
        });
        if (!queued) {
            applied.completeExceptionally(new RelayException("media-node", "The server is shutting down."));
        }
        return applied;
    }

    public void setTileSizes(TransportHandle transport, Map<String, int[]> sizesByMid, int offerVersion) {
        RemoteTransport remote = remoteById.get(transport.id());
        if (remote == null) {
            relay.setTileSizes(transport, sizesByMid, offerVersion);
        } else {
            calls.tell(remote.node, CascadeMessages.TILES,
                    new TilesCall(transport.id(), Map.copyOf(sizesByMid), offerVersion), false);
        }
    }

    public void allowScreenShare(TransportHandle transport, boolean allowed) {
        RemoteTransport remote = remoteById.get(transport.id());
        if (remote == null) {
            relay.allowScreenShare(transport, allowed);
        } else {
            calls.tell(remote.node, CascadeMessages.SHARE, new ShareCall(transport.id(), allowed), false);
        }
    }

    /** Closes a transport wherever it is; its events hear nothing more of it once it was closed here. */
    public void closeTransport(TransportHandle transport, String reason) {
        RemoteTransport remote = remoteById.get(transport.id());
        if (remote == null) {
            relay.closeTransport(transport, reason);
            return;
        }
        forget(remote);
        calls.tell(remote.node, CascadeMessages.CLOSE, new CloseCall(transport.id(), reason), false);
    }

    // ================================================================== the choice

    private String here() {
        return nodes == null ? "" : nodes.id();
    }

    /** The node the meeting's next browser's media goes to (reading the registry, which may ask Redis, unlocked). */
    private String chooseNode(String relayRoomId) {
        if (nodes == null || peoplePerNode == 0 || !nodes.isClustered()) {
            return here();
        }
        List<Node> up = nodes.nodes().stream().filter(n -> !n.self() && !n.draining() && !calls.isSilent(n.id()))
                .toList();
        synchronized (placed) {
            Map<String, List<Object>> byNode = placed.getOrDefault(relayRoomId, Map.of());
            if (byNode.getOrDefault(here(), List.of()).size() < peoplePerNode) {
                return here();
            }
            Optional<Node> used = up.stream().filter(n -> byNode.containsKey(n.id())
                    && byNode.get(n.id()).size() < peoplePerNode).findFirst();
            Optional<Node> fresh = up.stream().filter(n -> !byNode.containsKey(n.id()))
                    .min(Comparator.comparingInt(Node::participants).thenComparing(Node::id));
            return used.or(() -> fresh).map(Node::id).orElse(here());
        }
    }

    /** Counts a transport on the node for the meeting; the object returned names the placement. */
    private Object place(String relayRoomId, String node) {
        Object placement = new Object();
        synchronized (placed) {
            placed.computeIfAbsent(relayRoomId, room -> new TreeMap<>())
                    .computeIfAbsent(node, key -> new ArrayList<>()).add(placement);
        }
        return placement;
    }

    /**
     * A transport ended: its placement counts no more. A media node that carries none of the meeting's transports any
     * more is unlinked, on its thread, unless one was placed there again meanwhile.
     */
    private void unplace(String relayRoomId, String node, Object placement) {
        synchronized (placed) {
            Map<String, List<Object>> byNode = placed.get(relayRoomId);
            List<Object> placements = byNode == null ? null : byNode.get(node);
            if (placements == null || !placements.remove(placement) || !placements.isEmpty()) {
                return;
            }
            byNode.remove(node);
            if (byNode.isEmpty()) {
                placed.remove(relayRoomId);
            }
        }
        if (!node.equals(here())) {
            calls.submit(node, () -> {
                synchronized (placed) {
                    if (placed.getOrDefault(relayRoomId, Map.of()).containsKey(node)) {
                        return;
                    }
                }
                links.unlink(relayRoomId, node);
            });
        }
    }

    private TransportEvents unplacing(String relayRoomId, String node, Object placement, TransportEvents events) {
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
            public void onPausedVideo(List<String> mids) {
                events.onPausedVideo(mids);
            }

            @Override
            public void onClosed(String reason) {
                unplace(relayRoomId, node, placement);
                events.onClosed(reason);
            }
        };
    }

    // ================================================================== a media node's events

    private Object onEvent(EventCall call) {
        RemoteTransport remote = remoteByRef.get(call.ref());
        if (remote != null) {
            remote.deliver(call);
        }
        return null;
    }

    /** A transport on a media node, as its home knows it; its events delivered in their order. */
    private final class RemoteTransport {

        /** Events that came ahead of one missing, kept at most; past that the transport is given up. */
        private static final int MOST_EARLY = 64;

        final String ref;
        final String node;
        final String relayRoomId;
        final String participantId;
        final Object placement;
        final TransportEvents events;
        private TransportHandle handle;
        private final EventOrder<EventCall> order = new EventOrder<>(MOST_EARLY, this::dispatch);
        private boolean lost;

        RemoteTransport(String ref, String node, String relayRoomId, String participantId, Object placement,
                        TransportEvents events) {
            this.ref = ref;
            this.node = node;
            this.relayRoomId = relayRoomId;
            this.participantId = participantId;
            this.placement = placement;
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

        /**
         * The open call was answered: the owner hears of the transport now if its created event has not come yet, as
         * a local relay tells it before its open completes (the meeting keeps only a transport it has heard of).
         */
        synchronized TransportHandle opened(String transportId) {
            TransportHandle transport = handleFor(transportId);
            if (!order.passed(0)) {
                events.onCreated(transport);
                order.skip(0); // the created event, when it comes, is old news; what waited behind it goes on
            }
            return transport;
        }

        synchronized void deliver(EventCall call) {
            if (!lost && !order.offer(call.sequence(), call)) {
                lost = true;
                // One event never came: nothing after it can be delivered. The page resumes on a new transport.
                log.warn("Events of transport {} on node {} stopped coming in order; closing it", ref, node);
                forget(this);
                if (handle != null) {
                    calls.tell(node, CascadeMessages.CLOSE, new CloseCall(handle.id(), "events-lost"), false);
                }
                events.onClosed("events-lost");
            }
        }

        private void dispatch(EventCall call) {
            switch (call.type()) {
                case "created" -> events.onCreated(handleFor(call.transport()));
                case "offer" -> events.onOffer(Offer.of(call.offer().version(), call.offer().sdp(),
                        call.offer().audioMid(), call.offer().videoMid(), call.offer().screenMid(),
                        call.offer().tracks()));
                case "connected" -> events.onConnected();
                case "paused-video" -> events.onPausedVideo(call.mids() == null ? List.of() : List.copyOf(call.mids()));
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
        unplace(remote.relayRoomId, remote.node, remote.placement);
    }
}
