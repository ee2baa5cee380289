package dev.parley.relay.rtcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SourceDescriptionAndGoodbyeTest {

    private final SourceDescription sdes = new SourceDescription();
    private final Goodbye bye = new Goodbye();

    @Test
    void readsCname() {
        assertThat(sdes.wrap(RtcpSamples.SDES_CNAME, 0, RtcpSamples.SDES_CNAME.length)).isTrue();
        assertThat(sdes.sourceCount()).isEqualTo(1);
        assertThat(sdes.chunkSsrc(0)).isEqualTo(0x11223344);
        long found = sdes.findCname(0x11223344);
        assertThat(found >>> 32).isEqualTo(10);
        assertThat((int) found).isEqualTo(9);
        assertThat(sdes.cname(0x11223344)).isEqualTo("user@host");
        assertThat(sdes.cname(0x55555555)).isNull();
        assertThat(sdes.findItem(0x11223344, 2)).isEqualTo(SourceDescription.NOT_FOUND);
    }

    @Test
    void writesCname() {
        byte[] out = new byte[40];
        int n = SourceDescription.writeCname(out, 0, 0x11223344, "user@host".getBytes(StandardCharsets.UTF_8));
        assertThat(n).isEqualTo(20);
        assertThat(Arrays.copyOf(out, n)).isEqualTo(RtcpSamples.SDES_CNAME);
    }

    @Test
    void cnameEndingOnABoundaryGetsAWholeWordOfNulls() {
        // item 2 + 10 bytes ends at a 32-bit boundary; the list still needs its null octet, padded to 4
        byte[] out = new byte[40];
        int n = SourceDescription.writeCname(out, 0, 1, "0123456789".getBytes(StandardCharsets.US_ASCII));
        assertThat(n).isEqualTo(24);
        assertThat(Arrays.copyOf(out, n)).isEqualTo(Hex.bytes(
                "81 CA 00 05 | 00 00 00 01 | 01 0A 30 31 | 32 33 34 35 | 36 37 38 39 | 00 00 00 00"));
        assertThat(sdes.wrap(out, 0, n)).isTrue();
        assertThat(sdes.cname(1)).isEqualTo("0123456789");
    }

    @Test
    void severalChunksAndItems() {
        byte[] b = Hex.bytes(
                "82 CA 00 07" // SC=2, length 7 (32 bytes)
                + "00 00 00 01 | 02 02 41 42 | 01 01 43 00" // NAME "AB", CNAME "C", end
                + "00 00 00 02 | 01 03 44 45 | 46 00 00 00" // CNAME "DEF", end, padding
                + "00 00 00 00"); // trailing word ignored
        assertThat(sdes.wrap(b, 0, b.length)).isTrue();
        assertThat(sdes.chunkSsrc(1)).isEqualTo(2);
        assertThat(sdes.cname(1)).isEqualTo("C");
        assertThat(sdes.cname(2)).isEqualTo("DEF");
        assertThat(new String(b, (int) (sdes.findItem(1, 2) >>> 32), 2, StandardCharsets.US_ASCII)).isEqualTo("AB");
    }

    @Test
    void rejectsMalformedChunks() {
        byte[] itemOverrun = Hex.bytes("81 CA 00 02 | 00 00 00 01 | 01 09 41 00");
        assertThat(sdes.wrap(itemOverrun, 0, itemOverrun.length)).isFalse();
        byte[] noTerminator = Hex.bytes("81 CA 00 02 | 00 00 00 01 | 01 02 41 42");
        assertThat(sdes.wrap(noTerminator, 0, noTerminator.length)).isFalse();
        byte[] missingChunk = Hex.bytes("82 CA 00 02 | 00 00 00 01 | 01 01 41 00");
        assertThat(sdes.wrap(missingChunk, 0, missingChunk.length)).isFalse();
        assertThat(sdes.wrap(RtcpSamples.PLI, 0, RtcpSamples.PLI.length)).isFalse();
    }

    @Test
    void readsGoodbye() {
        assertThat(bye.wrap(RtcpSamples.BYE_WITH_REASON, 0, RtcpSamples.BYE_WITH_REASON.length)).isTrue();
        assertThat(bye.sourceCount()).isEqualTo(2);
        assertThat(bye.ssrc(0)).isEqualTo(0x11223344);
        assertThat(bye.ssrc(1)).isEqualTo(0x55667788);
        long reason = bye.reason();
        assertThat(new String(RtcpSamples.BYE_WITH_REASON, (int) (reason >>> 32), (int) reason,
                StandardCharsets.US_ASCII)).isEqualTo("bye!!");
    }

    @Test
    void writesGoodbyeWithoutReason() {
        byte[] out = new byte[12];
        int n = Goodbye.write(out, 0, new int[] {0x11223344, 0x55667788, 9}, 2);
        assertThat(n).isEqualTo(12);
        assertThat(out).isEqualTo(Hex.bytes("82 CB 00 02 | 11 22 33 44 | 55 66 77 88"));
        assertThat(bye.wrap(out, 0, n)).isTrue();
        assertThat(bye.reason()).isEqualTo(Goodbye.NO_REASON);
        assertThat(Goodbye.write(new byte[11], 0, new int[] {1, 2}, 2)).isEqualTo(-1);
    }

    @Test
    void rejectsGoodbyeWhoseReasonOverruns() {
        byte[] b = RtcpSamples.BYE_WITH_REASON.clone();
        b[12] = 8; // reason claims 8 bytes, 7 follow
        assertThat(bye.wrap(b, 0, b.length)).isFalse();
        byte[] tooManySources = Hex.bytes("83 CB 00 02 | 00 00 00 01 | 00 00 00 02");
        assertThat(bye.wrap(tooManySources, 0, tooManySources.length)).isFalse();
    }
}
