package dev.parley.relay;

import dev.parley.relay.dtls.DtlsCertificate;
import dev.parley.relay.dtls.DtlsFingerprint;
import dev.parley.relay.dtls.DtlsSession;
import dev.parley.relay.ice.IceCredentials;
import dev.parley.relay.ice.IceLiteResponder;
import dev.parley.relay.ice.SourceRateLimiter;
import dev.parley.relay.negotiation.Negotiator;
import dev.parley.relay.packet.PacketKind;
import dev.parley.relay.router.Producer;
import dev.parley.relay.router.Router;
import dev.parley.relay.sdp.IceCandidate;
import dev.parley.relay.sdp.SessionDescription;
import dev.parley.relay.srtp.SrtpSession;
import dev.parley.relay.stats.DropReason;
import dev.parley.relay.stats.TrafficCounters;
import dev.parley.relay.transport.DatagramSender;
import dev.parley.relay.transport.LoopContext;
import dev.parley.relay.transport.NegotiationException;
import dev.parley.relay.transport.TransportHost;
import dev.parley.relay.transport.TransportListener;
import dev.parley.relay.transport.WebRtcTransport;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parley's media relay: one UDP socket, one loop thread that owns every transport, router, producer and consumer, and a
 * small pool for DTLS handshakes. Other threads talk to it through the methods here, which hand work to the loop and
 * return futures. The media path on the loop takes no locks and allocates nothing per packet.
 */
