package dev.parley.relay.srtp;

import java.util.HexFormat;

/** Test vectors are written as the RFCs print them: hex with spaces and line breaks. */
final class Hex {
    private Hex() {
    }

    static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replaceAll("\\s+", ""));
    }

    static String string(byte[] bytes, int off, int len) {
        return HexFormat.of().formatHex(bytes, off, off + len);
    }

    static String string(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
