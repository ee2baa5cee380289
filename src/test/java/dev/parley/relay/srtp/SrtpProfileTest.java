package dev.parley.relay.srtp;

import static org.assertj.core.api.Assertions.assertThat;

import org.jitsi.srtp.SrtpPolicy;
import org.junit.jupiter.api.Test;

class SrtpProfileTest {

    @Test
    void aesCmParametersAreThoseOfRfc5764() {
        SrtpProfile p = SrtpProfile.AES_CM_128_HMAC_SHA1_80;
        assertThat(p.protectionProfileId()).isEqualTo(0x0001);
        assertThat(p.keyLength()).isEqualTo(16);
        assertThat(p.saltLength()).isEqualTo(14);
        assertThat(p.srtpAuthTagLength()).isEqualTo(10);
        assertThat(p.srtcpAuthTagLength()).isEqualTo(10);
        assertThat(p.keyingMaterialLength()).isEqualTo(60);
        assertThat(p.srtcpOverhead()).isEqualTo(14);

        SrtpPolicy receive = p.newSrtpPolicy(false);
        assertThat(receive.getEncType()).isEqualTo(SrtpPolicy.AESCM_ENCRYPTION);
        assertThat(receive.getAuthType()).isEqualTo(SrtpPolicy.HMACSHA1_AUTHENTICATION);
        assertThat(receive.getAuthKeyLength()).isEqualTo(20);
        assertThat(receive.getAuthTagLength()).isEqualTo(10);
        assertThat(receive.getSaltKeyLength()).isEqualTo(14);
        assertThat(receive.isReceiveReplayEnabled()).isTrue();
        assertThat(p.newSrtcpPolicy(false).getAuthTagLength()).isEqualTo(10);
    }

    @Test
    void gcmParametersAreThoseOfRfc7714() {
        SrtpProfile p = SrtpProfile.AEAD_AES_128_GCM;
        assertThat(p.protectionProfileId()).isEqualTo(0x0007);
        assertThat(p.keyLength()).isEqualTo(16);
        assertThat(p.saltLength()).isEqualTo(12);
        assertThat(p.srtpAuthTagLength()).isEqualTo(16);
        assertThat(p.keyingMaterialLength()).isEqualTo(56);
        assertThat(p.srtcpOverhead()).isEqualTo(20);
        assertThat(p.srtcpOverhead()).isLessThanOrEqualTo(PacketBuffer.SRTP_OVERHEAD);

        SrtpPolicy receive = p.newSrtcpPolicy(false);
        assertThat(receive.getEncType()).isEqualTo(SrtpPolicy.AESGCM_ENCRYPTION);
        assertThat(receive.getAuthType()).isEqualTo(SrtpPolicy.NULL_AUTHENTICATION);
        assertThat(receive.getAuthTagLength()).isEqualTo(16);
        assertThat(receive.isReceiveReplayEnabled()).isTrue();
    }

    @Test
    void senderPoliciesAllowProtectingASequenceNumberAgain() {
        for (SrtpProfile p : SrtpProfile.values()) {
            assertThat(p.newSrtpPolicy(true).isSendReplayEnabled()).isFalse();
            assertThat(p.newSrtpPolicy(false).isSendReplayEnabled()).isTrue();
            assertThat(p.newSrtpPolicy(true)).isNotSameAs(p.newSrtpPolicy(true));
        }
    }

    @Test
    void lookupByIanaId() {
        assertThat(SrtpProfile.forProtectionProfileId(1)).isEqualTo(SrtpProfile.AES_CM_128_HMAC_SHA1_80);
        assertThat(SrtpProfile.forProtectionProfileId(7)).isEqualTo(SrtpProfile.AEAD_AES_128_GCM);
        assertThat(SrtpProfile.forProtectionProfileId(2)).isNull();
        assertThat(SrtpProfile.forProtectionProfileId(8)).isNull();
    }
}