public final class Relay implements TransportHost, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Relay.class);
    private static final long TICK_NANOS = 20_000_000L;
    private static final int RECEIVE_BURST = 256;

    private final RelayConfig config;
    private final DatagramChannel channel;
    private final Selector selector;
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

    // Loop-owned state.
    private final Map<String, WebRtcTransport> transportsByUfrag = new HashMap<>();
    private final Map<InetSocketAddress, WebRtcTransport> transportsByAddress = new HashMap<>();
    private final List<WebRtcTransport> transports = new ArrayList<>();
    private final Map<String, Router> routers = new HashMap<>();
    private final Set<WebRtcTransport> negotiationNeeded = new LinkedHashSet<>();
    private final Set<Integer> usedSsrcs = new HashSet<>();
    private final byte[] receiveArray = new byte[LoopContext.MAX_PACKET];
    private final ByteBuffer receiveBuffer = ByteBuffer.wrap(receiveArray);
    private final Map<byte[], ByteBuffer> sendWrappers = new java.util.IdentityHashMap<>();
    private long nextTickNanos;
    private long errorLogBudget = 20;

    // Readable from any thread.
    private final Map<String, WebRtcTransport> transportsById = new ConcurrentHashMap<>();

    private Relay(RelayConfig config) throws IOException {
        this.config = config;
        this.certificate = config.certificate() != null ? config.certificate() : DtlsCertificate.generate();
        SrtpSession.warmUp();
        this.channel = DatagramChannel.open();
        channel.setOption(StandardSocketOptions.SO_RCVBUF, 4 * 1024 * 1024);
        channel.setOption(StandardSocketOptions.SO_SNDBUF, 4 * 1024 * 1024);
        channel.bind(new InetSocketAddress(config.bindAddress(), config.port()));
        channel.configureBlocking(false);
        this.selector = Selector.open();
        channel.register(selector, SelectionKey.OP_READ);
        int port = ((InetSocketAddress) channel.getLocalAddress()).getPort();
        this.announced = config.announcedAddresses().isEmpty() ? localAddresses() : config.announcedAddresses();
        List<IceCandidate> candidates = new ArrayList<>();
        int foundation = 1;
        for (InetAddress address : announced) {
            candidates.add(IceCandidate.host(String.valueOf(foundation), 1, "udp",
                    IceCandidate.priority(126, 65535 - foundation, 1), address.getHostAddress(), port));
            foundation++;
        }
        this.negotiator = new Negotiator(certificate.sdpFingerprint(), candidates, config.videoCodecs(),
                this::allocateSsrc, Math.abs(random.nextLong() >>> 2));
        this.context = new LoopContext(this::sendOnLoop);
        this.ice = new IceLiteResponder(transportsByUfrag::get, config.sources(), counters);
        this.sourceLimits = new SourceRateLimiter(config.sourceLimits(), System.nanoTime());
        AtomicInteger threadNumber = new AtomicInteger();
        this.dtlsExecutor = new ThreadPoolExecutor(config.dtlsThreads(), config.dtlsThreads(), 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(1024), r -> {
                    Thread t = new Thread(r, "parley-dtls-" + threadNumber.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        ((ThreadPoolExecutor) dtlsExecutor).allowCoreThreadTimeOut(true);
        this.loopThread = new Thread(this::loop, "parley-relay-loop");
        this.loopThread.setDaemon(true);
        this.loopThread.start();
        log.info("Relay listening on udp {}:{}, announcing {}, DTLS fingerprint {}", config.bindAddress().getHostAddress(),
                port, announced.stream().map(InetAddress::getHostAddress).toList(), certificate.sdpFingerprint());
    }

    public static Relay start(RelayConfig config) throws IOException {
        return new Relay(config);
    }

    // ================================================================== public API (any thread)

    public int port() {
        try {
            return ((InetSocketAddress) channel.getLocalAddress()).getPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public List<InetAddress> announcedAddresses() {
        return announced;
    }

    public TrafficCounters counters() {
        return counters;
    }

    public WebRtcTransport transport(String id) {
        return transportsById.get(id);
    }

    /** Opens a browser participant's transport; its first offer reaches the listener right after. */
    public CompletableFuture<WebRtcTransport> openBrowserTransport(String roomId, String participantId,
                                                                   TransportListener listener) {
        return call(() -> {
            WebRtcTransport transport = newTransport(WebRtcTransport.Kind.BROWSER, roomId, participantId, listener);
            negotiator.preparePublishSections(transport);
            transport.router().addTransport(transport, context);
            transport.requireOffer();
            return transport;
        });
    }

    /** Applies a browser's answer; fails with a {@link NegotiationException} for a bad or stale one. */
    public CompletableFuture<Void> applyAnswer(WebRtcTransport transport, int version, String sdp) {
        return call(() -> {
            if (transport.isClosed()) {
                throw new NegotiationException("not-joined", "the transport is closed");
            }
            if (!transport.isAwaitingAnswer(version)) {
                throw new NegotiationException("stale-answer", "no offer with version " + version + " is waiting");
            }
            negotiator.applyAnswer(transport, sdp, context);
            transport.answerApplied();
            return null;
        });
    }

    /** A WHIP client publishes into a room: returns the transport and the SDP answer. */
    public CompletableFuture<Session> openWhip(String roomId, String participantId, String offer,
                                               TransportListener listener) {
        return call(() -> {
            WebRtcTransport transport = newTransport(WebRtcTransport.Kind.WHIP, roomId, participantId, listener);
            try {
                transport.router().addTransport(transport, context);
                String answer = negotiator.answerWhip(transport, offer, context);
                return new Session(transport, answer);
            } catch (NegotiationException | RuntimeException e) {
                transport.close("negotiation failed");
                throw e;
            }
        });
    }

    /** A WHEP client plays one participant's tracks: returns the transport and the SDP answer. */
    public CompletableFuture<Session> openWhep(String roomId, String targetParticipantId, String viewerId, String offer,
                                               TransportListener listener) {
        return call(() -> {
            Router router = routers.get(roomId);
            List<Producer> available = router == null ? List.of() : router.producers().stream()
                    .filter(p -> p.transport().participantId().equals(targetParticipantId)).toList();
            if (available.isEmpty()) {
                throw new NegotiationException("not-found", "that participant publishes nothing in this room");
            }
            WebRtcTransport transport = newTransport(WebRtcTransport.Kind.WHEP, roomId, viewerId, listener);
            try {
                transport.setWhepTarget(targetParticipantId);
                SessionDescription parsed = negotiator.prepareWhep(transport, offer);
                negotiator.mapWhepPayloadTypes(transport, parsed, available);
                transport.router().addTransport(transport, context);
                String answer = negotiator.answerWhep(transport, parsed);
                return new Session(transport, answer);
            } catch (NegotiationException | RuntimeException e) {
                transport.close("negotiation failed");
                throw e;
            }
        });
    }

    public record Session(WebRtcTransport transport, String answer) {
    }

    public void closeTransport(WebRtcTransport transport, String reason) {
        execute(() -> transport.close(reason));
    }

    public CompletableFuture<RelaySnapshot> snapshot() {
        return call(this::takeSnapshot);
    }

    @Override
    public void close() {
        if (!running) {
            return;
        }
        CompletableFuture<Void> closed = call(() -> {
            for (WebRtcTransport transport : List.copyOf(transports)) {
                transport.close("relay-shutdown");
            }
            return null;
        });
        try {
            closed.get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("Relay did not close its transports cleanly: {}", e.toString());
        }
        running = false;
        selector.wakeup();
        try {
            loopThread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        dtlsExecutor.shutdownNow();
        try {
            selector.close();
            channel.close();
        } catch (IOException e) {
            log.debug("closing the media socket", e);
        }
    }

    // ================================================================== TransportHost (used by transports)

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        selector.wakeup();
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
    @Override
    public void sendRaw(byte[] buf, int off, int len, InetSocketAddress to) {
        if (Thread.currentThread() == loopThread) {
            sendNow(ByteBuffer.wrap(buf, off, len), to);
            return;
        }
        ByteBuffer copy = ByteBuffer.wrap(Arrays.copyOfRange(buf, off, off + len));
        execute(() -> sendNow(copy, to));
    }

    /** Sends on the loop thread; a failed send is counted as a drop. */
    private boolean sendNow(ByteBuffer datagram, InetSocketAddress to) {
        try {
            // A non-blocking send that finds the socket buffer full sends nothing and returns 0: count it as a drop.
            if (channel.send(datagram, to) == 0) {
                counters.dropped(DropReason.SEND_FAILED);
                return false;
            }
            return true;
        } catch (IOException e) {
            counters.dropped(DropReason.SEND_FAILED);
            return false;
        }
    }

    @Override
    public void mapAddress(InetSocketAddress address, WebRtcTransport transport) {
        transportsByAddress.put(address, transport);
    }

    @Override
    public void unregister(WebRtcTransport transport, Collection<InetSocketAddress> addresses) {
        transportsByUfrag.remove(transport.localIce().ufrag(), transport);
        for (InetSocketAddress address : addresses) {
            transportsByAddress.remove(address, transport);
        }
        transports.remove(transport);
        transportsById.remove(transport.id());
        negotiationNeeded.remove(transport);
        if (transport.router().isEmpty()) {
            routers.remove(transport.router().id(), transport.router());
        }
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

    @Override
    public void negotiationNeeded(WebRtcTransport transport) {
        negotiationNeeded.add(transport);
    }

    @Override
    public long consentTimeoutNanos() {
        return config.consentTimeout().toNanos();
    }

    @Override
    public long videoBitrateCap() {
        return config.videoBitrateCap();
    }

    // ================================================================== the loop

    private void loop() {
        nextTickNanos = System.nanoTime() + TICK_NANOS;
        while (running) {
            try {
                long wait = Math.max(1, (nextTickNanos - System.nanoTime()) / 1_000_000);
                selector.select(key -> { }, wait);
                context.setNowNanos(System.nanoTime());
                runTasks();
                receiveBurst();
                if (context.nowNanos() - nextTickNanos >= 0) {
                    nextTickNanos = context.nowNanos() + TICK_NANOS;
                    tick();
                }
                flushNegotiations();
            } catch (IOException | RuntimeException e) {
                if (running) {
                    logLoopError("relay loop", e);
                }
            }
        }
    }

    private void runTasks() {
        for (Runnable task = tasks.poll(); task != null; task = tasks.poll()) {
            try {
                task.run();
            } catch (RuntimeException e) {
                logLoopError("relay task", e);
            }
        }
    }

    private void receiveBurst() throws IOException {
        for (int i = 0; i < RECEIVE_BURST; i++) {
            receiveBuffer.clear();
            SocketAddress source = channel.receive(receiveBuffer);
            if (source == null) {
                return;
            }
            context.setNowNanos(System.nanoTime());
            try {
                onDatagram(receiveArray, receiveBuffer.position(), (InetSocketAddress) source);
            } catch (RuntimeException e) {
                counters.dropped(DropReason.UNKNOWN_PROTOCOL);
                logLoopError("packet from " + source, e);
            }
        }
    }

    private void onDatagram(byte[] buf, int len, InetSocketAddress from) {
        counters.received(len);
        PacketKind kind = PacketKind.classify(buf, 0, len);
        if (kind == PacketKind.STUN) {
            // Limited per source address before parsing: a flood of checks costs a lookup each, not an HMAC.
            if (!sourceLimits.allowStun(from.getAddress(), context.nowNanos())) {
                counters.dropped(DropReason.STUN_RATE);
                return;
            }
            ice.onStun(buf, 0, len, from, context.nowNanos(), this::sendOnLoop);
            return;
        }
        if (kind == PacketKind.UNKNOWN) {
            counters.dropped(DropReason.UNKNOWN_PROTOCOL);
            return;
        }
        WebRtcTransport transport = transportsByAddress.get(from);
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
            case RTP -> transport.onSrtp(buf, 0, len, context);
            case RTCP -> transport.onSrtcp(buf, 0, len, context);
            default -> counters.dropped(DropReason.UNKNOWN_PROTOCOL);
        }
    }

    private void tick() {
        sourceLimits.expire(context.nowNanos());
        for (WebRtcTransport transport : List.copyOf(transports)) {
            transport.tick(context);
        }
    }

    private void flushNegotiations() {
        if (negotiationNeeded.isEmpty()) {
            return;
        }
        List<WebRtcTransport> pending = List.copyOf(negotiationNeeded);
        negotiationNeeded.clear();
        for (WebRtcTransport transport : pending) {
            if (transport.needsOffer()) {
                try {
                    transport.listener().onOffer(negotiator.offer(transport));
                } catch (RuntimeException e) {
                    logLoopError("offer for " + transport, e);
                }
            }
        }
    }

    /** The loop's own sends reuse one ByteBuffer per scratch array, so the media path allocates nothing. */
    private boolean sendOnLoop(byte[] buf, int off, int len, InetSocketAddress to) {
        ByteBuffer wrapper = sendWrappers.computeIfAbsent(buf, ByteBuffer::wrap);
        wrapper.clear().position(off).limit(off + len);
        if (!sendNow(wrapper, to)) {
            return false;
        }
        counters.sent(len);
        return true;
    }

    private WebRtcTransport newTransport(WebRtcTransport.Kind kind, String roomId, String participantId,
                                         TransportListener listener) {
        Router router = routers.computeIfAbsent(roomId, Router::new);
        IceCredentials credentials;
        do {
            credentials = IceCredentials.random();
        } while (transportsByUfrag.containsKey(credentials.ufrag()));
        WebRtcTransport transport = new WebRtcTransport(UUID.randomUUID().toString(), kind, participantId, router,
                this, credentials, listener, allocateSsrc(), context.nowNanos() == 0 ? System.nanoTime() : context.nowNanos());
        transportsByUfrag.put(credentials.ufrag(), transport);
        transports.add(transport);
        transportsById.put(transport.id(), transport);
        try {
            listener.onCreated(transport);
        } catch (RuntimeException e) {
            logLoopError("transport listener", e);
        }
        return transport;
    }

    private int allocateSsrc() {
        int ssrc;
        do {
            ssrc = random.nextInt();
        } while (ssrc == 0 || !usedSsrcs.add(ssrc));
        return ssrc;
    }

    private RelaySnapshot takeSnapshot() {
        List<RelaySnapshot.Room> rooms = new ArrayList<>();
        for (Router router : routers.values()) {
            List<RelaySnapshot.Transport> members = new ArrayList<>();
            for (WebRtcTransport t : router.transports()) {
                List<RelaySnapshot.Track> tracks = t.producers().stream().map(p -> new RelaySnapshot.Track(
                        p.kind().sdpName(), p.codec().name(), p.packets(), p.bytes(), p.consumerCount())).toList();
                int consumers = (int) t.sections().stream().filter(s -> s.consumer() != null && s.consumer().isActive())
                        .count();
                InetSocketAddress address = t.selectedAddress();
                members.add(new RelaySnapshot.Transport(t.id(), t.participantId(), t.kind().name(), t.isConnected(),
                        address == null ? null : address.getAddress().getHostAddress() + ":" + address.getPort(),
                        t.srtpProfile(), t.counters().packetsIn(), t.counters().bytesIn(), t.counters().packetsOut(),
                        t.counters().bytesOut(), t.counters().dropsByReason(), tracks, consumers));
            }
            rooms.add(new RelaySnapshot.Room(router.id(), members));
        }
        return new RelaySnapshot(System.nanoTime(), counters.packetsIn(), counters.bytesIn(), counters.packetsOut(),
                counters.bytesOut(), counters.dropsByReason(), rooms);
    }

    private <T> CompletableFuture<T> call(LoopCall<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        if (!running) {
            result.completeExceptionally(new IllegalStateException("the relay is closed"));
            return result;
        }
        execute(() -> {
            try {
                result.complete(work.run());
            } catch (Exception e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    @FunctionalInterface
    private interface LoopCall<T> {
        T run() throws Exception;
    }

    private void logLoopError(String what, Exception e) {
        if (errorLogBudget > 0) {
            errorLogBudget--;
            log.warn("Error in {} (the relay carries on): {}", what, e.toString(), e);
        }
    }

    /** The machine's IPv4 addresses on interfaces that are up, loopback last (used only if nothing else exists). */
    static List<InetAddress> localAddresses() {
        List<InetAddress> result = new ArrayList<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp() || nic.isLoopback() || nic.isVirtual()) {
                    continue;
                }
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    if (address instanceof Inet4Address && !address.isLinkLocalAddress()) {
                        result.add(address);
                    }
                }
            }
        } catch (SocketException e) {
            log.warn("Could not list network interfaces: {}", e.toString());
        }
        if (result.isEmpty()) {
            result.add(InetAddress.getLoopbackAddress());
        }
        return result;
    }

    /** Source addresses the rate limiter tracks now (loop-owned: read it through a loop call). */
    CompletableFuture<Integer> trackedSources() {
        return call(sourceLimits::size);
    }
}
