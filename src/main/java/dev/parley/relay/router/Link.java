package dev.parley.relay.router;

import dev.parley.relay.rtcp.FeedbackPacket;
import dev.parley.relay.rtcp.FullIntraRequest;
import dev.parley.relay.rtcp.GenericNack;
import dev.parley.relay.rtcp.RtcpHeader;
import dev.parley.relay.rtcp.SenderReport;
import dev.parley.relay.rtp.RtpPacket;
import dev.parley.relay.srtp.PacketBuffer;
import dev.parley.relay.stats.DropReason;
import dev.parley.relay.transport.LinkHandler;
import dev.parley.relay.transport.LinkTransport;
import dev.parley.relay.transport.LoopContext;
import dev.parley.relay.util.CopyOnWriteIntMap;
import java.util.ArrayList;
import java.util.List;

/**
 * A room's relay link as its router sees it: the handler of the transport of its link endpoint (an {@link Endpoint}
 * of kind LINK). Both ways at once:
 * <ul>
 *   <li>out: each track published on this relay goes over the link once ({@link LinkSender}), and the far relay's
 *       key-frame requests and NACKs for it come back here, to be answered as a subscriber's would be;</li>
 *   <li>in: the far relay's tracks, described by the control plane ({@link #receive}), become producers of the link
 *       endpoint here, with the far participant's id, so that this relay's subscribers get them as any other.</li>
 * </ul>
 * A track goes over a link only when it was published on this relay, or when the link is a hub's and the track came
 * over another link (never back over its own): links between every pair of a meeting's nodes, or a star of spokes
 * around one hub, make no loops. Loop thread only.
 */
public final class Link implements LinkHandler {

    /** An identity map of canonical extension ids: what a link carries is already canonical. */
    private static final byte[] CANONICAL_EXTENSIONS = identity();

    private final Endpoint endpoint;
    private final LinkTransport transport;
    private final boolean hub;
    private final List<LinkSender> sent = new ArrayList<>();
    private final CopyOnWriteIntMap<Producer> received = new CopyOnWriteIntMap<>();
    private final CopyOnWriteIntMap<Layer> receivedBySsrc = new CopyOnWriteIntMap<>();
    private int nextTrack = 1;
    /** The tracks sent changed since the owner was last told (true at first: it learns the empty list too). */
    private boolean sentChanged = true;

    Link(Endpoint endpoint, LinkTransport transport, boolean hub) {
        this.endpoint = endpoint;
        this.transport = transport;
        this.hub = hub;
    }

    /** Whether the link also sends the tracks that came over the relay's other links (the hub of a star). */
    public boolean isHub() {
        return hub;
    }

    private static byte[] identity() {
        byte[] map = new byte[16];
        for (int id = 0; id < map.length; id++) {
            map[id] = (byte) id;
        }
        return map;
    }

    // ---------------------------------------------------------------- out: this relay's tracks

    /** Starts sending a track of this relay's over the link (the router decided the link gets it). */
    void send(Producer producer) {
        LinkSender sender = new LinkSender(producer, this, nextTrack++);
        sent.add(sender);
        producer.attachLink(sender);
        sentChanged = true;
    }

    void onSentProducerClosed(LinkSender sender) {
        if (sent.remove(sender)) {
            sentChanged = true;
        }
    }

    /** The tracks this relay sends over the link now, oldest first. */
    public List<LinkSender> sent() {
        return List.copyOf(sent);
    }

    // ---------------------------------------------------------------- in: the far relay's tracks

    /**
     * Starts taking the far relay's track {@code track}: a producer of the link endpoint whose packets arrive over the
     * link, already normalised by the far relay (its payload type {@code codec}'s, canonical extension ids).
     *
     * @param rids its simulcast layers, lowest first, or empty for one stream
     * @return false when the link already takes a track of that number
     */
    public boolean receive(int track, String participantId, String trackId, MediaKind kind, TrackSource source,
                           RtpCodecSpec codec, List<String> rids, int outSsrc, int outRtxSsrc, LoopContext ctx) {
        if (received.containsKey(track) || endpoint.isClosed()) {
            return false;
        }
        Producer producer = new Producer(endpoint.id() + "-" + track, kind, source, endpoint, participantId, trackId,
                codec, codec.payloadType(), -1, CANONICAL_EXTENSIONS, outSsrc, outRtxSsrc, rids);
        received.put(track, producer);
        endpoint.addLinkedProducer(producer, ctx);
        return true;
    }

    /** The far relay stopped sending a track: its producer closes, and every subscriber's copy of it. */
    public void stopReceiving(int track) {
        Producer producer = received.remove(track);
        if (producer == null) {
            return;
        }
        for (int i = 0; i < producer.layerCount(); i++) {
            int ssrc = producer.layer(i).ssrc();
            if (ssrc != 0 && receivedBySsrc.get(ssrc) == producer.layer(i)) {
                receivedBySsrc.remove(ssrc);
            }
        }
        endpoint.removeLinkedProducer(producer);
    }

