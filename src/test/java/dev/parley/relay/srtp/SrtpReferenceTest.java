package dev.parley.relay.srtp;

import static dev.parley.relay.srtp.Hex.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Checks the test-only {@link SrtpReference} (and the transcription of {@link SrtpVectors}) against the published
 * vectors, so that comparing jitsi-srtp with it elsewhere means something.
 */
class SrtpReferenceTest {

    @Test
    void rfc3711AppendixB2Keystream() {
        byte[] key = bytes(SrtpVectors.B2_SESSION_KEY);
        byte[] salt = bytes(SrtpVectors.B2_SESSION_SALT);
        byte[] keystream = SrtpReference.aesCmKeystream(key, salt, 0, 0, 0xFF02 * 16);

        assertThat(Arrays.copyOfRange(keystream, 0, 48)).isEqualTo(bytes(SrtpVectors.B2_KEYSTREAM_BLOCKS_0_TO_2));
        assertThat(Arrays.copyOfRange(keystream, 0xFEFF * 16, 0xFF02 * 16))
                .isEqualTo(bytes(SrtpVectors.B2_KEYSTREAM_BLOCKS_FEFF_TO_FF01));
    }

    @Test
    void rfc3711AppendixB3KeyDerivation() {
        byte[] masterKey = bytes(SrtpVectors.B3_MASTER_KEY);
        byte[] masterSalt = bytes(SrtpVectors.B3_MASTER_SALT);

        assertThat(SrtpReference.deriveSessionKey(masterKey, masterSalt, SrtpReference.LABEL_RTP_ENCRYPTION, 16))
                .isEqualTo(bytes(SrtpVectors.B3_CIPHER_KEY));
        assertThat(SrtpReference.deriveSessionKey(masterKey, masterSalt, SrtpReference.LABEL_RTP_SALT, 14))
                .isEqualTo(bytes(SrtpVectors.B3_CIPHER_SALT));
        assertThat(SrtpReference.deriveSessionKey(masterKey, masterSalt, SrtpReference.LABEL_RTP_AUTH, 94))
                .isEqualTo(bytes(SrtpVectors.B3_AUTH_KEY));
    }

    @Test
    void libsrtpAesCmPackets() {
        byte[] masterKey = bytes(SrtpVectors.B3_MASTER_KEY);
        byte[] masterSalt = bytes(SrtpVectors.B3_MASTER_SALT);

        assertThat(SrtpReference.protectRtpAesCm(masterKey, masterSalt, bytes(SrtpVectors.LIBSRTP_RTP_PLAINTEXT), 12,
                0)).isEqualTo(bytes(SrtpVectors.LIBSRTP_SRTP));
        assertThat(SrtpReference.protectRtcpAesCm(masterKey, masterSalt, bytes(SrtpVectors.LIBSRTP_RTCP_PLAINTEXT), 1))
                .isEqualTo(bytes(SrtpVectors.LIBSRTP_SRTCP));
    }

    @Test
    void rfc7714Section16RtpPacket() {
        byte[] key = bytes(SrtpVectors.RFC7714_KEY);
        byte[] salt = bytes(SrtpVectors.RFC7714_SALT);
        byte[] plaintext = bytes(SrtpVectors.RFC7714_RTP_PLAINTEXT);

        byte[] iv = new byte[12];
        System.arraycopy(bytes("00005501a0b200000000f17b"), 0, iv, 0, 12);
        for (int i = 0; i < 12; i++) {
            iv[i] ^= salt[i];
        }
        assertThat(iv).isEqualTo(bytes(SrtpVectors.RFC7714_RTP_IV));
        assertThat(SrtpReference.protectRtpGcmWithSessionKeys(key, salt, plaintext, 12, 0))
                .isEqualTo(bytes(SrtpVectors.RFC7714_SRTP));
    }

    @Test
    void rfc7714Section17RtcpPacket() {
        byte[] key = bytes(SrtpVectors.RFC7714_KEY);
        byte[] salt = bytes(SrtpVectors.RFC7714_SALT);

        byte[] iv = bytes("00004d617273" + "0000" + "000005d4");
        for (int i = 0; i < 12; i++) {
            iv[i] ^= salt[i];
        }
        assertThat(iv).isEqualTo(bytes(SrtpVectors.RFC7714_RTCP_IV));
        assertThat(SrtpReference.protectRtcpGcmWithSessionKeys(key, salt, bytes(SrtpVectors.RFC7714_RTCP_PLAINTEXT),
                SrtpVectors.RFC7714_SRTCP_INDEX)).isEqualTo(bytes(SrtpVectors.RFC7714_SRTCP));
    }

    @Test
    void rfc7714Section17TagOnlyRtcpPacket() {
        // §9.3: with E=0 the whole packet plus the E/index word is associated data; the "ciphertext" is just the tag.
        byte[] key = bytes(SrtpVectors.RFC7714_KEY);
        byte[] salt = bytes(SrtpVectors.RFC7714_SALT);
        byte[] plaintext = bytes(SrtpVectors.RFC7714_RTCP_PLAINTEXT);
        byte[] iv = bytes(SrtpVectors.RFC7714_RTCP_IV);
        byte[] aad = Arrays.copyOf(plaintext, plaintext.length + 4);
        System.arraycopy(bytes("000005d4"), 0, aad, plaintext.length, 4);

        byte[] tag = SrtpReference.gcmSeal(key, iv, aad, new byte[0]);

        byte[] expected = bytes(SrtpVectors.RFC7714_SRTCP_TAG_ONLY);
        assertThat(tag).isEqualTo(Arrays.copyOfRange(expected, plaintext.length, plaintext.length + 16));
        assertThat(Arrays.copyOf(expected, plaintext.length)).isEqualTo(plaintext);
    }
}
