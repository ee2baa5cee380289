package dev.parley.relay.transport;

import dev.parley.relay.dtls.DtlsFingerprint;
import dev.parley.relay.dtls.DtlsSession;
import dev.parley.relay.ice.IceCredentials;
import dev.parley.relay.rtcp.Remb;
import dev.parley.relay.rtcp.ReportWriter;
import dev.parley.relay.rtcp.RtcpCompoundIterator;
import dev.parley.relay.rtcp.SenderReport;
import dev.parley.relay.rtcp.SourceDescription;
import dev.parley.relay.router.Consumer;
import dev.parley.relay.router.MediaKind;
import dev.parley.relay.router.Producer;
import dev.parley.relay.router.Router;
import dev.parley.relay.rtp.RtpPacket;
import dev.parley.relay.rtp.RtpReceiveStatistics;
import dev.parley.relay.srtp.PacketBuffer;
import dev.parley.relay.srtp.SrtpKeyingMaterial;
import dev.parley.relay.srtp.SrtpSession;
import dev.parley.relay.srtp.SrtpStatus;
import dev.parley.relay.stats.DropReason;
import dev.parley.relay.stats.TrafficCounters;
import dev.parley.relay.util.Bytes;
import dev.parley.relay.util.CopyOnWriteIntMap;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One participant's network connection to the relay (mediasoup's "transport"): ICE-lite state, the DTLS session, SRTP
 * in both directions, and the producers and consumers that ride on it. Every method runs on the relay loop thread,
 * except where stated.
 */
public final class WebRtcTransport {

    public enum Kind {
        /** A browser in a meeting: the relay offers, the browser answers; publishes and subscribes. */
        BROWSER,
        /** A WHIP ingest client: offers, publishes only. */
        WHIP,
        /** A WHEP player: offers, subscribes to one participant only. */
        WHEP
    }

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(WebRtcTransport.class);
    private static final int MAX_PENDING_DTLS = 16;
    private static final long REPORT_INTERVAL_NANOS = 1_000_000_000L;

    private final String id;
    private final Kind kind;
    private final String participantId;
    private final String cname;
    private final Router router;
    private final TransportHost host;
    private final IceCredentials localIce;
    private final TransportListener listener;
    private final int rtcpSsrc;
    private final long createdNanos;
    private final TrafficCounters counters = new TrafficCounters();

    private String remoteUfrag;
    private List<DtlsFingerprint> remoteFingerprints;
    private volatile InetSocketAddress selectedAddress;
    private final Set<InetSocketAddress> validatedAddresses = new LinkedHashSet<>();
    private long lastConsentNanos;
    private boolean iceConnected;

    private DtlsSession dtls;
    private final ArrayDeque<byte[]> pendingDtls = new ArrayDeque<>();
    private SrtpSession srtp;
    private boolean connected;
    private boolean closed;

    private final CopyOnWriteIntMap<Producer> producersBySsrc = new CopyOnWriteIntMap<>();
    private final CopyOnWriteIntMap<Consumer> consumersByOutSsrc = new CopyOnWriteIntMap<>();
    private final List<Producer> producers = new ArrayList<>();
    private final List<MediaSection> sections = new ArrayList<>();
    private int nextMid;
    private String whepTarget;

    private int offerVersion;
    private boolean awaitingAnswer;
    private boolean renegotiationNeeded;
    private long nextReportNanos;
    private final long bitrateCap;

    public WebRtcTransport(String id, Kind kind, String participantId, Router router, TransportHost host,
                           IceCredentials localIce, TransportListener listener, int rtcpSsrc, long nowNanos) {
        this.id = id;
        this.kind = kind;
        this.participantId = participantId;
        this.cname = "parley-" + participantId;
        this.router = router;
        this.host = host;
        this.localIce = localIce;
        this.listener = listener;
        this.rtcpSsrc = rtcpSsrc;
        this.createdNanos = nowNanos;
        this.nextReportNanos = nowNanos + REPORT_INTERVAL_NANOS;
        this.bitrateCap = host.videoBitrateCap();
    }

    // ---------------------------------------------------------------- ICE

    /** A connectivity check that passed MESSAGE-INTEGRITY arrived from {@code from}. */
    public void onValidCheck(InetSocketAddress from, boolean useCandidate, long nowNanos) {
        if (closed) {
            return;
        }
        lastConsentNanos = nowNanos;
        if (validatedAddresses.add(from)) {
            host.mapAddress(from, this);
        }
        if (selectedAddress == null || (useCandidate && !from.equals(selectedAddress))) {
            selectedAddress = from;
        }
        iceConnected = true;
    }

