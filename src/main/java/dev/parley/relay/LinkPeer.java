package dev.parley.relay;

import dev.parley.relay.router.Endpoint;
import dev.parley.relay.router.Link;
import dev.parley.relay.router.LinkSender;
import dev.parley.relay.router.MediaKind;
import dev.parley.relay.router.Producer;
import dev.parley.relay.router.Router;
import dev.parley.relay.router.RtpCodecSpec;
import dev.parley.relay.router.TrackSource;
import dev.parley.relay.transport.LinkTransport;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Everything the relay keeps for one room's relay link: its transport, its endpoint in the room's router, and the
 * owner's events, each called on the loop and never allowed to break it. Loop thread only.
 */
final class LinkPeer implements Endpoint.Listener {

    final LinkTransport transport;
    final Endpoint endpoint;
    final LinkHandle handle;
    private final LinkEvents events;
    private final RelayLoop loop;

    /** @param key what this side sends is protected with, for a secure link; null for a plain one */
    LinkPeer(RelayLoop loop, String id, int tag, LinkKey key, Router router, String remoteNodeId, boolean hub,
             long nowNanos, LinkEvents events) {
        this.loop = loop;
        this.events = events;
        this.transport = new LinkTransport(id, tag, loop.context());
        this.endpoint = new Endpoint(Endpoint.Kind.LINK, "link:" + remoteNodeId, transport, router,
                LinkTransport.RTCP_SSRC, loop.videoBitrateCap(), this, nowNanos, hub);
        this.handle = new LinkHandle(id, router.id(), tag, key);
    }

    /**
     * Takes the far relay's tracks as they are now: those new to the link start, those gone from the list end. A
     * number already taken keeps its first description.
     */
    void setTracks(List<LinkTrack> tracks) {
        Link link = endpoint.link();
        Set<Integer> listed = new HashSet<>();
        for (LinkTrack track : tracks) {
            listed.add(track.number());
        }
        Set<Integer> taken = new HashSet<>(link.receivedTracks());
        for (Iterator<Integer> numbers = taken.iterator(); numbers.hasNext(); ) {
            Integer number = numbers.next();
            if (!listed.contains(number)) {
                link.stopReceiving(number);
                numbers.remove();
            }
        }
        for (LinkTrack track : tracks) {
            if (taken.contains(track.number())) {
                continue; // a number keeps its first description
            }
            MediaKind kind = MediaKind.fromSdp(track.kind());
            RtpCodecSpec codec = RtpCodecSpec.canonical(track.codec()).withFmtp(track.fmtp());
            if (!track.rtx()) {
                codec = codec.withoutRtx();
            }
            link.receive(track.number(), track.participantId(), track.trackId(), kind, source(track.source()), codec,
                    track.layers(), loop.allocateSsrc(), codec.hasRtx() ? loop.allocateSsrc() : 0, loop.context());
        }
    }

    /** What this relay sends over the link now, as the far relay must be told it. */
    List<LinkTrack> sentTracks() {
        return endpoint.link().sent().stream().map(LinkPeer::describe).toList();
    }

    private static LinkTrack describe(LinkSender sender) {
        Producer producer = sender.producer();
        RtpCodecSpec codec = producer.codec();
        List<String> layers = producer.isSimulcast()
                ? IntStream.range(0, producer.layerCount()).mapToObj(i -> producer.layer(i).rid())
                        .toList()
                : List.of();
        return new LinkTrack(sender.track(), producer.participantId(), producer.trackId(),
                producer.kind() == MediaKind.AUDIO ? "audio" : "video", producer.source().signalName(), codec.name(),
                codec.fmtp() == null ? "" : codec.fmtp(), codec.hasRtx(), layers);
    }

    static TrackSource source(String signalName) {
        for (TrackSource source : TrackSource.values()) {
            if (source.signalName().equals(signalName)) {
                return source;
            }
        }
        throw new IllegalArgumentException("no track source " + signalName);
    }

    @Override
    public void onLinkTracksChanged() {
        List<LinkTrack> tracks = sentTracks();
        notify("tracks", () -> events.onTracks(tracks));
    }

    @Override
    public void onSectionsChanged() {
        // a link has no m-sections
    }

    @Override
    public void onConnected() {
        // the owner connected it
    }

    @Override
    public void onClosed(String reason) {
        loop.forgetLink(this);
        notify("closed", () -> events.onClosed(reason));
    }

    private void notify(String what, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException | Error e) {
            loop.logLoopError("link event " + what + " of " + handle.id(), e);
        }
    }
}
