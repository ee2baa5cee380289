package dev.parley.relay.stun;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * The XOR-MAPPED-ADDRESS value (RFC 8489 section 14.2): reserved byte, family (1 = IPv4, 2 = IPv6), port XOR the top
 * 16 bits of the magic cookie, address XOR the magic cookie (IPv4) or the cookie followed by the transaction id (IPv6).
 */
final class XorAddress {

    static final int FAMILY_IPV4 = 0x01;
    static final int FAMILY_IPV6 = 0x02;
    static final int IPV4_VALUE_LENGTH = 8;
    static final int IPV6_VALUE_LENGTH = 20;

    private XorAddress() {
    }

    static int valueLength(InetSocketAddress address) {
        return address.getAddress() instanceof Inet4Address ? IPV4_VALUE_LENGTH : IPV6_VALUE_LENGTH;
    }

    /**
     * Decodes a value at {@code valueOff}; the message starts at {@code msgOff} and its bytes 4..19 (cookie and transaction
     * id) form the XOR mask. Returns null if the value is malformed.
     */
    static InetSocketAddress decode(byte[] msg, int msgOff, int valueOff, int valueLen) {
        if (valueLen < 4) {
            return null;
        }
        int family = msg[valueOff + 1] & 0xFF;
        int addressLen;
        if (family == FAMILY_IPV4 && valueLen == IPV4_VALUE_LENGTH) {
            addressLen = 4;
        } else if (family == FAMILY_IPV6 && valueLen == IPV6_VALUE_LENGTH) {
            addressLen = 16;
        } else {
            return null;
        }
        int port = (((msg[valueOff + 2] & 0xFF) << 8) | (msg[valueOff + 3] & 0xFF)) ^ (StunHeader.MAGIC_COOKIE >>> 16);
        byte[] address = new byte[addressLen];
        for (int i = 0; i < addressLen; i++) {
            address[i] = (byte) (msg[valueOff + 4 + i] ^ msg[msgOff + 4 + i]);
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(address), port);
        } catch (UnknownHostException impossibleForFourOrSixteenBytes) {
            return null;
        }
    }

    /**
     * Encodes {@code address} at {@code valueOff}; the message header (cookie and transaction id) must already be in
     * place at {@code msgOff}. Returns the value length.
     */
    static int encode(InetSocketAddress address, byte[] msg, int msgOff, int valueOff) {
        byte[] raw = address.getAddress().getAddress();
        int port = address.getPort() ^ (StunHeader.MAGIC_COOKIE >>> 16);
        msg[valueOff] = 0;
        msg[valueOff + 1] = (byte) (raw.length == 4 ? FAMILY_IPV4 : FAMILY_IPV6);
        msg[valueOff + 2] = (byte) (port >>> 8);
        msg[valueOff + 3] = (byte) port;
        for (int i = 0; i < raw.length; i++) {
            msg[valueOff + 4 + i] = (byte) (raw[i] ^ msg[msgOff + 4 + i]);
        }
        return 4 + raw.length;
    }
}
