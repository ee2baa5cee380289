package dev.parley.relay;

import dev.parley.relay.dtls.DtlsCertificate;
import dev.parley.relay.dtls.DtlsFingerprint;
import dev.parley.relay.dtls.DtlsSession;
import dev.parley.relay.ice.IceCredentials;
import dev.parley.relay.ice.IceLiteResponder;
import dev.parley.relay.ice.SourceFilter;
import dev.parley.relay.ice.SourceRateLimiter;
import dev.parley.relay.negotiation.Negotiator;
import dev.parley.relay.router.Endpoint;
import dev.parley.relay.packet.PacketKind;
import dev.parley.relay.router.MediaKind;
import dev.parley.relay.router.Producer;
import dev.parley.relay.router.RoomRecording;
import dev.parley.relay.router.Router;
import dev.parley.relay.router.RtpCodecSpec;
import dev.parley.relay.srtp.SrtpSession;
import dev.parley.relay.stats.DropReason;
import dev.parley.relay.stats.TrafficCounters;
import dev.parley.relay.tcp.IceTcpServer;
import dev.parley.relay.tcp.TcpConnection;
import dev.parley.relay.transport.LoopContext;
import dev.parley.relay.transport.TransportHost;
import dev.parley.relay.transport.WebRtcTransport;
import dev.parley.relay.util.Bytes;
import dev.parley.relay.util.CopyOnWriteIntMap;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay's engine: the media socket, one loop thread that owns every transport, router, producer and consumer, a task
 * queue for other threads, and a small pool for DTLS handshakes. The media path on the loop takes no locks and
 * allocates nothing per packet.
 */
final class RelayLoop implements TransportHost {

    private static final Logger log = LoggerFactory.getLogger(RelayLoop.class);
    private static final long TICK_NANOS = 20_000_000L;
    private static final int RECEIVE_BURST = 256;
    /**
     * Received datagrams after which what they caused is sent (one {@code sendmmsg} on the epoll socket): batches big
     * enough to save system calls, small enough that the first packet of a burst does not wait for the last.
     */
    private static final int FLUSH_EVERY = 16;

    private final RelayConfig config;
    private final MediaSocket socket;
    /** The passive ICE-TCP candidates' socket, or null when off. */
    private final IceTcpServer tcp;
    private final Thread loopThread;
    private final ExecutorService dtlsExecutor;
    private final DtlsCertificate certificate;
    private final List<InetAddress> announced;
    private final Negotiator negotiator;
    private final IceLiteResponder ice;
    private final SourceRateLimiter sourceLimits;
    private final LoopContext context;
    private final TrafficCounters counters = new TrafficCounters();
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final SecureRandom random = new SecureRandom();
    private volatile boolean running = true;
    private final CompletableFuture<MediaSocket> opened = new CompletableFuture<>();
    /** Released when the constructor is done (or failed): the loop starts only then. */
    private final CountDownLatch started = new CountDownLatch(1);
    private volatile RoomEvents roomEvents = RoomEvents.NONE;

    // Loop-owned state.
    private final TransportRegistry registry;
    private final Set<Peer> negotiationNeeded = new LinkedHashSet<>();
    private final SsrcSequence ssrcs = new SsrcSequence(random);
    private long nextTickNanos;
    private long nextSweepNanos;
    private final LoopErrors errors = new LoopErrors();
    /** Relay links to other nodes, by the tag their datagrams carry. */
    private final CopyOnWriteIntMap<LinkPeer> links = new CopyOnWriteIntMap<>();
    /** Rooms being recorded, by room id; they outlive their routers. */
    private final Map<String, RoomRecording> recordings = new HashMap<>();
    /** Opened with the first recording. */
    private RecordingSocket recordingSocket;

