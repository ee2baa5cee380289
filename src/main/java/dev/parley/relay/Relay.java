package dev.parley.relay;

import dev.parley.relay.negotiation.NegotiationException;
import dev.parley.relay.negotiation.Negotiator;
import dev.parley.relay.router.Endpoint;
import dev.parley.relay.router.Producer;
import dev.parley.relay.router.Router;
import dev.parley.relay.sdp.SdpWriter;
import dev.parley.relay.sdp.SessionDescription;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Parley's media relay as the web app sees it: the one door into {@code dev.parley.relay}. Transports are named by
 * {@link TransportHandle}s, counters come back as {@link TrafficTotals} and {@link RelaySnapshot}s, and every call is
 * handed to the relay's loop thread, returning a future where it has a result. Refusals fail the future with a
 * {@link RelayException}. Safe to call from any thread.
 */
public final class Relay implements AutoCloseable {

    /** The longest packet the relay takes, so the longest ICE-TCP frame too. */
    public static final int MAX_PACKET = dev.parley.relay.transport.LoopContext.MAX_PACKET;

    private final RelayLoop loop;

    private Relay(RelayLoop loop) {
        this.loop = loop;
    }

    public static Relay start(RelayConfig config) throws IOException {
        return new Relay(new RelayLoop(config));
    }

    /** The media port (useful when the configuration asked for any free port). */
    public int port() {
        return loop.port();
    }

    /** The passive ICE-TCP candidates' port, or -1 when the relay offers none. */
    public int tcpPort() {
        return loop.tcpPort();
    }

    /**
     * Hands the relay an ICE-TCP connection accepted on the port it shares ({@link RelayConfig#tcpShared}), with the
     * bytes already read from it; the relay owns the channel from now on (it closes it when it has no shared port).
     */
    public void acceptTcp(SocketChannel channel, byte[] firstBytes, int length) {
        loop.adoptTcp(channel, firstBytes, length);
    }

    public List<InetAddress> announcedAddresses() {
        return loop.announcedAddresses();
    }

    /** Sets the one listener for room events (active speakers); it replaces the one before. */
    public void setRoomEvents(RoomEvents events) {
        loop.setRoomEvents(events == null ? RoomEvents.NONE : events);
    }

    /** The whole relay's counters, read now. */
    public TrafficTotals totals() {
        return TrafficTotals.of(loop.counters());
    }

    /** One transport's counters, read now; zeros once it is closed. */
    public TrafficTotals totals(TransportHandle handle) {
        Peer peer = loop.registry().byId(handle.id());
        return peer == null ? TrafficTotals.NONE : TrafficTotals.of(peer.transport.counters());
    }

    /** One relay link's counters, read on the loop; zeros once it is closed. */
    public CompletableFuture<TrafficTotals> totals(LinkHandle handle) {
        return loop.call(() -> {
            LinkPeer peer = loop.link(handle);
            return peer == null ? TrafficTotals.NONE : TrafficTotals.of(peer.transport.counters());
        });
    }

    /** Completes once the loop has run an empty task: proof that it is alive and not stuck (the readiness probe). */
    public CompletableFuture<Void> ping() {
        return loop.call(() -> null);
    }

    /** A consistent picture of every room and transport, taken on the loop. */
    public CompletableFuture<RelaySnapshot> snapshot() {
        return loop.call(() -> Snapshots.take(loop.counters(), loop.registry().routers()));
    }

    /** Opens a browser participant's transport; its first offer reaches {@code events} right after. */
    public CompletableFuture<TransportHandle> openBrowser(String roomId, String participantId, TransportEvents events) {
        return openBrowser(roomId, participantId, false, events);
    }

    /**
     * Opens a browser participant's transport, already allowed to share its screen when {@code screenShare} (it shared
     * before its connection dropped): the first offer then names the share's section too.
     */
    public CompletableFuture<TransportHandle> openBrowser(String roomId, String participantId, boolean screenShare,
                                                          TransportEvents events) {
        return onLoop(() -> {
            Peer peer = loop.newPeer(Endpoint.Kind.BROWSER, roomId, participantId, events);
            loop.negotiator().preparePublishSections(peer.endpoint);
            if (screenShare) {
                peer.endpoint.allowScreenShare(true);
            }
            peer.endpoint.router().addEndpoint(peer.endpoint, loop.context());
            peer.requireOffer();
            return peer.handle;
        });
    }

