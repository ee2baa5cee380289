package dev.parley.relay.rtp;

import static dev.parley.testing.FuzzChecks.atLeast;
import static dev.parley.testing.FuzzChecks.atMost;
import static dev.parley.testing.FuzzChecks.between;
import static dev.parley.testing.FuzzChecks.check;
import static dev.parley.testing.FuzzChecks.equal;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.parley.testing.ByteMutations;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Random bytes and mutated valid packets: no exception, and every offset handed out stays inside the packet.
 *
 * <p>{@link #wrap} is the coverage-guided (Jazzer) target; its seeds are in
 * {@code src/test/resources/dev/parley/relay/rtp/RtpFuzzTestInputs/wrap}. See docs/fuzzing.md.
 */
class RtpFuzzTest {

    @RegisterExtension
    final ByteMutations mutations = new ByteMutations();

    private static final byte[][] SEEDS = {
        Hex.bytes("90 60 0001 00000001 00000001 BEDE 0003 10AA21BB CC000033 01020304 90 E0 81 23 05 40 50"),
        Hex.bytes("90 60 0001 00000001 00000001 1000 0003 01000201 DD000304 05060708 78 0004 6742C01F 0003 658884"),
        Hex.bytes("B2 6F FFFF 00000000 FFFFFFFF 00000001 00000002 BEDE0001 51ABCD00 AA 58 0140 00B4 01 04 01 82 03"),
        Hex.bytes("80 60 0001 00000001 00000001 7C 85 88 84"),
    };

    @Test
    void packetViewNeverThrowsAndStaysInBounds() {
        SplittableRandom random = mutations.seed(3550);
        RtpPacket packet = new RtpPacket();
        byte[] map = new byte[256];
        int wrapped = 0;
        int extensionsFound = 0;
        for (int i = 0; i < 200_000; i++) {
            mutations.iteration(i);
            byte[] b = (i & 1) == 0 ? randomBytes(random) : mutations.mutate(SEEDS[random.nextInt(SEEDS.length)], 6, 1);
            int off = random.nextInt(0, Math.min(3, b.length + 1));
            int len = b.length - off;
            if (!packet.wrap(b, off, len)) {
                continue;
            }
            wrapped++;
            assertThat(packet.payloadOffset() + packet.payloadLength() + packet.paddingLength()).isEqualTo(off + len);
            assertThat(packet.headerLength()).isBetween(12, len);
            assertThat(packet.payloadLength()).isNotNegative();
            for (int c = 0; c < packet.csrcCount(); c++) {
                packet.csrc(c);
            }
            for (int id = 1; id < 256; id += random.nextInt(1, 40)) {
                long found = packet.findExtension(id);
                if (found != HeaderExtensions.NOT_FOUND) {
                    extensionsFound++;
                    int at = HeaderExtensions.valueOffset(found);
                    assertThat(at).isBetween(packet.extensionDataOffset(),
                            packet.extensionDataOffset() + packet.extensionDataLength());
                    assertThat(at + HeaderExtensions.valueLength(found))
                            .isLessThanOrEqualTo(packet.extensionDataOffset() + packet.extensionDataLength());
                }
            }
            random.nextBytes(map);
            packet.remapExtensionIds(Arrays.copyOf(map, random.nextInt(0, 257)));
            int p = packet.payloadOffset();
            int n = packet.payloadLength();
            Vp8Payload.isKeyframe(b, p, n);
            Vp9Payload.isKeyframe(b, p, n);
            H264Payload.isKeyframe(b, p, n);
            packet.setSequenceNumber(random.nextInt());
            packet.setMarker(random.nextBoolean());
        }
        assertThat(wrapped).as("enough inputs reach the getters").isGreaterThan(20_000);
        assertThat(extensionsFound).isGreaterThan(10_000);
    }

    /**
     * {@link RtpPacket#wrap} refuses (false) or accepts; an accepted packet splits exactly into header, payload and
     * padding, its extensions lie in the extension block, writing its fixed-header fields back reproduces the input
     * bytes, and its one-byte extensions rewritten with {@link RtpHeaderWriter} read back with the same values.
     */
    @FuzzTest
    void wrap(byte[] input) {
        RtpPacket packet = new RtpPacket();
        if (!packet.wrap(input, 0, input.length)) {
            check(packet.buffer() == null, "a refused packet keeps no buffer");
            return;
        }
        int len = input.length;
        equal(packet.payloadOffset() + packet.payloadLength() + packet.paddingLength(), len,
                "header + payload + padding");
        between(packet.headerLength(), 12, len, "header length");
        equal(packet.payloadOffset(), packet.headerLength(), "payload offset");
        atLeast(packet.payloadLength(), 0, "payload length");
        equal(packet.paddingLength(), packet.hasPadding() ? input[len - 1] & 0xFF : 0, "padding length");
        equal(packet.headerLength(), 12 + 4 * packet.csrcCount()
                + (packet.hasExtension() ? 4 + packet.extensionDataLength() : 0), "header length from its parts");
        byte[][] values = new byte[256][];
        for (int id = 1; id < 256; id++) {
            long found = packet.findExtension(id);
            if (found != HeaderExtensions.NOT_FOUND) {
                int at = HeaderExtensions.valueOffset(found);
                int n = HeaderExtensions.valueLength(found);
                atLeast(n, 0, "length of extension");
                atLeast(at, packet.extensionDataOffset(), "offset of extension");
                atMost(at + n, packet.extensionDataOffset() + packet.extensionDataLength(), "end of extension");
                values[id] = Arrays.copyOfRange(input, at, at + n);
            }
        }
        int p = packet.payloadOffset();
        int n = packet.payloadLength();
        Vp8Payload.isKeyframe(input, p, n);
        Vp9Payload.isKeyframe(input, p, n);
        H264Payload.isKeyframe(input, p, n);

        byte[] copy = input.clone();
        RtpHeaderWriter.writeFixedHeader(copy, 0, packet.payloadType(), packet.marker(), packet.sequenceNumber(),
                packet.timestamp(), packet.ssrc());
        copy[0] = input[0];
        equal(copy, input, "fixed header written back");

        if (HeaderExtensions.isOneByte(packet.extensionProfile())) {
            byte[] out = new byte[12 + 4 + 14 * 17 + 4];
            RtpHeaderWriter writer = new RtpHeaderWriter().begin(out, 0, out.length, packet.payloadType(),
                    packet.marker(), packet.sequenceNumber(), packet.timestamp(), packet.ssrc());
            for (int id = 1; id <= 14; id++) {
                if (values[id] != null && values[id].length > 0) {
                    writer.addExtension(id, values[id], 0, values[id].length);
                }
            }
            int header = writer.finish();
            atLeast(header, 1, "rewritten header length");
            RtpPacket again = new RtpPacket();
            check(again.wrap(out, 0, header), "rewritten header wraps");
            equal(again.payloadType(), packet.payloadType(), "rewritten payload type");
            equal(again.marker(), packet.marker(), "rewritten marker");
            equal(again.sequenceNumber(), packet.sequenceNumber(), "rewritten sequence number");
            equal(again.timestamp(), packet.timestamp(), "rewritten timestamp");
            equal(again.ssrc(), packet.ssrc(), "rewritten ssrc");
            for (int id = 1; id <= 14; id++) {
                long found = again.findExtension(id);
                if (values[id] == null || values[id].length == 0) {
                    if (found != HeaderExtensions.NOT_FOUND) {
                        throw new AssertionError("extension " + id + " was not rewritten but is found");
                    }
                } else {
                    int at = HeaderExtensions.valueOffset(found);
                    equal(Arrays.copyOfRange(out, at, at + HeaderExtensions.valueLength(found)), values[id],
                            "rewritten extension value");
                }
            }
        }

        byte[] mutable = input.clone();
        RtpPacket edited = new RtpPacket();
        check(edited.wrap(mutable, 0, len), "a copy wraps");
        edited.setSequenceNumber(packet.sequenceNumber() + 1);
        edited.setTimestamp(packet.timestamp() + 1);
        edited.setMarker(!packet.marker());
        edited.setPayloadType(packet.payloadType() ^ 1);
        edited.setSsrc(~packet.ssrc());
        RtpPacket changed = new RtpPacket();
        check(changed.wrap(mutable, 0, len), "setters keep the packet valid");
        equal(changed.headerLength(), packet.headerLength(), "header length after the setters");
        equal(changed.paddingLength(), packet.paddingLength(), "padding length after the setters");
        equal(changed.sequenceNumber(), (packet.sequenceNumber() + 1) & 0xFFFF, "sequence number set");
        equal(changed.timestamp(), (packet.timestamp() + 1) & 0xFFFFFFFFL, "timestamp set");
        equal(changed.marker(), !packet.marker(), "marker set");
        equal(changed.payloadType(), packet.payloadType() ^ 1, "payload type set");
        equal(changed.ssrc(), ~packet.ssrc(), "ssrc set");
        equal(Arrays.copyOfRange(mutable, 12, len), Arrays.copyOfRange(input, 12, len),
                "bytes after the fixed header unchanged by the setters");
    }

    @Test
    void payloadParsersNeverThrow() {
        SplittableRandom random = mutations.seed(6184);
        int keyframes = 0;
        for (int i = 0; i < 200_000; i++) {
            mutations.iteration(i);
            byte[] b = new byte[random.nextInt(0, 24)];
            random.nextBytes(b);
            int off = random.nextInt(-1, b.length + 2);
            int len = random.nextInt(-1, b.length + 2);
            if (Vp8Payload.isKeyframe(b, off, len)) {
                keyframes++;
            }
            if (Vp9Payload.isKeyframe(b, off, len)) {
                keyframes++;
            }
            if (H264Payload.isKeyframe(b, off, len)) {
                keyframes++;
            }
            Vp8Payload.descriptorLength(b, off, len);
            Vp9Payload.descriptorLength(b, off, len);
        }
        assertThat(keyframes).isPositive();
    }

    @Test
    void statisticsNeverThrow() {
        SplittableRandom random = mutations.seed(8);
        RtpReceiveStatistics stats = new RtpReceiveStatistics(1);
        int seq = 0;
        for (int i = 0; i < 200_000; i++) {
            mutations.iteration(i);
            seq = random.nextInt(10) == 0 ? random.nextInt(65536) : seq + random.nextInt(-3, 5);
            stats.update(seq, random.nextLong(), random.nextLong());
            if (i % 1000 == 0) {
                assertThat(stats.closeInterval()).isBetween(0, 255);
                assertThat(stats.cumulativeLost()).isBetween(-0x800000, 0x7FFFFF);
            }
        }
    }

    private static byte[] randomBytes(SplittableRandom random) {
        byte[] b = new byte[random.nextInt(0, 64)];
        random.nextBytes(b);
        if (b.length > 0) {
            b[0] = (byte) (0x80 | (b[0] & 0x3F)); // mostly version 2, to reach past the first check
        }
        return b;
    }
}
