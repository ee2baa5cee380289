package dev.parley.relay.client;

import dev.parley.relay.dtls.DtlsCertificate;
import dev.parley.relay.dtls.DtlsFingerprint;
import dev.parley.relay.dtls.QueuedDatagramTransport;
import dev.parley.relay.packet.PacketKind;
import dev.parley.relay.router.MediaKind;
import dev.parley.relay.srtp.PacketBuffer;
import dev.parley.relay.srtp.SrtpKeyingMaterial;
import dev.parley.relay.srtp.SrtpProfile;
import dev.parley.relay.srtp.SrtpSession;
import dev.parley.relay.srtp.SrtpStatus;
import dev.parley.relay.util.CopyOnWriteIntMap;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A WebRTC endpoint without a browser, for tests and the load generator: one UDP socket, BUNDLE and rtcp-mux,
 * a controlling ICE agent against an ICE-lite peer, the DTLS client role, SRTP, and synthetic Opus and VP8 media that
 * carry probes for latency, loss and reordering.
 *
 * <h2>Use</h2>
 * <pre>
 * try (WebRtcEndpoint endpoint = WebRtcEndpoint.open(EndpointConfig.defaults())) {
 *     // WHIP/WHEP: we offer
 *     String offer = endpoint.createOffer(OfferOptions.whip());
 *     endpoint.applyAnswer(answerFromServer);
 *     // or Parley signalling: the server offers, as often as it likes
 *     endpoint.applyOffer(offerFromServer);
 *     String answer = endpoint.createAnswer();
 *
 *     endpoint.connect(Duration.ofSeconds(10));      // ICE, then DTLS, then SRTP
 *     endpoint.videoStream().sendVideoFrame(4000, true);
 *     endpoint.awaitPackets("1", 100, Duration.ofSeconds(5));
 * }
 * </pre>
 *
 * <h2>Threads</h2>
 * One receive thread per endpoint (or a {@link ReceiveLoop} shared with other endpoints, see
 * {@link EndpointConfig#receiveLoop()}) reads the socket and demultiplexes by first byte (RFC 7983): STUN to the ICE
 * agent, DTLS to the handshake's queue, SRTP/SRTCP decrypted in place and accounted without allocating (what comes
 * before the keys exist is kept in copies until they do). A scheduler (one thread of its own, or shared through
 * {@link EndpointConfig#timer()}) runs the ICE retransmissions and consent checks, RTCP reports, post-handshake DTLS
 * records and paced senders. {@link #connect} blocks its caller for the ICE checks and the DTLS handshake. Sending
 * methods may be called from any thread.
 */
public final class WebRtcEndpoint implements AutoCloseable {

    public enum State { NEW, CONNECTING, CONNECTED, FAILED, CLOSED }

    private static final Logger LOG = LoggerFactory.getLogger(WebRtcEndpoint.class);
    private static final int RECEIVE_BUFFER = 4096;
    private static final int MAX_DTLS_RECORDS_PER_DRAIN = 64;
    private static final int DTLS_QUEUE_CAPACITY = 64;
    /**
     * SRTP/SRTCP kept while the handshake's last flight is processed: the relay (DTLS server) is done a flight before
     * this client and may send media at once, its first video packet being the keyframe a subscriber starts on. Pion
     * buffers the same way; dropping them made a player start mid-picture on a loaded machine.
     */
    private static final int EARLY_PACKETS = 256;
    private static final char[] ICE_CHARS =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".toCharArray();

    private final EndpointConfig config;
    private final DatagramChannel channel;
    private final InetSocketAddress localAddress;
    private final ScheduledExecutorService timer;
    private final boolean ownsTimer;
    private final SecureRandom random = new SecureRandom();
    private final DtlsCertificate certificate;
    private final SdpNegotiator negotiator;
    private final IceAgent ice;
    private final QueuedDatagramTransport dtlsTransport;
    private final LatencyHistogram latency = new LatencyHistogram();
    private final MediaReceiver receiver;
    private final RtcpReporter reporter;
    private final CopyOnWriteIntMap<OutboundStream> outboundBySsrc = new CopyOnWriteIntMap<>();
    private final List<OutboundStream> outbound = new CopyOnWriteArrayList<>();
    private final List<PacedSender> pacedSenders = new CopyOnWriteArrayList<>();
    private final Thread receiveThread;
    private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
    private final Object dtlsLock = new Object();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final RtpTransmitter transmitter = this::transmitRtp;

    private volatile String failureReason;
    private volatile InetSocketAddress remote;
    private volatile SrtpSession srtp;
    private volatile SrtpProfile srtpProfile;
    private volatile DTLSTransport dtls;
    private volatile DtlsSrtpClient dtlsClient;
    private volatile ScheduledFuture<?> rtcpTask;
    /** Kept so tests in this package can compare both ends' keys; wiped on close. */
    private volatile SrtpKeyingMaterial keyingMaterial;

    // written by the receive thread only
    private volatile long datagramsReceived;
    private volatile long droppedUnknownSource;
    private volatile long droppedUnknownKind;
    private volatile long droppedNotConnected;
    private volatile long keptBeforeKeys;
    private final ArrayDeque<byte[]> early = new ArrayDeque<>();
    private volatile long srtpFailures;
    private volatile long srtcpFailures;
    private final AtomicLong sendErrors = new AtomicLong();

    private WebRtcEndpoint(EndpointConfig config, DatagramChannel channel) throws IOException {
        this.config = config;
        this.certificate = config.certificate() != null ? config.certificate() : DtlsCertificate.generate();
        this.channel = channel;
        this.localAddress = (InetSocketAddress) channel.getLocalAddress();
        if (config.timer() != null) {
            this.timer = config.timer();
            this.ownsTimer = false;
        } else {
            this.timer = Executors.newSingleThreadScheduledExecutor(daemon("webrtc-" + config.name() + "-timer"));
            this.ownsTimer = true;
        }
        String iceUfrag = iceString(8);
        String cname = iceString(16);
        this.negotiator = new SdpNegotiator(iceUfrag, iceString(24), certificate.fingerprint(), cname,
                "parley-" + iceString(8).replace('+', 'x').replace('/', 'y'), random);
        this.ice = new IceAgent(iceUfrag, config.localAddress(), this::sendDatagram, timer,
                new IceAgent.IceTimings(config.iceCheckInterval(), config.iceTimeout(), config.consentInterval(),
                        config.consentTimeout()), random);
        this.dtlsTransport = new QueuedDatagramTransport(this::sendDtls, DTLS_QUEUE_CAPACITY);
        this.receiver = new MediaReceiver(outboundBySsrc::get, latency, config.mediaListener());
        this.reporter = new RtcpReporter(cname.getBytes(StandardCharsets.UTF_8), random.nextInt() | 1);
        if (config.receiveLoop() != null) {
            this.receiveThread = null;
            channel.configureBlocking(false);
            try {
                config.receiveLoop().register(channel, this::onReceived);
            } catch (IOException | RuntimeException e) {
                if (ownsTimer) {
                    timer.shutdownNow();
                }
                throw e;
            }
        } else {
            this.receiveThread = daemon("webrtc-" + config.name() + "-receive").newThread(this::receiveLoop);
            receiveThread.start();
        }
    }

    /** Binds the socket and starts the receive thread. */
    public static WebRtcEndpoint open(EndpointConfig config) throws IOException {
        Objects.requireNonNull(config, "config");
        DatagramChannel channel = DatagramChannel.open();
        try {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, config.receiveBufferBytes());
            channel.bind(new InetSocketAddress(config.localAddress(), config.localPort()));
            return new WebRtcEndpoint(config, channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    public static WebRtcEndpoint open() throws IOException {
        return open(EndpointConfig.defaults());
    }

    /**
     * Pays jitsi-srtp's one-time start-up (native library, cipher benchmarks: seconds on a busy machine) now, so that
     * the first packet of the first endpoint does not. Call once per JVM, e.g. when the load generator starts.
     */
    public static void warmUp() {
        SrtpSession.warmUp();
    }

    // ---------------------------------------------------------------- negotiation

    /** An offer (WHIP/WHEP style); answer it with {@link #applyAnswer}. Only once, as the first negotiation. */
    public String createOffer(OfferOptions options) {
        return negotiator.createOffer(options);
    }

    /** Applies the answer to {@link #createOffer}. */
    public void applyAnswer(String answerSdp) {
        negotiator.applyAnswer(answerSdp);
        commitNegotiation();
    }

    /**
     * Applies a remote offer (Parley signalling): recvonly sections are ones we publish into (we answer sendonly with
     * our SSRCs), sendonly sections are remote tracks (we answer recvonly), inactive and port-0 sections are answered
     * inactive and port 0. Repeated offers renegotiate on the same ICE/DTLS session.
     */
    public void applyOffer(String offerSdp) {
        negotiator.applyOffer(offerSdp);
    }

    /**
     * As {@link #applyOffer(String)}, but the m-sections with these mids are answered {@code a=inactive}: a
     * receive-only participant declines the sections Parley offers it to publish into, so the relay creates no
     * producers (and announces no tracks) for it.
     */
    public void applyOffer(String offerSdp, Set<String> declinedMids) {
        negotiator.applyOffer(offerSdp, Set.copyOf(declinedMids));
    }

    /** The answer to the offer given to {@link #applyOffer}; the new sections are live when this returns. */
    public String createAnswer() {
        String answer = negotiator.createAnswer();
        commitNegotiation();
        return answer;
    }

    private synchronized void commitNegotiation() {
        List<Transceiver> transceivers = negotiator.transceivers();
        for (Transceiver t : transceivers) {
            OutboundStream existing = outboundStream(t.mid());
            if (t.sending() && existing == null) {
                OutboundStream stream = new OutboundStream(t.mid(), t.kind(), (int) t.localSsrc(), t.payloadType(),
                        t.midExtensionId(), config.maxPayloadSize(), transmitter);
                outboundBySsrc.put(stream.ssrc(), stream);
                outbound.add(stream);
            } else if (existing != null) {
                existing.setActive(t.sending());
            }
        }
        receiver.setRouting(new ReceiveRouting(transceivers));
    }

    /** The negotiated m-sections (after {@link #applyAnswer} or {@link #createAnswer}). */
    public List<Transceiver> transceivers() {
        return negotiator.transceivers();
    }

    /** The remote side's ICE credentials, candidates and fingerprints, or null before a negotiation. */
    public RemoteTransport remoteTransport() {
        return negotiator.remoteTransport();
    }

    // ---------------------------------------------------------------- connecting

    /**
     * Runs the ICE checks against the remote candidates, then the DTLS handshake, then sets up SRTP. Blocks the
     * caller; returns at once if already connected.
     *
     * @throws WebRtcException with the stage that failed; the endpoint is then {@link State#FAILED}
     */
    public void connect(Duration timeout) throws WebRtcException {
        RemoteTransport transport = negotiator.remoteTransport();
        if (transport == null) {
            throw new WebRtcException(WebRtcException.Stage.STATE, "negotiate first: no remote description");
        }
        if (!state.compareAndSet(State.NEW, State.CONNECTING)) {
            if (state.get() == State.CONNECTED) {
                return;
            }
            throw new WebRtcException(WebRtcException.Stage.STATE, "cannot connect in state " + state.get()
                    + (failureReason != null ? " (" + failureReason + ")" : ""));
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            InetSocketAddress selected = awaitNomination(transport, deadline);
            remote = selected;
            handshake(transport, deadline);
            if (!state.compareAndSet(State.CONNECTING, State.CONNECTED)) {
                throw new WebRtcException(WebRtcException.Stage.STATE, "closed while connecting");
            }
            ice.startConsent(reason -> fail("ICE consent lost: " + reason));
            long interval = config.rtcpInterval().toMillis();
            rtcpTask = timer.scheduleAtFixedRate(this::sendReports, interval, interval, TimeUnit.MILLISECONDS);
            if (dtlsTransport.hasQueued()) {
                scheduleDtlsDrain();
            }
        } catch (WebRtcException e) {
            fail(e.getMessage());
            throw e;
        }
    }

    /** {@link #connect} on the given executor. */
    public CompletableFuture<Void> connectAsync(Duration timeout, Executor executor) {
        return CompletableFuture.runAsync(() -> {
            try {
                connect(timeout);
            } catch (WebRtcException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        }, executor);
    }

    private InetSocketAddress awaitNomination(RemoteTransport transport, long deadline) throws WebRtcException {
        try {
            return ice.start(transport).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebRtcException w) {
                throw w;
            }
            throw new WebRtcException(WebRtcException.Stage.ICE, "ICE failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new WebRtcException(WebRtcException.Stage.ICE, "no verified answer to the connectivity checks "
                    + "before the connect timeout", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WebRtcException(WebRtcException.Stage.STATE, "interrupted while connecting", e);
        }
    }

    private void handshake(RemoteTransport transport, long deadline) throws WebRtcException {
        long remainingMillis = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
        int timeoutMillis = (int) Math.min(config.dtlsHandshakeTimeout().toMillis(), remainingMillis);
        DtlsSrtpClient client = DtlsSrtpClient.builder(certificate, transport.fingerprints())
                .crypto(new BcTlsCrypto(random)).profiles(config.srtpProfiles()).handshakeTimeoutMillis(timeoutMillis)
                .build();
        dtlsClient = client;
        DTLSTransport connected;
        try {
            connected = new DTLSClientProtocol().connect(client, dtlsTransport);
        } catch (IOException | RuntimeException e) {
            String why = state.get() == State.CLOSED ? "closed during the DTLS handshake"
                    : client.failure() != null ? client.failure() : e.toString();
            throw new WebRtcException(WebRtcException.Stage.DTLS, "DTLS handshake failed: " + why, e);
        }
        SrtpKeyingMaterial keys = client.takeKeyingMaterial();
        keyingMaterial = keys;
        srtpProfile = keys.profile();
        srtp = new SrtpSession(keys, config.maxSrtpSsrcs());
        synchronized (dtlsLock) {
            dtls = connected;
        }
    }

    private void fail(String reason) {
        State previous = state.get();
        while (previous == State.NEW || previous == State.CONNECTING || previous == State.CONNECTED) {
            if (state.compareAndSet(previous, State.FAILED)) {
                failureReason = reason;
                LOG.debug("endpoint {} failed: {}", config.name(), reason);
                ScheduledFuture<?> task = rtcpTask;
                if (task != null) {
                    task.cancel(false);
                }
                pacedSenders.forEach(PacedSender::stop);
                ice.close();
                return;
            }
            previous = state.get();
        }
    }

    // ---------------------------------------------------------------- receive path

    private void receiveLoop() {
        byte[] buf = new byte[RECEIVE_BUFFER];
        ByteBuffer datagram = ByteBuffer.wrap(buf);
        PacketBuffer packet = new PacketBuffer(buf, 0, 0);
        while (true) {
            InetSocketAddress from;
            datagram.clear();
            try {
                from = (InetSocketAddress) channel.receive(datagram);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException | RuntimeException e) {
                if (!channel.isOpen()) {
                    return;
                }
                continue;
            }
            if (from == null) {
                continue;
            }
            onReceived(buf, datagram.position(), from, packet);
        }
    }

    /** One datagram from the socket, on the receive thread or the shared {@link ReceiveLoop}. */
    private void onReceived(byte[] buf, int len, InetSocketAddress from, PacketBuffer packet) {
        datagramsReceived = datagramsReceived + 1;
        try {
            onDatagram(buf, len, from, packet);
        } catch (RuntimeException e) {
            LOG.warn("endpoint {} dropped a datagram", config.name(), e);
        }
    }

    private void onDatagram(byte[] buf, int len, InetSocketAddress from, PacketBuffer packet) {
        PacketKind kind = PacketKind.classify(buf, 0, len);
        if (kind == PacketKind.STUN) {
            ice.onStun(buf, 0, len, from);
            return;
        }
        if (kind == PacketKind.UNKNOWN) {
            droppedUnknownKind = droppedUnknownKind + 1;
            return;
        }
        if (!from.equals(remote)) {
            droppedUnknownSource = droppedUnknownSource + 1;
            return;
        }
        if (kind == PacketKind.DTLS) {
            if (dtlsTransport.offer(buf, 0, len) && state.get() == State.CONNECTED) {
                scheduleDtlsDrain();
            }
            return;
        }
        SrtpSession session = srtp;
        if (session == null) {
            if (early.size() < EARLY_PACKETS) {
                early.add(Arrays.copyOf(buf, len));
                keptBeforeKeys = keptBeforeKeys + 1;
            } else {
                droppedNotConnected = droppedNotConnected + 1;
            }
            return;
        }
        while (!early.isEmpty()) {
            byte[] kept = early.poll();
            PacketBuffer keptPacket = new PacketBuffer(kept, 0, kept.length);
            unprotect(session, PacketKind.classify(kept, 0, kept.length), keptPacket);
        }
        packet.wrap(buf, 0, len);
        unprotect(session, kind, packet);
    }

    private void unprotect(SrtpSession session, PacketKind kind, PacketBuffer packet) {
        if (kind == PacketKind.RTP) {
            if (session.unprotectRtp(packet) == SrtpStatus.OK) {
                receiver.onRtp(packet.buffer(), packet.offset(), packet.length(), System.nanoTime());
            } else {
                srtpFailures = srtpFailures + 1;
            }
        } else if (session.unprotectRtcp(packet) == SrtpStatus.OK) {
            receiver.onRtcp(packet.buffer(), packet.offset(), packet.length(), System.nanoTime() / 1_000_000);
        } else {
            srtcpFailures = srtcpFailures + 1;
        }
    }

    /**
     * After the handshake, DTLS records (a close_notify, an alert, a retransmitted flight) are fed through
     * BouncyCastle by a short task on the timer, so no thread waits on an idle DTLS connection.
     */
    private void scheduleDtlsDrain() {
        if (drainScheduled.compareAndSet(false, true)) {
            try {
                timer.execute(this::drainDtls);
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                drainScheduled.set(false);
            }
        }
    }

    private void drainDtls() {
        drainScheduled.set(false);
        String failure = null;
        synchronized (dtlsLock) {
            DTLSTransport connected = dtls;
            DtlsSrtpClient client = dtlsClient;
            if (connected == null || state.get() != State.CONNECTED) {
                return;
            }
            byte[] scratch = new byte[QueuedDatagramTransport.RECEIVE_LIMIT];
            try {
                for (int i = 0; i < MAX_DTLS_RECORDS_PER_DRAIN && dtlsTransport.hasQueued()
                        && !client.closeNotifyReceived(); i++) {
                    connected.receive(scratch, 0, scratch.length, 1); // application data: none expected, dropped
                }
            } catch (IOException | RuntimeException e) {
                failure = client.closeNotifyReceived() ? "the peer sent close_notify"
                        : client.failure() != null ? client.failure() : "DTLS failed: " + e;
            }
            if (failure == null && client.closeNotifyReceived()) {
                failure = "the peer sent close_notify";
            }
        }
        if (failure != null) {
            fail(failure);
        } else if (dtlsTransport.hasQueued()) {
            scheduleDtlsDrain();
        }
    }

    // ---------------------------------------------------------------- send path

    private boolean transmitRtp(PacketBuffer packet, ByteBuffer view) {
        SrtpSession session = srtp;
        InetSocketAddress to = remote;
        if (session == null || state.get() != State.CONNECTED) {
            return false;
        }
        if (session.protectRtp(packet) != SrtpStatus.OK) {
            sendErrors.incrementAndGet();
            return false;
        }
        ByteBuffer out = view.array() == packet.buffer() ? view : ByteBuffer.wrap(packet.buffer());
        out.clear();
        out.limit(packet.offset() + packet.length()).position(packet.offset());
        try {
            if (channel.send(out, to) == 0) {
                sendErrors.incrementAndGet(); // non-blocking socket (shared receive loop) with a full send buffer
                return false;
            }
            return true;
        } catch (IOException e) {
            sendErrors.incrementAndGet();
            return false;
        }
    }

    private void sendRtcp(PacketBuffer packet) {
        SrtpSession session = srtp;
        InetSocketAddress to = remote;
        if (session == null || state.get() != State.CONNECTED) {
            return;
        }
        if (session.protectRtcp(packet) != SrtpStatus.OK) {
            sendErrors.incrementAndGet();
            return;
        }
        try {
            if (channel.send(ByteBuffer.wrap(packet.buffer(), packet.offset(), packet.length()), to) == 0) {
                sendErrors.incrementAndGet();
            }
        } catch (IOException e) {
            sendErrors.incrementAndGet();
        }
    }

    private void sendDatagram(byte[] buf, int off, int len, InetSocketAddress to) throws IOException {
        channel.send(ByteBuffer.wrap(buf, off, len), to);
    }

    private void sendDtls(byte[] buf, int off, int len) throws IOException {
        InetSocketAddress to = remote;
        if (to != null && channel.isOpen()) {
            channel.send(ByteBuffer.wrap(buf, off, len), to);
        }
    }

    private void sendReports() {
        if (state.get() != State.CONNECTED) {
            return;
        }
        try {
            long now = System.nanoTime();
            reporter.report(outbound, receiver.streams(), now, System.currentTimeMillis(), now / 1_000_000,
                    this::sendRtcp);
        } catch (RuntimeException e) {
            LOG.warn("endpoint {} could not send RTCP reports", config.name(), e);
        }
    }

    /**
     * Sends a PLI asking the sender of {@code remoteSsrc} for a key frame (through a relay: the relay forwards it to
     * the publisher). False if not connected.
     */
    public boolean requestKeyframe(long remoteSsrc) {
        if (state.get() != State.CONNECTED) {
            return false;
        }
        OutboundStream first = outbound.isEmpty() ? null : outbound.get(0);
        int sender = first != null ? first.ssrc() : reporter.receiverSsrc();
        reporter.pictureLoss(sender, (int) remoteSsrc, this::sendRtcp);
        return true;
    }

    /** Sends a FIR naming {@code remoteSsrc}, as Firefox does instead of a PLI; false if not connected. */
    public boolean requestFullIntra(long remoteSsrc, int sequenceNumber) {
        if (state.get() != State.CONNECTED) {
            return false;
        }
        OutboundStream first = outbound.isEmpty() ? null : outbound.get(0);
        int sender = first != null ? first.ssrc() : reporter.receiverSsrc();
        reporter.fullIntraRequest(sender, (int) remoteSsrc, sequenceNumber, this::sendRtcp);
        return true;
    }

    /**
     * Paces synthetic audio and video on the first audio and video streams for a bounded duration, on the timer.
     * Needs a connected endpoint.
     */
    public PacedSender startPacedSending(PacedSender.Options options) {
        if (state.get() != State.CONNECTED) {
            throw new IllegalStateException("connect first (state " + state.get() + ")");
        }
        PacedSender sender = new PacedSender(options.audio() ? audioStream() : null,
                options.video() ? videoStream() : null, options, timer);
        pacedSenders.add(sender);
        sender.start();
        return sender;
    }

    // ---------------------------------------------------------------- streams and counters

    /** Our sending streams, one per sending m-section, in negotiation order. */
    public List<OutboundStream> outboundStreams() {
        return List.copyOf(outbound);
    }

    /** The sending stream of an m-section, or null. */
    public OutboundStream outboundStream(String mid) {
        for (OutboundStream s : outbound) {
            if (s.mid().equals(mid)) {
                return s;
            }
        }
        return null;
    }

    /** The first active audio stream we send, or null. */
    public OutboundStream audioStream() {
        return firstActive(MediaKind.AUDIO);
    }

    /** The first active video stream we send, or null. */
    public OutboundStream videoStream() {
        return firstActive(MediaKind.VIDEO);
    }

    private OutboundStream firstActive(MediaKind kind) {
        for (OutboundStream s : outbound) {
            if (s.kind() == kind && s.isActive()) {
                return s;
            }
        }
        return null;
    }

    /** Every remote SSRC heard from, in order of first packet. */
    public List<InboundStream> inboundStreams() {
        return receiver.streams();
    }

    /** The streams received on an m-section (by a=ssrc or the MID header extension). */
    public List<InboundStream> inboundStreams(String mid) {
        List<InboundStream> out = new ArrayList<>();
        for (InboundStream s : receiver.streams()) {
            if (mid.equals(s.mid())) {
                out.add(s);
            }
        }
        return out;
    }

    /** The stream of a remote SSRC (unsigned 32 bits), or null. */
    public InboundStream inboundStream(long ssrc) {
        return receiver.stream((int) ssrc);
    }

    /** RTP packets received on an m-section. */
    public long receivedPackets(String mid) {
        long n = 0;
        for (InboundStream s : inboundStreams(mid)) {
            n += s.packets();
        }
        return n;
    }

    /** RTP packets received from an SSRC. */
    public long receivedPackets(long ssrc) {
        InboundStream s = inboundStream(ssrc);
        return s == null ? 0 : s.packets();
    }

    /** VP8 key frames received on an m-section. */
    public long receivedKeyframes(String mid) {
        long n = 0;
        for (InboundStream s : inboundStreams(mid)) {
            n += s.keyframes();
        }
        return n;
    }

    /** Waits until at least {@code count} packets arrived on the m-section; false on timeout. */
    public boolean awaitPackets(String mid, long count, Duration timeout) throws InterruptedException {
        return await(() -> receivedPackets(mid), count, timeout);
    }

    /** Waits until at least {@code count} packets arrived from the SSRC; false on timeout. */
    public boolean awaitPacketsFromSsrc(long ssrc, long count, Duration timeout) throws InterruptedException {
        return await(() -> receivedPackets(ssrc), count, timeout);
    }

    private static boolean await(LongSupplier value, long count, Duration timeout) throws InterruptedException {
        try {
            Awaitility.await().atMost(timeout).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5))
                    .until(() -> value.getAsLong() >= count);
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }

    /** Latency of every probe received, all streams together. */
    public LatencyHistogram latency() {
        return latency;
    }

    public IceStats iceStats() {
        return ice.stats();
    }

    public EndpointCounters counters() {
        return new EndpointCounters(datagramsReceived, droppedUnknownSource, droppedUnknownKind, keptBeforeKeys,
                droppedNotConnected, srtpFailures, srtcpFailures, receiver.rtpMalformed(), receiver.rtcpMalformed(),
                receiver.senderReports(), receiver.receiverReports(), receiver.pictureLossIndications(),
                receiver.fullIntraRequests(), receiver.nacks(), receiver.goodbyes(), reporter.reportsSent(),
                sendErrors.get(), dtlsTransport.droppedFull() + dtlsTransport.droppedOversized()
                + dtlsTransport.droppedMalformed() + dtlsTransport.droppedClosed());
    }

    public State state() {
        return state.get();
    }

    /** Why the endpoint failed (ICE, DTLS, consent, the peer's close_notify), or null. */
    public String failureReason() {
        return failureReason;
    }

    public InetSocketAddress localAddress() {
        return localAddress;
    }

    /** The nominated peer address, or null before ICE succeeded. */
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    /** The negotiated SRTP protection profile, or null before DTLS completed. */
    public SrtpProfile srtpProfile() {
        return srtpProfile;
    }

    /** Our certificate's fingerprint, as our SDP carries it. */
    public DtlsFingerprint fingerprint() {
        return certificate.fingerprint();
    }

    /** The SSRC our RTCP comes from when we send no media. */
    public long receiverSsrc() {
        return reporter.receiverSsrc() & 0xFFFFFFFFL;
    }

    SrtpKeyingMaterial keyingMaterial() {
        return keyingMaterial;
    }

    // ---------------------------------------------------------------- closing

    /**
     * Stops the paced senders, sends DTLS close_notify if connected, stops the threads (and the timer, if it is ours)
     * and releases the socket. Idempotent.
     */
    @Override
    public void close() {
        State previous = state.getAndSet(State.CLOSED);
        if (previous == State.CLOSED) {
            return;
        }
        pacedSenders.forEach(PacedSender::stop);
        ScheduledFuture<?> task = rtcpTask;
        if (task != null) {
            task.cancel(false);
        }
        ice.close();
        synchronized (dtlsLock) {
            DTLSTransport connected = dtls;
            if (connected != null) {
                try {
                    connected.close(); // close_notify
                } catch (IOException | RuntimeException e) {
                    LOG.debug("close_notify failed", e);
                }
            }
        }
        dtlsTransport.close();
        if (ownsTimer) {
            timer.shutdownNow();
        }
        if (config.receiveLoop() != null) {
            config.receiveLoop().unregister(channel);
        }
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("closing the socket failed", e);
        }
        try {
            if (receiveThread != null) {
                receiveThread.join(2_000);
            }
            if (ownsTimer) {
                timer.awaitTermination(2, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        SrtpSession session = srtp;
        if (session != null) {
            session.close();
        }
        SrtpKeyingMaterial keys = keyingMaterial;
        if (keys != null) {
            keys.wipe();
        }
    }

    @Override
    public String toString() {
        return "WebRtcEndpoint[" + config.name() + ", " + state.get() + ", local=" + localAddress + ", remote="
                + remote + "]";
    }

    private String iceString(int length) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = ICE_CHARS[random.nextInt(ICE_CHARS.length)];
        }
        return new String(out);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
