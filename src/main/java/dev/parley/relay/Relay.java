package dev.parley.relay;

import dev.parley.relay.router.Producer;
import dev.parley.relay.router.Router;
import dev.parley.relay.sdp.SessionDescription;
import dev.parley.relay.transport.NegotiationException;
import dev.parley.relay.transport.TransportListener;
import dev.parley.relay.transport.TransportOffer;
import dev.parley.relay.transport.WebRtcTransport;
import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Parley's media relay as the web app sees it: the one door into {@code dev.parley.relay}. Transports are named by
 * {@link TransportHandle}s, counters come back as {@link TrafficTotals} and {@link RelaySnapshot}s, and every call is
 * handed to the relay's loop thread, returning a future where it has a result. Refusals fail the future with a
 * {@link RelayException}. Safe to call from any thread.
 */
public final class Relay implements AutoCloseable {

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

    public List<InetAddress> announcedAddresses() {
        return loop.announcedAddresses();
    }

    /** The whole relay's counters, read now. */
    public TrafficTotals totals() {
        return TrafficTotals.of(loop.counters());
    }

    /** One transport's counters, read now; zeros once it is closed. */
    public TrafficTotals totals(TransportHandle handle) {
        WebRtcTransport transport = loop.registry().byId(handle.id());
        return transport == null ? TrafficTotals.NONE : TrafficTotals.of(transport.counters());
    }

    /** A consistent picture of every room and transport, taken on the loop. */
    public CompletableFuture<RelaySnapshot> snapshot() {
        return loop.call(() -> Snapshots.take(loop.counters(), loop.registry().routers()));
    }

    /** Opens a browser participant's transport; its first offer reaches {@code events} right after. */
    public CompletableFuture<TransportHandle> openBrowser(String roomId, String participantId, TransportEvents events) {
        Events adapter = new Events(events);
        return onLoop(() -> {
            WebRtcTransport transport = loop.newTransport(WebRtcTransport.Kind.BROWSER, roomId, participantId,
                    adapter);
            loop.negotiator().preparePublishSections(transport);
            transport.router().addTransport(transport, loop.context());
            transport.requireOffer();
            return adapter.handle;
        });
    }

    /** Applies a browser's answer to the offer with that version; a bad or stale answer fails the future. */
    public CompletableFuture<Void> applyAnswer(TransportHandle handle, int version, String sdp) {
        return onLoop(() -> {
            WebRtcTransport transport = loop.registry().byId(handle.id());
            if (transport == null || transport.isClosed()) {
                throw new NegotiationException("not-joined", "the transport is closed");
            }
            if (!transport.isAwaitingAnswer(version)) {
                throw new NegotiationException("stale-answer", "no offer with version " + version + " is waiting");
            }
            loop.negotiator().applyAnswer(transport, sdp, loop.context());
            transport.answerApplied();
            return null;
        });
    }

    /** A WHIP client publishes into a room: returns its transport and the SDP answer. */
    public CompletableFuture<Session> openWhip(String roomId, String participantId, String offer,
                                               TransportEvents events) {
        Events adapter = new Events(events);
        return onLoop(() -> {
            WebRtcTransport transport = loop.newTransport(WebRtcTransport.Kind.WHIP, roomId, participantId, adapter);
            try {
                transport.router().addTransport(transport, loop.context());
                String answer = loop.negotiator().answerWhip(transport, offer, loop.context());
                return new Session(adapter.handle, answer);
            } catch (NegotiationException | RuntimeException e) {
                transport.close("negotiation failed");
                throw e;
            }
        });
    }

    /** A WHEP client plays one participant's tracks: returns its transport and the SDP answer. */
    public CompletableFuture<Session> openWhep(String roomId, String targetParticipantId, String viewerId, String offer,
                                               TransportEvents events) {
        Events adapter = new Events(events);
        return onLoop(() -> {
            Router router = loop.registry().existingRouter(roomId);
            List<Producer> available = router == null ? List.of() : router.producers().stream()
                    .filter(p -> p.transport().participantId().equals(targetParticipantId)).toList();
            if (available.isEmpty()) {
                throw new NegotiationException("not-found", "that participant publishes nothing in this room");
            }
            WebRtcTransport transport = loop.newTransport(WebRtcTransport.Kind.WHEP, roomId, viewerId, adapter);
            try {
                transport.setWhepTarget(targetParticipantId);
                SessionDescription parsed = loop.negotiator().prepareWhep(transport, offer);
                loop.negotiator().mapWhepPayloadTypes(transport, parsed, available);
                transport.router().addTransport(transport, loop.context());
                String answer = loop.negotiator().answerWhep(transport, parsed);
                return new Session(adapter.handle, answer);
            } catch (NegotiationException | RuntimeException e) {
                transport.close("negotiation failed");
                throw e;
            }
        });
    }

    /** A WHIP or WHEP session: the transport and the relay's SDP answer. */
    public record Session(TransportHandle transport, String answer) {
    }

    /** Closes a transport (no-op when it is already gone); its events then get {@code onClosed}. */
    public void closeTransport(TransportHandle handle, String reason) {
        loop.execute(() -> {
            WebRtcTransport transport = loop.registry().byId(handle.id());
            if (transport != null) {
                transport.close(reason);
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

    /** Adapts the web app's events to the relay's listener, naming the transport by a handle. */
    private final class Events implements TransportListener {

        private final TransportEvents events;
        private TransportHandle handle;

        Events(TransportEvents events) {
            this.events = events;
        }

        @Override
        public void onCreated(WebRtcTransport transport) {
            handle = new TransportHandle(transport.id(), TransportHandle.Kind.valueOf(transport.kind().name()),
                    transport.participantId());
            events.onCreated(handle);
        }

        @Override
        public void onOffer(TransportOffer offer) {
            events.onOffer(new Offer(offer.version(), offer.sdp(), offer.publishAudioMid(), offer.publishVideoMid(),
                    offer.tracks().stream().map(t -> new Offer.Track(t.mid(), t.participantId(), t.kind().sdpName(),
                            t.active())).toList()));
        }

        @Override
        public void onConnected() {
            events.onConnected();
        }

        @Override
        public void onClosed(String reason) {
            events.onClosed(reason);
        }
    }
}
