package dev.parley.relay;

import dev.parley.relay.srtp.SrtpKeyingMaterial;
import dev.parley.relay.srtp.SrtpProfile;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * The SRTP master key and salt one side of a secure relay link protects what it sends with (AEAD_AES_128_GCM, RFC
 * 7714): made at random when the link opens, and given to the far relay through the nodes' control plane, which
 * unprotects with it. Never shown: {@link #toString()} says nothing of the bytes.
 */
public final class LinkKey {

    static final SrtpProfile PROFILE = SrtpProfile.AEAD_AES_128_GCM;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] key;
    private final byte[] salt;

    private LinkKey(byte[] key, byte[] salt) {
        this.key = key;
        this.salt = salt;
    }

    static LinkKey random() {
        byte[] key = new byte[PROFILE.keyLength()];
        byte[] salt = new byte[PROFILE.saltLength()];
        RANDOM.nextBytes(key);
        RANDOM.nextBytes(salt);
        return new LinkKey(key, salt);
    }

    /** The key and salt as text (base64), for the control plane. */
    public String encoded() {
        byte[] both = new byte[key.length + salt.length];
        System.arraycopy(key, 0, both, 0, key.length);
        System.arraycopy(salt, 0, both, key.length, salt.length);
        try {
            return Base64.getEncoder().encodeToString(both);
        } finally {
            Arrays.fill(both, (byte) 0);
        }
    }

    /** A far relay's key from its text; an {@link IllegalArgumentException} when it is not one. */
    public static LinkKey decode(String text) {
        byte[] both = Base64.getDecoder().decode(text);
        try {
            if (both.length != PROFILE.keyLength() + PROFILE.saltLength()) {
                throw new IllegalArgumentException("a link key is " + (PROFILE.keyLength() + PROFILE.saltLength())
                        + " bytes");
            }
            return new LinkKey(Arrays.copyOfRange(both, 0, PROFILE.keyLength()),
                    Arrays.copyOfRange(both, PROFILE.keyLength(), both.length));
        } finally {
            Arrays.fill(both, (byte) 0);
        }
    }

    /** This side's key for sending and the far side's for receiving, as the SRTP session takes them. */
    static SrtpKeyingMaterial keying(LinkKey local, LinkKey remote) {
        return new SrtpKeyingMaterial(PROFILE, local.key, local.salt, remote.key, remote.salt); // it copies them
    }

    @Override
    public String toString() {
        return "LinkKey[" + PROFILE + ", not shown]";
    }
}
