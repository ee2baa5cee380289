package dev.parley.relay.stun;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Random bytes and mutated valid messages must never make the parser or any accessor throw. */
class StunFuzzTest {

    private static final byte[] KEY = StunMessage.shortTermKey(Rfc5769.PASSWORD);
    private static final byte[][] SEEDS = {
        Rfc5769.SAMPLE_REQUEST, Rfc5769.SAMPLE_IPV4_RESPONSE, Rfc5769.SAMPLE_IPV6_RESPONSE,
        new StunBindingWriter().errorResponse(Rfc5769.TRANSACTION_ID, StunError.ROLE_CONFLICT, KEY),
    };

    @Test
    void parserNeverThrows() {
        SplittableRandom random = new SplittableRandom(5769);
        int parsed = 0;
        for (int i = 0; i < 200_000; i++) {
            byte[] input = (i & 1) == 0 ? randomMessage(random) : mutate(random, SEEDS[random.nextInt(SEEDS.length)]);
            StunMessage m = StunMessage.parse(input, 0, input.length);
            if (m != null) {
                parsed++;
                exercise(m);
            }
        }
        assertThat(parsed).as("mutations must still reach the accessors").isGreaterThan(20_000);
    }

    /** A header with a consistent length and random attribute-ish bytes, so the attribute walk is reached. */
    private static byte[] randomMessage(SplittableRandom random) {
        int body = random.nextInt(0, 40) * 4;
        byte[] b = new byte[20 + body];
        random.nextBytes(b);
        b[0] &= 0x3F;
        b[2] = (byte) (body >>> 8);
        b[3] = (byte) body;
        b[4] = 0x21;
        b[5] = 0x12;
        b[6] = (byte) 0xA4;
        b[7] = 0x42;
        for (int p = 20; p + 4 <= b.length; p += 4 * random.nextInt(1, 4)) {
            b[p + 2] = 0;
            b[p + 3] = (byte) random.nextInt(0, 24);
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
        if (random.nextInt(8) == 0) {
            b = java.util.Arrays.copyOf(b, random.nextInt(b.length + 8));
        }
        return b;
    }

    private static void exercise(StunMessage m) {
        m.messageClass();
        m.method();
        m.transactionId();
        m.username();
        m.software();
        m.priority();
        m.iceControlling();
        m.iceControlled();
        m.useCandidate();
        m.xorMappedAddress();
        m.errorCode();
        m.errorReason();
        m.unknownComprehensionRequiredAttributes();
        m.verifyMessageIntegrity(KEY);
        m.verifyFingerprint();
        for (int i = 0; i < m.attributeCount(); i++) {
            m.attributeValue(m.attributeType(i));
        }
    }
}
