package dev.parley.relay.rtcp;

import java.util.HexFormat;

final class Hex {

    private Hex() {
    }

    /** Parses hex digits, ignoring spaces and '|' used to mirror RFC diagrams. */
    static byte[] bytes(String text) {
        return HexFormat.of().parseHex(text.replace(" ", "").replace("|", ""));
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