    /** Whether the username's remote part matches what the client's SDP announced (unknown yet: accepted). */
    public boolean acceptsRemoteUfrag(String ufrag) {
        return remoteUfrag == null || remoteUfrag.equals(ufrag);
    }

    // ---------------------------------------------------------------- DTLS

    public void onDtls(byte[] buf, int off, int len) {
        if (closed) {
            counters.dropped(DropReason.DTLS_REJECTED);
            return;
        }
        if (dtls == null) {
            if (remoteFingerprints == null) {
                if (pendingDtls.size() >= MAX_PENDING_DTLS) {
                    counters.dropped(DropReason.DTLS_REJECTED);
                    return;
                }
                byte[] copy = new byte[len];
                System.arraycopy(buf, off, copy, 0, len);
                pendingDtls.add(copy);
                return;
            }
            startDtls();
        }
        if (!dtls.onDatagram(buf, off, len)) {
            counters.dropped(DropReason.DTLS_REJECTED);
        }
    }

    private void startDtls() {
        dtls = host.newDtlsSession(this, remoteFingerprints, new DtlsSession.Listener() {
            @Override
            public void onHandshakeComplete(SrtpKeyingMaterial keys) {
                host.execute(() -> onSrtpKeys(keys));
            }

            @Override
            public void onClosed(String reason) {
                host.execute(() -> close("dtls: " + reason));
            }
        });
        while (!pendingDtls.isEmpty()) {
            byte[] datagram = pendingDtls.poll();
            dtls.onDatagram(datagram, 0, datagram.length);
        }
    }

    void onSrtpKeys(SrtpKeyingMaterial keys) {
        if (closed) {
            keys.wipe();
            return;
        }
        srtp = new SrtpSession(keys);
        keys.wipe();
        connected = true;
        LOG.info("Transport {} ({} {}) connected from {} with {}", id, kind, participantId, selectedAddress,
                srtp.profile());
        LoopContext ctx = host.context();
        for (MediaSection section : sections) {
            if (section.consumer() != null) {
                section.consumer().onTransportConnected(ctx);
            }
        }
        listener.onConnected();
    }

    // ---------------------------------------------------------------- media in

    public void onSrtp(byte[] buf, int off, int len, LoopContext ctx) {
        PacketBuffer in = unprotect(buf, off, len, false, ctx);
        if (in == null) {
            return;
        }
        RtpPacket rtp = ctx.rtp;
        if (!rtp.wrap(in.buffer(), in.offset(), in.length())) {
            counters.dropped(DropReason.MALFORMED_RTP);
            return;
        }
        Producer producer = producersBySsrc.get(rtp.ssrc());
        if (producer == null) {
            producer = learnSsrc(rtp);
            if (producer == null) {
                counters.dropped(DropReason.UNKNOWN_SSRC);
                return;
            }
        }
        producer.onRtp(in, rtp, ctx);
    }

    /** Counts the datagram and decrypts it in place; null (and the drop counted) when it cannot be used. */
    private PacketBuffer unprotect(byte[] buf, int off, int len, boolean rtcp, LoopContext ctx) {
        counters.received(len);
        if (srtp == null) {
            counters.dropped(DropReason.NOT_CONNECTED);
            return null;
        }
        PacketBuffer in = ctx.inbound;
        in.wrap(buf, off, len);
        SrtpStatus status = rtcp ? srtp.unprotectRtcp(in) : srtp.unprotectRtp(in);
        if (status != SrtpStatus.OK) {
            counters.dropped(dropReasonOf(status));
            return null;
        }
        return in;
    }

    /** A client that did not announce its SSRCs: bind an unknown SSRC to the producer whose payload type it uses. */
    private Producer learnSsrc(RtpPacket rtp) {
        for (Producer producer : producers) {
            if (producer.acceptsPayloadType(rtp.payloadType())) {
                boolean rtx = producer.isRtxPayloadType(rtp.payloadType());
                if (producer.bindSsrc(rtp.ssrc(), rtx)) {
                    producersBySsrc.put(rtp.ssrc(), producer);
                    return producer;
                }
            }
        }
        return null;
    }

