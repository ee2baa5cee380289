package dev.parley.relay.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.parley.relay.router.MediaKind;
import dev.parley.relay.rtcp.FullIntraRequest;
import dev.parley.relay.rtcp.GenericNack;
import dev.parley.relay.rtcp.PictureLossIndication;
import dev.parley.relay.rtcp.ReportWriter;
import dev.parley.relay.rtp.RtpHeaderWriter;
import dev.parley.relay.sdp.Direction;
import dev.parley.testing.ByteMutations;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The receive path after SRTP: accounting, RTCP actions, no allocation per packet, no exception on any input. */
class MediaReceiverTest {

    @RegisterExtension
    final ByteMutations mutations = new ByteMutations();

    private static final int VIDEO_SSRC = 0x5555;
    private final OutboundStream video = new OutboundStream("1", MediaKind.VIDEO, 0x0B0B, 96, 0, 1100,
            (packet, view) -> true);
    private final LatencyHistogram latency = new LatencyHistogram();
    private final MediaReceiver receiver = new MediaReceiver(ssrc -> ssrc == video.ssrc() ? video : null, latency,
            null);

    MediaReceiverTest() {
        receiver.setRouting(new ReceiveRouting(List.of(
                new Transceiver("0", "audio", MediaKind.AUDIO, Direction.RECVONLY, 111, 0, 4, List.of(0x4444L), false),
                new Transceiver("1", "video", MediaKind.VIDEO, Direction.RECVONLY, 96, 0, 4, List.of(), false))));
    }

    private static final byte[] MID_1 = "1".getBytes(StandardCharsets.UTF_8);
    private final RtpHeaderWriter writer = new RtpHeaderWriter();

    private int videoPacket(byte[] buf, int seq, boolean key, boolean withMid) {
        writer.begin(buf, 0, buf.length, 96, true, seq, seq * 3000L, VIDEO_SSRC);
        if (withMid) {
            writer.addExtension(4, MID_1, 0, 1);
        }
        int h = writer.finish();
        return h + SyntheticMedia.writeVp8(buf, h, 200, true, key, seq, System.nanoTime(), seq);
    }

    @Test
    void placesStreamsByAnnouncedSsrcOrMidExtensionAndCountsThem() {
        byte[] buf = new byte[1500];
        int n = RtpHeaderWriter.writeFixedHeader(buf, 0, 111, false, 7, 0, 0x4444);
        n += SyntheticMedia.writeAudio(buf, n, 40, System.nanoTime(), 0);
        receiver.onRtp(buf, 0, n, System.nanoTime());
        n = videoPacket(buf, 1, true, false);
        receiver.onRtp(buf, 0, n, System.nanoTime());
        assertThat(receiver.stream(0x4444).mid()).isEqualTo("0");
        assertThat(receiver.stream(VIDEO_SSRC).mid()).as("not announced, no extension yet").isNull();
        n = videoPacket(buf, 2, false, true);
        receiver.onRtp(buf, 0, n, System.nanoTime());
        InboundStream stream = receiver.stream(VIDEO_SSRC);
        assertThat(stream.mid()).isEqualTo("1");
        assertThat(stream.packets()).isEqualTo(2);
        assertThat(stream.keyframes()).isEqualTo(1);
        assertThat(stream.probes()).isEqualTo(2);
        assertThat(latency.count()).isEqualTo(3);
    }

