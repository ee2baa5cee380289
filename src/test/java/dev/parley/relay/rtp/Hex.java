package dev.parley.relay.rtp;

import java.util.HexFormat;

final class Hex {

    private Hex() {
    }

    /** Parses hex digits, ignoring spaces and '|' used to mirror RFC diagrams. */
    static byte[] bytes(String text) {
        return HexFormat.of().parseHex(text.replace(" ", "").replace("|", ""));
    }
}
