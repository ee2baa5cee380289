package dev.parley.relay.client;

import dev.parley.relay.dtls.DtlsFingerprint;
import dev.parley.relay.srtp.SrtpKeyingMaterial;
import dev.parley.relay.srtp.SrtpProfile;
import java.io.IOException;
import java.util.Hashtable;
import java.util.List;
import java.util.Vector;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.AlertLevel;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.ExporterLabel;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * The browser's side of a WebRTC DTLS-SRTP handshake (RFC 5764, RFC 8827): DTLS 1.2, ECDHE-ECDSA suites, our ECDSA
 * certificate presented when asked, use_srtp offered with the configured profiles in order, the server's certificate
 * accepted only if it hashes to a fingerprint of the remote SDP, the extended master secret required (RFC 7627), and
 * the SRTP keys exported from "EXTRACTOR-dtls_srtp" once the handshake is done.
 *
 * <p>One instance per handshake; BouncyCastle calls it on the thread running {@code DTLSClientProtocol.connect}.
 */
final class DtlsSrtpClient extends DefaultTlsClient {

    static final int[] CIPHER_SUITES = {
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
    };

    private static final SignatureAndHashAlgorithm ECDSA_SHA256 =
            new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa);

    private final LocalCertificate certificate;
    private final List<DtlsFingerprint> remoteFingerprints;
    private final List<SrtpProfile> offeredProfiles;
    private final int handshakeTimeoutMillis;

    private volatile SrtpProfile profile;
    private volatile SrtpKeyingMaterial keyingMaterial;
    private volatile boolean closeNotifyReceived;
    private volatile String failure;

    DtlsSrtpClient(BcTlsCrypto crypto, LocalCertificate certificate, List<DtlsFingerprint> remoteFingerprints,
            List<SrtpProfile> offeredProfiles, int handshakeTimeoutMillis) {
        super(crypto);
        this.certificate = certificate;
        this.remoteFingerprints = List.copyOf(remoteFingerprints);
        this.offeredProfiles = List.copyOf(offeredProfiles);
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
    public boolean requiresExtendedMasterSecret() {
        return true;
    }

    @Override
    public int getHandshakeTimeoutMillis() {
        return handshakeTimeoutMillis;
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Hashtable getClientExtensions() throws IOException {
        Hashtable extensions = TlsExtensionsUtils.ensureExtensionsInitialised(super.getClientExtensions());
        int[] ids = new int[offeredProfiles.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = offeredProfiles.get(i).protectionProfileId();
        }
        TlsSRTPUtils.addUseSRTPExtension(extensions, new UseSRTPData(ids, TlsUtils.EMPTY_BYTES));
        return extensions;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public void processServerExtensions(Hashtable serverExtensions) throws IOException {
        super.processServerExtensions(serverExtensions);
        UseSRTPData chosen = TlsSRTPUtils.getUseSRTPExtension(serverExtensions);
        if (chosen == null || chosen.getProtectionProfiles().length != 1) {
            throw fail(AlertDescription.illegal_parameter, "the server did not choose one SRTP protection profile");
        }
        SrtpProfile selected = SrtpProfile.forProtectionProfileId(chosen.getProtectionProfiles()[0]);
        if (selected == null || !offeredProfiles.contains(selected)) {
            throw fail(AlertDescription.illegal_parameter, String.format(
                    "the server chose SRTP protection profile 0x%04x, which we did not offer",
                    chosen.getProtectionProfiles()[0]));
        }
        profile = selected;
    }

    @Override
    public TlsAuthentication getAuthentication() {
        return new TlsAuthentication() {
            @Override
            public void notifyServerCertificate(TlsServerCertificate serverCertificate) throws IOException {
                if (serverCertificate.getCertificate() == null || serverCertificate.getCertificate().isEmpty()) {
                    throw fail(AlertDescription.bad_certificate, "the server sent no certificate");
                }
                byte[] leaf = serverCertificate.getCertificate().getCertificateAt(0).getEncoded();
                if (!DtlsFingerprint.certificateMatches(remoteFingerprints, leaf)) {
                    throw fail(AlertDescription.bad_certificate,
                            "the server certificate does not match the fingerprint in its SDP");
                }
            }

            @Override
            public TlsCredentials getClientCredentials(CertificateRequest request) throws IOException {
                return certificate.signer(context, (BcTlsCrypto) getCrypto(), signatureAlgorithm(request));
            }
        };
    }

    /** ECDSA with SHA-256 suits a P-256 key; otherwise the first ECDSA algorithm the server accepts. */
    @SuppressWarnings("rawtypes")
    private SignatureAndHashAlgorithm signatureAlgorithm(CertificateRequest request) throws IOException {
        Vector accepted = request.getSupportedSignatureAlgorithms();
        if (accepted == null || accepted.contains(ECDSA_SHA256)) {
            return ECDSA_SHA256;
        }
        for (Object o : accepted) {
            SignatureAndHashAlgorithm algorithm = (SignatureAndHashAlgorithm) o;
            if (algorithm.getSignature() == SignatureAlgorithm.ecdsa) {
                return algorithm;
            }
        }
        throw fail(AlertDescription.handshake_failure, "the server accepts no ECDSA client certificate");
    }

    /** Runs inside {@code connect}, while the master secret can still be exported from. */
    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        byte[] exported = context.exportKeyingMaterial(ExporterLabel.dtls_srtp, null, profile.keyingMaterialLength());
        try {
            keyingMaterial = SrtpKeyingMaterial.fromDtlsExport(profile, exported, true);
        } finally {
            java.util.Arrays.fill(exported, (byte) 0);
        }
    }

    @Override
    public void notifyAlertReceived(short alertLevel, short alertDescription) {
        if (alertDescription == AlertDescription.close_notify) {
            closeNotifyReceived = true;
        } else if (alertLevel == AlertLevel.fatal && failure == null) {
            failure = "the server sent fatal alert " + AlertDescription.getText(alertDescription);
        }
    }

    @Override
    public void notifyAlertRaised(short alertLevel, short alertDescription, String message, Throwable cause) {
        if (alertLevel == AlertLevel.fatal && failure == null) {
            failure = AlertDescription.getText(alertDescription) + (message != null ? ": " + message : "");
        }
    }

    /** The exported keys, handed over once. */
    SrtpKeyingMaterial takeKeyingMaterial() {
        SrtpKeyingMaterial keys = keyingMaterial;
        keyingMaterial = null;
        return keys;
    }

    SrtpProfile profile() {
        return profile;
    }

    boolean closeNotifyReceived() {
        return closeNotifyReceived;
    }

    /** Why the handshake failed, as far as we know, or null. */
    String failure() {
        return failure;
    }

    private TlsFatalAlert fail(short alertDescription, String message) {
        if (failure == null) {
            failure = AlertDescription.getText(alertDescription) + ": " + message;
        }
        return new TlsFatalAlert(alertDescription, message);
    }
}