    public void onSrtcp(byte[] buf, int off, int len, LoopContext ctx) {
        PacketBuffer in = unprotect(buf, off, len, true, ctx);
        if (in == null) {
            return;
        }
        RtcpCompoundIterator packets = ctx.rtcp;
        packets.reset(in.buffer(), in.offset(), in.length());
        while (packets.next()) {
            onRtcpPacket(in.buffer(), packets.offset(), packets.length(), packets.packetType(), ctx);
        }
        if (packets.status() != RtcpCompoundIterator.Status.END) {
            counters.dropped(DropReason.MALFORMED_RTCP);
        }
    }

    private void onRtcpPacket(byte[] buf, int off, int len, int type, LoopContext ctx) {
        switch (type) {
            case 200 -> {
                SenderReport sr = ctx.senderReport;
                if (sr.wrap(buf, off, len)) {
                    Producer producer = producersBySsrc.get(sr.senderSsrc());
                    if (producer != null) {
                        producer.onSenderReport(buf, off, sr, ctx);
                    }
                }
            }
            case 205, 206 -> onFeedback(buf, off, len, ctx);
            default -> {
                // Receiver reports, SDES, BYE and APP carry nothing the relay acts on.
            }
        }
    }

    private void onFeedback(byte[] buf, int off, int len, LoopContext ctx) {
        var fb = ctx.feedback;
        if (!fb.wrap(buf, off, len)) {
            counters.dropped(DropReason.MALFORMED_RTCP);
            return;
        }
        if (fb.isPictureLossIndication()) {
            Consumer consumer = consumersByOutSsrc.get(fb.mediaSsrc());
            if (consumer != null) {
                consumer.producer().requestKeyframe(ctx);
            }
        } else if (fb.isFullIntraRequest()) {
            // FIR names its targets in the FCI entries (RFC 5104 4.3.1); the media SSRC field is unused.
            int fci = fb.fciOffset();
            for (int entry = 0; entry + 8 <= fb.fciLength(); entry += 8) {
                int target = Bytes.int32(buf, fci + entry);
                Consumer consumer = consumersByOutSsrc.get(target);
                if (consumer != null) {
                    consumer.producer().requestKeyframe(ctx);
                }
            }
        } else if (fb.isGenericNack()) {
            Consumer consumer = consumersByOutSsrc.get(fb.mediaSsrc());
            if (consumer != null && consumer.producer().kind() == MediaKind.VIDEO) {
                PacketBuffer out = ctx.control;
                System.arraycopy(buf, off, out.buffer(), 0, len);
                out.set(0, len);
                if (ctx.feedback.wrap(out.buffer(), 0, len)) {
                    consumer.producer().forwardNack(out, ctx.feedback, ctx);
                }
            }
        }
    }

    private static DropReason dropReasonOf(SrtpStatus status) {
        return switch (status) {
            case AUTH_FAIL -> DropReason.SRTP_AUTH;
            case REPLAY, REPLAY_OLD -> DropReason.SRTP_REPLAY;
            default -> DropReason.SRTP_OTHER;
        };
    }

    // ---------------------------------------------------------------- media out

    /** Protects and sends an RTP packet prepared in {@code out}; returns whether it left the socket. */
    public boolean sendRtp(PacketBuffer out, LoopContext ctx) {
        InetSocketAddress to = selectedAddress;
        if (srtp == null || to == null || closed) {
            return false;
        }
        SrtpStatus status = srtp.protectRtp(out);
        if (status != SrtpStatus.OK) {
            counters.dropped(DropReason.SRTP_OTHER);
            return false;
        }
        return transmit(out, to, ctx);
    }

    /** Protects and sends an RTCP packet prepared in {@code out}. */
    public boolean sendRtcp(PacketBuffer out, LoopContext ctx) {
        InetSocketAddress to = selectedAddress;
        if (srtp == null || to == null || closed) {
            return false;
        }
        if (srtp.protectRtcp(out) != SrtpStatus.OK) {
            counters.dropped(DropReason.SRTP_OTHER);
            return false;
        }
        return transmit(out, to, ctx);
    }

    private boolean transmit(PacketBuffer out, InetSocketAddress to, LoopContext ctx) {
        if (ctx.sender.send(out.buffer(), out.offset(), out.length(), to)) {
            counters.sent(out.length());
            return true;
        }
        counters.dropped(DropReason.SEND_FAILED);
        return false;
    }

    // ---------------------------------------------------------------- periodic work

