package dev.parley.relay.router;

import dev.parley.relay.packet.DatagramSender;
import dev.parley.relay.rtp.RtpPacket;
import dev.parley.relay.transport.LoopContext;
import dev.parley.relay.srtp.PacketBuffer;
import dev.parley.relay.srtp.SrtpProfile;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.security.SecureRandom;
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

    /**
     * 1: one stream, as before simulcast. 3: a simulcast producer whose packets all belong to the layer every
     * subscriber receives, so each one also gets its sequence number, timestamp, picture id and TL0PICIDX rewritten.
     */
    @Param({"1", "3"})
    public int layers;

    /**
     * false: subscribers without transport-wide congestion control and packets without header extensions, as before
     * it. true: every subscriber numbers its packets (the publisher's TWCC element overwritten) and records them for
     * its bandwidth estimator.
     */
    @Param({"false", "true"})
    public boolean transportCc;

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
    private Layer layer;

    @Setup(Level.Trial)
    public void buildRoom() throws IOException {
        InetSocketAddress sinkAddress;
        DatagramSender sender;
        if ("udp".equals(sink)) {
            sinkChannel = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            sinkChannel.configureBlocking(false);
            sinkAddress = (InetSocketAddress) sinkChannel.getLocalAddress();
            sendChannel = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            drain = ByteBuffer.allocateDirect(2048);
            ByteBuffer wrapper = ByteBuffer.allocate(0);
            ByteBuffer[] cached = {wrapper};
            byte[][] cachedArray = {null};
            sender = (buf, off, len, to) -> {
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
            };
        } else {
            sinkAddress = new InetSocketAddress(InetAddress.getLoopbackAddress(), 9);
            sender = (buf, off, len, to) -> {
                sent += len;
                return true;
            };
        }
        LoopFixture fixture = new LoopFixture(sender, profile);
        context = fixture.context();
        Router router = new Router("bench");
        for (int i = 0; i < subscribers; i++) {
            router.addEndpoint(fixture.connectedPeer("sub-" + i, Endpoint.Kind.BROWSER, router, LoopFixture.quiet(), sinkAddress)
                    .endpoint(), context);
        }
        Endpoint publisher = fixture.connectedPeer("pub", Endpoint.Kind.BROWSER, router, LoopFixture.quiet(), sinkAddress)
                .endpoint();
        router.addEndpoint(publisher, context);
        MediaSection section = publisher.addSection(MediaKind.VIDEO, MediaSection.Role.PUBLISH, null);
        producer = new Producer("p", MediaKind.VIDEO, publisher, "pub-video", RtpCodecSpec.VP8, 96, 97, null,
                0x11111111, 0x22222222, layers == 1 ? java.util.List.of() : java.util.List.of("l", "m", "h"));
        publisher.addProducer(section, producer, 0x12345678, 0x23456789, context);
        for (Endpoint e : router.endpoints()) {
            for (MediaSection s : e.sections()) {
                if (s.consumer() != null) {
                    s.consumer().onNegotiated(context);
                }
            }
        }
        if (transportCc) {
            for (Endpoint e : router.endpoints()) {
                e.enableTransportCc(context);
            }
        }
        layer = producer.layer(producer.layerCount() - 1);
        if (!producer.bindSsrc(layer, 0x12345678, false)) {
            throw new IllegalStateException("the layer is bound already");
        }
        for (Endpoint e : router.endpoints()) {
            for (MediaSection s : e.sections()) {
                if (s.consumer() != null) {
                    s.consumer().setTargetLayer(layer.index(), context);
                }
            }
        }
        SecureRandom random = new SecureRandom();
        // A VP8 keyframe start: S bit set, partition 0, P bit clear; every packet passes the keyframe gate.
        random.nextBytes(packet);
        packet[0] = (byte) 0x80;
        packet[1] = 96;
        packet[8] = 0x12;
        packet[9] = 0x34;
        packet[10] = 0x56;
        packet[11] = 0x78;
        int vp8 = 12;
        if (transportCc) {
            // a browser's one-byte extension block with the transport-wide sequence number (id 5)
            packet[0] |= 0x10;
            byte[] extension = {(byte) 0xBE, (byte) 0xDE, 0, 1, 0x51, 0, 0, 0};
            System.arraycopy(extension, 0, packet, 12, extension.length);
            vp8 += extension.length;
        }
        // VP8 descriptor: X=1 S=1, then I=1 L=1: a 15-bit picture id and TL0PICIDX to rewrite; then a key frame header.
        packet[vp8] = (byte) 0x90;
        packet[vp8 + 1] = (byte) 0xC0;
        packet[vp8 + 2] = (byte) 0x80;
        packet[vp8 + 3] = 0x01;
        packet[vp8 + 4] = 0x05;
        packet[vp8 + 5] = 0x00;
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
        producer.onRtp(layer, in, rtp, context);
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
}
