package dev.parley.relay.dtls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.parley.relay.client.DtlsSrtpClient;
import dev.parley.relay.srtp.PacketBuffer;
import dev.parley.relay.srtp.SrtpKeyingMaterial;
import dev.parley.relay.srtp.SrtpProfile;
import dev.parley.relay.srtp.SrtpSession;
import dev.parley.relay.srtp.SrtpStatus;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.TlsFatalAlertReceived;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** DtlsSession against the test client's BouncyCastle DTLS client over real UDP sockets on 127.0.0.1. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DtlsSessionTest {

    private static DtlsCertificate relayCertificate;
    private static DtlsCertificate browserCertificate;

    private final ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "test-dtls-worker");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicInteger tasksSubmitted = new AtomicInteger();
    private final RecordingListener listener = new RecordingListener();
    private UdpRelayHarness relay;

    @BeforeAll
    static void certificates() {
        relayCertificate = DtlsCertificate.generate();
        browserCertificate = DtlsCertificate.generate();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (relay != null) {
            relay.close();
        }
        executor.shutdownNow();
        assertThat(executor.awaitTermination(5, TimeUnit.SECONDS)).as("no DTLS task left running").isTrue();
    }

    /** Records callbacks in order. */
    static final class RecordingListener implements DtlsSession.Listener {
        final CompletableFuture<SrtpKeyingMaterial> keys = new CompletableFuture<>();
        final CompletableFuture<String> closed = new CompletableFuture<>();
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void onHandshakeComplete(SrtpKeyingMaterial keyingMaterial) {
            events.add("complete");
            keys.complete(keyingMaterial);
        }

        @Override
        public void onClosed(String reason) {
            events.add("closed: " + reason);
            closed.complete(reason);
        }
    }

    private void startRelay(java.util.concurrent.Executor sessionExecutor, java.time.Duration timeout)
            throws IOException {
        relay = new UdpRelayHarness((remote, sender) -> new DtlsSession(relayCertificate,
                List.of(browserCertificate.fingerprint()), sender, sessionExecutor, listener, timeout));
    }

    private void startRelay() throws IOException {
        startRelay(task -> {
            tasksSubmitted.incrementAndGet();
            executor.execute(task);
        }, DtlsSession.DEFAULT_HANDSHAKE_TIMEOUT);
    }

    private DtlsSrtpClient browserOffering(SrtpProfile... profiles) {
        return browser().profiles(profiles).build();
    }

    /** A browser with our certificate that expects the relay's. */
    private static DtlsSrtpClient.Builder browser() {
        return DtlsSrtpClient.builder(browserCertificate, List.of(relayCertificate.fingerprint()));
    }

    @Test
    void handshakeGivesBothSidesTheSameSrtpKeys() throws Exception {
        startRelay();
        DtlsSrtpClient browser = browserOffering(SrtpProfile.AES_CM_128_HMAC_SHA1_80, SrtpProfile.AEAD_AES_128_GCM);
        DTLSTransport dtls = browser.connect(relay.address());

        SrtpKeyingMaterial relayKeys = listener.keys.get(10, TimeUnit.SECONDS);
        // The relay prefers GCM even though this client listed AES-CM first.
        assertThat(relayKeys.profile()).isEqualTo(SrtpProfile.AEAD_AES_128_GCM);
        SrtpKeyingMaterial browserKeys = browser.takeKeyingMaterial();
        assertThat(browserKeys).isEqualTo(relayKeys.reversed());
        assertThat(relayKeys.localMasterKey()).isNotEqualTo(relayKeys.remoteMasterKey());
        assertThat(relay.onlySession().state()).isEqualTo(DtlsSession.State.CONNECTED);

        // And the keys work end to end: the browser protects, the relay unprotects.
        SrtpSession browserSrtp = new SrtpSession(browserKeys);
        SrtpSession relaySrtp = new SrtpSession(relayKeys);
        PacketBuffer packet = PacketBuffer.forPackets(100);
        byte[] rtp = {(byte) 0x80, 111, 0, 1, 0, 0, 0, 1, 0x12, 0x34, 0x56, 0x78, 1, 2, 3, 4};
        packet.copyFrom(rtp, 0, rtp.length);
        assertThat(browserSrtp.protectRtp(packet)).isEqualTo(SrtpStatus.OK);
        assertThat(relaySrtp.unprotectRtp(packet)).isEqualTo(SrtpStatus.OK);

        // Certificates are fragmented below the path MTU: nothing the relay sent is larger than the send limit.
        assertThat(relay.sent).allSatisfy(datagram ->
                assertThat(datagram.length).isLessThanOrEqualTo(QueuedDatagramTransport.SEND_LIMIT));
        assertThat(listener.closed).isNotDone();
        dtls.close();
    }

    @Test
    void aCertificateLoadedFromPemWorksToo() throws Exception {
        DtlsCertificate loaded = DtlsCertificateTest.loadedFromPem();
        relay = new UdpRelayHarness((remote, sender) -> new DtlsSession(loaded,
                List.of(browserCertificate.fingerprint()), sender, executor, listener));
        DtlsSrtpClient browser = DtlsSrtpClient.builder(browserCertificate, List.of(loaded.fingerprint()))
                .profiles(SrtpProfile.AEAD_AES_128_GCM).build();
        DTLSTransport dtls = browser.connect(relay.address());
        assertThat(listener.keys.get(10, TimeUnit.SECONDS)).isEqualTo(browser.takeKeyingMaterial().reversed());
        dtls.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"AES_CM_128_HMAC_SHA1_80", "AEAD_AES_128_GCM"})
    void eachSrtpProfileNegotiatesWhenItIsTheOnlyOneOffered(String name) throws Exception {
        SrtpProfile profile = SrtpProfile.valueOf(name);
        startRelay();
        DtlsSrtpClient browser = browserOffering(profile);
        DTLSTransport dtls = browser.connect(relay.address());

        SrtpKeyingMaterial relayKeys = listener.keys.get(10, TimeUnit.SECONDS);
        assertThat(relayKeys.profile()).isEqualTo(profile);
        assertThat(browser.profile()).isEqualTo(profile);
        assertThat(browser.takeKeyingMaterial()).isEqualTo(relayKeys.reversed());
        dtls.close();
    }

    @Test
    void noCommonSrtpProfileFailsWithAClearReason() throws Exception {
        startRelay();
        // SRTP_AES128_CM_HMAC_SHA1_32 (0x0002) and SRTP_AEAD_AES_256_GCM (0x0008) only.
        DtlsSrtpClient browser = browser().profileIds(0x0002, 0x0008).build();

        assertThatThrownBy(() -> browser.connect(relay.address())).isInstanceOf(TlsFatalAlertReceived.class);
        assertThat(listener.closed.get(10, TimeUnit.SECONDS))
                .contains("no SRTP protection profile in common")
                .contains("0x0002").contains("0x0008");
        assertThat(browser.failure()).isEqualTo("the server sent fatal alert "
                + AlertDescription.getText(AlertDescription.handshake_failure));
        assertThat(listener.keys).isNotDone();
    }

    @Test
    void aClientCertificateThatDoesNotMatchTheSdpFingerprintFailsTheHandshake() throws Exception {
        startRelay();
        DtlsCertificate impostor = DtlsCertificate.generate();
        DtlsSrtpClient browser = DtlsSrtpClient.builder(impostor, List.of(relayCertificate.fingerprint()))
                .profiles(SrtpProfile.AEAD_AES_128_GCM).build();

        assertThatThrownBy(() -> browser.connect(relay.address())).isInstanceOf(TlsFatalAlertReceived.class);
        assertThat(browser.failure()).isEqualTo("the server sent fatal alert "
                + AlertDescription.getText(AlertDescription.bad_certificate));
        assertThat(listener.closed.get(10, TimeUnit.SECONDS))
                .contains("bad_certificate").contains("does not match the fingerprint");
        assertThat(listener.keys).isNotDone();
        assertThat(relay.onlySession().state()).isEqualTo(DtlsSession.State.CLOSED);
    }

    @Test
    void closeNotifyFromTheBrowserIsReportedAsClosed() throws Exception {
        startRelay();
        DtlsSrtpClient browser = browserOffering(SrtpProfile.AEAD_AES_128_GCM);
        DTLSTransport dtls = browser.connect(relay.address());
        listener.keys.get(10, TimeUnit.SECONDS);

        dtls.close();

        assertThat(listener.closed.get(10, TimeUnit.SECONDS)).isEqualTo("peer sent close_notify");
        assertThat(listener.events).containsExactly("complete", "closed: peer sent close_notify");
        assertThat(relay.onlySession().state()).isEqualTo(DtlsSession.State.CLOSED);
    }

    @Test
    void closingTheSessionSendsCloseNotifyToTheBrowser() throws Exception {
        startRelay();
        DtlsSrtpClient browser = browserOffering(SrtpProfile.AES_CM_128_HMAC_SHA1_80);
        DTLSTransport dtls = browser.connect(relay.address());
        listener.keys.get(10, TimeUnit.SECONDS);

        relay.onlySession().close();

        assertThat(listener.closed.get(1, TimeUnit.SECONDS)).isEqualTo("closed locally");
        byte[] buf = new byte[2048];
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(1)).until(() -> {
            try {
                dtls.receive(buf, 0, buf.length, 100);
            } catch (IOException e) {
                // BouncyCastle closes the client's socket on close_notify and may then fail the read.
                return true;
            }
            return browser.closeNotifyReceived();
        });
        assertThat(browser.closeNotifyReceived()).isTrue();
        // (The browser's own close_notify reply may be counted here too, so compare before and after.)
        long droppedBefore = relay.onlySession().droppedAfterClose();
        assertThat(relay.onlySession().onDatagram(new byte[] {23, (byte) 0xFE, (byte) 0xFD}, 0, 3)).isFalse();
        assertThat(relay.onlySession().droppedAfterClose()).isGreaterThan(droppedBefore);
    }

    @Test
    void aRetransmittedClientHelloDoesNotStartASecondHandshake() throws Exception {
        // The executor sits on the handshake task for a while, as a busy pool would, so the browser (resending every
        // 100 ms) retransmits its ClientHello into the queue before the handshake starts.
        CountDownLatch release = new CountDownLatch(1);
        startRelay(task -> {
            tasksSubmitted.incrementAndGet();
            executor.execute(() -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                task.run();
            });
        }, DtlsSession.DEFAULT_HANDSHAKE_TIMEOUT);
        DtlsSrtpClient browser = browser().profiles(SrtpProfile.AEAD_AES_128_GCM).resendMillis(100).build();
        CompletableFuture<DTLSTransport> connecting = CompletableFuture.supplyAsync(() -> {
            try {
                return browser.connect(relay.address());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, executor);

        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).untilAsserted(() ->
                assertThat(relay.received.get()).as("ClientHello retransmissions queued").isGreaterThanOrEqualTo(3));
        assertThat(tasksSubmitted.get()).as("handshake tasks submitted for those datagrams").isEqualTo(1);
        release.countDown();

        DTLSTransport dtls = connecting.get(10, TimeUnit.SECONDS);
        assertThat(listener.keys.get(10, TimeUnit.SECONDS)).isEqualTo(browser.takeKeyingMaterial().reversed());
        dtls.close();
    }

    @Test
    void aLostFinalFlightIsResentAfterTheHandshakeWithoutAParkedThread() throws Exception {
        startRelay();
        // Lose the relay's first ChangeCipherSpec and its first epoch-1 record (the Finished), once each.
        AtomicInteger changeCipherSpecsSeen = new AtomicInteger();
        AtomicInteger finishedSeen = new AtomicInteger();
        relay.dropOutgoing(datagram -> {
            if (datagram[0] == 20) {
                return changeCipherSpecsSeen.getAndIncrement() == 0;
            }
            boolean epochOne = datagram[0] == 22 && datagram[3] == 0 && datagram[4] == 1;
            return epochOne && finishedSeen.getAndIncrement() == 0;
        });
        DtlsSrtpClient browser = browser().profiles(SrtpProfile.AEAD_AES_128_GCM).resendMillis(200).build();

        DTLSTransport dtls = browser.connect(relay.address());

        SrtpKeyingMaterial relayKeys = listener.keys.get(10, TimeUnit.SECONDS);
        assertThat(browser.takeKeyingMaterial()).isEqualTo(relayKeys.reversed());
        assertThat(changeCipherSpecsSeen.get()).as("the relay sent its last flight again").isGreaterThanOrEqualTo(2);
        assertThat(finishedSeen.get()).isGreaterThanOrEqualTo(2);
        assertThat(relay.onlySession().state()).isEqualTo(DtlsSession.State.CONNECTED);
        // The handshake task ended when the handshake did; the resend came from a short post-handshake task.
        assertThat(tasksSubmitted.get()).isGreaterThanOrEqualTo(2);
        dtls.close();
        assertThat(listener.closed.get(10, TimeUnit.SECONDS)).isEqualTo("peer sent close_notify");
    }

    @ParameterizedTest
    @ValueSource(ints = {
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,
    })
    void everyOfferedCipherSuiteNegotiates(int cipherSuite) throws Exception {
        startRelay();
        DtlsSrtpClient browser = browser().profiles(SrtpProfile.AEAD_AES_128_GCM).cipherSuites(cipherSuite).build();
        DTLSTransport dtls = browser.connect(relay.address());
        assertThat(listener.keys.get(10, TimeUnit.SECONDS)).isEqualTo(browser.takeKeyingMaterial().reversed());
        dtls.close();
    }

    /**
     * RFC 6347 §4.1.2.7: an encrypted record too short for the cipher, or not a whole number of blocks, is dropped;
     * BouncyCastle alone would end the connection (decode_error / decryption_failed) on one spoofed datagram.
     */
    @ParameterizedTest
    @ValueSource(ints = {
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
    })
    void anUndecryptableRecordAfterTheHandshakeIsDroppedNotFatal(int cipherSuite) throws Exception {
        startRelay();
        DtlsSrtpClient browser = browser().profiles(SrtpProfile.AEAD_AES_128_GCM).cipherSuites(cipherSuite).build();
        DTLSTransport dtls = browser.connect(relay.address());
        listener.keys.get(10, TimeUnit.SECONDS);
        DtlsSession session = relay.onlySession();

        for (int bodyLength : new int[] {5, 50, 63}) {
            byte[] record = new byte[13 + bodyLength];
            record[0] = 23;
            record[1] = (byte) 0xFE;
            record[2] = (byte) 0xFD;
            record[4] = 1;
            record[10] = (byte) (100 + bodyLength);
            record[12] = (byte) bodyLength;
            assertThat(session.onDatagram(record, 0, record.length)).isTrue();
        }
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5))
                .until(() -> !session.hasQueuedDatagrams());
        Thread.sleep(50);
        assertThat(listener.closed).as("%s", listener.events).isNotDone();
        assertThat(session.state()).isEqualTo(DtlsSession.State.CONNECTED);

        dtls.close();
        assertThat(listener.closed.get(10, TimeUnit.SECONDS)).isEqualTo("peer sent close_notify");
    }

    @Test
    void aClientWithoutDtls12IsRefused() throws Exception {
        startRelay();
        DtlsSrtpClient browser = browser().profiles(SrtpProfile.AEAD_AES_128_GCM)
                .versions(org.bouncycastle.tls.ProtocolVersion.DTLSv10.only()).build();
        assertThatThrownBy(() -> browser.connect(relay.address())).isInstanceOf(IOException.class);
        assertThat(listener.closed.get(10, TimeUnit.SECONDS)).contains("protocol_version");
        assertThat(listener.keys).isNotDone();
    }

    @Test
    void aSilentPeerTimesOut() throws Exception {
        startRelay(executor, java.time.Duration.ofMillis(300));
        // Anything in the DTLS range starts the handshake; a lone non-ClientHello record then leads nowhere.
        byte[] junk = {22, (byte) 0xFE, (byte) 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 99};
        try (java.net.DatagramSocket socket = new java.net.DatagramSocket()) {
            socket.send(new java.net.DatagramPacket(junk, junk.length, relay.address()));
        }
        assertThat(listener.closed.get(10, TimeUnit.SECONDS)).isEqualTo("DTLS handshake timed out after 300 ms");
    }

    @Test
    void closeDuringTheHandshakeEndsItAtOnce() throws Exception {
        startRelay();
        byte[] junk = {22, (byte) 0xFE, (byte) 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 99};
        try (java.net.DatagramSocket socket = new java.net.DatagramSocket()) {
            socket.send(new java.net.DatagramPacket(junk, junk.length, relay.address()));
        }
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10))
                .until(() -> relay.received.get() >= 1);
        DtlsSession session = relay.onlySession();
        assertThat(session.state()).isEqualTo(DtlsSession.State.HANDSHAKING);

        session.close();

        assertThat(listener.closed.get(1, TimeUnit.SECONDS)).isEqualTo("closed locally");
        executor.shutdown();
        assertThat(executor.awaitTermination(2, TimeUnit.SECONDS)).as("the handshake task ended").isTrue();
        assertThat(listener.events).containsExactly("closed: closed locally");
    }
}
