package dev.parley.relay.sdp;

import java.util.List;
import java.util.Locale;

/**
 * The a=fingerprint attribute (RFC 8122): {@code <hash-func> <hex pairs separated by colons>}, e.g.
 * {@code sha-256 AB:CD:...}. The hash function name is kept as written (browsers use lower case).
 */
public record Fingerprint(String algorithm, String value) {

    public Fingerprint {
        Syntax.word(algorithm, "fingerprint hash function");
        checkHexPairs(value);
    }

    /** A fingerprint of {@code digest} formatted the way browsers write it: upper-case hex pairs joined by colons. */
    public static Fingerprint of(String algorithm, byte[] digest) {
        if (digest.length == 0) {
            throw new IllegalArgumentException("fingerprint digest is empty");
        }
        StringBuilder sb = new StringBuilder(digest.length * 3);
        for (byte b : digest) {
            if (sb.length() > 0) {
                sb.append(':');
            }
            sb.append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)));
            sb.append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
        }
        return new Fingerprint(algorithm, sb.toString());
    }

    /** The digest bytes, for comparing with the hash of the certificate the peer presents in DTLS. */
    public byte[] digest() {
        byte[] out = new byte[(value.length() + 1) / 3];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(value.substring(i * 3, i * 3 + 2), 16);
        }
        return out;
    }

    /** Whether the hash function is {@code name}, ignoring case (RFC 8122 names are case-insensitive). */
    public boolean isAlgorithm(String name) {
        return algorithm.toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT));
    }

    static Fingerprint parse(String value) {
        List<String> w = Syntax.words(value);
        if (w.size() != 2) {
            throw new IllegalArgumentException("fingerprint needs <hash-func> <fingerprint>, found " + w.size()
                    + " fields");
        }
        return new Fingerprint(w.get(0), w.get(1));
    }

    String format() {
        return algorithm + ' ' + value;
    }

    private static void checkHexPairs(String v) {
        Syntax.word(v, "fingerprint");
        boolean ok = v.length() % 3 == 2;
        for (int i = 0; ok && i < v.length(); i++) {
            char c = v.charAt(i);
            ok = (i % 3 == 2) ? c == ':' : Character.digit(c, 16) >= 0 && c < 0x80;
        }
        if (!ok) {
            throw new IllegalArgumentException("fingerprint '" + v + "' is not hex pairs separated by ':'");
        }
    }
}
