package dev.parley.relay.srtp;

import org.jitsi.srtp.SrtpPolicy;

/**
 * The SRTP protection profiles the relay negotiates in DTLS-SRTP, with the parameters of RFC 5764 §4.1.2 and
 * RFC 7714 §14.2.
 */
public enum SrtpProfile {

    /** SRTP_AES128_CM_HMAC_SHA1_80: AES-128 counter mode, HMAC-SHA1 tag truncated to 80 bits (SRTP and SRTCP). */
    AES_CM_128_HMAC_SHA1_80(0x0001, 16, 14, 20, 10, 10),

    /** SRTP_AEAD_AES_128_GCM: AES-128-GCM with a 128-bit tag (RFC 7714). */
    AEAD_AES_128_GCM(0x0007, 16, 12, 0, 16, 16);

    /** Bytes an SRTCP packet grows by beyond its tag: the E flag and 31-bit SRTCP index. */
    public static final int SRTCP_INDEX_LENGTH = 4;

    private final int protectionProfileId;
    private final int keyLength;
    private final int saltLength;
    private final int authKeyLength;
    private final int srtpAuthTagLength;
    private final int srtcpAuthTagLength;

    SrtpProfile(int protectionProfileId, int keyLength, int saltLength, int authKeyLength, int srtpAuthTagLength,
            int srtcpAuthTagLength) {
        this.protectionProfileId = protectionProfileId;
        this.keyLength = keyLength;
        this.saltLength = saltLength;
        this.authKeyLength = authKeyLength;
        this.srtpAuthTagLength = srtpAuthTagLength;
        this.srtcpAuthTagLength = srtcpAuthTagLength;
    }

    /** The IANA "DTLS-SRTP Protection Profiles" value carried in the use_srtp extension. */
    public int protectionProfileId() {
        return protectionProfileId;
    }

    public int keyLength() {
        return keyLength;
    }

    public int saltLength() {
        return saltLength;
    }

    public int srtpAuthTagLength() {
        return srtpAuthTagLength;
    }

    public int srtcpAuthTagLength() {
        return srtcpAuthTagLength;
    }

    /** Bytes protecting an RTP packet appends. */
    public int srtpOverhead() {
        return srtpAuthTagLength;
    }

    /** Bytes protecting an RTCP packet appends. */
    public int srtcpOverhead() {
        return srtcpAuthTagLength + SRTCP_INDEX_LENGTH;
    }

    /** Length of the "EXTRACTOR-dtls_srtp" export: a key and a salt for each direction (RFC 5764 §4.2). */
    public int keyingMaterialLength() {
        return 2 * (keyLength + saltLength);
    }

    /** The profile with this IANA id, or null when the relay does not support it. */
    public static SrtpProfile forProtectionProfileId(int id) {
        for (SrtpProfile profile : values()) {
            if (profile.protectionProfileId == id) {
                return profile;
            }
        }
        return null;
    }

    /**
     * A fresh jitsi policy for SRTP in one direction. jitsi's policies are mutable, so every context factory gets its
     * own.
     *
     * <p>Replay protection is always on for receiving. For sending it is off: in jitsi it is only a consistency check,
     * and it would refuse to protect a packet again with the sequence number it had, which is exactly what
     * answering a NACK without RTX does.
     */
    public SrtpPolicy newSrtpPolicy(boolean sender) {
        return newPolicy(srtpAuthTagLength, sender);
    }

    /** A fresh jitsi policy for SRTCP in one direction; see {@link #newSrtpPolicy(boolean)}. */
    public SrtpPolicy newSrtcpPolicy(boolean sender) {
        return newPolicy(srtcpAuthTagLength, sender);
    }

    private SrtpPolicy newPolicy(int authTagLength, boolean sender) {
        SrtpPolicy policy = switch (this) {
            case AES_CM_128_HMAC_SHA1_80 -> new SrtpPolicy(SrtpPolicy.AESCM_ENCRYPTION, keyLength,
                    SrtpPolicy.HMACSHA1_AUTHENTICATION, authKeyLength, authTagLength, saltLength);
            case AEAD_AES_128_GCM -> new SrtpPolicy(SrtpPolicy.AESGCM_ENCRYPTION, keyLength,
                    SrtpPolicy.NULL_AUTHENTICATION, 0, authTagLength, saltLength);
        };
        policy.setReceiveReplayEnabled(true);
        policy.setSendReplayEnabled(!sender);
        policy.setCryptexEnabled(false);
        return policy;
    }
}
