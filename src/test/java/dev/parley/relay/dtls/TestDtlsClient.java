package dev.parley.relay.dtls;

import dev.parley.relay.srtp.SrtpKeyingMaterial;
import dev.parley.relay.srtp.SrtpProfile;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.Hashtable;
import java.util.List;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.AlertLevel;
import org.bouncycastle.tls.CertificateRequest;
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

/** A browser stand-in: BouncyCastle's DTLS client with its own ECDSA certificate, offering use_srtp. */
class TestDtlsClient extends DefaultTlsClient {

    private final DtlsCertificate ownCertificate;
    private final DtlsFingerprint expectedServer;
    private final int[] offeredProfiles;
    private final int[] cipherSuites;
    private final int resendMillis;

    private volatile SrtpProfile negotiatedProfile;
    volatile SrtpKeyingMaterial keyingMaterial;
    volatile boolean closeNotifyReceived;
    volatile short fatalAlertReceived = -1;

    TestDtlsClient(DtlsCertificate ownCertificate, DtlsFingerprint expectedServer, int[] offeredProfiles,
            int[] cipherSuites, int resendMillis) {
        super(new BcTlsCrypto());
        this.ownCertificate = ownCertificate;
        this.expectedServer = expectedServer;
        this.offeredProfiles = offeredProfiles;
        this.cipherSuites = cipherSuites;
        this.resendMillis = resendMillis;
    }

    static TestDtlsClient offering(DtlsCertificate own, DtlsFingerprint server, SrtpProfile... profiles) {
        int[] ids = new int[profiles.length];
        for (int i = 0; i < profiles.length; i++) {
            ids[i] = profiles[i].protectionProfileId();
        }
        return new TestDtlsClient(own, server, ids, null, 1000);
    }

    /** Connects from a fresh socket on 127.0.0.1; the caller closes the returned transport. */
    DTLSTransport connect(InetSocketAddress relay) throws IOException {
        DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        socket.connect(relay);
        try {
            return new DTLSClientProtocol().connect(this, new UDPTransport(socket, 1500));
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return ProtocolVersion.DTLSv12.only();
    }

    @Override
    protected int[] getSupportedCipherSuites() {
        return cipherSuites != null ? cipherSuites : super.getSupportedCipherSuites();
    }

    @Override
    public int getHandshakeResendTimeMillis() {
        return resendMillis;
    }

    @Override
    public int getHandshakeTimeoutMillis() {
        return 8_000;
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Hashtable getClientExtensions() throws IOException {
        Hashtable extensions = TlsExtensionsUtils.ensureExtensionsInitialised(super.getClientExtensions());
        TlsSRTPUtils.addUseSRTPExtension(extensions, new UseSRTPData(offeredProfiles, TlsUtils.EMPTY_BYTES));
        return extensions;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public void processServerExtensions(Hashtable serverExtensions) throws IOException {
        super.processServerExtensions(serverExtensions);
        UseSRTPData chosen = TlsSRTPUtils.getUseSRTPExtension(serverExtensions);
        if (chosen == null || chosen.getProtectionProfiles().length != 1) {
            throw new TlsFatalAlert(AlertDescription.illegal_parameter, "server did not choose one SRTP profile");
        }
        negotiatedProfile = SrtpProfile.forProtectionProfileId(chosen.getProtectionProfiles()[0]);
    }

    @Override
    public TlsAuthentication getAuthentication() {
        return new TlsAuthentication() {
            @Override
            public void notifyServerCertificate(TlsServerCertificate serverCertificate) throws IOException {
                byte[] leaf = serverCertificate.getCertificate().getCertificateAt(0).getEncoded();
                if (!DtlsFingerprint.certificateMatches(List.of(expectedServer), leaf)) {
                    throw new TlsFatalAlert(AlertDescription.bad_certificate, "server fingerprint mismatch");
                }
            }

            @Override
            public TlsCredentials getClientCredentials(CertificateRequest request) throws IOException {
                return ownCertificate.signer(context, (BcTlsCrypto) getCrypto(),
                        new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
            }
        };
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        byte[] exported = context.exportKeyingMaterial(ExporterLabel.dtls_srtp, null,
                negotiatedProfile.keyingMaterialLength());
        keyingMaterial = SrtpKeyingMaterial.fromDtlsExport(negotiatedProfile, exported, true);
    }

    @Override
    public void notifyAlertReceived(short alertLevel, short alertDescription) {
        if (alertDescription == AlertDescription.close_notify) {
            closeNotifyReceived = true;
        } else if (alertLevel == AlertLevel.fatal) {
            fatalAlertReceived = alertDescription;
        }
    }

    SrtpProfile negotiatedProfile() {
        return negotiatedProfile;
    }
}
