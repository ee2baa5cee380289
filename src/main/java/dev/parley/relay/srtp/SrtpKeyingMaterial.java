package dev.parley.relay.srtp;

import java.util.Arrays;
import java.util.Objects;

/**
 * The master keys and salts of one DTLS-SRTP association, seen from this side: "local" protects what we send,
 * "remote" unprotects what we receive.
 *
 * <p>{@link #toString()} never shows key bytes. Call {@link #wipe()} once the SRTP contexts are built.
 */
public final class SrtpKeyingMaterial {

    private final SrtpProfile profile;
    private final byte[] localMasterKey;
    private final byte[] localMasterSalt;
    private final byte[] remoteMasterKey;
    private final byte[] remoteMasterSalt;

    public SrtpKeyingMaterial(SrtpProfile profile, byte[] localMasterKey, byte[] localMasterSalt,
            byte[] remoteMasterKey, byte[] remoteMasterSalt) {
        this.profile = Objects.requireNonNull(profile, "profile");
        this.localMasterKey = checked(localMasterKey, profile.keyLength(), "local master key");
        this.localMasterSalt = checked(localMasterSalt, profile.saltLength(), "local master salt");
        this.remoteMasterKey = checked(remoteMasterKey, profile.keyLength(), "remote master key");
        this.remoteMasterSalt = checked(remoteMasterSalt, profile.saltLength(), "remote master salt");
    }

    /**
     * Splits the "EXTRACTOR-dtls_srtp" export of RFC 5764 §4.2, laid out as client key | server key | client salt |
     * server salt.
     *
     * @param localIsClient whether this side was the DTLS client (the relay is always the server: false)
     */
    public static SrtpKeyingMaterial fromDtlsExport(SrtpProfile profile, byte[] exported, boolean localIsClient) {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(exported, "exported");
        if (exported.length != profile.keyingMaterialLength()) {
            throw new IllegalArgumentException("DTLS-SRTP export for " + profile + " must be "
                    + profile.keyingMaterialLength() + " bytes, got " + exported.length);
        }
        int keyLength = profile.keyLength();
        int saltLength = profile.saltLength();
        byte[] clientKey = Arrays.copyOfRange(exported, 0, keyLength);
        byte[] serverKey = Arrays.copyOfRange(exported, keyLength, 2 * keyLength);
        byte[] clientSalt = Arrays.copyOfRange(exported, 2 * keyLength, 2 * keyLength + saltLength);
        byte[] serverSalt = Arrays.copyOfRange(exported, 2 * keyLength + saltLength, 2 * (keyLength + saltLength));
        return localIsClient
                ? new SrtpKeyingMaterial(profile, clientKey, clientSalt, serverKey, serverSalt)
                : new SrtpKeyingMaterial(profile, serverKey, serverSalt, clientKey, clientSalt);
    }

    public SrtpProfile profile() {
        return profile;
    }

    /** A copy of the key that protects what this side sends. */
    public byte[] localMasterKey() {
        return localMasterKey.clone();
    }

    public byte[] localMasterSalt() {
        return localMasterSalt.clone();
    }

    /** A copy of the key that unprotects what this side receives. */
    public byte[] remoteMasterKey() {
        return remoteMasterKey.clone();
    }

    public byte[] remoteMasterSalt() {
        return remoteMasterSalt.clone();
    }

    /** The same material seen from the other end. */
    public SrtpKeyingMaterial reversed() {
        return new SrtpKeyingMaterial(profile, remoteMasterKey, remoteMasterSalt, localMasterKey, localMasterSalt);
    }

    /** Overwrites the key bytes held here with zeros. */
    public void wipe() {
        Arrays.fill(localMasterKey, (byte) 0);
        Arrays.fill(localMasterSalt, (byte) 0);
        Arrays.fill(remoteMasterKey, (byte) 0);
        Arrays.fill(remoteMasterSalt, (byte) 0);
    }

    /** Compares the key bytes in constant time. */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof SrtpKeyingMaterial other)) {
            return false;
        }
        return profile == other.profile
                & java.security.MessageDigest.isEqual(localMasterKey, other.localMasterKey)
                & java.security.MessageDigest.isEqual(localMasterSalt, other.localMasterSalt)
                & java.security.MessageDigest.isEqual(remoteMasterKey, other.remoteMasterKey)
                & java.security.MessageDigest.isEqual(remoteMasterSalt, other.remoteMasterSalt);
    }

    /** Depends on the profile only, so that hashing leaks nothing about the keys. */
    @Override
    public int hashCode() {
        return profile.hashCode();
    }

    @Override
    public String toString() {
        return "SrtpKeyingMaterial[profile=" + profile + ", keys=<redacted>]";
    }

    private static byte[] checked(byte[] bytes, int length, String what) {
        Objects.requireNonNull(bytes, what);
        if (bytes.length != length) {
            throw new IllegalArgumentException(what + " must be " + length + " bytes, got " + bytes.length);
        }
        return bytes.clone();
    }
}