    /**
     * Applies a browser's answer to the offer with that version; a bad or stale answer fails the future. The SDP is
     * parsed on the calling thread, so a large or hostile one never holds up the loop.
     */
    public CompletableFuture<Void> applyAnswer(TransportHandle handle, int version, String sdp) {
        return parseThen(sdp, answer -> onLoop(() -> {
            Peer peer = loop.registry().byId(handle.id());
            if (peer == null || peer.transport.isClosed()) {
                throw new NegotiationException("not-joined", "the transport is closed");
            }
            if (!peer.offers.isAwaitingAnswer(version)) {
                throw new NegotiationException("stale-answer", "no offer with version " + version + " is waiting");
            }
            loop.negotiator().applyAnswer(peer.endpoint, answer, loop.context());
            if (peer.offers.answerApplied()) {
                loop.negotiationNeeded(peer);
            }
            return null;
        }));
    }

    /**
     * The sizes a browser shows the video it receives at (device pixels, by m-section id; 0 x 0: not shown), for the
     * choice of simulcast layers, as the browser read them from the track list of offer {@code offerVersion} (-1: not
     * said). Unknown m-sections are ignored, and so are sizes for a section that carries another track since that
     * offer.
     */
    public void setTileSizes(TransportHandle handle, Map<String, int[]> sizesByMid, int offerVersion) {
        Map<String, int[]> copy = Map.copyOf(sizesByMid);
        onLoop(() -> {
            Peer peer = loop.registry().byId(handle.id());
            if (peer != null && !peer.transport.isClosed()) {
                peer.endpoint.setTileSizes(copy, offerVersion, loop.context());
            }
            return null;
        });
    }

    /**
     * Lets a browser participant share its screen, or stops its share (section 7 of docs/signaling.md); a new offer
     * follows when that changes anything. Allowed, the share's producer starts once the browser answers sending on the
     * section the offer names for it; stopped, every subscriber's copy ends at once. A closed transport is ignored.
     */
    public void allowScreenShare(TransportHandle handle, boolean allowed) {
        loop.execute(() -> {
            Peer peer = loop.registry().byId(handle.id());
            if (peer != null && !peer.transport.isClosed()) {
                peer.endpoint.allowScreenShare(allowed);
            }
        });
    }

    /** A WHIP client publishes into a room: returns its transport and the SDP answer. */
    public CompletableFuture<Session> openWhip(String roomId, String participantId, String offer,
                                               TransportEvents events) {
        return parseThen(offer, parsed -> onLoop(() -> {
            Peer peer = loop.newPeer(Endpoint.Kind.WHIP, roomId, participantId, events);
            try {
                peer.endpoint.router().addEndpoint(peer.endpoint, loop.context());
                SessionDescription answer = loop.negotiator().answerWhip(peer.endpoint, parsed, loop.context());
                return new Session(peer.handle, answer);
            } catch (NegotiationException | RuntimeException e) {
                peer.transport.close("negotiation failed");
                throw e;
            }
        }));
    }

    /**
     * A WHEP client plays one participant's tracks: returns its transport and the SDP answer. With
     * {@code followSpeaker}, it starts on that participant and then plays whoever speaks (where their codecs match
     * what the client negotiated).
     */
    public CompletableFuture<Session> openWhep(String roomId, String targetParticipantId, boolean followSpeaker,
                                               String viewerId, String offer, TransportEvents events) {
        return parseThen(offer, parsed -> onLoop(() -> {
            Router router = loop.registry().existingRouter(roomId);
            List<Producer> available = router == null ? List.of() : router.producers().stream()
                    .filter(p -> p.participantId().equals(targetParticipantId)).toList();
            if (available.isEmpty()) {
                throw new NegotiationException("not-found", "that participant publishes nothing in this room");
            }
            Peer peer = loop.newPeer(Endpoint.Kind.WHEP, roomId, viewerId, events);
            try {
                peer.endpoint.setWhepTarget(targetParticipantId);
                if (followSpeaker) {
                    peer.endpoint.followSpeaker();
                }
                loop.negotiator().prepareWhep(peer.endpoint, parsed);
                loop.negotiator().mapWhepPayloadTypes(peer.endpoint, parsed, available, loop.context());
                peer.endpoint.router().addEndpoint(peer.endpoint, loop.context());
                SessionDescription answer = loop.negotiator().answerWhep(peer.endpoint, parsed);
                return new Session(peer.handle, answer);
            } catch (NegotiationException | RuntimeException e) {
                peer.transport.close("negotiation failed");
                throw e;
            }
        }));
    }

