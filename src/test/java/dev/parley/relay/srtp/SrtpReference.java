package dev.parley.relay.srtp;

import java.nio.ByteBuffer;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A second, deliberately plain SRTP implementation written from RFC 3711 and RFC 7714 with the JDK's AES and HMAC,
 * used only to check jitsi-srtp's output. It allocates freely and knows nothing of replay or rollover guessing: the
 * caller gives it the rollover counter and SRTCP index.
 */
final class SrtpReference {

    static final int LABEL_RTP_ENCRYPTION = 0;
    static final int LABEL_RTP_AUTH = 1;
    static final int LABEL_RTP_SALT = 2;
    static final int LABEL_RTCP_ENCRYPTION = 3;
    static final int LABEL_RTCP_AUTH = 4;
    static final int LABEL_RTCP_SALT = 5;

    private SrtpReference() {
    }

    /**
     * RFC 3711 §4.3.1 with a key derivation rate of 0: x = (label || 0^48) XOR master salt, right-aligned in 112 bits
     * (a 96-bit AEAD salt, RFC 7714 §11, is padded with zeros on the right to 112 bits first); the session key is the
     * AES-CM keystream for x * 2^16.
     */
    static byte[] deriveSessionKey(byte[] masterKey, byte[] masterSalt, int label, int length) {
        byte[] iv = new byte[16];
        System.arraycopy(masterSalt, 0, iv, 0, masterSalt.length);
        iv[7] ^= (byte) label;
        return aesCtr(masterKey, iv, new byte[length]);
    }

    /** RFC 3711 §4.1.1: IV = (k_s * 2^16) XOR (SSRC * 2^64) XOR (i * 2^16). */
    static byte[] aesCmKeystream(byte[] sessionKey, byte[] sessionSalt, int ssrc, long index, int length) {
        return aesCtr(sessionKey, aesCmIv(sessionSalt, ssrc, index), new byte[length]);
    }

    static byte[] aesCmIv(byte[] sessionSalt, int ssrc, long index) {
        byte[] iv = new byte[16];
        System.arraycopy(sessionSalt, 0, iv, 0, 14);
        for (int i = 0; i < 4; i++) {
            iv[4 + i] ^= (byte) (ssrc >>> (24 - 8 * i));
        }
        for (int i = 0; i < 6; i++) {
            iv[8 + i] ^= (byte) (index >>> (40 - 8 * i));
        }
        return iv;
    }

    /** SRTP with AES_CM_128_HMAC_SHA1_80 from master keys; returns the protected packet. */
    static byte[] protectRtpAesCm(byte[] masterKey, byte[] masterSalt, byte[] rtp, int headerLength, int roc) {
        byte[] key = deriveSessionKey(masterKey, masterSalt, LABEL_RTP_ENCRYPTION, 16);
        byte[] salt = deriveSessionKey(masterKey, masterSalt, LABEL_RTP_SALT, 14);
        byte[] auth = deriveSessionKey(masterKey, masterSalt, LABEL_RTP_AUTH, 20);
        int ssrc = ByteBuffer.wrap(rtp, 8, 4).getInt();
        int seq = ((rtp[2] & 0xFF) << 8) | (rtp[3] & 0xFF);
        long index = ((roc & 0xFFFFFFFFL) << 16) | seq;
        byte[] out = Arrays.copyOf(rtp, rtp.length + 10);
        byte[] keystream = aesCmKeystream(key, salt, ssrc, index, rtp.length - headerLength);
        for (int i = headerLength; i < rtp.length; i++) {
            out[i] ^= keystream[i - headerLength];
        }
        // RFC 3711 §4.2: the tag covers the authenticated portion followed by the ROC.
        byte[] tag = hmacSha1(auth, Arrays.copyOf(out, rtp.length), ByteBuffer.allocate(4).putInt(roc).array());
        System.arraycopy(tag, 0, out, rtp.length, 10);
        return out;
    }

    /** SRTCP with AES_CM_128_HMAC_SHA1_80 from master keys: header | encrypted | E=1,index | tag (RFC 3711 §3.4). */
    static byte[] protectRtcpAesCm(byte[] masterKey, byte[] masterSalt, byte[] rtcp, int srtcpIndex) {
        byte[] key = deriveSessionKey(masterKey, masterSalt, LABEL_RTCP_ENCRYPTION, 16);
        byte[] salt = deriveSessionKey(masterKey, masterSalt, LABEL_RTCP_SALT, 14);
        byte[] auth = deriveSessionKey(masterKey, masterSalt, LABEL_RTCP_AUTH, 20);
        int ssrc = ByteBuffer.wrap(rtcp, 4, 4).getInt();
        byte[] out = Arrays.copyOf(rtcp, rtcp.length + 4 + 10);
        byte[] keystream = aesCmKeystream(key, salt, ssrc, srtcpIndex, rtcp.length - 8);
        for (int i = 8; i < rtcp.length; i++) {
            out[i] ^= keystream[i - 8];
        }
        ByteBuffer.wrap(out, rtcp.length, 4).putInt(0x80000000 | srtcpIndex);
        byte[] tag = hmacSha1(auth, Arrays.copyOf(out, rtcp.length + 4), new byte[0]);
        System.arraycopy(tag, 0, out, rtcp.length + 4, 10);
        return out;
    }