    /** Runs every few tens of milliseconds on the loop: timeouts, held-back keyframe requests, receiver reports. */
    public void tick(LoopContext ctx) {
        long now = ctx.nowNanos;
        if (!iceConnected && now - createdNanos > host.consentTimeoutNanos()) {
            close("ice-timeout");
            return;
        }
        if (iceConnected && now - lastConsentNanos > host.consentTimeoutNanos()) {
            close("ice-consent-expired");
            return;
        }
        for (Producer producer : producers) {
            producer.flushPendingKeyframeRequest(ctx);
        }
        if (connected && now >= nextReportNanos) {
            nextReportNanos = now + REPORT_INTERVAL_NANOS;
            sendReceiverReports(ctx);
        }
    }

    private void sendReceiverReports(LoopContext ctx) {
        if (producers.isEmpty()) {
            return;
        }
        PacketBuffer out = ctx.control;
        byte[] b = out.buffer();
        ReportWriter writer = ctx.reportWriter.beginReceiverReport(b, 0, rtcpSsrc);
        long nowMillis = ctx.nowNanos / 1_000_000;
        int videoSsrcs = 0;
        int[] ssrcs = ctx.ssrcScratch;
        for (Producer producer : producers) {
            RtpReceiveStatistics stats = producer.statistics();
            if (stats != null && stats.isValid()) {
                writer.addReportBlock(producer.ssrc(), stats.closeInterval(), stats.cumulativeLost(),
                        stats.extendedHighestSequenceNumber(), stats.jitter(), stats.lastSenderReport(),
                        stats.delaySinceLastSenderReport(nowMillis));
            }
            if (producer.kind() == MediaKind.VIDEO && producer.ssrc() != 0 && videoSsrcs < ssrcs.length) {
                ssrcs[videoSsrcs++] = producer.ssrc();
            }
        }
        int len = writer.finish();
        if (len < 0) {
            return;
        }
        len += SourceDescription.writeCname(b, len, rtcpSsrc, cname.getBytes(StandardCharsets.US_ASCII));
        if (videoSsrcs > 0) {
            len += Remb.write(b, len, rtcpSsrc, bitrateCap, ssrcs, videoSsrcs);
        }
        out.set(0, len);
        sendRtcp(out, ctx);
    }

    // ---------------------------------------------------------------- media graph

    /** Whether this transport should receive a copy of the producer. */
    public boolean wantsToConsume(Producer producer) {
        if (closed || producer.transport() == this) {
            return false;
        }
        return switch (kind) {
            case BROWSER -> true;
            case WHIP -> false;
            case WHEP -> producer.transport().participantId().equals(whepTarget)
                    && sections.stream().anyMatch(s -> s.role() == MediaSection.Role.CONSUME && s.consumer() == null
                            && s.kind() == producer.kind());
        };
    }

    /** Creates the consumer for a producer (the router decided this transport wants it). */
    public void consume(Producer producer, LoopContext ctx) {
        MediaSection section;
        if (kind == Kind.WHEP) {
            section = sections.stream().filter(s -> s.role() == MediaSection.Role.CONSUME && s.consumer() == null
                    && s.kind() == producer.kind()).findFirst().orElse(null);
            if (section == null) {
                return;
            }
        } else {
            section = new MediaSection(String.valueOf(nextMid++), producer.kind(), MediaSection.Role.CONSUME);
            sections.add(section);
            renegotiationNeeded = true;
            host.negotiationNeeded(this);
        }
        Consumer consumer = new Consumer(producer, this, section.mid(), section.consumerPayloadTypeMap(),
                section.consumerExtensionMap());
        section.setConsumer(consumer);
        consumersByOutSsrc.put(producer.outSsrc(), consumer);
        if (producer.outRtxSsrc() != 0) {
            consumersByOutSsrc.put(producer.outRtxSsrc(), consumer);
        }
        producer.attach(consumer);
        if (kind == Kind.WHEP) {
            consumer.onNegotiated(ctx);
        }
    }

    /** A consumer ended (its producer closed): the m-section goes inactive at the next offer. */
    public void onConsumerClosed(Consumer consumer) {
        consumersByOutSsrc.remove(consumer.producer().outSsrc());
        if (consumer.producer().outRtxSsrc() != 0) {
            consumersByOutSsrc.remove(consumer.producer().outRtxSsrc());
        }
        if (kind == Kind.BROWSER && !closed) {
            renegotiationNeeded = true;
            host.negotiationNeeded(this);
        }
    }