    RelayLoop(RelayConfig config) throws IOException {
        this.config = config;
        this.certificate = config.certificate() == null ? DtlsCertificate.generate()
                : DtlsCertificate.load(config.certificate().certificate(), config.certificate().privateKey());
        SrtpSession.warmUp();
        this.registry = new TransportRegistry(config.lastN(), config.nackRepair());
        // The loop thread opens the socket: the epoll socket's event loop belongs to the thread that drives it. Netty
        // keeps its per-thread pools (the write queue's entries, the allocator's buffers) only for its own kind of
        // thread, one that clears them when it ends: on a plain thread each send allocated its queue entry.
        this.loopThread = new FastThreadLocalThread(this::run, "parley-relay-loop");
        this.loopThread.setDaemon(true);
        this.loopThread.start();
        IceTcpServer tcpServer = null;
        boolean ready = false;
        try {
            this.socket = awaitSocket();
            tcpServer = openTcp(config);
            this.tcp = tcpServer;
            int port = socket.port();
            this.announced = config.announcedAddresses().isEmpty() ? HostCandidates.localAddresses()
                    : config.announcedAddresses();
            List<RtpCodecSpec> codecs = config.videoCodecs().stream()
                    .map(n -> RtpCodecSpec.canonical(n.strip())).toList();
            this.negotiator = new Negotiator(certificate.sdpFingerprint(),
                    HostCandidates.of(announced, port, tcpPort()), codecs, this::allocateSsrc,
                    Math.abs(random.nextLong() >>> 2), config.simulcast());
            this.context = new LoopContext(this::send, counters);
            this.ice = new IceLiteResponder(registry::consent, SourceFilter.of(config.allowedSources()), counters);
            RelayConfig.SourceLimits limits = config.sourceLimits();
            this.sourceLimits = new SourceRateLimiter(new SourceRateLimiter.Limits(limits.stunBurst(),
                    limits.stunPerSecond(), limits.dtlsBurst(), limits.dtlsPerSecond(), limits.maxSources(),
                    limits.idle().toNanos()), System.nanoTime());
            this.dtlsExecutor = DtlsPool.create(config.dtlsThreads());
            ready = true;
        } finally {
            if (!ready) {
                running = false;
            }
            started.countDown();
            if (!ready) {
                // The loop thread closes the socket (if it opened one) as it ends: wait for it, so the port is free
                // when this throws.
                joinLoop();
                if (tcpServer != null) {
                    tcpServer.close();
                }
            }
        }
        log.info("Relay listening on udp {}:{} ({} socket){}, announcing {}, DTLS fingerprint {}",
                config.bindAddress().getHostAddress(), socket.port(), socket.kind(), tcp == null ? ""
                        : " and ICE-TCP port " + tcp.port() + (config.tcpShared() ? " (shared with HTTPS)" : ""),
                announced.stream().map(InetAddress::getHostAddress).toList(), certificate.sdpFingerprint());
    }

    private MediaSocket awaitSocket() throws IOException {
        try {
            return opened.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("cannot open the media socket: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the media socket opened", e);
        } catch (TimeoutException e) {
            throw new IOException("the media socket did not open in time", e);
        }
    }

