package dev.parley.relay.ice;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/**
 * A transport's local ICE username fragment and password (RFC 8839: ice-char is ALPHA / DIGIT / "+" / "/"; at least
 * 4 and 22 characters). The ufrag finds the transport when a check arrives; the password keys MESSAGE-INTEGRITY.
 */
public record IceCredentials(String ufrag, String password) {

    private static final char[] ICE_CHARS =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    public static IceCredentials random() {
        return new IceCredentials(randomString(8), randomString(24));
    }

    public byte[] integrityKey() {
        return password.getBytes(StandardCharsets.UTF_8);
    }

    private static String randomString(int length) {
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            chars[i] = ICE_CHARS[RANDOM.nextInt(ICE_CHARS.length)];
        }
        return new String(chars);
    }

    @Override
    public String toString() {
        return "IceCredentials[ufrag=" + ufrag + ", password=***]";
    }
}