    /**
     * A WHIP or WHEP session: the transport and the relay's SDP answer. The answer is built on the loop and written out
     * as text by the caller, off the loop.
     */
    public static final class Session {

        private final TransportHandle transport;
        private final SessionDescription answer;

        Session(TransportHandle transport, SessionDescription answer) {
            this.transport = transport;
            this.answer = answer;
        }

        public TransportHandle transport() {
            return transport;
        }

        /** The SDP answer; written on each call. */
        public String answer() {
            return SdpWriter.write(answer);
        }
    }

    /**
     * Starts recording a room: {@code listener} hears of every track there now and of each one that starts or ends
     * until {@link #stopRecording}; nothing is written until a recorder is given for a track ({@link #recordTrack}).
     * Fails with a {@link RelayException} when the room is already recorded. The room need not have anyone in it yet.
     */
    public CompletableFuture<Void> startRecording(String roomId, RecordingListener listener) {
        return loop.call(() -> {
            loop.startRecording(roomId, listener);
            return null;
        });
    }

    /**
     * Sends a recorded track, as plain RTP, to a recorder listening on a loopback address (any other is refused);
     * completes with false when the track ended or the room is no longer recorded.
     */
    public CompletableFuture<Boolean> recordTrack(String roomId, String trackId, InetSocketAddress recorder) {
        if (!recorder.getAddress().isLoopbackAddress()) {
            return CompletableFuture.failedFuture(new RelayException("recording", "recorders listen on loopback"));
        }
        return loop.call(() -> loop.recordTrack(roomId, trackId, recorder));
    }

    /** Stops recording a room: every track's copy ends at once. Completes with false when it was not recorded. */
    public CompletableFuture<Boolean> stopRecording(String roomId) {
        return loop.call(() -> loop.stopRecording(roomId));
    }

    /**
     * Opens a room's relay link to another node (cascading, docs/scaling.md): from now on every track published here
     * goes over it once, as soon as it is connected ({@link #connectLink}), and the far relay's tracks given to
     * {@link #setLinkTracks} are published here as their participants'. The handle's tag is what the far relay must be
     * given to reach this side. Its events tell the tracks to give the far relay.
     *
     * <p>This link carries plain RTP, taken only from the address it is connected to: for a private network between
     * nodes (a secure one: {@link #openLink(String, String, boolean, boolean, LinkEvents)}).
     */
    public CompletableFuture<LinkHandle> openLink(String roomId, String remoteNodeId, LinkEvents events) {
        return openLink(roomId, remoteNodeId, false, events);
    }

    /**
     * Opens a link as above; a {@code hub}'s link also sends the tracks that came here over the room's other links
     * (never back over their own), so that spokes linked only to the hub get every track. Spokes must not be hubs.
     */
    public CompletableFuture<LinkHandle> openLink(String roomId, String remoteNodeId, boolean hub, LinkEvents events) {
        return openLink(roomId, remoteNodeId, hub, false, events);
    }

    /**
     * Opens a link as above; a {@code secure} one protects what it carries with SRTP, under a key made now for what
     * this side sends ({@link LinkHandle#key}, to be given to the far relay) and the far relay's for what it receives
     * ({@link #connectLink(LinkHandle, InetSocketAddress, int, LinkKey)}); anything else that reaches it is dropped.
     */
    public CompletableFuture<LinkHandle> openLink(String roomId, String remoteNodeId, boolean hub, boolean secure,
                                                  LinkEvents events) {
        return loop.call(() -> loop.newLink(roomId, remoteNodeId, hub, secure ? LinkKey.random() : null, events)
                .handle);
    }

    /**
     * Points a link at the far relay's side of it: its media address and the tag its {@link #openLink} gave. Fails
     * with a {@link RelayException} when the link is closed or the tag is 0.
     */
    public CompletableFuture<Void> connectLink(LinkHandle link, InetSocketAddress remote, int remoteTag) {
        return connectLink(link, remote, remoteTag, null);
    }