    private void joinLoop() {
        try {
            loopThread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private IceTcpServer openTcp(RelayConfig config) throws IOException {
        IceTcpServer.Limits tcpLimits = IceTcpServer.Limits.defaults(config.consentTimeout().toNanos());
        if (config.tcpPort() < 0) {
            return null;
        }
        if (config.tcpShared()) {
            return IceTcpServer.shared(config.tcpPort(), socket.selector(), socket::selectorChanged,
                    SourceFilter.of(config.allowedSources()), counters, tcpLimits, LoopContext.MAX_PACKET,
                    address -> registry.byAddress(address) != null);
        }
        return new IceTcpServer(new InetSocketAddress(config.bindAddress(), config.tcpPort()), socket.selector(),
                socket::selectorChanged, SourceFilter.of(config.allowedSources()), counters, tcpLimits,
                LoopContext.MAX_PACKET, address -> registry.byAddress(address) != null);
    }

    int port() {
        return socket.port();
    }

    /** The ICE-TCP port, or -1 when the relay offers no TCP candidates. */
    int tcpPort() {
        return tcp == null ? -1 : tcp.port();
    }

    /**
     * Takes an ICE-TCP connection accepted on the shared port, with the bytes already read from it; closes it when the
     * relay has no shared ICE-TCP port.
     */
    void adoptTcp(SocketChannel channel, byte[] firstBytes, int length) {
        execute(() -> {
            if (tcp == null || !config.tcpShared()) {
                try {
                    channel.close();
                } catch (IOException e) {
                    // refused anyway
                }
                return;
            }
            context.setNowNanos(System.nanoTime());
            tcp.adopt(channel, firstBytes, length, context.nowNanos(), this::onFrame);
        });
    }

    /** ICE-TCP connections open now (loop-owned: read it through a loop call). */
    int tcpConnections() {
        return tcp == null ? 0 : tcp.openConnections();
    }

    List<InetAddress> announcedAddresses() {
        return announced;
    }

    TrafficCounters counters() {
        return counters;
    }

    Negotiator negotiator() {
        return negotiator;
    }

    /** Loop-owned, apart from {@link TransportRegistry#byId}. */
    TransportRegistry registry() {
        return registry;
    }

    /** Source addresses the rate limiter tracks now (loop-owned: read it through a loop call). */
    int trackedSources() {
        return sourceLimits.size();
    }

    /** Creates a transport in a room and registers it (not yet in the room's router); on the loop. */
    Peer newPeer(Endpoint.Kind kind, String roomId, String participantId, TransportEvents events) {
        IceCredentials credentials;
        do {
            credentials = IceCredentials.random();
        } while (registry.hasUfrag(credentials.ufrag()));
        long now = now();
        Router router = router(roomId);
        Peer peer = new Peer(this, UUID.randomUUID().toString(), kind, participantId, router, credentials,
                allocateSsrc(), now, events);
        registry.add(peer);
        peer.created();
        return peer;
    }

    private long now() {
        return context.nowNanos() == 0 ? System.nanoTime() : context.nowNanos();
    }

    /** The room's router, made if it is new, with the room's recording attached. */
    private Router router(String roomId) {
        Router router = registry.router(roomId);
        RoomRecording recording = recordings.get(roomId);
        if (recording != null && router.recording() != recording) {
            recording.attach(router);
        }
        return router;
    }

    /** Opens a room's relay link to another node, in the room's router at once; on the loop. */
    LinkPeer newLink(String roomId, String remoteNodeId, boolean hub, LinkKey key, LinkEvents events) {
        int tag;
        do {
            tag = random.nextInt();
        } while (tag == 0 || links.containsKey(tag));
        Router router = router(roomId);
        LinkPeer link = new LinkPeer(this, UUID.randomUUID().toString(), tag, key, router, remoteNodeId, hub, now(),
                events);
        links.put(tag, link);
        router.addEndpoint(link.endpoint, context);
        return link;
    }

    LinkPeer link(LinkHandle handle) {
        LinkPeer link = links.get(handle.tag());
        return link != null && link.handle.id().equals(handle.id()) ? link : null;
    }

    /** A link closed: forget it, and its room's router when nobody else is in the room. */
    void forgetLink(LinkPeer link) {
        links.remove(link.handle.tag());
        registry.forgetIfEmpty(link.endpoint.router());
    }

    /** A transport closed: forget it. */
    void forget(Peer peer) {
        registry.remove(peer);
        negotiationNeeded.remove(peer);
    }

    /** A browser's offer is due; it goes out at the end of this loop turn. */
    void negotiationNeeded(Peer peer) {
        negotiationNeeded.add(peer);
    }

    /**
     * Starts recording a room (a second start while it is recorded is refused): the listener hears of its tracks from
     * now on, those already published first.
     */
    void startRecording(String roomId, RecordingListener listener) throws IOException, RelayException {
        if (recordings.containsKey(roomId)) {
            throw new RelayException("recording", "the room is already being recorded");
        }
        if (recordingSocket == null) {
            recordingSocket = new RecordingSocket();
        }
        RoomRecording recording = new RoomRecording(new RoomRecording.Listener() {
            @Override
            public void onTrack(Producer producer) {
                tellListener(() -> listener.onTrack(roomId, recordedTrack(producer)));
            }

            @Override
            public void onTrackEnded(Producer producer) {
                tellListener(() -> listener.onTrackEnded(roomId, recordedTrack(producer)));
            }
        }, recordingSocket::send);
        recordings.put(roomId, recording);
        Router router = registry.existingRouter(roomId);
        if (router != null) {
            recording.attach(router);
        }
    }

    private void tellListener(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException | Error e) {
            logLoopError("recording listener", e);
        }
    }

    private static RecordedTrack recordedTrack(Producer producer) {
        RtpCodecSpec codec = producer.codec();
        return new RecordedTrack(producer.id(), producer.participantId(),
                producer.kind() == MediaKind.AUDIO ? "audio" : "video", producer.source().signalName(), codec.name(),
                codec.payloadType(), codec.clockRate(), codec.channels());
    }

    /** Starts copying a track of a recorded room to its recorder; false when the track or the recording is gone. */
    boolean recordTrack(String roomId, String trackId, InetSocketAddress target) {
        RoomRecording recording = recordings.get(roomId);
        Router router = registry.existingRouter(roomId);
        if (recording == null || router == null || router.recording() != recording) {
            return false;
        }
        for (Producer producer : router.producers()) {
            if (producer.id().equals(trackId)) {
                return recording.tap(producer, target);
            }
        }
        return false;
    }

    /** Stops recording a room; false when it was not being recorded. */
    boolean stopRecording(String roomId) {
        RoomRecording recording = recordings.remove(roomId);
        if (recording == null) {
            return false;
        }
        recording.stop();
        Router router = registry.existingRouter(roomId);
        if (router != null) {
            recording.detach(router);
        }
        return true;
    }

    void setRoomEvents(RoomEvents events) {
        roomEvents = events;
    }

    long consentTimeoutNanos() {
        return config.consentTimeout().toNanos();
    }

    long videoBitrateCap() {
        return config.videoBitrateCap();
    }

    /** Runs work on the loop thread; the future fails with whatever the work threw. */
    <T> CompletableFuture<T> call(LoopCall<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        if (!running) {
            result.completeExceptionally(new IllegalStateException("the relay is closed"));
            return result;
        }
        execute(() -> {
            try {
                result.complete(work.run());
            } catch (Exception | Error e) { // an Error too: the loop goes on, and the caller must not wait for good
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    @FunctionalInterface
    interface LoopCall<T> {
        T run() throws Exception;
    }

    /** Closes every transport, then stops the loop and the DTLS pool and closes the socket. */
    void close() {
        if (!running) {
            return;
        }
        CompletableFuture<Void> closed = call(() -> {
            for (Peer peer : registry.all()) {
                peer.transport.close("relay-shutdown");
            }
            links.forEach((tag, link) -> link.transport.close("relay-shutdown"));
            return null;
        });
        try {
            closed.get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("Relay did not close its transports cleanly: {}", e.toString());
        }
        running = false;
        socket.wakeup();
        // The loop thread closes the media socket as it ends.
        joinLoop();
        dtlsExecutor.shutdownNow();
        if (recordingSocket != null) {
            recordingSocket.close();
        }
        if (tcp != null) {
            tcp.close();
        }
    }

    // ================================================================== TransportHost (used by transports)

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        socket.wakeup();
    }

    @Override
    public LoopContext context() {
        return context;
    }

    /**
     * Sends on the loop thread only. The JDK serialises a channel's sends with a lock, so a DTLS handshake thread
     * sending itself can make the loop wait behind it, for as long as that thread is descheduled while holding the
     * lock (10-17 ms seen in a JFR recording while 80 people joined). Other threads' datagrams (handshake records,
     * rare) are copied and queued to the loop instead.
     */
    private void sendRaw(byte[] buf, int off, int len, InetSocketAddress to) {
        if (Thread.currentThread() == loopThread) {
            TcpConnection connection = tcp == null ? null : tcp.connection(to);
            if (connection != null) {
                tcp.send(connection, buf, off, len);
            } else {
                socket.sendOnce(buf, off, len, to);
            }
            return;
        }
        byte[] copy = Arrays.copyOfRange(buf, off, off + len);
        execute(() -> sendRaw(copy, 0, copy.length, to));
    }

    /** The media path's send, on the loop thread: over an ICE-TCP connection when the address is one, else UDP. */
    private boolean send(byte[] buf, int off, int len, InetSocketAddress to) {
        TcpConnection connection = tcp == null ? null : tcp.connection(to);
        if (connection != null) {
            return tcp.send(connection, buf, off, len);
        }
        return socket.send(buf, off, len, to);
    }

    @Override
    public void mapAddress(InetSocketAddress address, WebRtcTransport transport) {
        registry.mapAddress(address, transport);
    }

    @Override
    public DtlsSession newDtlsSession(WebRtcTransport transport, List<DtlsFingerprint> remoteFingerprints,
                                      DtlsSession.Listener listener) {
        return new DtlsSession(certificate, remoteFingerprints, (b, o, l) -> sendDtls(transport, b, o, l),
                dtlsExecutor, listener);
    }

    private void sendDtls(WebRtcTransport transport, byte[] buf, int off, int len) {
        InetSocketAddress to = transport.selectedAddress();
        if (to != null && !transport.isClosed()) {
            sendRaw(buf, off, len, to);
        }
    }

    // ================================================================== the loop

    /** The loop thread: opens the media socket, waits for the constructor to finish, loops, closes the socket. */
    private void run() {
        MediaSocket opening;
        try {
            opening = MediaSocket.open(config.socket(), new InetSocketAddress(config.bindAddress(), config.port()),
                    counters, config.gso());
        } catch (IOException | RuntimeException | LinkageError e) {
            opened.completeExceptionally(e);
            return;
        }
        opened.complete(opening);
        try {
            started.await();
            if (running) {
                loop();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                opening.close();
            } catch (IOException | RuntimeException e) {
                log.debug("closing the media socket", e);
            }
        }
    }

    private void loop() {
        nextTickNanos = System.nanoTime() + TICK_NANOS;
        while (running) {
            try {
                socket.await((nextTickNanos - System.nanoTime()) / 1_000_000, this::onReady);
                context.setNowNanos(System.nanoTime());
                runTasks();
                receiveBurst();
                if (context.nowNanos() - nextTickNanos >= 0) {
                    nextTickNanos = context.nowNanos() + TICK_NANOS;
                    tick();
                }
                flushNegotiations();
            } catch (Throwable e) { // an Error too (a callback's, a stack overflow): the loop is every room's
                if (running) {
                    logLoopError("relay loop", e);
                }
            } finally {
                socket.flush();
            }
        }
    }

    /** A TCP channel the selector found ready (the UDP socket is read in {@link #receiveBurst}). */
    private void onReady(SelectionKey key) {
        if (tcp != null && tcp.owns(key)) {
            context.setNowNanos(System.nanoTime());
            tcp.onReady(key, context.nowNanos(), this::onFrame);
        }
    }

    private void onFrame(byte[] buf, int len, InetSocketAddress from) {
        try {
            onDatagram(buf, len, from, true);
        } catch (RuntimeException | Error e) {
            counters.dropped(DropReason.UNKNOWN_PROTOCOL);
            logLoopError("packet from tcp " + from, e);
        }
    }

    private void runTasks() {
        for (Runnable task = tasks.poll(); task != null; task = tasks.poll()) {
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                logLoopError("relay task", e);
            }
        }
    }

    private void receiveBurst() throws IOException {
        for (int i = 0; i < RECEIVE_BURST; i++) {
            InetSocketAddress source = socket.receive();
            if (source == null) {
                return;
            }
            context.setNowNanos(System.nanoTime());
            try {
                onDatagram(socket.received(), socket.receivedLength(), source, false);
            } catch (RuntimeException | Error e) {
                counters.dropped(DropReason.UNKNOWN_PROTOCOL);
                logLoopError("packet from " + source, e);
            }
            if ((i + 1) % FLUSH_EVERY == 0) {
                socket.flush();
            }
        }
    }

    /** @param tcp whether it came as a frame over ICE-TCP */
    private void onDatagram(byte[] buf, int len, InetSocketAddress from, boolean tcp) {
        counters.received(len);
        PacketKind kind = PacketKind.classify(buf, 0, len);
        if (kind == PacketKind.STUN) {
            // Limited per source address before parsing: a flood of checks costs a lookup each, not an HMAC.
            if (!sourceLimits.allowStun(from.getAddress(), context.nowNanos())) {
                counters.dropped(DropReason.STUN_RATE);
                return;
            }
            ice.onStun(buf, 0, len, from, context.nowNanos(), this::send, tcp);
            return;
        }
        if (kind == PacketKind.UNKNOWN) {
            counters.dropped(DropReason.UNKNOWN_PROTOCOL);
            return;
        }
        if (kind == PacketKind.LINK) {
            LinkPeer link = tcp ? null : links.get(Bytes.int32(buf, 4));
            if (link == null) {
                counters.dropped(DropReason.LINK_REJECTED);
                return;
            }
            link.transport.onDatagram(buf, 0, len, from, context);
            return;
        }
        WebRtcTransport transport = registry.byAddress(from);
        if (transport == null) {
            counters.dropped(DropReason.UNKNOWN_SOURCE);
            return;
        }
        switch (kind) {
            case DTLS -> {
                // Only ClientHellos are limited (per source address); SRTP/SRTCP never pass through the limiter.
                if (SourceRateLimiter.isClientHello(buf, 0, len)
                        && !sourceLimits.allowClientHello(from.getAddress(), context.nowNanos())) {
                    counters.dropped(DropReason.DTLS_RATE);
                    return;
                }
                transport.counters().received(len);
                transport.onDtls(buf, 0, len);
            }
            case RTP -> transport.onSrtp(buf, 0, len, from, context);
            case RTCP -> transport.onSrtcp(buf, 0, len, from, context);
            default -> counters.dropped(DropReason.UNKNOWN_PROTOCOL);
        }
    }

    private void tick() {
        sourceLimits.expire(context.nowNanos());
        if (tcp != null && context.nowNanos() - nextSweepNanos >= 0) {
            nextSweepNanos = context.nowNanos() + 1_000_000_000L;
            tcp.sweep(context.nowNanos());
        }
        // Each on its own: a fault in one peer's tick must not stop consent, RTCP and layer choice for the rest.
        for (Peer peer : registry.all()) {
            try {
                peer.transport.tick(context);
            } catch (RuntimeException | Error e) {
                logLoopError("tick of " + peer.endpoint, e);
            }
        }
        links.forEach((tag, link) -> {
            try {
                link.transport.tick(context);
            } catch (RuntimeException | Error e) {
                logLoopError("tick of link " + tag, e);
            }
        });
        for (Router router : registry.routers()) {
            try {
                tick(router);
            } catch (RuntimeException | Error e) {
                logLoopError("tick of room " + router.id(), e);
            }
        }
    }

    private void tick(Router router) {
        if (router.updateActiveSpeaker(context.nowNanos())) {
            try {
                roomEvents.onActiveSpeaker(router.id(), router.activeSpeaker());
            } catch (RuntimeException | Error e) {
                logLoopError("room events", e);
            }
        }
        router.updateFollowers(context);
        if (router.updateForwarding()) {
            try {
                roomEvents.onForwardedVideo(router.id(), router.forwardedVideo());
            } catch (RuntimeException | Error e) {
                logLoopError("room events", e);
            }
        }
    }

    private void flushNegotiations() {
        if (negotiationNeeded.isEmpty()) {
            return;
        }
        List<Peer> pending = List.copyOf(negotiationNeeded);
        negotiationNeeded.clear();
        for (Peer peer : pending) {
            if (peer.offers.needsOffer() && !peer.transport.isClosed()) {
                try {
                    peer.sendOffer(negotiator.offer(peer.endpoint, peer.offers));
                } catch (RuntimeException | Error e) {
                    logLoopError("offer for " + peer.endpoint, e);
                }
            }
        }
    }

    int allocateSsrc() {
        return ssrcs.next();
    }

    void logLoopError(String what, Throwable e) {
        errors.log(what, e);
    }
}