    /** Adds a producer of this transport (from an answer or a WHIP offer) and tells the router. */
    public void addProducer(MediaSection section, Producer producer, int announcedSsrc, int announcedRtxSsrc,
                            LoopContext ctx) {
        section.setProducer(producer);
        producers.add(producer);
        if (announcedSsrc != 0 && producer.bindSsrc(announcedSsrc, false)) {
            producersBySsrc.put(announcedSsrc, producer);
        }
        if (announcedRtxSsrc != 0 && producer.bindSsrc(announcedRtxSsrc, true)) {
            producersBySsrc.put(announcedRtxSsrc, producer);
        }
        router.addProducer(producer, ctx);
    }

    /** The client stopped publishing into a section. */
    public void removeProducer(MediaSection section) {
        Producer producer = section.producer();
        if (producer == null) {
            return;
        }
        section.setProducer(null);
        producers.remove(producer);
        if (producer.ssrc() != 0) {
            producersBySsrc.remove(producer.ssrc());
        }
        if (producer.rtxSsrc() != 0) {
            producersBySsrc.remove(producer.rtxSsrc());
        }
        router.removeProducer(producer);
    }

    public MediaSection addSection(MediaKind mediaKind, MediaSection.Role role, String mid) {
        MediaSection section = new MediaSection(mid == null ? String.valueOf(nextMid++) : mid, mediaKind, role);
        sections.add(section);
        return section;
    }

    // ---------------------------------------------------------------- negotiation state (browser transports)

    public boolean needsOffer() {
        return kind == Kind.BROWSER && renegotiationNeeded && !awaitingAnswer && !closed;
    }

    /** Marks an offer as sent and returns its version. */
    public int beginOffer() {
        renegotiationNeeded = false;
        awaitingAnswer = true;
        return ++offerVersion;
    }

    public void requireOffer() {
        renegotiationNeeded = true;
        host.negotiationNeeded(this);
    }

    public boolean isAwaitingAnswer(int version) {
        return awaitingAnswer && version == offerVersion;
    }

    public void answerApplied() {
        awaitingAnswer = false;
        if (renegotiationNeeded) {
            host.negotiationNeeded(this);
        }
    }

    /** What the client's SDP says about its side of ICE and DTLS. */
    public void setRemoteParameters(String ufrag, List<DtlsFingerprint> fingerprints) {
        if (remoteUfrag == null) {
            remoteUfrag = ufrag;
        }
        if (remoteFingerprints == null && fingerprints != null && !fingerprints.isEmpty()) {
            remoteFingerprints = List.copyOf(fingerprints);
            if (!pendingDtls.isEmpty() && dtls == null) {
                startDtls();
            }
        }
    }

    public void setWhepTarget(String participantId) {
        this.whepTarget = participantId;
    }

    // ---------------------------------------------------------------- closing

    /** Closes the transport, its producers (and so their consumers elsewhere) and its consumers. */
    public void close(String reason) {
        if (closed) {
            return;
        }
        closed = true;
        connected = false;
        for (MediaSection section : sections) {
            if (section.consumer() != null) {
                section.consumer().close();
            }
        }
        router.removeTransport(this);
        producers.clear();
        if (dtls != null) {
            dtls.close();
        }
        if (srtp != null) {
            srtp.close();
        }
        pendingDtls.clear();
        host.unregister(this, validatedAddresses);
        listener.onClosed(reason);
    }

    // ---------------------------------------------------------------- accessors

    public String id() {
        return id;
    }

    public Kind kind() {
        return kind;
    }

    public String participantId() {
        return participantId;
    }

    public String cname() {
        return cname;
    }

    public Router router() {
        return router;
    }

    public IceCredentials localIce() {
        return localIce;
    }

    public TransportListener listener() {
        return listener;
    }

    public int rtcpSsrc() {
        return rtcpSsrc;
    }

    public TrafficCounters counters() {
        return counters;
    }

    public boolean isConnected() {
        return connected;
    }

    public boolean isIceConnected() {
        return iceConnected;
    }

    public boolean isClosed() {
        return closed;
    }

    public InetSocketAddress selectedAddress() {
        return selectedAddress;
    }

    public List<MediaSection> sections() {
        return Collections.unmodifiableList(sections);
    }

    public List<Producer> producers() {
        return Collections.unmodifiableList(producers);
    }

    public int offerVersion() {
        return offerVersion;
    }

    public String srtpProfile() {
        return srtp == null ? null : srtp.profile().name();
    }

    @Override
    public String toString() {
        return "WebRtcTransport[" + id + " " + kind + " participant=" + participantId + "]";
    }
}