    /** RFC 7714 §8.1: IV = (00 00 || SSRC || ROC || SEQ) XOR salt; AAD is the header (§8.2). Session keys. */
    static byte[] protectRtpGcmWithSessionKeys(byte[] sessionKey, byte[] sessionSalt, byte[] rtp, int headerLength,
            int roc) {
        byte[] iv = new byte[12];
        ByteBuffer.wrap(iv).putShort((short) 0).put(rtp, 8, 4).putInt(roc).put(rtp, 2, 2);
        xorInto(iv, sessionSalt);
        byte[] sealed = gcmSeal(sessionKey, iv, Arrays.copyOf(rtp, headerLength),
                Arrays.copyOfRange(rtp, headerLength, rtp.length));
        byte[] out = Arrays.copyOf(rtp, headerLength + sealed.length);
        System.arraycopy(sealed, 0, out, headerLength, sealed.length);
        return out;
    }

    /**
     * RFC 7714 §9.1/§9.2 with E=1: IV = (00 00 || SSRC || 00 00 || 0 || index) XOR salt; AAD = header(8) || E,index;
     * wire = header | ciphertext | tag | E,index. Session keys.
     */
    static byte[] protectRtcpGcmWithSessionKeys(byte[] sessionKey, byte[] sessionSalt, byte[] rtcp, int srtcpIndex) {
        byte[] iv = new byte[12];
        ByteBuffer.wrap(iv).putShort((short) 0).put(rtcp, 4, 4).putShort((short) 0).putInt(srtcpIndex);
        xorInto(iv, sessionSalt);
        byte[] eIndex = ByteBuffer.allocate(4).putInt(0x80000000 | srtcpIndex).array();
        byte[] aad = new byte[12];
        System.arraycopy(rtcp, 0, aad, 0, 8);
        System.arraycopy(eIndex, 0, aad, 8, 4);
        byte[] sealed = gcmSeal(sessionKey, iv, aad, Arrays.copyOfRange(rtcp, 8, rtcp.length));
        byte[] out = new byte[8 + sealed.length + 4];
        System.arraycopy(rtcp, 0, out, 0, 8);
        System.arraycopy(sealed, 0, out, 8, sealed.length);
        System.arraycopy(eIndex, 0, out, 8 + sealed.length, 4);
        return out;
    }

    /** AEAD_AES_128_GCM SRTP from master keys: the §4.3.1 KDF, then {@link #protectRtpGcmWithSessionKeys}. */
    static byte[] protectRtpGcm(byte[] masterKey, byte[] masterSalt, byte[] rtp, int headerLength, int roc) {
        return protectRtpGcmWithSessionKeys(
                deriveSessionKey(masterKey, masterSalt, LABEL_RTP_ENCRYPTION, 16),
                deriveSessionKey(masterKey, masterSalt, LABEL_RTP_SALT, 12), rtp, headerLength, roc);
    }

    static byte[] protectRtcpGcm(byte[] masterKey, byte[] masterSalt, byte[] rtcp, int srtcpIndex) {
        return protectRtcpGcmWithSessionKeys(
                deriveSessionKey(masterKey, masterSalt, LABEL_RTCP_ENCRYPTION, 16),
                deriveSessionKey(masterKey, masterSalt, LABEL_RTCP_SALT, 12), rtcp, srtcpIndex);
    }

    static byte[] aesCtr(byte[] key, byte[] iv, byte[] input) {
        try {
            Cipher cipher = Cipher.getInstance("AES/CTR/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
            return cipher.doFinal(input);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static byte[] gcmSeal(byte[] key, byte[] iv, byte[] aad, byte[] plaintext) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
            cipher.updateAAD(aad);
            return cipher.doFinal(plaintext);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static byte[] hmacSha1(byte[] key, byte[] data, byte[] trailer) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            mac.update(data);
            mac.update(trailer);
            return mac.doFinal();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void xorInto(byte[] target, byte[] mask) {
        for (int i = 0; i < target.length; i++) {
            target[i] ^= mask[i];
        }
    }
}
