package dev.parley.relay.srtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import org.jitsi.srtp.crypto.Aes;
import org.jitsi.srtp.crypto.JitsiOpenSslProvider;
import org.junit.jupiter.api.Test;

class AesImplementationTest {

    @Test
    void sessionsUseJitsiSrtpsOpenSslAesWheneverItLoads() {
        assumeThat(System.getProperty(AesImplementation.PROPERTY)).as("no override set").isNull();
        assumeThat(JitsiOpenSslProvider.isLoaded()).as("libjitsisrtp loads on this platform").isTrue();
        SrtpSession.warmUp();

        assertThat(AesImplementation.chosen()).isEqualTo("OpenSSL");
        assertThat(Aes.createCipher("AES/GCM/NoPadding").getProvider()).isInstanceOf(JitsiOpenSslProvider.class);
        assertThat(Aes.createCipher("AES/CTR/NoPadding").getProvider()).isInstanceOf(JitsiOpenSslProvider.class);
    }
}