    @Test
    void rtcpFeedbackReachesOurStream() {
        byte[] buf = new byte[1500];
        int at = PictureLossIndication.write(buf, 0, 1, video.ssrc());
        at += FullIntraRequest.write(buf, at, 1, video.ssrc(), 3);
        at += GenericNack.write(buf, at, 1, video.ssrc(), new int[] {10, 11, 12}, 3);
        ReportWriter rr = new ReportWriter().beginReceiverReport(buf, at, 1);
        rr.addReportBlock(video.ssrc(), 64, 5, 1000, 30, 0, 0);
        at += rr.finish();
        receiver.onRtcp(buf, 0, at, 0);
        assertThat(video.keyframeRequests()).isEqualTo(2);
        assertThat(video.nacksReceived()).isEqualTo(3);
        assertThat(video.reportedFractionLost()).isEqualTo(64);
        assertThat(video.reportedCumulativeLost()).isEqualTo(5);
        assertThat(receiver.pictureLossIndications()).isEqualTo(1);
        assertThat(receiver.fullIntraRequests()).isEqualTo(1);
        assertThat(receiver.nacks()).isEqualTo(1);
        assertThat(receiver.rtcpMalformed()).isZero();
    }

    @Test
    void perPacketPathDoesNotAllocate() {
        com.sun.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean()
                instanceof com.sun.management.ThreadMXBean t ? t : null;
        assumeTrue(threads != null && threads.isThreadAllocatedMemorySupported());
        threads.setThreadAllocatedMemoryEnabled(true);
        byte[] rtp = new byte[1500];
        byte[] rtcp = new byte[100];
        int rtcpLength = PictureLossIndication.write(rtcp, 0, 1, video.ssrc());
        run(rtp, rtcp, rtcpLength, 0, 20_000); // warm up, and create the stream
        long tid = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(tid);
        run(rtp, rtcp, rtcpLength, 20_000, 100_000);
        long allocated = threads.getThreadAllocatedBytes(tid) - before;
        assertThat(receiver.stream(VIDEO_SSRC).packets()).isEqualTo(120_000);
        // 100k packets; one allocation per packet would be at least 1.6 MB. A few KB of one-off allocation have
        // been seen when other tests ran first in the same JVM (JIT transitions), hence the margin.
        assertThat(allocated).isLessThan(64 * 1024);
    }

    private void run(byte[] rtp, byte[] rtcp, int rtcpLength, int from, int count) {
        for (int i = from; i < from + count; i++) {
            int n = videoPacket(rtp, i & 0xFFFF, i % 100 == 0, true);
            receiver.onRtp(rtp, 0, n, System.nanoTime());
            if (i % 50 == 0) {
                receiver.onRtcp(rtcp, 0, rtcpLength, i);
            }
        }
    }

    @Test
    void neverThrowsOnRandomOrMutatedInput() {
        SplittableRandom random = mutations.seed(20261126);
        byte[] valid = new byte[1500];
        int validLength = videoPacket(valid, 9, true, true);
        byte[] validRtcp = new byte[200];
        int validRtcpLength = FullIntraRequest.write(validRtcp, 0, 1, video.ssrc(), 1);
        validRtcpLength += GenericNack.write(validRtcp, validRtcpLength, 1, video.ssrc(), new int[] {1}, 1);
        byte[] buf = new byte[1500];
        for (int i = 0; i < 200_000; i++) {
            mutations.iteration(i);
            int len;
            boolean isRtcp = (i & 1) == 1;
            if (random.nextInt(4) == 0) {
                len = random.nextInt(buf.length + 1);
                for (int j = 0; j < len; j++) {
                    buf[j] = (byte) random.nextInt(256);
                }
            } else {
                byte[] source = isRtcp ? validRtcp : valid;
                len = isRtcp ? validRtcpLength : validLength;
                System.arraycopy(source, 0, buf, 0, len);
                for (int flips = random.nextInt(1, 6); flips > 0; flips--) {
                    buf[random.nextInt(len)] = (byte) random.nextInt(256);
                }
                len = random.nextInt(4) == 0 ? random.nextInt(len + 1) : len;
            }
            if (isRtcp) {
                receiver.onRtcp(buf, 0, len, i);
            } else {
                receiver.onRtp(buf, 0, len, System.nanoTime());
            }
        }
        assertThat(receiver.streams().size()).isLessThanOrEqualTo(MediaReceiver.MAX_STREAMS);
        assertThat(receiver.rtpMalformed() + receiver.rtcpMalformed()).isPositive();
    }
}
