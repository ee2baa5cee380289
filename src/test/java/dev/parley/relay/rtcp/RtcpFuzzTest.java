package dev.parley.relay.rtcp;

import static dev.parley.testing.FuzzChecks.atMost;
import static dev.parley.testing.FuzzChecks.between;
import static dev.parley.testing.FuzzChecks.check;
import static dev.parley.testing.FuzzChecks.equal;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.parley.testing.ByteMutations;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Random and mutated compound packets: the iterator and every reader must never throw.
 *
 * <p>{@link #compound} is the coverage-guided (Jazzer) target; its seeds are in
 * {@code src/test/resources/dev/parley/relay/rtcp/RtcpFuzzTestInputs/compound}. See docs/fuzzing.md.
 */
class RtcpFuzzTest {

    @RegisterExtension
    final ByteMutations mutations = new ByteMutations();

    private static final byte[][] PACKETS = {
        RtcpSamples.SENDER_REPORT, RtcpSamples.RECEIVER_REPORT, RtcpSamples.SDES_CNAME, RtcpSamples.BYE_WITH_REASON,
        RtcpSamples.NACK, RtcpSamples.PLI, RtcpSamples.FIR, RtcpSamples.REMB, RtcpSamples.TRANSPORT_CC,
    };

    private final RtcpCompoundIterator it = new RtcpCompoundIterator();
    private final SenderReport sr = new SenderReport();
    private final ReceiverReport rr = new ReceiverReport();
    private final ReportBlock block = new ReportBlock();
    private final SourceDescription sdes = new SourceDescription();
    private final Goodbye bye = new Goodbye();
    private final FeedbackPacket feedback = new FeedbackPacket();
    private final GenericNack nack = new GenericNack();
    private final PictureLossIndication pli = new PictureLossIndication();
    private final FullIntraRequest fir = new FullIntraRequest();
    private final Remb remb = new Remb();
    private final TransportFeedback transportFeedback = new TransportFeedback();
    private final int[] lost = new int[64];
    private final long[] receiveTimes = new long[64];

    @Test
    void neverThrows() {
        SplittableRandom random = mutations.seed(4585);
        int packets = 0;
        int typed = 0;
        for (int i = 0; i < 200_000; i++) {
            mutations.iteration(i);
            byte[] datagram = (i % 4 == 0) ? randomBytes(random) : mutations.mutate(compound(random), 6, 1);
            it.reset(datagram, 0, datagram.length);
            while (it.next()) {
                packets++;
                assertThat(it.offset() + it.length()).isLessThanOrEqualTo(datagram.length);
                typed += readAll(datagram, it.offset(), it.length());
            }
            assertThat(it.status()).isNotEqualTo(RtcpCompoundIterator.Status.OK);
            // readers must also cope with arbitrary slices, not only what the iterator hands out
            int off = random.nextInt(0, datagram.length + 1);
            readAll(datagram, off, random.nextInt(0, datagram.length - off + 1));
        }
        assertThat(packets).isGreaterThan(200_000);
        assertThat(typed).isGreaterThan(100_000);
    }

    /**
     * The compound iterator hands out back-to-back packets inside the datagram and ends with a status other than OK;
     * the readers either refuse a packet (wrap returns false) or read it without throwing; and every packet type that
     * has a writer (SR, RR, SDES CNAME, BYE, NACK, PLI, FIR, REMB) survives read, write, read with the same values.
     */
    @FuzzTest
    void compound(byte[] datagram) {
        it.reset(datagram, 0, datagram.length);
        int expected = 0;
        int count = 0;
        while (it.next()) {
            equal(it.offset(), expected, "packet offset (back to back)");
            between(it.length(), 1, datagram.length - it.offset(), "packet length");
            equal(it.length() % 4, 0, "packet length % 4");
            expected = it.offset() + it.length();
            atMost(++count, datagram.length / 4, "packet count");
            readAll(datagram, it.offset(), it.length());
            roundTrip(datagram, it.offset(), it.length());
        }
        check(it.status() != RtcpCompoundIterator.Status.OK, "the walk ended with status OK");
        if ((it.status() == RtcpCompoundIterator.Status.END) != (expected == datagram.length && count > 0)) {
            throw new AssertionError("status " + it.status() + " after " + count + " packets and " + expected + " of "
                    + datagram.length + " bytes: END must mean exactly that every byte was consumed");
        }
        readAll(datagram, 0, datagram.length);
    }

    private void roundTrip(byte[] b, int off, int len) {
        byte[] out = new byte[len + 64];
        if (sr.wrap(b, off, len)) {
            ReportWriter w = new ReportWriter().beginSenderReport(out, 0, sr.senderSsrc(), sr.ntpTimestamp(),
                    sr.rtpTimestamp(), sr.packetCount(), sr.octetCount());
            for (int k = 0; k < sr.reportCount(); k++) {
                addBlock(w, sr.reportBlock(k, block));
            }
            SenderReport again = new SenderReport();
            check(again.wrap(out, 0, w.finish()), "rewritten SR wraps");
            equal(again.senderSsrc(), sr.senderSsrc(), "SR sender ssrc");
            equal(again.ntpTimestamp(), sr.ntpTimestamp(), "SR NTP timestamp");
            equal(again.rtpTimestamp(), sr.rtpTimestamp(), "SR RTP timestamp");
            equal(again.packetCount(), sr.packetCount(), "SR packet count");
            equal(again.octetCount(), sr.octetCount(), "SR octet count");
            equal(again.reportCount(), sr.reportCount(), "SR report count");
            for (int k = 0; k < sr.reportCount(); k++) {
                assertSameBlock(again.reportBlock(k, new ReportBlock()), sr.reportBlock(k, block));
            }
        }
        if (rr.wrap(b, off, len)) {
            ReportWriter w = new ReportWriter().beginReceiverReport(out, 0, rr.senderSsrc());
            for (int k = 0; k < rr.reportCount(); k++) {
                addBlock(w, rr.reportBlock(k, block));
            }
            ReceiverReport again = new ReceiverReport();
            check(again.wrap(out, 0, w.finish()), "rewritten RR wraps");
            equal(again.senderSsrc(), rr.senderSsrc(), "RR sender ssrc");
            equal(again.reportCount(), rr.reportCount(), "RR report count");
            for (int k = 0; k < rr.reportCount(); k++) {
                assertSameBlock(again.reportBlock(k, new ReportBlock()), rr.reportBlock(k, block));
            }
        }
        if (sdes.wrap(b, off, len) && sdes.sourceCount() > 0) {
            int ssrc = sdes.chunkSsrc(0);
            long found = sdes.findCname(ssrc);
            if (found != SourceDescription.NOT_FOUND && (int) found > 0) {
                byte[] cname = Arrays.copyOfRange(b, (int) (found >>> 32), (int) (found >>> 32) + (int) found);
                SourceDescription again = new SourceDescription();
                check(again.wrap(out, 0, SourceDescription.writeCname(out, 0, ssrc, cname)), "rewritten SDES wraps");
                equal(again.cname(ssrc), sdes.cname(ssrc), "SDES CNAME");
            }
        }
        if (bye.wrap(b, off, len)) {
            int[] ssrcs = new int[bye.sourceCount()];
            for (int k = 0; k < ssrcs.length; k++) {
                ssrcs[k] = bye.ssrc(k);
            }
            Goodbye again = new Goodbye();
            check(again.wrap(out, 0, Goodbye.write(out, 0, ssrcs, ssrcs.length)), "rewritten BYE wraps");
            equal(again.sourceCount(), ssrcs.length, "BYE source count");
            for (int k = 0; k < ssrcs.length; k++) {
                equal(again.ssrc(k), ssrcs[k], "BYE ssrc");
            }
            equal(again.reason(), Goodbye.NO_REASON, "BYE written without a reason");
        }
        if (nack.wrap(b, off, len) && nack.pairCount() > 0) {
            int[] lostNumbers = new int[nack.lostCount()];
            equal(nack.lostSequenceNumbers(lostNumbers, 0), lostNumbers.length, "NACK lost sequence numbers");
            byte[] big = new byte[16 + 4 * lostNumbers.length];
            GenericNack again = new GenericNack();
            int written = GenericNack.write(big, 0, nack.senderSsrc(), nack.mediaSsrc(), lostNumbers, lostNumbers.length);
            check(again.wrap(big, 0, written), "rewritten NACK wraps");
            equal(again.senderSsrc(), nack.senderSsrc(), "NACK sender ssrc");
            equal(again.mediaSsrc(), nack.mediaSsrc(), "NACK media ssrc");
            int[] reread = new int[again.lostCount()];
            again.lostSequenceNumbers(reread, 0);
            equal(set(reread), set(lostNumbers), "NACK set of lost sequence numbers");
        }
        if (pli.wrap(b, off, len)) {
            PictureLossIndication again = new PictureLossIndication();
            check(again.wrap(out, 0, PictureLossIndication.write(out, 0, pli.senderSsrc(), pli.mediaSsrc())),
                    "rewritten PLI wraps");
            equal(again.senderSsrc(), pli.senderSsrc(), "PLI sender ssrc");
            equal(again.mediaSsrc(), pli.mediaSsrc(), "PLI media ssrc");
        }
        if (fir.wrap(b, off, len) && fir.entryCount() > 0) {
            int[] ssrcs = new int[fir.entryCount()];
            int[] sequence = new int[ssrcs.length];
            for (int k = 0; k < ssrcs.length; k++) {
                ssrcs[k] = fir.entrySsrc(k);
                sequence[k] = fir.entrySequenceNumber(k);
            }
            FullIntraRequest again = new FullIntraRequest();
            check(again.wrap(out, 0, FullIntraRequest.write(out, 0, fir.senderSsrc(), ssrcs, sequence,
                    ssrcs.length)), "rewritten FIR wraps");
            equal(again.entryCount(), ssrcs.length, "FIR entry count");
            for (int k = 0; k < ssrcs.length; k++) {
                equal(again.entrySsrc(k), ssrcs[k], "FIR entry ssrc");
                equal(again.entrySequenceNumber(k), sequence[k], "FIR entry sequence number");
            }
        }
        if (remb.wrap(b, off, len) && remb.bitrate() != Long.MAX_VALUE) {
            int[] ssrcs = new int[remb.ssrcCount()];
            for (int k = 0; k < ssrcs.length; k++) {
                ssrcs[k] = remb.ssrc(k);
            }
            byte[] big = new byte[24 + 4 * ssrcs.length];
            Remb again = new Remb();
            check(again.wrap(big, 0, Remb.write(big, 0, remb.senderSsrc(), remb.bitrate(), ssrcs, ssrcs.length)),
                    "rewritten REMB wraps");
            equal(again.bitrate(), remb.bitrate(), "REMB bitrate");
            equal(again.ssrcCount(), ssrcs.length, "REMB ssrc count");
            for (int k = 0; k < ssrcs.length; k++) {
                equal(again.ssrc(k), ssrcs[k], "REMB ssrc");
            }
        }
    }

    private static void addBlock(ReportWriter w, ReportBlock b) {
        check(w.addReportBlock(b.ssrc(), b.fractionLost(), b.cumulativeLost(), b.extendedHighestSequenceNumber(),
                b.jitter(), b.lastSenderReport(), b.delaySinceLastSenderReport()), "report block rewritten");
    }

    private static void assertSameBlock(ReportBlock actual, ReportBlock expected) {
        equal(actual.ssrc(), expected.ssrc(), "report block ssrc");
        equal(actual.fractionLost(), expected.fractionLost(), "report block fraction lost");
        equal(actual.cumulativeLost(), expected.cumulativeLost(), "report block cumulative lost");
        equal(actual.extendedHighestSequenceNumber(), expected.extendedHighestSequenceNumber(),
                "report block extended highest sequence number");
        equal(actual.jitter(), expected.jitter(), "report block jitter");
        equal(actual.lastSenderReport(), expected.lastSenderReport(), "report block LSR");
        equal(actual.delaySinceLastSenderReport(), expected.delaySinceLastSenderReport(), "report block DLSR");
    }

    private static TreeSet<Integer> set(int[] values) {
        TreeSet<Integer> set = new TreeSet<>();
        for (int v : values) {
            set.add(v);
        }
        return set;
    }

    private int readAll(byte[] b, int off, int len) {
        int typed = 0;
        if (sr.wrap(b, off, len)) {
            typed++;
            sr.senderSsrc();
            sr.ntpTimestamp();
            sr.octetCount();
            for (int k = 0; k < sr.reportCount(); k++) {
                sr.reportBlock(k, block).cumulativeLost();
                block.delaySinceLastSenderReport();
            }
        }
        if (rr.wrap(b, off, len)) {
            typed++;
            for (int k = 0; k < rr.reportCount(); k++) {
                rr.reportBlock(k, block).extendedHighestSequenceNumber();
            }
        }
        if (sdes.wrap(b, off, len)) {
            typed++;
            for (int k = 0; k < sdes.sourceCount(); k++) {
                sdes.cname(sdes.chunkSsrc(k));
            }
        }
        if (bye.wrap(b, off, len)) {
            typed++;
            for (int k = 0; k < bye.sourceCount(); k++) {
                bye.ssrc(k);
            }
            bye.reason();
        }
        if (feedback.wrap(b, off, len)) {
            typed++;
            feedback.isRemb();
            feedback.isTransportCc();
            feedback.mediaSsrc();
        }
        if (nack.wrap(b, off, len)) {
            nack.lostCount();
            nack.lostSequenceNumbers(lost, 0);
        }
        if (pli.wrap(b, off, len)) {
            pli.mediaSsrc();
        }
        if (fir.wrap(b, off, len)) {
            for (int k = 0; k < fir.entryCount(); k++) {
                fir.entrySsrc(k);
                fir.entrySequenceNumber(k);
            }
        }
        if (remb.wrap(b, off, len)) {
            remb.bitrate();
            for (int k = 0; k < remb.ssrcCount(); k++) {
                remb.ssrc(k);
            }
        }
        if (transportFeedback.wrap(b, off, len)) {
            transportFeedback.packets(lost, receiveTimes, 0);
        }
        return typed;
    }

    private static byte[] compound(SplittableRandom random) {
        int n = random.nextInt(1, 5);
        byte[][] parts = new byte[n][];
        for (int k = 0; k < n; k++) {
            parts[k] = PACKETS[random.nextInt(PACKETS.length)];
        }
        return Hex.concat(parts);
    }

    private static byte[] randomBytes(SplittableRandom random) {
        byte[] b = new byte[random.nextInt(0, 80)];
        random.nextBytes(b);
        for (int k = 0; k + 4 <= b.length; k += 4 * random.nextInt(1, 4)) {
            b[k] = (byte) (0x80 | (b[k] & 0x3F));
            b[k + 1] = (byte) random.nextInt(200, 207);
            b[k + 2] = 0;
            b[k + 3] = (byte) random.nextInt(0, 8);
        }
        return b;
    }
}
