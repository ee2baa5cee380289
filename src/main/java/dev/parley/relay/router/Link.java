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
    private final CopyOnWriteIntMap<LinkSender> sentByTrack = new CopyOnWriteIntMap<>();
    private final CopyOnWriteIntMap<Producer> received = new CopyOnWriteIntMap<>();
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
        if (nextTrack > LinkTransport.MAX_TRACK) {
            return; // a billion tracks over one link: its numbers, and so its SSRCs, are never reused
        }
        LinkSender sender = new LinkSender(producer, this, nextTrack++);
        sent.add(sender);
        sentByTrack.put(sender.track(), sender);
        producer.attachLink(sender);
        sentChanged = true;
    }

    void onSentProducerClosed(LinkSender sender) {
        if (sent.remove(sender)) {
            sentByTrack.remove(sender.track());
            transport.forgetSent(sender.track(), sender.producer().layerCount());
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
        if (received.containsKey(track) || endpoint.isClosed() || track < 1 || track > LinkTransport.MAX_TRACK) {
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
        transport.forgetReceived(track, producer.layerCount());
        endpoint.removeLinkedProducer(producer);
    }

    /** The far relay's track numbers this link takes now. */
    public List<Integer> receivedTracks() {
        List<Integer> tracks = new ArrayList<>();
        received.forEach((track, producer) -> tracks.add(track));
        return tracks;
    }

    @Override
    public boolean receives(int track, int layer) {
        Producer producer = received.get(track);
        return producer != null && layer < producer.layerCount();
    }

    /** The transport checked that the SSRC is the link's for this track and layer ({@link LinkTransport#ssrc}). */
    @Override
    public void onLinkRtp(int track, int layerIndex, PacketBuffer in, RtpPacket rtp, LoopContext ctx) {
        Producer producer = received.get(track);
        if (producer == null || layerIndex >= producer.layerCount()) {
            transport.counters().dropped(DropReason.UNKNOWN_SSRC);
            return;
        }
        Layer layer = producer.layer(layerIndex);
        if (layer.ssrc() != rtp.ssrc() && (layer.ssrc() != 0 || !producer.bindSsrc(layer, rtp.ssrc(), false))) {
            transport.counters().dropped(DropReason.UNKNOWN_SSRC); // the first packet of a layer binds its SSRC
            return;
        }
        producer.onRtp(layer, in, rtp, ctx);
    }

    /** The layer of a far relay's track that a link SSRC names, once its first packet bound it; else null. */
    private Layer receivedLayer(int ssrc) {
        Producer producer = received.get(LinkTransport.track(ssrc));
        int index = LinkTransport.layer(ssrc);
        if (producer == null || index >= producer.layerCount() || producer.layer(index).ssrc() != ssrc || ssrc == 0) {
            return null;
        }
        return producer.layer(index);
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
                Layer layer = receivedLayer(sr.senderSsrc());
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
            LinkSender sender = sentByTrack.get(LinkTransport.track(fb.mediaSsrc()));
            Layer layer = sentLayer(sender, fb.mediaSsrc());
            GenericNack nack = ctx.nack();
            if (layer != null && nack.wrap(buf, off, len)) {
                int[] lost = ctx.lostScratch();
                sender.producer().repairForLink(sender, layer, lost, nack.lostSequenceNumbers(lost, 0), ctx);
            }
        }
    }

    private void requestKeyframe(int ssrc, LoopContext ctx) {
        LinkSender sender = sentByTrack.get(LinkTransport.track(ssrc));
        Layer layer = sentLayer(sender, ssrc);
        if (layer != null) {
            sender.producer().requestKeyframe(layer, ctx);
        }
    }

    /** The layer of one of this relay's tracks that a link SSRC names, or null. */
    private static Layer sentLayer(LinkSender sender, int ssrc) {
        int index = LinkTransport.layer(ssrc);
        if (sender == null || index >= sender.producer().layerCount()) {
            return null;
        }
        return sender.producer().layer(index);
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
        sentByTrack.clear();
        received.clear();
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
