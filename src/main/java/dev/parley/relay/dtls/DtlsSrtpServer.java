package dev.parley.relay.dtls;

import dev.parley.relay.srtp.SrtpKeyingMaterial;
import dev.parley.relay.srtp.SrtpProfile;
import java.io.IOException;
import java.util.Hashtable;
import java.util.List;
import java.util.Vector;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.AlertLevel;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.ExporterLabel;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * The relay's side of one WebRTC DTLS-SRTP handshake (RFC 5764, RFC 8827): DTLS 1.2 only, our ECDSA certificate, a
 * client certificate required and checked against the fingerprint from the peer's SDP, use_srtp negotiated, and the
 * SRTP keys exported once the handshake is done.
 *
 * <p>One instance per handshake; BouncyCastle calls it from the handshake thread. The outcome fields are read by
 * {@link DtlsSession} after {@code accept} returns or fails, and by its post-handshake task.
 */
final class DtlsSrtpServer extends DefaultTlsServer {

    /**
     * ECDHE-ECDSA suites, AES-GCM first. Chrome and Firefox offer the GCM and ChaCha20 ones; the CBC ones cover older
     * OpenSSL and GnuTLS stacks (GStreamer, OBS). Our certificate is ECDSA, so RSA suites could never be chosen.
     */
    static final int[] CIPHER_SUITES = {
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,
    };

    /** Our preference: GCM (cheaper per packet, see the brief's measurements), then AES-CM. */
    static final SrtpProfile[] SRTP_PROFILES = {SrtpProfile.AEAD_AES_128_GCM, SrtpProfile.AES_CM_128_HMAC_SHA1_80};

    private final DtlsCertificate certificate;
    private final List<DtlsFingerprint> remoteFingerprints;
    private final int handshakeTimeoutMillis;

    private SrtpProfile chosenProfile;
    private volatile SrtpKeyingMaterial keyingMaterial;
    private volatile String failure;
    private volatile boolean closeNotifyReceived;
    private volatile short fatalAlertReceived = -1;

    DtlsSrtpServer(BcTlsCrypto crypto, DtlsCertificate certificate, List<DtlsFingerprint> remoteFingerprints,
            int handshakeTimeoutMillis) {
        super(crypto);
        this.certificate = certificate;
        this.remoteFingerprints = List.copyOf(remoteFingerprints);
        this.handshakeTimeoutMillis = handshakeTimeoutMillis;
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return ProtocolVersion.DTLSv12.only();
    }

    @Override
    protected int[] getSupportedCipherSuites() {
        return TlsUtils.getSupportedCipherSuites(getCrypto(), CIPHER_SUITES);
    }

    @Override
    protected boolean preferLocalCipherSuites() {
        return true;
    }

    /** RFC 7627: the SRTP key export is only safe with the extended master secret; browsers always offer it. */
    @Override
    public boolean requiresExtendedMasterSecret() {
        return true;
    }

