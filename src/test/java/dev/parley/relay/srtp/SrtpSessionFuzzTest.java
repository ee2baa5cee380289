package dev.parley.relay.srtp;

import static dev.parley.relay.srtp.SrtpTestPackets.content;
import static dev.parley.relay.srtp.SrtpTestPackets.randomKeys;
import static dev.parley.relay.srtp.SrtpTestPackets.rtcp;
import static dev.parley.relay.srtp.SrtpTestPackets.rtp;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.testing.ByteMutations;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Random bytes and mutations of genuine packets never make the session throw; they come back as a status. */
class SrtpSessionFuzzTest {

    @RegisterExtension
    final ByteMutations mutations = new ByteMutations();

    private static final int ITERATIONS_PER_PROFILE = 100_000;

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void arbitraryInputNeverThrows(SrtpProfile profile) {
        SplittableRandom random = mutations.seed(0xF022 + profile.ordinal());
        SrtpKeyingMaterial relayKeys = randomKeys(profile, random);
        SrtpSession browser = new SrtpSession(relayKeys.reversed());
        SrtpSession relay = new SrtpSession(relayKeys, 8);

        List<byte[]> genuineRtp = new ArrayList<>();
        List<byte[]> genuineRtcp = new ArrayList<>();
        int[] ssrcs = {0x11111111, 0x22222222, 0x33333333};
        for (int i = 0; i < 64; i++) {
            int ssrc = ssrcs[i % 3];
            PacketBuffer packet = SrtpTestPackets.buffer(
                    rtp(ssrc, 100 + i, random.nextInt(3), random.nextInt(3), random.nextInt(200), random), 0);
            assertThat(browser.protectRtp(packet)).isEqualTo(SrtpStatus.OK);
            genuineRtp.add(content(packet));
            PacketBuffer control = SrtpTestPackets.buffer(rtcp(ssrc, random.nextInt(40), random), 0);
            assertThat(browser.protectRtcp(control)).isEqualTo(SrtpStatus.OK);
            genuineRtcp.add(content(control));
        }

        Map<SrtpStatus, Integer> seen = new EnumMap<>(SrtpStatus.class);
        PacketBuffer packet = new PacketBuffer(2048);
        for (int i = 0; i < ITERATIONS_PER_PROFILE; i++) {
            mutations.iteration(i);
            int kind = random.nextInt(4);
            byte[] input = switch (random.nextInt(3)) {
                case 0 -> randomBytes(random, ssrcs[random.nextInt(3)], kind % 2 == 0 ? 8 : 4);
                default -> mutate(kind % 2 == 0 ? pick(genuineRtp, random) : pick(genuineRtcp, random), random);
            };
            // The packet sits at the end of the array with little or enough room after it.
            int room = random.nextInt(3) == 0 ? random.nextInt(24) : PacketBuffer.SRTP_OVERHEAD;
            int offset = packet.buffer().length - room - input.length;
            PacketBuffer target = packet;
            System.arraycopy(input, 0, target.buffer(), offset, input.length);
            target.set(offset, input.length);
            byte[] before = target.buffer();

            SrtpStatus status;
            try {
                status = switch (kind) {
                    case 0 -> relay.unprotectRtp(target);
                    case 1 -> relay.unprotectRtcp(target);
                    case 2 -> browser.protectRtp(target);
                    default -> browser.protectRtcp(target);
                };
            } catch (RuntimeException e) {
                throw new AssertionError("kind " + kind + " threw on " + Hex.string(input), e);
            }
            seen.merge(status, 1, Integer::sum);
            assertThat(target.buffer()).as("the array is never swapped").isSameAs(before);
            if (kind < 2 && status == SrtpStatus.OK) {
                assertThat(target.length()).isLessThan(input.length);
            }
        }
        // The mutations reach past the length checks into authentication, replay and the SSRC limit.
        assertThat(seen).containsKeys(SrtpStatus.OK, SrtpStatus.AUTH_FAIL, SrtpStatus.INVALID, SrtpStatus.REPLAY,
                SrtpStatus.NO_TAIL_ROOM, SrtpStatus.SSRC_LIMIT);
    }

    private static byte[] pick(List<byte[]> packets, SplittableRandom random) {
        return packets.get(random.nextInt(packets.size()));
    }

    /**
     * Random bytes; often with version 2 so they get past the first check, and often carrying a known SSRC so they
     * reach an existing context rather than costing a key derivation each.
     */
    private static byte[] randomBytes(SplittableRandom random, int knownSsrc, int ssrcOffset) {
        byte[] bytes = new byte[random.nextInt(random.nextBoolean() ? 40 : 300)];
        random.nextBytes(bytes);
        if (bytes.length > 0 && random.nextBoolean()) {
            bytes[0] = (byte) (0x80 | (bytes[0] & 0x3F));
        }
        if (bytes.length >= ssrcOffset + 4 && random.nextInt(4) != 0) {
            java.nio.ByteBuffer.wrap(bytes, ssrcOffset, 4).putInt(knownSsrc);
        }
        return bytes;
    }

    private static byte[] mutate(byte[] genuine, SplittableRandom random) {
        byte[] bytes = genuine.clone();
        switch (random.nextInt(6)) {
            case 0 -> bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
            case 1 -> bytes = java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
            case 2 -> bytes = java.util.Arrays.copyOf(bytes, bytes.length + 1 + random.nextInt(40));
            case 3 -> bytes[0] = (byte) random.nextInt(256);
            case 4 -> {
                // Header fields that steer the parsers: CSRC count, extension bit and length, RTCP length.
                bytes[0] |= (byte) (0x10 | random.nextInt(16));
                if (bytes.length > 16) {
                    bytes[14] = (byte) random.nextInt(256);
                    bytes[15] = (byte) random.nextInt(256);
                }
            }
            default -> {
                // Genuine as sent: a duplicate.
            }
        }
        return bytes;
    }
}
