package dev.parley.relay.rtcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Random and mutated compound packets: the iterator and every reader must never throw. */
class RtcpFuzzTest {

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
    private final int[] lost = new int[64];

    @Test
    void neverThrows() {
        SplittableRandom random = new SplittableRandom(4585);
        int packets = 0;
        int typed = 0;
        for (int i = 0; i < 200_000; i++) {
            byte[] datagram = (i % 4 == 0) ? randomBytes(random) : mutate(random, compound(random));
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

    private static byte[] mutate(SplittableRandom random, byte[] seed) {
        byte[] b = seed.clone();
        int flips = random.nextInt(1, 4);
        for (int f = 0; f < flips; f++) {
            int at = random.nextInt(b.length);
            switch (random.nextInt(3)) {
                case 0 -> b[at] ^= (byte) (1 << random.nextInt(8));
                case 1 -> b[at] = (byte) random.nextInt(256);
                default -> b[at] = 0;
            }
        }
        if (random.nextInt(6) == 0) {
            b = Arrays.copyOf(b, random.nextInt(b.length + 1));
        }
        return b;
    }
}
