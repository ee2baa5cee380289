package dev.parley.relay.dtls;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * The relay's DTLS identity: one ECDSA P-256 certificate (self-signed is what WebRTC expects) and its private key.
 * Peers authenticate it by the fingerprint our SDP carries, not by a CA, so one certificate serves every transport.
 *
 * <p>The private key never leaves this class except into BouncyCastle's signer, and {@link #toString()} shows only the
 * subject, expiry and fingerprint.
 */
public final class DtlsCertificate {

    private static final X9ECParameters P256 = ECNamedCurveTable.getByName("secp256r1");

    private final byte[] der;
    private final X509CertificateHolder holder;
    private final ECPrivateKeyParameters privateKey;
    private final DtlsFingerprint fingerprint;

    private DtlsCertificate(X509CertificateHolder holder, ECPrivateKeyParameters privateKey) throws IOException {
        this.holder = holder;
        this.der = holder.getEncoded();
        this.privateKey = privateKey;
        this.fingerprint = DtlsFingerprint.of("sha-256", der);
    }

    /** A fresh key pair and a certificate for CN=parley, valid from 30 days ago to a year from now. */
    public static DtlsCertificate generate() {
        Instant now = Instant.now();
        return generate("parley", now.minus(Duration.ofDays(30)), now.plus(Duration.ofDays(365)));
    }

    public static DtlsCertificate generate(String commonName, Instant notBefore, Instant notAfter) {
        try {
            SecureRandom random = new SecureRandom();
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            KeyPair keyPair = generator.generateKeyPair();

            X500Name name = new X500Name("CN=" + commonName);
            byte[] serial = new byte[16];
            random.nextBytes(serial);
            X509CertificateHolder holder = new JcaX509v3CertificateBuilder(name, new BigInteger(1, serial),
                    Date.from(notBefore), Date.from(notAfter), name, keyPair.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").setSecureRandom(random)
                            .build(keyPair.getPrivate()));
            AsymmetricKeyParameter key = PrivateKeyFactory.createKey(keyPair.getPrivate().getEncoded());
            return new DtlsCertificate(holder, (ECPrivateKeyParameters) key);
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("could not generate the DTLS certificate", e);
        }
    }

    /** Loads a PEM certificate and its PEM private key (PKCS#8 "PRIVATE KEY", or SEC1 "EC PRIVATE KEY"). */
    public static DtlsCertificate load(Path certificatePem, Path privateKeyPem) throws IOException {
        return fromPem(Files.readString(certificatePem, StandardCharsets.US_ASCII),
                Files.readString(privateKeyPem, StandardCharsets.US_ASCII));
    }

    /**
     * @throws IOException if either PEM cannot be read
     * @throws IllegalArgumentException if the key is not an unencrypted ECDSA P-256 key matching the certificate
     */
    public static DtlsCertificate fromPem(String certificatePem, String privateKeyPem) throws IOException {
        X509CertificateHolder holder;
        Object parsed = readPem(new StringReader(certificatePem));
        if (!(parsed instanceof X509CertificateHolder h)) {
            throw new IllegalArgumentException("no CERTIFICATE in the certificate PEM");
        }
        holder = h;

        Object keyObject = readPem(new StringReader(privateKeyPem));
        PrivateKeyInfo keyInfo;
        if (keyObject instanceof PrivateKeyInfo info) {
            keyInfo = info;
        } else if (keyObject instanceof PEMKeyPair pair) {
            keyInfo = pair.getPrivateKeyInfo();
        } else {
            throw new IllegalArgumentException("no unencrypted PRIVATE KEY in the key PEM");
        }
        AsymmetricKeyParameter privateKey;
        try {
            privateKey = PrivateKeyFactory.createKey(keyInfo);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("unreadable private key: " + e.getMessage(), e);
        }
        if (!(privateKey instanceof ECPrivateKeyParameters key)
                || !key.getParameters().getCurve().equals(P256.getCurve())
                || !key.getParameters().getG().equals(P256.getG())) {
            throw new IllegalArgumentException("the DTLS key must be an ECDSA P-256 key");
        }
        AsymmetricKeyParameter publicKey = PublicKeyFactory.createKey(holder.getSubjectPublicKeyInfo());
        if (!(publicKey instanceof ECPublicKeyParameters certificateKey)
                || !key.getParameters().getG().multiply(key.getD()).normalize()
                        .equals(certificateKey.getQ().normalize())) {
            throw new IllegalArgumentException("the private key does not belong to the certificate");
        }
        return new DtlsCertificate(holder, key);
    }

    private static Object readPem(Reader reader) throws IOException {
        try (PEMParser parser = new PEMParser(reader)) {
            return parser.readObject();
        }
    }

    /** The SHA-256 fingerprint for {@code a=fingerprint}. */
    public DtlsFingerprint fingerprint() {
        return fingerprint;
    }

    /** {@code "sha-256 AB:CD:..."}, the value of the SDP attribute. */
    public String sdpFingerprint() {
        return fingerprint.toSdp();
    }

    /** A copy of the certificate's DER encoding. */
    public byte[] encoded() {
        return der.clone();
    }

    public Instant notAfter() {
        return holder.getNotAfter().toInstant();
    }

    public String subject() {
        return holder.getSubject().toString();
    }

    /** The certificate as BouncyCastle's TLS layer sends it. */
    Certificate tlsCertificate(BcTlsCrypto crypto) throws IOException {
        TlsCertificate certificate = crypto.createCertificate(der);
        return new Certificate(new TlsCertificate[] {certificate});
    }

    /**
     * The credentials for one handshake: the certificate chain to send and a signer over our private key, for the
     * relay's ServerKeyExchange or, when a client (the test client) presents this certificate, its CertificateVerify.
     * This is the one way the private key leaves this class, and only into BouncyCastle's signer.
     */
    public TlsCredentialedSigner signer(TlsContext context, BcTlsCrypto crypto, SignatureAndHashAlgorithm algorithm)
            throws IOException {
        return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto, privateKey,
                tlsCertificate(crypto), algorithm);
    }

    @Override
    public String toString() {
        return "DtlsCertificate[subject=" + subject() + ", notAfter=" + notAfter() + ", fingerprint=" + sdpFingerprint()
                + "]";
    }

    /** The certificate in PEM form (public data only), e.g. to save a generated identity. */
    public String certificatePem() {
        return "-----BEGIN CERTIFICATE-----\n"
                + java.util.Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END CERTIFICATE-----\n";
    }
}
