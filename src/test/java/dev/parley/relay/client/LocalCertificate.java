package dev.parley.relay.client;

import dev.parley.relay.dtls.DtlsFingerprint;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
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
 * This endpoint's DTLS identity: a self-signed ECDSA P-256 certificate, as a browser makes one per
 * RTCPeerConnection. The relay's {@code DtlsCertificate} is the same kind of object but keeps its signer to its own
 * package (it only ever serves); a client must sign its CertificateVerify, hence this class.
 *
 * <p>Immutable and thread-safe; one certificate may be shared by many endpoints (the load generator does, since
 * generating a key pair costs milliseconds).
 */
public final class LocalCertificate {

    private final byte[] der;
    private final AsymmetricKeyParameter privateKey;
    private final DtlsFingerprint fingerprint;

    private LocalCertificate(byte[] der, AsymmetricKeyParameter privateKey) {
        this.der = der;
        this.privateKey = privateKey;
        this.fingerprint = DtlsFingerprint.of("sha-256", der);
    }

    /** A fresh key pair and a certificate for CN=parley-client, valid from a day ago for 30 days. */
    public static LocalCertificate generate() {
        try {
            SecureRandom random = new SecureRandom();
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            KeyPair keyPair = generator.generateKeyPair();
            Instant now = Instant.now();
            X500Name name = new X500Name("CN=parley-client");
            byte[] serial = new byte[16];
            random.nextBytes(serial);
            byte[] der = new JcaX509v3CertificateBuilder(name, new BigInteger(1, serial),
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(30))), name,
                    keyPair.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").setSecureRandom(random)
                            .build(keyPair.getPrivate()))
                    .getEncoded();
            return new LocalCertificate(der, PrivateKeyFactory.createKey(keyPair.getPrivate().getEncoded()));
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("could not generate the DTLS certificate", e);
        }
    }

    /** The SHA-256 fingerprint our SDP announces. */
    public DtlsFingerprint fingerprint() {
        return fingerprint;
    }

    public byte[] encoded() {
        return der.clone();
    }

    /** The signer that proves we own the certificate (CertificateVerify) in one handshake. */
    TlsCredentialedSigner signer(TlsContext context, BcTlsCrypto crypto, SignatureAndHashAlgorithm algorithm)
            throws IOException {
        TlsCertificate certificate = crypto.createCertificate(der);
        return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto, privateKey,
                new Certificate(new TlsCertificate[] {certificate}), algorithm);
    }

    @Override
    public String toString() {
        return "LocalCertificate[" + fingerprint.toSdp() + "]";
    }
}
