package dev.parley.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority of a test's own (ECDSA P-256, valid for a day), to issue a server certificate that a
 * browser checks the way it checks a real one once the authority is trusted (launch.mjs: PARLEY_CA_CERT). A
 * self-signed server certificate would not do: browsers refuse it for TURN over TLS, and offer no way to accept it.
 */
public final class TestCertificateAuthority {

    private static final Duration VALIDITY = Duration.ofDays(1);

    private final KeyPair keys;
    private final X500Name name;
    private final X509Certificate certificate;

    /** A server certificate and its private key (PKCS #8), as PEM files. */
    public record Issued(Path certificate, Path key) {
    }

    private TestCertificateAuthority(KeyPair keys, X500Name name, X509Certificate certificate) {
        this.keys = keys;
        this.name = name;
        this.certificate = certificate;
    }

    public static TestCertificateAuthority create(String commonName) throws GeneralSecurityException {
        KeyPair keys = keyPair();
        X500Name name = new X500Name("CN=" + commonName);
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = builder(name, name, now, keys);
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
        return new TestCertificateAuthority(keys, name, sign(builder, keys));
    }

    /** Writes the authority's certificate as PEM to {@code file}, for a browser to trust. */
    public Path writeCertificate(Path file) throws IOException {
        Files.writeString(file, pem(certificate));
        return file;
    }

    /** A server certificate for {@code host} (a DNS name), with its key, written as {@code <fileName>.crt/.key}. */
    public Issued issue(String host, Path directory, String fileName) throws GeneralSecurityException, IOException {
        KeyPair server = keyPair();
        JcaX509v3CertificateBuilder builder = builder(name, new X500Name("CN=" + host), Instant.now(), server);
        builder.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(new GeneralName(GeneralName.dNSName, host)));
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        X509Certificate issued = sign(builder, keys);
        Files.createDirectories(directory);
        Path certificateFile = directory.resolve(fileName + ".crt");
        Path keyFile = directory.resolve(fileName + ".key");
        Files.writeString(certificateFile, pem(issued));
        Files.writeString(keyFile, "-----BEGIN PRIVATE KEY-----\n" // PKCS #8, which OpenSSL (coturn) reads
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(server.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        return new Issued(certificateFile, keyFile);
    }

    private static JcaX509v3CertificateBuilder builder(X500Name issuer, X500Name subject, Instant now, KeyPair keys) {
        return new JcaX509v3CertificateBuilder(issuer, new BigInteger(127, new SecureRandom()).add(BigInteger.ONE),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(VALIDITY)), subject, keys.getPublic());
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer)
            throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter().getCertificate(builder.build(
                    new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("cannot sign the certificate", e);
        }
    }

    private static KeyPair keyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
        return generator.generateKeyPair();
    }

    private static String pem(Object object) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(object);
        }
        return text.toString();
    }
}