    /** The far relay's track numbers this link takes now. */
    public List<Integer> receivedTracks() {
        List<Integer> tracks = new ArrayList<>();
        received.forEach((track, producer) -> tracks.add(track));
        return tracks;
    }

    @Override
    public void onLinkRtp(int track, int layerIndex, PacketBuffer in, RtpPacket rtp, LoopContext ctx) {
        Producer producer = received.get(track);
        if (producer == null || layerIndex >= producer.layerCount()) {
            transport.counters().dropped(DropReason.UNKNOWN_SSRC);
            return;
        }
        Layer layer = producer.layer(layerIndex);
        if (layer.ssrc() != rtp.ssrc()) {
            // The first packet of a layer binds its SSRC; another SSRC on a bound layer is not the publisher's.
            if (layer.ssrc() != 0 || receivedBySsrc.containsKey(rtp.ssrc())
                    || !producer.bindSsrc(layer, rtp.ssrc(), false)) {
                transport.counters().dropped(DropReason.UNKNOWN_SSRC);
                return;
            }
            receivedBySsrc.put(rtp.ssrc(), layer);
        }
        producer.onRtp(layer, in, rtp, ctx);
    }

    // ---------------------------------------------------------------- RTCP both ways

    @Override
    public void onRtp(PacketBuffer in, RtpPacket rtp, LoopContext ctx) {
        throw new IllegalStateException("a link's RTP names its track"); // LinkTransport calls onLinkRtp
    }

    @Override
    public void onRtcp(byte[] buf, int off, int len, int type, LoopContext ctx) {
        if (type == RtcpHeader.SR) {
            SenderReport sr = ctx.senderReportView();
            if (sr.wrap(buf, off, len)) {
                Layer layer = receivedBySsrc.get(sr.senderSsrc());
                if (layer != null) {
                    layer.producer().onSenderReport(layer, buf, off, sr, ctx);
                }
            }
        } else if (type == RtcpHeader.RTPFB || type == RtcpHeader.PSFB) {
            onFeedback(buf, off, len, ctx);
        }
        // Nothing else crosses a link.
    }

    /** The far relay asks for a key frame, or for packets again, of a track this relay sends it. */
    private void onFeedback(byte[] buf, int off, int len, LoopContext ctx) {
        FeedbackPacket fb = ctx.feedback();
        if (!fb.wrap(buf, off, len)) {
            transport.counters().dropped(DropReason.MALFORMED_RTCP);
            return;
        }
        if (fb.isPictureLossIndication()) {
            requestKeyframe(fb.mediaSsrc(), ctx);
        } else if (fb.isFullIntraRequest()) {
            FullIntraRequest fir = ctx.fir();
            if (fir.wrap(buf, off, len)) {
                for (int entry = 0; entry < fir.entryCount(); entry++) {
                    requestKeyframe(fir.entrySsrc(entry), ctx);
                }
            }
        } else if (fb.isGenericNack()) {
            GenericNack nack = ctx.nack();
            for (int i = 0; i < sent.size(); i++) { // indexed: no iterator per feedback packet
                LinkSender sender = sent.get(i);
                Layer layer = layerOf(sender.producer(), fb.mediaSsrc());
                if (layer != null && nack.wrap(buf, off, len)) {
                    int[] lost = ctx.lostScratch();
                    sender.producer().repairForLink(sender, layer, lost, nack.lostSequenceNumbers(lost, 0), ctx);
                    return;
                }
            }
        }
    }

    private void requestKeyframe(int ssrc, LoopContext ctx) {
        for (int i = 0; i < sent.size(); i++) {
            LinkSender sender = sent.get(i);
            Layer layer = layerOf(sender.producer(), ssrc);
            if (layer != null) {
                sender.producer().requestKeyframe(layer, ctx);
                return;
            }
        }
    }

    private static Layer layerOf(Producer producer, int ssrc) {
        for (int i = 0; i < producer.layerCount(); i++) {
            Layer layer = producer.layer(i);
            if (layer.ssrc() == ssrc && ssrc != 0) {
                return layer;
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- life

    @Override
    public void onConnected(LoopContext ctx) {
        endpoint.onConnected(ctx);
    }

    /** Key-frame requests held back by their rate limit go out; the owner hears of a change in the tracks sent. */
    @Override
    public void onTick(LoopContext ctx) {
        for (Producer producer : endpoint.producers()) {
            producer.flushPendingKeyframeRequest(ctx);
        }
        if (sentChanged) {
            sentChanged = false;
            endpoint.linkTracksChanged();
        }
    }

    @Override
    public void onClosed(String reason) {
        for (LinkSender sender : sent) {
            sender.producer().removeLink(sender);
        }
        sent.clear();
        received.clear();
        receivedBySsrc.clear();
        endpoint.onClosed(reason);
    }

    LinkTransport transport() {
        return transport;
    }

    @Override
    public String toString() {
        return "Link[" + transport.id() + " sends " + sent.size() + ", receives " + received.size() + "]";
    }
}
