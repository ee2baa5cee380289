package dev.parley.relay;

import dev.parley.relay.ice.IceCredentials;
import dev.parley.relay.negotiation.OfferState;
import dev.parley.relay.negotiation.TransportOffer;
import dev.parley.relay.router.Endpoint;
import dev.parley.relay.router.Router;
import dev.parley.relay.transport.WebRtcTransport;
import java.util.List;

/**
 * Everything the relay keeps for one transport the web app opened: the secure channel, its endpoint in the room's
 * router, where its offer/answer exchange stands, and the owner's events, each called on the loop and never allowed to
 * break it. Loop thread only.
 */
final class Peer implements Endpoint.Listener {

    final WebRtcTransport transport;
    final Endpoint endpoint;
    final OfferState offers = new OfferState();
    final TransportHandle handle;
    private final TransportEvents events;
    private final RelayLoop loop;

    Peer(RelayLoop loop, String id, Endpoint.Kind kind, String participantId, Router router,
         IceCredentials credentials, int rtcpSsrc, long nowNanos, TransportEvents events) {
        this.loop = loop;
        this.events = events;
        this.transport = new WebRtcTransport(id, loop, credentials, nowNanos, loop.consentTimeoutNanos());
        this.endpoint = new Endpoint(kind, participantId, transport, router, rtcpSsrc, loop.videoBitrateCap(), this,
                nowNanos);
        this.handle = new TransportHandle(id, TransportHandle.Kind.valueOf(kind.name()), participantId);
    }

    /** A browser's m-sections changed, or it just arrived: an offer is due. */
    void requireOffer() {
        offers.requireOffer();
        loop.negotiationNeeded(this);
    }

    void sendOffer(TransportOffer offer) {
        notify("offer", () -> events.onOffer(new Offer(offer.version(), offer::sdp, offer.publishAudioMid(),
                offer.publishVideoMid(), offer.publishScreenMid(), offer.tracks().stream().map(t -> new Offer.Track(
                        t.mid(), t.participantId(), t.kind().sdpName(), t.source().signalName(), t.active())).toList())));
    }

    void created() {
        notify("created", () -> events.onCreated(handle));
    }

    @Override
    public void onSectionsChanged() {
        if (endpoint.kind() == Endpoint.Kind.BROWSER) {
            requireOffer();
        }
    }

    @Override
    public void onConnected() {
        notify("connected", events::onConnected);
    }

    @Override
    public void onPausedVideo(List<String> mids) {
        notify("paused video", () -> events.onPausedVideo(mids));
    }

    @Override
    public void onClosed(String reason) {
        loop.forget(this);
        notify("closed", () -> events.onClosed(reason));
    }

    private void notify(String what, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException | Error e) {
            loop.logLoopError("transport event " + what + " of " + handle.id(), e);
        }
    }
}
