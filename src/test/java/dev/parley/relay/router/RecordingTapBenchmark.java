package dev.parley.relay.router;

import dev.parley.relay.rtp.RtpPacket;
import dev.parley.relay.srtp.PacketBuffer;
import dev.parley.relay.srtp.SrtpProfile;
import dev.parley.relay.transport.LoopContext;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.security.SecureRandom;
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
 * What recording adds to one video packet's way through the relay: a producer with one subscriber (SRTP protect
 * and a discarded send, as {@link ForwardingBenchmark}'s {@code discard}) and, with {@code recording} on, its
 * {@link RecordingTap}: a copy, the stream rewrite and the send of plain RTP, to a discarding sink ({@code discard})
 * or a real loopback socket drained by the benchmark ({@code udp}, the syscall included).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RecordingTapBenchmark {

    @Param({"off", "discard", "udp"})
    public String recording;

    private LoopContext context;
    private Producer producer;
    private Layer layer;
    private final PacketBuffer in = PacketBuffer.forPackets(1500);
    private final RtpPacket rtp = new RtpPacket();
    private final byte[] packet = new byte[1200];
    private DatagramChannel sendChannel;
    private DatagramChannel sinkChannel;
    private final ByteBuffer drain = ByteBuffer.allocateDirect(2048);
    private int sequence;
    private long recorded;

    @Setup(Level.Trial)
    public void buildRoom() throws IOException {
        InetSocketAddress nowhere = new InetSocketAddress(InetAddress.getLoopbackAddress(), 9);
        LoopFixture fixture = new LoopFixture((buf, off, len, to) -> true, SrtpProfile.AEAD_AES_128_GCM);
        context = fixture.context();
        Router router = new Router("bench");
        router.addEndpoint(fixture.connectedPeer("sub", Endpoint.Kind.BROWSER, router, LoopFixture.quiet(), nowhere)
                .endpoint(), context);
        Endpoint publisher = fixture.connectedPeer("pub", Endpoint.Kind.BROWSER, router, LoopFixture.quiet(), nowhere)
                .endpoint();
        router.addEndpoint(publisher, context);
        MediaSection section = publisher.addSection(MediaKind.VIDEO, MediaSection.Role.PUBLISH, null);
        producer = new Producer("p", MediaKind.VIDEO, publisher, "pub-video", RtpCodecSpec.VP8, 96, 97, null,
                0x11111111, 0x22222222, List.of());
        publisher.addProducer(section, producer, 0x12345678, 0x23456789, context);
        for (Endpoint e : router.endpoints()) {
            for (MediaSection s : e.sections()) {
                if (s.consumer() != null) {
                    s.consumer().onNegotiated(context);
                }
            }
        }
        layer = producer.layer(0);
        if (!"off".equals(recording)) {
            InetSocketAddress target = nowhere;
            if ("udp".equals(recording)) {
                sinkChannel = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                sinkChannel.configureBlocking(false);
                target = (InetSocketAddress) sinkChannel.getLocalAddress();
                sendChannel = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            }
            RoomRecording room = new RoomRecording(new RoomRecording.Listener() {
                @Override
                public void onTrack(Producer p) {
                }

                @Override
                public void onTrackEnded(Producer p) {
                }
            }, this::sendRecorded);
            room.attach(router);
            room.tap(producer, target);
        }
        new SecureRandom().nextBytes(packet);
        packet[0] = (byte) 0x80;
        packet[1] = 96;
        packet[8] = 0x12;
        packet[9] = 0x34;
        packet[10] = 0x56;
        packet[11] = 0x78;
        // VP8 descriptor of a key frame start: every packet passes the tap's key frame gate.
        packet[12] = (byte) 0x90;
        packet[13] = (byte) 0xC0;
        packet[14] = (byte) 0x80;
        packet[15] = 0x01;
        packet[16] = 0x05;
        packet[17] = 0x00;
    }

    private boolean sendRecorded(ByteBuffer datagram, InetSocketAddress to) {
        if (sendChannel == null) {
            recorded += datagram.remaining();
            return true;
        }
        try {
            return sendChannel.send(datagram, to) > 0;
        } catch (IOException e) {
            return false;
        }
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        if (sinkChannel != null) {
            sinkChannel.close();
            sendChannel.close();
        }
    }

    /** One incoming packet to its subscriber and, when recorded, to its recorder; the time is per packet. */
    @Benchmark
    public long route() throws IOException {
        sequence++;
        packet[2] = (byte) (sequence >> 8);
        packet[3] = (byte) sequence;
        in.copyFrom(packet, 0, packet.length);
        rtp.wrap(in.buffer(), in.offset(), in.length());
        producer.onRtp(layer, in, rtp, context);
        if (sinkChannel != null && (sequence & 63) == 0) {
            while (sinkChannel.receive(drain.clear()) != null) {
                // keep the recorder's socket from overflowing
            }
        }
        return recorded;
    }
}
