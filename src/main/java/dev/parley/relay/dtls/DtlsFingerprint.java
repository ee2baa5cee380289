package dev.parley.relay.dtls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A certificate fingerprint as SDP carries it (RFC 8122 §5): {@code a=fingerprint:sha-256 AB:CD:...}, the hash of
 * the certificate's DER encoding.
 */
public final class DtlsFingerprint {

    /** The hash functions accepted, weakest first. MD5 and MD2 (allowed by the grammar) are refused. */
    private static final List<String> ALGORITHMS = List.of("sha-1", "sha-224", "sha-256", "sha-384", "sha-512");

    private final String algorithm;
    private final byte[] value;

    private DtlsFingerprint(String algorithm, byte[] value) {
        this.algorithm = algorithm;
        this.value = value;
    }

    /**
     * Parses the value of an {@code a=fingerprint} attribute, e.g. {@code "sha-256 AB:CD:..."} (hash names are
     * case-insensitive; hex of either case is accepted).
     *
     * @throws IllegalArgumentException if it is malformed or uses an unsupported hash function
     */
    public static DtlsFingerprint parse(String attributeValue) {
        Objects.requireNonNull(attributeValue, "attributeValue");
        String[] parts = attributeValue.trim().split("\\s+");
        if (parts.length != 2) {
            throw new IllegalArgumentException("expected '<hash-func> <XX:XX:...>', got '" + attributeValue + "'");
        }
        String algorithm = parts[0].toLowerCase(Locale.ROOT);
        if (!isSupportedAlgorithm(algorithm)) {
            throw new IllegalArgumentException("unsupported fingerprint hash function '" + parts[0] + "'");
        }
        String[] octets = parts[1].split(":", -1);
        int expectedLength = digestLength(algorithm);
        if (octets.length != expectedLength) {
            throw new IllegalArgumentException(
                    algorithm + " fingerprint must have " + expectedLength + " octets, got " + octets.length);
        }
        byte[] value = new byte[octets.length];
        for (int i = 0; i < octets.length; i++) {
            if (octets[i].length() != 2 || Character.digit(octets[i].charAt(0), 16) < 0
                    || Character.digit(octets[i].charAt(1), 16) < 0) {
                throw new IllegalArgumentException("bad fingerprint octet '" + octets[i] + "'");
            }
            value[i] = (byte) Integer.parseInt(octets[i], 16);
        }
        return new DtlsFingerprint(algorithm, value);
    }

    /** The fingerprint of a DER-encoded certificate with the given SDP hash name, e.g. "sha-256". */
    public static DtlsFingerprint of(String algorithm, byte[] derCertificate) {
        String name = algorithm.toLowerCase(Locale.ROOT);
        if (!isSupportedAlgorithm(name)) {
            throw new IllegalArgumentException("unsupported fingerprint hash function '" + algorithm + "'");
        }
        return new DtlsFingerprint(name, digest(name).digest(derCertificate));
    }

    public static boolean isSupportedAlgorithm(String algorithm) {
        return ALGORITHMS.contains(algorithm.toLowerCase(Locale.ROOT));
    }

    /**
     * RFC 8122 §5: pick the strongest hash function among the offered fingerprints and accept the certificate if it
     * matches one fingerprint of that function. Unsupported functions cannot appear (parsing refuses them).
     */
    public static boolean certificateMatches(Collection<DtlsFingerprint> offered, byte[] derCertificate) {
        String strongest = null;
        for (DtlsFingerprint fingerprint : offered) {
            if (strongest == null || ALGORITHMS.indexOf(fingerprint.algorithm) > ALGORITHMS.indexOf(strongest)) {
                strongest = fingerprint.algorithm;
            }
        }
        if (strongest == null) {
            return false;
        }
        byte[] actual = digest(strongest).digest(derCertificate);
        boolean matched = false;
        for (DtlsFingerprint fingerprint : offered) {
            if (fingerprint.algorithm.equals(strongest)) {
                matched |= MessageDigest.isEqual(actual, fingerprint.value);
            }
        }
        return matched;
    }

    /** Whether {@code derCertificate} hashes to this fingerprint. */
    public boolean matches(byte[] derCertificate) {
        return MessageDigest.isEqual(digest(algorithm).digest(derCertificate), value);
    }

    /** The SDP hash name in lower case, e.g. "sha-256". */
    public String algorithm() {
        return algorithm;
    }

    public byte[] value() {
        return value.clone();
    }

    /** Upper-case hex octets joined by colons. */
    public String hex() {
        return HexFormat.ofDelimiter(":").withUpperCase().formatHex(value);
    }

    /** The attribute value for SDP: {@code "sha-256 AB:CD:..."}. */
    public String toSdp() {
        return algorithm + " " + hex();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DtlsFingerprint other && algorithm.equals(other.algorithm)
                && MessageDigest.isEqual(value, other.value);
    }

    @Override
    public int hashCode() {
        return algorithm.hashCode() * 31 + java.util.Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return toSdp();
    }

    private static int digestLength(String algorithm) {
        return digest(algorithm).getDigestLength();
    }

    private static MessageDigest digest(String sdpName) {
        try {
            return MessageDigest.getInstance(sdpName.toUpperCase(Locale.ROOT));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks " + sdpName, e);
        }
    }
}
