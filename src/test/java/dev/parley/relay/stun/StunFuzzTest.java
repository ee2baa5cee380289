package dev.parley.relay.stun;

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
 * Random bytes and mutated valid messages must never make the parser or any accessor throw.
 *
 * <p>{@link #parse} is the coverage-guided (Jazzer) target; its seeds are in
 * {@code src/test/resources/dev/parley/relay/stun/StunFuzzTestInputs/parse}. See docs/fuzzing.md.
 */
class StunFuzzTest {

    @RegisterExtension
    final ByteMutations mutations = new ByteMutations();

    private static final byte[] KEY = StunMessage.shortTermKey(Rfc5769.PASSWORD);
    private static final byte[][] SEEDS = {
        Rfc5769.SAMPLE_REQUEST, Rfc5769.SAMPLE_IPV4_RESPONSE, Rfc5769.SAMPLE_IPV6_RESPONSE,
        new StunBindingWriter().errorResponse(Rfc5769.TRANSACTION_ID, StunError.ROLE_CONFLICT, KEY),
    };

    @Test
    void parserNeverThrows() {
        SplittableRandom random = mutations.seed(5769);
        int parsed = 0;
        for (int i = 0; i < 200_000; i++) {
            mutations.iteration(i);
            byte[] input = (i & 1) == 0 ? randomMessage(random)
                    : mutations.mutate(SEEDS[random.nextInt(SEEDS.length)], 8, 8);
            StunMessage m = StunMessage.parse(input, 0, input.length);
            if (m != null) {
                parsed++;
                exercise(m);
            }
        }
        assertThat(parsed).as("mutations must still reach the accessors").isGreaterThan(20_000);
    }

    /**
     * {@link StunMessage#parse} returns null or a message (it never throws); a message keeps its exact bytes, its
     * attributes lie inside it, and rewriting its attributes with {@link StunWriter} gives a message that parses to
     * the same type, transaction id and attributes (and to the same bytes when the original padding was zero).
     */
    @FuzzTest
    void parse(byte[] input) {
        StunMessage m = StunMessage.parse(input, 0, input.length);
        if (m == null) {
            return;
        }
        equal(m.toByteArray(), input, "bytes of the message");
        equal(m.length(), input.length, "length");
        equal(m.transactionId().length, 12, "transaction id length");
        between(m.messageType(), 0, 0x3FFF, "message type");
        exercise(m);
        int end = 20;
        for (int i = 0; i < m.attributeCount(); i++) {
            int at = m.attributeValueOffset(i);
            equal(at, end + 4, "attribute value offset (attributes back to back)");
            end = at + ((m.attributeValueLength(i) + 3) & ~3);
        }
        equal(end, input.length, "end of the last attribute");

        byte[] out = new byte[input.length];
        StunWriter writer = new StunWriter().begin(out, 0, out.length, m.messageType(), m.transactionId());
        for (int i = 0; i < m.attributeCount(); i++) {
            writer.addBytes(m.attributeType(i), input, m.attributeValueOffset(i), m.attributeValueLength(i));
        }
        equal(writer.finish(), input.length, "rewritten length");
        StunMessage again = StunMessage.parse(out);
        check(again != null, "rewritten message parses");
        equal(again.messageType(), m.messageType(), "rewritten message type");
        equal(again.transactionId(), m.transactionId(), "rewritten transaction id");
        equal(again.attributeCount(), m.attributeCount(), "rewritten attribute count");
        for (int i = 0; i < m.attributeCount(); i++) {
            equal(again.attributeType(i), m.attributeType(i), "rewritten attribute type");
            equal(Arrays.copyOfRange(out, again.attributeValueOffset(i),
                    again.attributeValueOffset(i) + again.attributeValueLength(i)),
                    Arrays.copyOfRange(input, m.attributeValueOffset(i),
                            m.attributeValueOffset(i) + m.attributeValueLength(i)), "rewritten attribute value");
        }
        equal(again.username(), m.username(), "rewritten USERNAME");
        equal(again.priority(), m.priority(), "rewritten PRIORITY");
        equal(again.xorMappedAddress(), m.xorMappedAddress(), "rewritten XOR-MAPPED-ADDRESS");
        equal(again.errorCode(), m.errorCode(), "rewritten ERROR-CODE");
        equal(again.useCandidate(), m.useCandidate(), "rewritten USE-CANDIDATE");
        equal(again.hasMessageIntegrity(), m.hasMessageIntegrity(), "rewritten has MESSAGE-INTEGRITY");
        equal(again.hasFingerprint(), m.hasFingerprint(), "rewritten has FINGERPRINT");
        if (Arrays.equals(out, input)) {
            equal(again.verifyFingerprint(), m.verifyFingerprint(), "rewritten FINGERPRINT verdict");
            equal(again.verifyMessageIntegrity(KEY), m.verifyMessageIntegrity(KEY),
                    "rewritten MESSAGE-INTEGRITY verdict");
        }
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
