package dev.parley.relay.dtls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class DtlsFingerprintTest {

    /** FIPS 180-2 appendix B.1: SHA-256("abc"). */
    private static final String SHA256_ABC =
            "BA:78:16:BF:8F:01:CF:EA:41:41:40:DE:5D:AE:22:23:B0:03:61:A3:96:17:7A:9C:B4:10:FF:61:F2:00:15:AD";

    private static final byte[] ABC = "abc".getBytes(StandardCharsets.US_ASCII);

    @Test
    void formatsAsSdpWants() {
        DtlsFingerprint fingerprint = DtlsFingerprint.of("sha-256", ABC);
        assertThat(fingerprint.toSdp()).isEqualTo("sha-256 " + SHA256_ABC);
        assertThat(fingerprint.algorithm()).isEqualTo("sha-256");
        assertThat(fingerprint.matches(ABC)).isTrue();
        assertThat(fingerprint.matches("abd".getBytes(StandardCharsets.US_ASCII))).isFalse();
    }

    @Test
    void parsesWhatBrowsersSend() {
        DtlsFingerprint parsed = DtlsFingerprint.parse("SHA-256 " + SHA256_ABC.toLowerCase());
        assertThat(parsed).isEqualTo(DtlsFingerprint.of("sha-256", ABC));
        assertThat(parsed.toSdp()).isEqualTo("sha-256 " + SHA256_ABC);
        // FIPS 180-2 appendix A.1: SHA-1("abc").
        assertThat(DtlsFingerprint.parse("sha-1 A9:99:3E:36:47:06:81:6A:BA:3E:25:71:78:50:C2:6C:9C:D0:D8:9D")
                .matches(ABC)).isTrue();
    }

    @Test
    void refusesMalformedOrWeakFingerprints() {
        assertThatThrownBy(() -> DtlsFingerprint.parse("md5 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unsupported");
        assertThatThrownBy(() -> DtlsFingerprint.parse("sha-256 AB:CD")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DtlsFingerprint.parse("sha-256")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DtlsFingerprint.parse("sha-256 " + SHA256_ABC.replace("BA", "BG")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DtlsFingerprint.parse("sha-256 " + SHA256_ABC.replace("BA:", "B:A")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theStrongestOfferedHashDecides() {
        byte[] certificate = ABC;
        DtlsFingerprint goodSha1 = DtlsFingerprint.of("sha-1", certificate);
        DtlsFingerprint goodSha256 = DtlsFingerprint.of("sha-256", certificate);
        DtlsFingerprint goodSha512 = DtlsFingerprint.of("sha-512", certificate);
        DtlsFingerprint otherSha256 = DtlsFingerprint.of("sha-256", new byte[] {1});
        DtlsFingerprint otherSha1 = DtlsFingerprint.of("sha-1", new byte[] {1});

        assertThat(DtlsFingerprint.certificateMatches(List.of(goodSha256), certificate)).isTrue();
        assertThat(DtlsFingerprint.certificateMatches(List.of(otherSha1, goodSha256), certificate)).isTrue();
        // RFC 8122 §5: sha-256 is the strongest here and it does not match, so a matching sha-1 does not help.
        assertThat(DtlsFingerprint.certificateMatches(List.of(goodSha1, otherSha256), certificate)).isFalse();
        // Several certificates: one fingerprint of the chosen hash is enough.
        assertThat(DtlsFingerprint.certificateMatches(List.of(otherSha256, goodSha256), certificate)).isTrue();
        assertThat(DtlsFingerprint.certificateMatches(List.of(goodSha512, otherSha256), certificate)).isTrue();
        assertThat(DtlsFingerprint.certificateMatches(List.of(), certificate)).isFalse();
    }
}
