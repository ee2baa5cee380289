package dev.parley.tls;

import java.util.Locale;

/** {@code PARLEY_TLS}: whether and how Parley serves HTTPS itself. */
enum TlsMode {
    OFF, SELF_SIGNED, FILES;

    static TlsMode of(String value) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "off", "", "false", "no" -> OFF;
            case "self-signed" -> SELF_SIGNED;
            case "files" -> FILES;
            default -> throw new IllegalStateException(
                    "PARLEY_TLS must be off, self-signed or files, not \"" + value + "\"");
        };
    }
}
