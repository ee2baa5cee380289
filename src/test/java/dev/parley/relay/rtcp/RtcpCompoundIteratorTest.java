package dev.parley.relay.rtcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.relay.rtcp.RtcpCompoundIterator.Status;
import org.junit.jupiter.api.Test;

class RtcpCompoundIteratorTest {

    private final RtcpCompoundIterator it = new RtcpCompoundIterator();

    @Test
    void walksACompoundPacket() {
        byte[] compound = Hex.concat(Hex.bytes("FFFF"), RtcpSamples.SENDER_REPORT, RtcpSamples.SDES_CNAME,
                RtcpSamples.BYE_WITH_REASON, Hex.bytes("FF"));
        it.reset(compound, 2, compound.length - 3);

        assertThat(it.next()).isTrue();
        assertThat(it.packetType()).isEqualTo(RtcpHeader.SR);
        assertThat(it.count()).isEqualTo(1);
        assertThat(it.offset()).isEqualTo(2);
        assertThat(it.length()).isEqualTo(52);
        assertThat(it.senderSsrc()).isEqualTo(0x11223344);

        assertThat(it.next()).isTrue();
        assertThat(it.packetType()).isEqualTo(RtcpHeader.SDES);
        assertThat(it.offset()).isEqualTo(54);
        assertThat(it.length()).isEqualTo(20);

        assertThat(it.next()).isTrue();
        assertThat(it.packetType()).isEqualTo(RtcpHeader.BYE);
        assertThat(it.count()).isEqualTo(2);
        assertThat(it.length()).isEqualTo(20);

        assertThat(it.next()).isFalse();
        assertThat(it.status()).isEqualTo(Status.END);
        assertThat(it.next()).isFalse();
    }

    @Test
    void reducedSizeSinglePacket() {
        it.reset(RtcpSamples.PLI, 0, RtcpSamples.PLI.length);
        assertThat(it.next()).isTrue();
        assertThat(it.packetType()).isEqualTo(RtcpHeader.PSFB);
        assertThat(it.count()).isEqualTo(RtcpHeader.FMT_PLI);
        assertThat(it.next()).isFalse();
        assertThat(it.status()).isEqualTo(Status.END);
    }

    @Test
    void stopsAtABadVersionAfterDeliveringGoodPackets() {
        byte[] bad = RtcpSamples.PLI.clone();
        bad[0] = (byte) 0x41; // V=1
        byte[] compound = Hex.concat(RtcpSamples.RECEIVER_REPORT, bad, RtcpSamples.NACK);
        it.reset(compound, 0, compound.length);
        assertThat(it.next()).isTrue();
        assertThat(it.packetType()).isEqualTo(RtcpHeader.RR);
        assertThat(it.next()).isFalse();
        assertThat(it.status()).isEqualTo(Status.BAD_VERSION);
    }

    @Test
    void lengthBeyondTheDatagram() {
        byte[] b = RtcpSamples.NACK.clone();
        b[3] = 4; // claims 20 bytes, 16 present
        it.reset(b, 0, b.length);
        assertThat(it.next()).isFalse();
        assertThat(it.status()).isEqualTo(Status.BAD_LENGTH);
    }

    @Test
    void trailingBytesShorterThanAHeader() {
        byte[] b = Hex.concat(RtcpSamples.PLI, Hex.bytes("80 C9"));
        it.reset(b, 0, b.length);
        assertThat(it.next()).isTrue();
        assertThat(it.next()).isFalse();
        assertThat(it.status()).isEqualTo(Status.TRUNCATED);
    }

    @Test
    void padding() {
        // RR without blocks followed by 4 bytes of padding (count 4): P=1, length 2
        byte[] padded = Hex.bytes("A0 C9 00 02 | 0A 0B 0C 0D | 00 00 00 04");
        it.reset(padded, 0, padded.length);
        assertThat(it.next()).isTrue();
        assertThat(it.hasPadding()).isTrue();
        assertThat(it.length()).isEqualTo(12);
        assertThat(it.next()).isFalse();
        assertThat(it.status()).isEqualTo(Status.END);
        ReceiverReport rr = new ReceiverReport();
        assertThat(rr.wrap(padded, 0, padded.length)).isTrue();
        assertThat(rr.reportCount()).isZero();

        byte[] zeroCount = Hex.bytes("A0 C9 00 02 | 0A 0B 0C 0D | 00 00 00 00");
        it.reset(zeroCount, 0, zeroCount.length);
        assertThat(it.next()).isFalse();
        assertThat(it.status()).isEqualTo(Status.BAD_PADDING);

        byte[] tooMuch = Hex.bytes("A0 C9 00 02 | 0A 0B 0C 0D | 00 00 00 0C");
        it.reset(tooMuch, 0, tooMuch.length);
        assertThat(it.next()).isFalse();
        assertThat(it.status()).isEqualTo(Status.BAD_PADDING);
    }

    @Test
    void emptyAndBadRanges() {
        it.reset(new byte[4], 0, 0);
        assertThat(it.next()).isFalse();
        assertThat(it.status()).isEqualTo(Status.TRUNCATED);
        it.reset(null, 0, 4);
        assertThat(it.next()).isFalse();
        assertThat(it.status()).isEqualTo(Status.TRUNCATED);
        it.reset(new byte[4], 2, 4);
        assertThat(it.next()).isFalse();
        assertThat(it.status()).isEqualTo(Status.TRUNCATED);
    }
}
