package dev.parley.relay.stun;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class StunMessageTest {

    private static final byte[] KEY = StunMessage.shortTermKey(Rfc5769.PASSWORD);

    @Test
    void rfc5769SampleRequest() {
        StunMessage m = StunMessage.parse(Rfc5769.SAMPLE_REQUEST);

        assertThat(m).isNotNull();
        assertThat(m.length()).isEqualTo(108);
        assertThat(m.isBindingRequest()).isTrue();
        assertThat(m.messageClass()).isEqualTo(StunClass.REQUEST);
        assertThat(m.method()).isEqualTo(StunMessageType.METHOD_BINDING);
        assertThat(m.transactionId()).isEqualTo(Rfc5769.TRANSACTION_ID);
        assertThat(m.transactionIdEquals(Rfc5769.TRANSACTION_ID)).isTrue();
        assertThat(m.software()).isEqualTo("STUN test client");
        assertThat(m.username()).isEqualTo("evtj:h6vY");
        assertThat(m.priority()).hasValue(0x6e0001ffL);
        assertThat(m.iceControlled()).hasValue(0x932ff9b151263b36L);
        assertThat(m.iceControlling()).isEmpty();
        assertThat(m.useCandidate()).isFalse();
        assertThat(m.messageIntegrityOffset()).isEqualTo(76);
        assertThat(m.fingerprintOffset()).isEqualTo(100);
        assertThat(m.verifyMessageIntegrity(KEY)).isTrue();
        assertThat(m.verifyFingerprint()).isTrue();
        assertThat(m.unknownComprehensionRequiredAttributes()).isEmpty();
    }

    @Test
    void rfc5769SampleIpv4Response() throws Exception {
        StunMessage m = StunMessage.parse(Rfc5769.SAMPLE_IPV4_RESPONSE);

        assertThat(m).isNotNull();
        assertThat(m.isBindingSuccessResponse()).isTrue();
        assertThat(m.messageClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
        assertThat(m.transactionId()).isEqualTo(Rfc5769.TRANSACTION_ID);
        assertThat(m.software()).isEqualTo("test vector");
        assertThat(m.xorMappedAddress())
                .isEqualTo(new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 32853));
        assertThat(m.verifyMessageIntegrity(KEY)).isTrue();
        assertThat(m.verifyFingerprint()).isTrue();
    }

    @Test
    void rfc5769SampleIpv6Response() throws Exception {
        StunMessage m = StunMessage.parse(Rfc5769.SAMPLE_IPV6_RESPONSE);

        assertThat(m).isNotNull();
        assertThat(m.isBindingSuccessResponse()).isTrue();
        assertThat(m.xorMappedAddress()).isEqualTo(
                new InetSocketAddress(InetAddress.getByName("2001:db8:1234:5678:11:2233:4455:6677"), 32853));
        assertThat(m.verifyMessageIntegrity(KEY)).isTrue();
        assertThat(m.verifyFingerprint()).isTrue();
    }

    @Test
    void wrongPasswordFailsIntegrity() {
        StunMessage m = StunMessage.parse(Rfc5769.SAMPLE_REQUEST);
        assertThat(m.verifyMessageIntegrity(StunMessage.shortTermKey("VOkJxbRl1RmTxUk/WvJxBT"))).isFalse();
        assertThat(m.verifyMessageIntegrity(new byte[0])).isFalse();
        assertThat(m.verifyMessageIntegrity(null)).isFalse();
    }

    @Test
    void everyFlippedBitBeforeIntegrityBreaksIntegrityAndFingerprint() {
        byte[] original = Rfc5769.SAMPLE_IPV4_RESPONSE;
        int checked = 0;
        // Bytes 0..3 are type and length: flipping those changes the framing, covered in malformed().
        for (int i = 4; i < original.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] tampered = original.clone();
                tampered[i] ^= (byte) (1 << bit);
                StunMessage m = StunMessage.parse(tampered);
                if (m == null) {
                    continue; // the flip broke the framing (cookie, attribute length): rejected outright
                }
                checked++;
                if (i < 72) { // header, attributes before MESSAGE-INTEGRITY, and the HMAC itself
                    assertThat(m.verifyMessageIntegrity(KEY)).as("byte %d bit %d", i, bit).isFalse();
                } else {
                    assertThat(m.verifyMessageIntegrity(KEY)).as("byte %d bit %d", i, bit).isTrue();
                }
                assertThat(m.verifyFingerprint()).as("byte %d bit %d", i, bit).isFalse();
            }
        }
        assertThat(checked).isGreaterThan(500);
    }

    @Test
    void messageWithoutIntegrityOrFingerprint() {
        byte[] bare = Rfc5769.hex("0001 0000 2112a442 000102030405060708090a0b");
        StunMessage m = StunMessage.parse(bare);
        assertThat(m).isNotNull();
        assertThat(m.attributeCount()).isZero();
        assertThat(m.hasMessageIntegrity()).isFalse();
        assertThat(m.verifyMessageIntegrity(KEY)).isFalse();
        assertThat(m.verifyFingerprint()).isFalse();
        assertThat(m.username()).isNull();
        assertThat(m.priority()).isEmpty();
        assertThat(m.xorMappedAddress()).isNull();
        assertThat(m.errorCode()).isEqualTo(-1);
    }

    @Test
    void attributesAfterIntegrityAreIgnored() {
        // USERNAME "a" (padded), MESSAGE-INTEGRITY (zeros), PRIORITY after it: must not be visible.
        byte[] msg = Rfc5769.hex("0001 0028 2112a442 000102030405060708090a0b"
                + "0006 0001 61000000"
                + "0008 0014 0000000000000000000000000000000000000000"
                + "0024 0004 00000001");
        StunMessage m = StunMessage.parse(msg);
        assertThat(m).isNotNull();
        assertThat(m.attributeCount()).isEqualTo(3);
        assertThat(m.username()).isEqualTo("a");
        assertThat(m.priority()).isEmpty();
        assertThat(m.has(StunAttributeType.PRIORITY)).isFalse();
    }

    @Test
    void useCandidateAndControllingAndUnknownAttributes() {
        byte[] msg = Rfc5769.hex("0001 0020 2112a442 000102030405060708090a0b"
                + "0025 0000"
                + "802a 0008 0102030405060708"
                + "7777 0002 abcd0000" // unknown comprehension-required
                + "c057 0004 00010002"); // unknown comprehension-optional (Chrome's network info)
        StunMessage m = StunMessage.parse(msg);
        assertThat(m).isNotNull();
        assertThat(m.useCandidate()).isTrue();
        assertThat(m.iceControlling()).hasValue(0x0102030405060708L);
        assertThat(m.iceControlled()).isEmpty();
        assertThat(m.unknownComprehensionRequiredAttributes()).containsExactly(0x7777);
        assertThat(m.attributeValue(0x7777)).containsExactly(0xab, 0xcd);
    }

    @Test
    void errorCodeAttribute() {
        // ERROR-CODE 487 "Role Conflict" (13 bytes of reason, padded to 16)
        byte[] msg = Rfc5769.hex("0111 0018 2112a442 000102030405060708090a0b"
                + "0009 0011 00000457 526f6c6520436f6e666c696374 000000");
        StunMessage m = StunMessage.parse(msg);
        assertThat(m).isNotNull();
        assertThat(m.isBindingErrorResponse()).isTrue();
        assertThat(m.messageClass()).isEqualTo(StunClass.ERROR_RESPONSE);
        assertThat(m.errorCode()).isEqualTo(487);
        assertThat(m.errorReason()).isEqualTo("Role Conflict");
    }

    @Test
    void wrongSizedTypedAttributesReadAsAbsent() {
        byte[] msg = Rfc5769.hex("0001 0018 2112a442 000102030405060708090a0b"
                + "0024 0002 00010000" // PRIORITY of 2 bytes
                + "8029 0004 01020304" // ICE-CONTROLLED of 4 bytes
                + "0020 0004 00010000"); // XOR-MAPPED-ADDRESS without address
        StunMessage m = StunMessage.parse(msg);
        assertThat(m).isNotNull();
        assertThat(m.priority()).isEmpty();
        assertThat(m.iceControlled()).isEmpty();
        assertThat(m.xorMappedAddress()).isNull();
    }

    @Test
    void malformed() {
        byte[] good = Rfc5769.SAMPLE_REQUEST;
        assertThat(StunMessage.parse(null)).isNull();
        assertThat(StunMessage.parse(good, 0, 19)).isNull();
        assertThat(StunMessage.parse(good, 1, good.length)).isNull();
        assertThat(StunMessage.parse(good, -1, 20)).isNull();
        assertThat(StunMessage.parse(good, 0, good.length - 4)).as("length field disagrees").isNull();

        byte[] topBits = good.clone();
        topBits[0] = (byte) 0x40;
        assertThat(StunMessage.parse(topBits)).isNull();

        byte[] cookie = good.clone();
        cookie[7] = 0x43;
        assertThat(StunMessage.parse(cookie)).isNull();

        byte[] oddLength = good.clone();
        oddLength[3] = 0x57;
        assertThat(StunMessage.parse(oddLength)).isNull();

        byte[] attributeOverrun = good.clone();
        attributeOverrun[23] = (byte) 0xF0; // SOFTWARE claims 240 bytes
        assertThat(StunMessage.parse(attributeOverrun)).isNull();

        byte[] shortIntegrity = Rfc5769.hex("0001 0008 2112a442 000102030405060708090a0b 0008 0004 00000000");
        assertThat(StunMessage.parse(shortIntegrity)).isNull();

        byte[] fingerprintNotLast = Rfc5769.hex("0001 0010 2112a442 000102030405060708090a0b"
                + "8028 0004 00000000 0025 0000 0025 0000");
        assertThat(StunMessage.parse(fingerprintNotLast)).isNull();

        byte[] truncatedAttributeHeader = Rfc5769.hex("0001 0004 2112a442 000102030405060708090a0b 0025 00");
        assertThat(StunMessage.parse(truncatedAttributeHeader)).isNull();
    }

    @Test
    void parseCopiesTheInput() {
        byte[] buf = new byte[200];
        System.arraycopy(Rfc5769.SAMPLE_REQUEST, 0, buf, 50, Rfc5769.SAMPLE_REQUEST.length);
        StunMessage m = StunMessage.parse(buf, 50, Rfc5769.SAMPLE_REQUEST.length);
        java.util.Arrays.fill(buf, (byte) 0);
        assertThat(m.username()).isEqualTo("evtj:h6vY");
        assertThat(m.verifyMessageIntegrity(KEY)).isTrue();
        assertThat(m.toByteArray()).isEqualTo(Rfc5769.SAMPLE_REQUEST);
    }
}