    @Override
    public int getHandshakeTimeoutMillis() {
        return handshakeTimeoutMillis;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public void processClientExtensions(Hashtable clientExtensions) throws IOException {
        super.processClientExtensions(clientExtensions);
        UseSRTPData offered = TlsSRTPUtils.getUseSRTPExtension(clientExtensions);
        if (offered == null) {
            throw fail(AlertDescription.handshake_failure, "the client did not offer use_srtp");
        }
        for (SrtpProfile preferred : SRTP_PROFILES) {
            for (int id : offered.getProtectionProfiles()) {
                if (id == preferred.protectionProfileId()) {
                    chosenProfile = preferred;
                    return;
                }
            }
        }
        throw fail(AlertDescription.handshake_failure,
                "no SRTP protection profile in common (client offered " + profileIds(offered) + ")");
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Hashtable getServerExtensions() throws IOException {
        Hashtable extensions = super.getServerExtensions();
        // No MKI: RFC 5764 §4.1.1 lets the server answer with an empty one.
        TlsSRTPUtils.addUseSRTPExtension(extensions,
                new UseSRTPData(new int[] {chosenProfile.protectionProfileId()}, TlsUtils.EMPTY_BYTES));
        return extensions;
    }

    @Override
    protected TlsCredentialedSigner getECDSASignerCredentials() throws IOException {
        return certificate.signer(context, (BcTlsCrypto) getCrypto(), chooseSignatureAlgorithm());
    }

    /**
     * ECDSA with SHA-256 matches a P-256 key; fall back to the client's first ECDSA choice with a hash we can compute
     * (a client may list hash codes that mean nothing, which BouncyCastle would only reject with a runtime exception
     * in the middle of signing: found by fuzzing).
     */
    @SuppressWarnings("rawtypes")
    private SignatureAndHashAlgorithm chooseSignatureAlgorithm() throws IOException {
        Vector clientAlgorithms = context.getSecurityParametersHandshake().getClientSigAlgs();
        if (clientAlgorithms == null) {
            clientAlgorithms = TlsUtils.getDefaultSignatureAlgorithms(SignatureAlgorithm.ecdsa);
        }
        SignatureAndHashAlgorithm fallback = null;
        for (Object o : clientAlgorithms) {
            SignatureAndHashAlgorithm algorithm = (SignatureAndHashAlgorithm) o;
            if (algorithm.getSignature() == SignatureAlgorithm.ecdsa) {
                if (algorithm.getHash() == HashAlgorithm.sha256) {
                    return algorithm;
                }
                if (fallback == null && isComputable(algorithm.getHash())) {
                    fallback = algorithm;
                }
            }
        }
        if (fallback == null) {
            throw fail(AlertDescription.handshake_failure, "the client accepts no ECDSA signature");
        }
        return fallback;
    }

    private static boolean isComputable(short hash) {
        return hash == HashAlgorithm.sha1 || hash == HashAlgorithm.sha224 || hash == HashAlgorithm.sha384
                || hash == HashAlgorithm.sha512;
    }

    /** WebRTC authenticates the client by its certificate's fingerprint, so a certificate is mandatory. */
    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public CertificateRequest getCertificateRequest() {
        short[] types = {ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign};
        Vector signatureAlgorithms = TlsUtils.getDefaultSupportedSignatureAlgorithms(context);
        return new CertificateRequest(types, signatureAlgorithms, new Vector());
    }

    @Override
    public void notifyClientCertificate(Certificate clientCertificate) throws IOException {
        if (clientCertificate == null || clientCertificate.isEmpty()) {
            throw fail(AlertDescription.bad_certificate, "the client sent no certificate");
        }
        byte[] leaf = clientCertificate.getCertificateAt(0).getEncoded();
        if (!DtlsFingerprint.certificateMatches(remoteFingerprints, leaf)) {
            throw fail(AlertDescription.bad_certificate,
                    "the client certificate does not match the fingerprint in its SDP");
        }
    }

    /** Runs before {@code accept} returns, while the master secret is still there to export from. */
    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        byte[] exported = context.exportKeyingMaterial(ExporterLabel.dtls_srtp, null,
                chosenProfile.keyingMaterialLength());
        try {
            keyingMaterial = SrtpKeyingMaterial.fromDtlsExport(chosenProfile, exported, false);
        } finally {
            java.util.Arrays.fill(exported, (byte) 0);
        }
    }

    @Override
    public void notifyAlertReceived(short alertLevel, short alertDescription) {
        if (alertDescription == AlertDescription.close_notify) {
            closeNotifyReceived = true;
        } else if (alertLevel == AlertLevel.fatal) {
            fatalAlertReceived = alertDescription;
        }
    }

    @Override
    public void notifyAlertRaised(short alertLevel, short alertDescription, String message, Throwable cause) {
        if (alertLevel == AlertLevel.fatal && failure == null) {
            failure = AlertDescription.getText(alertDescription) + (message != null ? ": " + message : "");
        }
    }

    /** The exported keys, handed over once: this server keeps no reference afterwards. */
    SrtpKeyingMaterial takeKeyingMaterial() {
        SrtpKeyingMaterial keys = keyingMaterial;
        keyingMaterial = null;
        return keys;
    }

    /** Why we raised a fatal alert, if we did. */
    String failure() {
        return failure;
    }

    boolean closeNotifyReceived() {
        return closeNotifyReceived;
    }

    /** The fatal alert the peer sent, or -1. */
    short fatalAlertReceived() {
        return fatalAlertReceived;
    }

    /** BouncyCastle does not hand our message on to notifyAlertRaised, so keep it here. */
    private TlsFatalAlert fail(short alertDescription, String message) {
        if (failure == null) {
            failure = AlertDescription.getText(alertDescription) + ": " + message;
        }
        return new TlsFatalAlert(alertDescription, message);
    }

    private static String profileIds(UseSRTPData offered) {
        StringBuilder ids = new StringBuilder();
        for (int id : offered.getProtectionProfiles()) {
            if (ids.length() > 0) {
                ids.append(", ");
            }
            ids.append(String.format("0x%04x", id));
        }
        return ids.toString();
    }
}
