package dev.parley.relay.client;

import dev.parley.relay.dtls.DtlsCertificate;
import dev.parley.relay.dtls.DtlsFingerprint;
import dev.parley.relay.dtls.QueuedDatagramTransport;
import dev.parley.relay.srtp.SrtpKeyingMaterial;
import dev.parley.relay.srtp.SrtpProfile;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.List;
import java.util.Vector;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.AlertLevel;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSTransport;
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
import org.bouncycastle.tls.UDPTransport;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * The browser's side of a WebRTC DTLS-SRTP handshake (RFC 5764, RFC 8827): DTLS 1.2, ECDHE-ECDSA suites, our ECDSA
 * certificate presented when asked, use_srtp offered with the configured profiles in order, the server's certificate
 * accepted only if it hashes to a fingerprint of the remote SDP, the extended master secret required (RFC 7627), and
 * the SRTP keys exported from "EXTRACTOR-dtls_srtp" once the handshake is done.
 *
 * <p>{@link WebRtcEndpoint} runs it over its ICE-nominated socket; the relay's DTLS tests run it as their browser over
 * a socket of its own ({@link #connect(InetSocketAddress)}), with the {@link Builder}'s knobs to offer what a browser
 * would not (unknown SRTP profiles, one cipher suite, an older DTLS, fast resends).
 *
 * <p>One instance per handshake; BouncyCastle calls it on the thread running {@code DTLSClientProtocol.connect}.
 */
public final class DtlsSrtpClient extends DefaultTlsClient {

    static final int[] CIPHER_SUITES = {
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
    };

    private static final SignatureAndHashAlgorithm ECDSA_SHA256 =
            new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa);

    private final DtlsCertificate certificate;
    private final List<DtlsFingerprint> remoteFingerprints;
    private final int[] offeredProfiles;
    private final int[] cipherSuites;
    private final ProtocolVersion[] versions;
    private final int resendMillis;
    private final int handshakeTimeoutMillis;

    private volatile SrtpProfile profile;
    private volatile SrtpKeyingMaterial keyingMaterial;
    private volatile boolean closeNotifyReceived;
    private volatile String failure;

    private DtlsSrtpClient(Builder b) {
        super(b.crypto != null ? b.crypto : new BcTlsCrypto());
        this.certificate = b.certificate;
        this.remoteFingerprints = b.remoteFingerprints;
        this.offeredProfiles = b.profiles.clone();
        this.cipherSuites = b.cipherSuites.clone();
        this.versions = b.versions.clone();
        this.resendMillis = b.resendMillis;
        this.handshakeTimeoutMillis = b.handshakeTimeoutMillis;
    }

    /** A client presenting {@code certificate} that accepts a server hashing to one of the fingerprints. */
    public static Builder builder(DtlsCertificate certificate, List<DtlsFingerprint> remoteFingerprints) {
        return new Builder(certificate, remoteFingerprints);
    }

    /** What a browser offers, unless told otherwise: see each setter for its default. */
    public static final class Builder {
        private final DtlsCertificate certificate;
        private final List<DtlsFingerprint> remoteFingerprints;
        private BcTlsCrypto crypto;
        private int[] profiles = ids(List.of(SrtpProfile.AEAD_AES_128_GCM, SrtpProfile.AES_CM_128_HMAC_SHA1_80));
        private int[] cipherSuites = CIPHER_SUITES;
        private ProtocolVersion[] versions = ProtocolVersion.DTLSv12.only();
        private int resendMillis = 1000;
        private int handshakeTimeoutMillis = 8000;

        private Builder(DtlsCertificate certificate, List<DtlsFingerprint> remoteFingerprints) {
            this.certificate = certificate;
            this.remoteFingerprints = List.copyOf(remoteFingerprints);
        }

        /** The crypto provider, e.g. with a seeded random; default a fresh {@link BcTlsCrypto}. */
        public Builder crypto(BcTlsCrypto value) {
            this.crypto = value;
            return this;
        }

        /** The SRTP profiles offered in use_srtp, in order; default AEAD_AES_128_GCM, AES_CM_128_HMAC_SHA1_80. */
        public Builder profiles(List<SrtpProfile> value) {
            return profileIds(ids(value));
        }

        public Builder profiles(SrtpProfile... value) {
            return profiles(List.of(value));
        }

        /** Raw protection profile ids (RFC 5764 §4.1.2), to offer profiles Parley does not know. */
        public Builder profileIds(int... value) {
            this.profiles = value.clone();
            return this;
        }

        /** Only these cipher suites (those the crypto supports); default the four ECDHE-ECDSA suites above. */
        public Builder cipherSuites(int... value) {
            this.cipherSuites = value.clone();
            return this;
        }

        /** The DTLS versions offered; default DTLS 1.2 only. */
        public Builder versions(ProtocolVersion... value) {
            this.versions = value.clone();
            return this;
        }

        /** The first resend of a lost flight after this long (it then doubles); default 1000 ms. */
        public Builder resendMillis(int value) {
            this.resendMillis = value;
            return this;
        }

        /** Give up the handshake after this long; default 8000 ms. */
        public Builder handshakeTimeoutMillis(int value) {
            this.handshakeTimeoutMillis = value;
            return this;
        }

        public DtlsSrtpClient build() {
            return new DtlsSrtpClient(this);
        }

        private static int[] ids(List<SrtpProfile> profiles) {
            return profiles.stream().mapToInt(SrtpProfile::protectionProfileId).toArray();
        }
    }

    /**
     * Runs the handshake from a fresh UDP socket on 127.0.0.1 to {@code remote}, with BouncyCastle's own datagram
     * transport; the caller closes the returned transport (which closes the socket).
     */
    public DTLSTransport connect(InetSocketAddress remote) throws IOException {
        DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        socket.connect(remote);
        try {
            return new DTLSClientProtocol().connect(this, new UDPTransport(socket, QueuedDatagramTransport.RECEIVE_LIMIT));
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return versions.clone();
    }

    @Override
    protected int[] getSupportedCipherSuites() {
        return TlsUtils.getSupportedCipherSuites(getCrypto(), cipherSuites);
    }

    @Override
    public int getHandshakeResendTimeMillis() {
        return resendMillis;
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
        TlsSRTPUtils.addUseSRTPExtension(extensions, new UseSRTPData(offeredProfiles.clone(), TlsUtils.EMPTY_BYTES));
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
        int chosenId = chosen.getProtectionProfiles()[0];
        SrtpProfile selected = SrtpProfile.forProtectionProfileId(chosenId);
        if (selected == null || Arrays.stream(offeredProfiles).noneMatch(id -> id == chosenId)) {
            throw fail(AlertDescription.illegal_parameter, String.format(
                    "the server chose SRTP protection profile 0x%04x, which we did not offer",
                    chosenId));
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
            Arrays.fill(exported, (byte) 0);
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
    public SrtpKeyingMaterial takeKeyingMaterial() {
        SrtpKeyingMaterial keys = keyingMaterial;
        keyingMaterial = null;
        return keys;
    }

    /** The SRTP profile the server chose, once it has. */
    public SrtpProfile profile() {
        return profile;
    }

    public boolean closeNotifyReceived() {
        return closeNotifyReceived;
    }

    /** Why the handshake failed, as far as we know, or null. */
    public String failure() {
        return failure;
    }

    private TlsFatalAlert fail(short alertDescription, String message) {
        if (failure == null) {
            failure = AlertDescription.getText(alertDescription) + ": " + message;
        }
        return new TlsFatalAlert(alertDescription, message);
    }
}
