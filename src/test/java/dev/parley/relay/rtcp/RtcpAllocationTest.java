package dev.parley.relay.rtcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** Iterating, reading and writing RTCP allocates nothing: measured with the JVM's per-thread allocation counter. */
class RtcpAllocationTest {

    private static final byte[] COMPOUND = Hex.concat(RtcpSamples.SENDER_REPORT, RtcpSamples.SDES_CNAME,
            RtcpSamples.NACK, RtcpSamples.PLI, RtcpSamples.FIR, RtcpSamples.REMB, RtcpSamples.TRANSPORT_CC,
            RtcpSamples.BYE_WITH_REASON);

    private final RtcpCompoundIterator it = new RtcpCompoundIterator();
    private final SenderReport sr = new SenderReport();
    private final ReportBlock block = new ReportBlock();
    private final SourceDescription sdes = new SourceDescription();
    private final FeedbackPacket feedback = new FeedbackPacket();
    private final GenericNack nack = new GenericNack();
    private final Remb remb = new Remb();
    private final TransportFeedback transportFeedback = new TransportFeedback();
    private final ReportWriter reportWriter = new ReportWriter();
    private final int[] lost = new int[32];
    private final int[] feedbackSeqs = new int[32];
    private final long[] receiveTimes = new long[32];
    private final long[] arrivals = {1_000, 1_250, TransportFeedback.NOT_RECEIVED, 90_000, 80_000, 80_500};
    private final int[] ssrcs = {1, 2, 3};
    private final byte[] out = new byte[1500];

    @Test
    void perPacketPathDoesNotAllocate() {
        com.sun.management.ThreadMXBean threads =
                ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t ? t : null;
        assumeTrue(threads != null && threads.isThreadAllocatedMemorySupported());
        threads.setThreadAllocatedMemoryEnabled(true);
        long sink = run(20_000);
        long tid = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(tid);
        sink += run(100_000);
        long allocated = threads.getThreadAllocatedBytes(tid) - before;
        assertThat(sink).isNotZero();
        assertThat(allocated).isLessThan(4096);
    }

    private long run(int n) {
        long sink = 0;
        for (int i = 0; i < n; i++) {
            it.reset(COMPOUND, 0, COMPOUND.length);
            while (it.next()) {
                int off = it.offset();
                int len = it.length();
                if (sr.wrap(COMPOUND, off, len)) {
                    sink += sr.ntpTimestamp() + sr.reportBlock(0, block).cumulativeLost();
                } else if (sdes.wrap(COMPOUND, off, len)) {
                    sink += sdes.findCname(0x11223344);
                } else if (nack.wrap(COMPOUND, off, len)) {
                    sink += nack.lostSequenceNumbers(lost, 0);
                } else if (remb.wrap(COMPOUND, off, len)) {
                    sink += remb.bitrate();
                } else if (transportFeedback.wrap(COMPOUND, off, len)) {
                    sink += transportFeedback.packets(feedbackSeqs, receiveTimes, 0) + receiveTimes[0];
                } else if (feedback.wrap(COMPOUND, off, len)) {
                    sink += feedback.mediaSsrc() + (feedback.isTransportCc() ? 1 : 0);
                }
            }
            reportWriter.beginReceiverReport(out, 0, i);
            reportWriter.addReportBlock(i, 1, 2, 3, 4, 5, 6);
            int at = reportWriter.finish();
            at += GenericNack.write(out, at, 1, 2, lost, 4);
            at += PictureLossIndication.write(out, at, 1, 2);
            at += Remb.write(out, at, 1, 1_000_000L + i, ssrcs, 3);
            at += TransportFeedback.write(out, at, 1, 2, i, i, arrivals, arrivals.length);
            sink += at;
        }
        return sink;
    }
}
