package dev.parley.relay.dtls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.junit.jupiter.api.Test;

class DtlsCertificateTest {

    @Test
    void generatedCertificateIsEcdsaP256SelfSignedWithASha256Fingerprint() throws Exception {
        DtlsCertificate certificate = DtlsCertificate.generate();
        X509Certificate x509 = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new java.io.ByteArrayInputStream(certificate.encoded()));

        assertThat(x509.getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(x509.getPublicKey().getAlgorithm()).isEqualTo("EC");
        assertThat(((java.security.interfaces.ECPublicKey) x509.getPublicKey()).getParams().getCurve().getField()
                .getFieldSize()).isEqualTo(256);
        x509.verify(x509.getPublicKey());
        assertThat(x509.getSubjectX500Principal().getName()).isEqualTo("CN=parley");
        assertThat(x509.getNotBefore().toInstant()).isBefore(Instant.now().minus(Duration.ofDays(29)));
        assertThat(x509.getNotAfter().toInstant()).isAfter(Instant.now().plus(Duration.ofDays(364)));

        String expected = HexFormat.ofDelimiter(":").withUpperCase()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.encoded()));
        assertThat(certificate.sdpFingerprint()).isEqualTo("sha-256 " + expected)
                .matches("sha-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}");
        assertThat(certificate.toString()).contains(expected).doesNotContain("PRIVATE");
    }

    @Test
    void twoGeneratedCertificatesDiffer() {
        assertThat(DtlsCertificate.generate().fingerprint()).isNotEqualTo(DtlsCertificate.generate().fingerprint());
    }

    @Test
    void loadsAPkcs8PemPairAndKeepsItsFingerprint() throws Exception {
        KeyPair keyPair = ecKeyPair("secp256r1");
        String certificatePem = pem(selfSigned(keyPair));
        String keyPem = pem(new JcaPKCS8Generator(keyPair.getPrivate(), null).generate());

        DtlsCertificate loaded = DtlsCertificate.fromPem(certificatePem, keyPem);

        assertThat(loaded.subject()).isEqualTo("CN=loaded");
        assertThat(loaded.certificatePem()).isEqualToIgnoringNewLines(certificatePem.replace("\r", ""));
        assertThat(loaded.fingerprint()).isEqualTo(DtlsFingerprint.of("sha-256", selfSignedDer(certificatePem)));
    }

    /** A PEM pair as an operator would supply it, for the handshake test in {@link DtlsSessionTest}. */
    static DtlsCertificate loadedFromPem() throws Exception {
        KeyPair keyPair = ecKeyPair("secp256r1");
        return DtlsCertificate.fromPem(pem(selfSigned(keyPair)),
                pem(new JcaPKCS8Generator(keyPair.getPrivate(), null).generate()));
    }

    private static byte[] selfSignedDer(String certificatePem) throws Exception {
        return CertificateFactory.getInstance("X.509")
                .generateCertificate(new java.io.ByteArrayInputStream(certificatePem.getBytes())).getEncoded();
    }

    @Test
    void loadsASec1EcPrivateKeyToo() throws Exception {
        KeyPair keyPair = ecKeyPair("secp256r1");
        // "openssl ecparam -genkey" writes this form: RFC 5915 ECPrivateKey with the curve named inside.
        java.security.interfaces.ECPrivateKey ecKey = (java.security.interfaces.ECPrivateKey) keyPair.getPrivate();
        byte[] sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(256, ecKey.getS(), null,
                new org.bouncycastle.asn1.x9.X962Parameters(org.bouncycastle.asn1.sec.SECObjectIdentifiers.secp256r1))
                .getEncoded();
        String keyPem = pem(new org.bouncycastle.util.io.pem.PemObject("EC PRIVATE KEY", sec1));

        DtlsCertificate loaded = DtlsCertificate.fromPem(pem(selfSigned(keyPair)), keyPem);
        assertThat(loaded.subject()).isEqualTo("CN=loaded");

        // A SEC1 key without its curve cannot be used, and says so rather than failing obscurely.
        assertThatThrownBy(() -> DtlsCertificate.fromPem(pem(selfSigned(keyPair)), pem(keyPair.getPrivate())))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesAKeyThatIsNotTheCertificatesOrNotP256() throws Exception {
        KeyPair keyPair = ecKeyPair("secp256r1");
        KeyPair other = ecKeyPair("secp256r1");
        String certificatePem = pem(selfSigned(keyPair));
        assertThatThrownBy(() -> DtlsCertificate.fromPem(certificatePem,
                pem(new JcaPKCS8Generator(other.getPrivate(), null).generate())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not belong");

        KeyPair p384 = ecKeyPair("secp384r1");
        assertThatThrownBy(() -> DtlsCertificate.fromPem(pem(selfSigned(p384)),
                pem(new JcaPKCS8Generator(p384.getPrivate(), null).generate())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("P-256");

        assertThatThrownBy(() -> DtlsCertificate.fromPem(certificatePem, certificatePem))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void bouncyCastleSupportsEveryCipherSuiteWeOffer() {
        int[] supported = TlsUtils.getSupportedCipherSuites(new BcTlsCrypto(), DtlsSrtpServer.CIPHER_SUITES);
        assertThat(supported).containsExactly(DtlsSrtpServer.CIPHER_SUITES);
        assertThat(DtlsSrtpServer.CIPHER_SUITES[0]).isEqualTo(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256);
    }

    private static KeyPair ecKeyPair(String curve) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec(curve));
        return generator.generateKeyPair();
    }

    private static X509CertificateHolder selfSigned(KeyPair keyPair) throws Exception {
        X500Name name = new X500Name("CN=loaded");
        Instant now = Instant.now();
        String algorithm = keyPair.getPublic().getEncoded().length > 100 ? "SHA384withECDSA" : "SHA256withECDSA";
        return new JcaX509v3CertificateBuilder(name, BigInteger.TEN, Date.from(now.minusSeconds(60)),
                Date.from(now.plusSeconds(3600)), name, keyPair.getPublic())
                .build(new JcaContentSignerBuilder(algorithm).build(keyPair.getPrivate()));
    }

    private static String pem(Object object) throws Exception {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        }
        return out.toString();
    }
}
