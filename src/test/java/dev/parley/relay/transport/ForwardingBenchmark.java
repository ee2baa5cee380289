package dev.parley.relay.transport;

import dev.parley.relay.dtls.DtlsFingerprint;
import dev.parley.relay.dtls.DtlsSession;
import dev.parley.relay.ice.IceCredentials;
import dev.parley.relay.router.MediaKind;
import dev.parley.relay.router.Producer;
import dev.parley.relay.router.Router;
import dev.parley.relay.router.RtpCodecSpec;
import dev.parley.relay.rtp.RtpPacket;
import dev.parley.relay.srtp.PacketBuffer;
import dev.parley.relay.srtp.SrtpKeyingMaterial;
import dev.parley.relay.srtp.SrtpProfile;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.security.SecureRandom;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Routing one decrypted video packet from a producer to N subscribers: per subscriber a copy, the SSRC rewrite, SRTP
 * protect with that subscriber's keys and the hand-off to the socket. {@code sink=discard} stops at the socket call;
 * {@code sink=udp} really sends to a loopback socket (which the benchmark drains), so it includes the syscall.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ForwardingBenchmark {

    @Param({"1", "10", "100"})
    public int subscribers;

    @Param({"AEAD_AES_128_GCM", "AES_CM_128_HMAC_SHA1_80"})
    public SrtpProfile profile;

    @Param({"discard", "udp"})
    public String sink;

    private LoopContext context;
    private Producer producer;
    private final PacketBuffer in = PacketBuffer.forPackets(1500);
    private final RtpPacket rtp = new RtpPacket();
    private final byte[] packet = new byte[1200];
    private DatagramChannel sendChannel;
    private DatagramChannel sinkChannel;
    private ByteBuffer drain;
    private int sequence;
    private long sent;

    @Setup(Level.Trial)
    public void buildRoom() throws IOException {
        InetSocketAddress sinkAddress;
        if ("udp".equals(sink)) {
            sinkChannel = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            sinkChannel.configureBlocking(false);
            sinkAddress = (InetSocketAddress) sinkChannel.getLocalAddress();
            sendChannel = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            drain = ByteBuffer.allocateDirect(2048);
            ByteBuffer wrapper = ByteBuffer.allocate(0);
            ByteBuffer[] cached = {wrapper};
            byte[][] cachedArray = {null};
            context = new LoopContext((buf, off, len, to) -> {
                if (cachedArray[0] != buf) {
                    cachedArray[0] = buf;
                    cached[0] = ByteBuffer.wrap(buf);
                }
                cached[0].clear().position(off).limit(off + len);
                try {
                    sendChannel.send(cached[0], to);
                    sent++;
                    return true;
                } catch (IOException e) {
                    return false;
                }
            });
        } else {
            sinkAddress = new InetSocketAddress(InetAddress.getLoopbackAddress(), 9);
            context = new LoopContext((buf, off, len, to) -> {
                sent += len;
                return true;
            });
        }
        context.setNowNanos(System.nanoTime());
        Host host = new Host(context);
        Router router = new Router("bench");
        SecureRandom random = new SecureRandom();
        for (int i = 0; i < subscribers; i++) {
            WebRtcTransport subscriber = connectedTransport("sub-" + i, router, host, random, sinkAddress);
            router.addTransport(subscriber, context);
        }
        WebRtcTransport publisher = connectedTransport("pub", router, host, random, sinkAddress);
        router.addTransport(publisher, context);
        MediaSection section = publisher.addSection(MediaKind.VIDEO, MediaSection.Role.PUBLISH, null);
        producer = new Producer("p", MediaKind.VIDEO, publisher, "pub-video", RtpCodecSpec.VP8, 96, 97, null,
                0x11111111, 0x22222222);
        publisher.addProducer(section, producer, 0x12345678, 0x23456789, context);
        for (WebRtcTransport t : router.transports()) {
            for (MediaSection s : t.sections()) {
                if (s.consumer() != null) {
                    s.consumer().onNegotiated(context);
                }
            }
        }
        // A VP8 keyframe start: S bit set, partition 0, P bit clear; every packet passes the keyframe gate.
        random.nextBytes(packet);
        packet[0] = (byte) 0x80;
        packet[1] = 96;
        packet[8] = 0x12;
        packet[9] = 0x34;
        packet[10] = 0x56;
        packet[11] = 0x78;
        packet[12] = 0x10;
        packet[13] = 0x00;
    }

    private WebRtcTransport connectedTransport(String id, Router router, Host host, SecureRandom random,
                                               InetSocketAddress remote) {
        WebRtcTransport transport = new WebRtcTransport(id, WebRtcTransport.Kind.BROWSER, id, router, host,
                IceCredentials.random(), new TransportListener() { }, random.nextInt(), System.nanoTime());
        transport.onValidCheck(remote, true, System.nanoTime());
        byte[] exported = new byte[profile.keyingMaterialLength()];
        random.nextBytes(exported);
        transport.onSrtpKeys(SrtpKeyingMaterial.fromDtlsExport(profile, exported, false));
        return transport;
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        if (sinkChannel != null) {
            sinkChannel.close();
            sendChannel.close();
        }
    }

    @TearDown(Level.Iteration)
    public void drainSink() throws IOException {
        if (sinkChannel != null) {
            while (sinkChannel.receive(drain.clear()) != null) {
                // discard what the relay sent
            }
        }
    }

    /** One incoming packet routed to every subscriber; the time is per incoming packet. */
    @Benchmark
    public long route() {
        sequence++;
        packet[2] = (byte) (sequence >> 8);
        packet[3] = (byte) sequence;
        in.copyFrom(packet, 0, packet.length);
        rtp.wrap(in.buffer(), in.offset(), in.length());
        producer.onRtp(in, rtp, context);
        if (sinkChannel != null && (sequence & 63) == 0) {
            try {
                while (sinkChannel.receive(drain.clear()) != null) {
                    // keep the loopback socket's queue from overflowing
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return sent;
    }

    /** A transport host that runs everything inline and never touches a network of its own. */
    static final class Host implements TransportHost {
        private final LoopContext context;

        Host(LoopContext context) {
            this.context = context;
        }

        @Override
        public void execute(Runnable task) {
            task.run();
        }

        @Override
        public LoopContext context() {
            return context;
        }

        @Override
        public void sendRaw(byte[] buf, int off, int len, InetSocketAddress to) {
        }

        @Override
        public void mapAddress(InetSocketAddress address, WebRtcTransport transport) {
        }

        @Override
        public void unregister(WebRtcTransport transport, Collection<InetSocketAddress> addresses) {
        }

        @Override
        public DtlsSession newDtlsSession(WebRtcTransport transport, List<DtlsFingerprint> remoteFingerprints,
                                          DtlsSession.Listener listener) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void negotiationNeeded(WebRtcTransport transport) {
        }

        @Override
        public long consentTimeoutNanos() {
            return Long.MAX_VALUE;
        }

        @Override
        public long videoBitrateCap() {
            return 2_500_000;
        }
    }
}
