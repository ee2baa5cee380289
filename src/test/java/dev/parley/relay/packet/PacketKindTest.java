package dev.parley.relay.packet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.testing.ByteMutations;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PacketKindTest {

    @RegisterExtension
    final ByteMutations mutations = new ByteMutations();

    private static byte[] packet(int first, int second, int len) {
        byte[] b = new byte[len];
        if (len > 0) {
            b[0] = (byte) first;
        }
        if (len > 1) {
            b[1] = (byte) second;
        }
        return b;
    }

    // RFC 7983 section 7: every boundary of every range, with a second byte that is not RTCP (0x60 = PT 96); 8 and 9,
    // unassigned there, are Parley's relay links.
    @ParameterizedTest
    @CsvSource({
        "0, STUN", "1, STUN", "2, STUN", "3, STUN",
        "4, UNKNOWN", "7, UNKNOWN", "8, LINK", "9, LINK", "10, UNKNOWN", "15, UNKNOWN", "16, UNKNOWN", "19, UNKNOWN",
        "20, DTLS", "21, DTLS", "22, DTLS", "23, DTLS", "63, DTLS",
        "64, UNKNOWN", "79, UNKNOWN", "80, UNKNOWN", "127, UNKNOWN",
        "128, RTP", "144, RTP", "191, RTP",
        "192, UNKNOWN", "200, UNKNOWN", "255, UNKNOWN"
    })
    void firstByteRanges(int first, PacketKind expected) {
        assertThat(PacketKind.classify(packet(first, 0x60, 100), 0, 100)).isEqualTo(expected);
    }

    // RFC 5761 section 4: second byte 192..223 is RTCP (PT 200..207 plus neighbours), everything else RTP.
    @ParameterizedTest
    @CsvSource({
        "0, RTP", "96, RTP", "127, RTP", "128, RTP", "191, RTP",
        "192, RTCP", "200, RTCP", "201, RTCP", "205, RTCP", "206, RTCP", "207, RTCP", "223, RTCP",
        "224, RTP", "255, RTP"
    })
    void secondByteSplitsRtpFromRtcp(int second, PacketKind expected) {
        assertThat(PacketKind.classify(packet(0x80, second, 100), 0, 100)).isEqualTo(expected);
        assertThat(PacketKind.classify(packet(0xBF, second, 100), 0, 100)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
        "0x00, 0x01, 19, UNKNOWN", "0x00, 0x01, 20, STUN",
        "0x16, 0xFE, 12, UNKNOWN", "0x16, 0xFE, 13, DTLS",
        "0x80, 0x60, 11, UNKNOWN", "0x80, 0x60, 12, RTP",
        "0x08, 0x00, 11, UNKNOWN", "0x08, 0x00, 12, LINK", "0x09, 0x00, 11, UNKNOWN", "0x09, 0x00, 12, LINK",
        "0x80, 0xC8, 7, UNKNOWN", "0x80, 0xC8, 8, RTCP",
        "0x80, 0x60, 1, UNKNOWN", "0x80, 0xC8, 1, UNKNOWN",
        "0x00, 0x00, 0, UNKNOWN"
    })
    void tooShortPacketsAreUnknown(String first, String second, int len, PacketKind expected) {
        byte[] buf = packet(Integer.decode(first), Integer.decode(second), Math.max(len, 2));
        assertThat(PacketKind.classify(buf, 0, len)).isEqualTo(expected);
    }

    @Test
    void honoursOffset() {
        byte[] buf = new byte[40];
        buf[10] = (byte) 0x80;
        buf[11] = (byte) 0xC9;
        assertThat(PacketKind.classify(buf, 10, 30)).isEqualTo(PacketKind.RTCP);
        assertThat(PacketKind.classify(buf, 0, 40)).isEqualTo(PacketKind.STUN);
        buf[11] = 0x6F;
        assertThat(PacketKind.classify(buf, 10, 30)).isEqualTo(PacketKind.RTP);
    }

    @Test
    void badArgumentsAreUnknown() {
        byte[] buf = packet(0x80, 0x60, 20);
        assertThat(PacketKind.classify(null, 0, 20)).isEqualTo(PacketKind.UNKNOWN);
        assertThat(PacketKind.classify(buf, -1, 20)).isEqualTo(PacketKind.UNKNOWN);
        assertThat(PacketKind.classify(buf, 0, -5)).isEqualTo(PacketKind.UNKNOWN);
        assertThat(PacketKind.classify(buf, 1, 20)).isEqualTo(PacketKind.UNKNOWN);
        assertThat(PacketKind.classify(buf, 21, 0)).isEqualTo(PacketKind.UNKNOWN);
        assertThat(PacketKind.classify(buf, Integer.MAX_VALUE, 2)).isEqualTo(PacketKind.UNKNOWN);
    }

    @Test
    void fuzzNeverThrows() {
        SplittableRandom random = mutations.seed(7983);
        int[] counts = new int[PacketKind.values().length];
        for (int i = 0; i < 200_000; i++) {
            mutations.iteration(i);
            byte[] buf = new byte[random.nextInt(0, 64)];
            random.nextBytes(buf);
            int off = random.nextInt(-2, buf.length + 2);
            int len = random.nextInt(-2, buf.length + 2);
            counts[PacketKind.classify(buf, off, len).ordinal()]++;
        }
        for (int count : counts) {
            assertThat(count).isPositive();
        }
    }
}
