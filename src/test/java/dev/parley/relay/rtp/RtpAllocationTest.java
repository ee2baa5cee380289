package dev.parley.relay.rtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** The per-packet RTP path allocates nothing: measured with the JVM's per-thread allocation counter. */
class RtpAllocationTest {

    private static final byte[] PACKET = Hex.bytes(
            "90 60 0001 00000001 00000001 BEDE 0003 10AA21BB CC000033 01020304 90 E0 81 23 05 40 50");

    @Test
    void perPacketPathDoesNotAllocate() {
        com.sun.management.ThreadMXBean threads = threadMxBean();
        assumeTrue(threads != null && threads.isThreadAllocatedMemorySupported());
        threads.setThreadAllocatedMemoryEnabled(true);
        RtpPacket packet = new RtpPacket();
        RtpReceiveStatistics stats = new RtpReceiveStatistics(1);
        byte[] map = new byte[16];
        map[1] = 1;
        map[2] = 2;
        map[3] = 3;
        long sink = run(packet, stats, map, 20_000); // warm up: class loading, first-call allocations
        long tid = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(tid);
        sink += run(packet, stats, map, 100_000);
        long allocated = threads.getThreadAllocatedBytes(tid) - before;
        assertThat(sink).isNotZero();
        // 100k packets; a single allocation per packet would be at least 1.6 MB
        assertThat(allocated).isLessThan(4096);
    }

    private static long run(RtpPacket packet, RtpReceiveStatistics stats, byte[] map, int n) {
        long sink = 0;
        for (int i = 0; i < n; i++) {
            if (packet.wrap(PACKET, 0, PACKET.length)) {
                packet.setSequenceNumber(i);
                packet.setSsrc(i);
                sink += packet.sequenceNumber() + packet.timestamp() + packet.payloadLength();
                sink += HeaderExtensions.valueOffset(packet.findExtension(3));
                sink += packet.remapExtensionIds(map) ? 1 : 0;
                sink += Vp8Payload.isKeyframe(PACKET, packet.payloadOffset(), packet.payloadLength()) ? 1 : 0;
                sink += Vp9Payload.isKeyframe(PACKET, packet.payloadOffset(), packet.payloadLength()) ? 1 : 0;
                sink += H264Payload.isKeyframe(PACKET, packet.payloadOffset(), packet.payloadLength()) ? 1 : 0;
                stats.update(packet.sequenceNumber(), packet.timestamp(), i * 90L);
                sink += RtpSequence.extend(sink, i);
            }
        }
        return sink + stats.closeInterval() + stats.jitter();
    }

    static com.sun.management.ThreadMXBean threadMxBean() {
        return ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t ? t : null;
    }
}
