package dev.parley.relay.stun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class StunBindingWriterTest {

    private static final byte[] KEY = StunMessage.shortTermKey(Rfc5769.PASSWORD);

    /** The RFC 5769 responses use SOFTWARE "test vector" (11 bytes) padded with one space, and spaces elsewhere. */
    private static StunBindingWriter rfc5769ServerWriter() {
        return new StunBindingWriter().software("test vector").paddingByte(' ');
    }

    @Test
    void reproducesRfc5769Ipv4Response() throws Exception {
        InetSocketAddress mapped = new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 32853);
        byte[] out = new byte[200];
        int len = rfc5769ServerWriter().successResponse(out, 7, Rfc5769.TRANSACTION_ID, mapped, KEY);

        assertThat(len).isEqualTo(Rfc5769.SAMPLE_IPV4_RESPONSE.length);
        assertThat(Arrays.copyOfRange(out, 7, 7 + len)).isEqualTo(Rfc5769.SAMPLE_IPV4_RESPONSE);
    }

    @Test
    void reproducesRfc5769Ipv6Response() throws Exception {
        InetSocketAddress mapped =
                new InetSocketAddress(InetAddress.getByName("2001:db8:1234:5678:11:2233:4455:6677"), 32853);

        byte[] response = rfc5769ServerWriter().successResponse(Rfc5769.TRANSACTION_ID, mapped, KEY);

        assertThat(response).isEqualTo(Rfc5769.SAMPLE_IPV6_RESPONSE);
    }

    @Test
    void reproducesRfc5769Request() {
        // Section 2.1 is a check from a controlled agent; our writer emits the same attribute order.
        IceCheck check = new IceCheck("evtj:h6vY", 0x6e0001ffL, IceRole.CONTROLLED, 0x932ff9b151263b36L, false);
        byte[] request = new StunBindingWriter().software("STUN test client").paddingByte(' ')
                .request(Rfc5769.TRANSACTION_ID, check, KEY);

        assertThat(request).isEqualTo(Rfc5769.SAMPLE_REQUEST);
    }

    @Test
    void controllingRequestRoundTrip() {
        byte[] txId = Rfc5769.hex("0102030405060708090a0b0c");
        IceCheck check = IceCheck.controlling("srvUfrag", "cliUfrag", 1_853_824_767L, 0x1122334455667788L, true);
        byte[] remotePassword = StunMessage.shortTermKey("server-password-of-22ch");

        byte[] request = new StunBindingWriter().request(txId, check, remotePassword);
        StunMessage m = StunMessage.parse(request);

        assertThat(m).isNotNull();
        assertThat(m.isBindingRequest()).isTrue();
        assertThat(m.transactionId()).isEqualTo(txId);
        assertThat(m.username()).isEqualTo("srvUfrag:cliUfrag");
        assertThat(m.priority()).hasValue(1_853_824_767L);
        assertThat(m.iceControlling()).hasValue(0x1122334455667788L);
        assertThat(m.iceControlled()).isEmpty();
        assertThat(m.useCandidate()).isTrue();
        assertThat(m.software()).isNull();
        assertThat(m.verifyMessageIntegrity(remotePassword)).isTrue();
        assertThat(m.verifyMessageIntegrity(StunMessage.shortTermKey("client-password"))).isFalse();
        assertThat(m.verifyFingerprint()).isTrue();
        // USERNAME of 17 bytes is padded with zeros by default
        int usernameIndex = 3;
        assertThat(m.attributeType(usernameIndex)).isEqualTo(StunAttributeType.USERNAME);
        int paddingAt = m.attributeValueOffset(usernameIndex) + 17;
        assertThat(Arrays.copyOfRange(request, paddingAt, paddingAt + 3)).containsExactly(0, 0, 0);
    }

    @Test
    void withoutUseCandidateAndWithMaxPriority() {
        IceCheck check = IceCheck.controlling("a", "b", 0xFFFFFFFFL, -1L, false);
        StunMessage m = StunMessage.parse(new StunBindingWriter().request(new byte[12], check, KEY));
        assertThat(m.useCandidate()).isFalse();
        assertThat(m.priority()).hasValue(0xFFFFFFFFL);
        assertThat(m.iceControlling()).hasValue(-1L);
    }

    @Test
    void successResponseRoundTripIpv4AndIpv6() throws Exception {
        StunBindingWriter writer = new StunBindingWriter();
        for (String host : new String[] {"203.0.113.7", "0.0.0.0", "255.255.255.255", "::1", "fe80::1:2:3:4",
                "2001:db8::ffff:1"}) {
            for (int port : new int[] {0, 1, 0x2112, 50000, 65535}) {
                InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(host), port);
                StunMessage m = StunMessage.parse(writer.successResponse(Rfc5769.TRANSACTION_ID, address, KEY));
                assertThat(m.isBindingSuccessResponse()).isTrue();
                assertThat(m.xorMappedAddress()).isEqualTo(address);
                assertThat(m.verifyMessageIntegrity(KEY)).isTrue();
                assertThat(m.verifyFingerprint()).isTrue();
            }
        }
    }

    @Test
    void errorResponses() {
        StunBindingWriter writer = new StunBindingWriter();
        for (StunError error : StunError.values()) {
            byte[] withoutIntegrity = writer.errorResponse(Rfc5769.TRANSACTION_ID, error, null);
            StunMessage m = StunMessage.parse(withoutIntegrity);
            assertThat(m.isBindingErrorResponse()).isTrue();
            assertThat(m.errorCode()).isEqualTo(error.code());
            assertThat(m.errorReason()).isEqualTo(error.reason());
            assertThat(m.hasMessageIntegrity()).isFalse();
            assertThat(m.verifyFingerprint()).isTrue();

            StunMessage signed = StunMessage.parse(writer.errorResponse(Rfc5769.TRANSACTION_ID, error, KEY));
            assertThat(signed.verifyMessageIntegrity(KEY)).isTrue();
            assertThat(signed.verifyFingerprint()).isTrue();
        }
    }

    @Test
    void errorCodeBytesFollowRfc8489Layout() {
        // 401: class 4 in the low 3 bits of byte 2, number 1 in byte 3, then "Unauthorized" (12 bytes, no padding).
        byte[] m = new StunBindingWriter().errorResponse(Rfc5769.TRANSACTION_ID, StunError.UNAUTHORIZED, null);
        assertThat(Arrays.copyOfRange(m, 0, 4)).isEqualTo(Rfc5769.hex("0111 001c"));
        assertThat(Arrays.copyOfRange(m, 20, 40))
                .isEqualTo(Rfc5769.hex("0009 0010 00000401 556e617574686f72697a6564"));
        assertThat(Arrays.copyOfRange(m, 40, 44)).isEqualTo(Rfc5769.hex("8028 0004"));
    }

    @Test
    void returnsMinusOneWhenTheBufferIsTooSmall() throws Exception {
        InetSocketAddress mapped = new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 32853);
        StunBindingWriter writer = rfc5769ServerWriter();
        int needed = Rfc5769.SAMPLE_IPV4_RESPONSE.length;
        for (int size = 0; size < needed; size++) {
            assertThat(writer.successResponse(new byte[size], 0, Rfc5769.TRANSACTION_ID, mapped, KEY))
                    .as("size %d", size).isEqualTo(-1);
        }
        assertThat(writer.successResponse(new byte[needed], 0, Rfc5769.TRANSACTION_ID, mapped, KEY))
                .isEqualTo(needed);
    }

    @Test
    void rejectsArgumentsThatCannotBeEncoded() {
        StunBindingWriter writer = new StunBindingWriter();
        assertThatThrownBy(() -> writer.successResponse(new byte[11], InetSocketAddress.createUnresolved("x", 1), KEY))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> writer.successResponse(new byte[12], InetSocketAddress.createUnresolved("x", 1), KEY))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IceCheck.controlling("a", "b", 1L << 32, 0, false))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> writer.request(new byte[12], IceCheck.controlling("a", "b", 1, 0, false), new byte[0]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void messageTypeEncoding() {
        assertThat(StunMessageType.BINDING_REQUEST).isEqualTo(0x0001);
        assertThat(StunMessageType.BINDING_INDICATION).isEqualTo(0x0011);
        assertThat(StunMessageType.BINDING_SUCCESS_RESPONSE).isEqualTo(0x0101);
        assertThat(StunMessageType.BINDING_ERROR_RESPONSE).isEqualTo(0x0111);
        for (int method = 0; method < 0x1000; method += 0x55) {
            for (StunClass c : StunClass.values()) {
                int type = StunMessageType.of(method, c);
                assertThat(StunMessageType.method(type)).isEqualTo(method);
                assertThat(StunMessageType.messageClass(type)).isEqualTo(c);
            }
        }
        // RFC 8489 section 5: method 0xFFF with class bits 11 fills the whole 14 bits.
        assertThat(StunMessageType.of(0xFFF, StunClass.ERROR_RESPONSE)).isEqualTo(0x3FFF);
    }
}