    /**
     * Points a link at the far relay's side of it, as above; a secure link needs the key the far side's
     * {@link #openLink} made ({@code remoteKey}), a plain one takes none.
     */
    public CompletableFuture<Void> connectLink(LinkHandle link, InetSocketAddress remote, int remoteTag,
                                               LinkKey remoteKey) {
        if (remoteTag == 0 || remote.isUnresolved() || remote.getPort() == 0) {
            return CompletableFuture.failedFuture(new RelayException("bad-link", "a link needs the far relay's "
                    + "resolved media address and its non-zero tag"));
        }
        if (link.isSecure() != (remoteKey != null)) {
            return CompletableFuture.failedFuture(new RelayException("bad-link", link.isSecure()
                    ? "a secure link needs the far relay's key" : "a plain link takes no key"));
        }
        return loop.call(() -> {
            LinkPeer peer = liveLink(link);
            peer.transport.connect(remote, remoteTag,
                    remoteKey == null ? null : LinkKey.keying(peer.handle.key(), remoteKey), loop.context());
            return null;
        });
    }

    /**
     * Takes the far relay's tracks as its {@link LinkEvents#onTracks} listed them: new ones start here, those no
     * longer listed end. A list with a description the relay cannot take is refused whole, with a
     * {@link RelayException} naming the problem.
     */
    public CompletableFuture<Void> setLinkTracks(LinkHandle link, List<LinkTrack> tracks) {
        List<LinkTrack> copy = List.copyOf(tracks);
        if (copy.size() > LinkTrack.MAX_TRACKS) {
            return CompletableFuture.failedFuture(new RelayException("bad-link-track", "at most "
                    + LinkTrack.MAX_TRACKS + " tracks"));
        }
        Set<Integer> numbers = new HashSet<>();
        for (LinkTrack track : copy) {
            String problem = track.problem();
            if (problem == null && !numbers.add(track.number())) {
                problem = "track number " + track.number() + " is listed twice";
            }
            if (problem != null) {
                return CompletableFuture.failedFuture(new RelayException("bad-link-track", problem));
            }
        }
        return loop.call(() -> {
            liveLink(link).setTracks(copy);
            return null;
        });
    }

    /** Closes a link (no-op when it is already gone): the far relay's tracks end here; its events get onClosed. */
    public void closeLink(LinkHandle link, String reason) {
        loop.execute(() -> {
            LinkPeer peer = loop.link(link);
            if (peer != null) {
                peer.transport.close(reason);
            }
        });
    }

    private LinkPeer liveLink(LinkHandle handle) throws RelayException {
        LinkPeer peer = loop.link(handle);
        if (peer == null || peer.transport.isClosed()) {
            throw new RelayException("link-closed", "the link is closed");
        }
        return peer;
    }

    /** Closes a transport (no-op when it is already gone); its events then get {@code onClosed}. */
    public void closeTransport(TransportHandle handle, String reason) {
        loop.execute(() -> {
            Peer peer = loop.registry().byId(handle.id());
            if (peer != null) {
                peer.transport.close(reason);
            }
        });
    }

    @Override
    public void close() {
        loop.close();
    }

    /** Source addresses the per-source rate limiter tracks now (tests). */
    CompletableFuture<Integer> trackedSources() {
        return loop.call(loop::trackedSources);
    }

    /** Parses SDP on the calling thread; a bad one fails the future without reaching the loop. */
    private static <T> CompletableFuture<T> parseThen(String sdp,
                                                      Function<SessionDescription, CompletableFuture<T>> next) {
        SessionDescription parsed;
        try {
            parsed = Negotiator.parse(sdp);
        } catch (NegotiationException e) {
            return CompletableFuture.failedFuture(new RelayException(e.code(), e.getMessage()));
        }
        return next.apply(parsed);
    }

    /** Runs work on the loop, turning the relay's negotiation failures into the API's {@link RelayException}. */
    private <T> CompletableFuture<T> onLoop(RelayLoop.LoopCall<T> work) {
        return loop.call(() -> {
            try {
                return work.run();
            } catch (NegotiationException e) {
                throw new RelayException(e.code(), e.getMessage());
            }
        });
    }
}
