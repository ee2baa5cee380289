package dev.parley.relay.srtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class SrtpKeyingMaterialTest {

    /** 60 distinct bytes: client key 00..0f, server key 10..1f, client salt 20..2d, server salt 2e..3b. */
    private static byte[] aesCmExport() {
        byte[] exported = new byte[60];
        for (int i = 0; i < exported.length; i++) {
            exported[i] = (byte) i;
        }
        return exported;
    }

    @Test
    void serverSideSplitsTheExportPerRfc5764() {
        SrtpKeyingMaterial keys = SrtpKeyingMaterial.fromDtlsExport(SrtpProfile.AES_CM_128_HMAC_SHA1_80,
                aesCmExport(), false);
        HexFormat hex = HexFormat.of();
        assertThat(hex.formatHex(keys.remoteMasterKey())).isEqualTo("000102030405060708090a0b0c0d0e0f");
        assertThat(hex.formatHex(keys.localMasterKey())).isEqualTo("101112131415161718191a1b1c1d1e1f");
        assertThat(hex.formatHex(keys.remoteMasterSalt())).isEqualTo("202122232425262728292a2b2c2d");
        assertThat(hex.formatHex(keys.localMasterSalt())).isEqualTo("2e2f303132333435363738393a3b");
    }

    @Test
    void clientSideIsTheMirrorImage() {
        SrtpKeyingMaterial server = SrtpKeyingMaterial.fromDtlsExport(SrtpProfile.AES_CM_128_HMAC_SHA1_80,
                aesCmExport(), false);
        SrtpKeyingMaterial client = SrtpKeyingMaterial.fromDtlsExport(SrtpProfile.AES_CM_128_HMAC_SHA1_80,
                aesCmExport(), true);
        assertThat(client).isEqualTo(server.reversed());
        assertThat(client).isNotEqualTo(server);
    }

    @Test
    void gcmExportIs56Bytes() {
        byte[] exported = new byte[56];
        exported[55] = 9;
        SrtpKeyingMaterial keys = SrtpKeyingMaterial.fromDtlsExport(SrtpProfile.AEAD_AES_128_GCM, exported, false);
        assertThat(keys.localMasterSalt()).hasSize(12);
        assertThat(keys.localMasterSalt()[11]).isEqualTo((byte) 9);
        assertThatThrownBy(() -> SrtpKeyingMaterial.fromDtlsExport(SrtpProfile.AEAD_AES_128_GCM, new byte[60], false))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void toStringNeverShowsKeyBytes() {
        byte[] exported = new byte[60];
        java.util.Arrays.fill(exported, (byte) 0xAB);
        SrtpKeyingMaterial keys = SrtpKeyingMaterial.fromDtlsExport(SrtpProfile.AES_CM_128_HMAC_SHA1_80, exported,
                false);
        assertThat(keys.toString()).contains("AES_CM_128_HMAC_SHA1_80").doesNotContainIgnoringCase("ab");
    }

    @Test
    void accessorsReturnCopiesAndWipeZeroes() {
        SrtpKeyingMaterial keys = SrtpKeyingMaterial.fromDtlsExport(SrtpProfile.AES_CM_128_HMAC_SHA1_80,
                aesCmExport(), false);
        keys.localMasterKey()[0] = 99;
        assertThat(keys.localMasterKey()[0]).isEqualTo((byte) 0x10);
        keys.wipe();
        assertThat(keys.localMasterKey()).containsOnly(0);
        assertThat(keys.remoteMasterSalt()).containsOnly(0);
    }
}
