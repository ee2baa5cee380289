package dev.parley.relay.dtls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.relay.client.DtlsSrtpClient;
import dev.parley.relay.srtp.SrtpProfile;
import dev.parley.testing.ByteMutations;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.tls.DTLSTransport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * After the handshake, whatever arrives in the DTLS range (spoofed, corrupted, replayed) must not end the session:
 * records that do not authenticate are dropped inside BouncyCastle, and nothing throws out of the drain task.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DtlsSessionFuzzTest {

    @RegisterExtension
    final ByteMutations mutations = new ByteMutations();

    private static final int ITERATIONS = 20_000;

    @Test
    void garbageAfterTheHandshakeLeavesTheSessionConnected() throws Exception {
        DtlsCertificate relayCertificate = DtlsCertificate.generate();
        DtlsCertificate browserCertificate = DtlsCertificate.generate();
        ExecutorService executor = Executors.newCachedThreadPool();
        DtlsSessionTest.RecordingListener listener = new DtlsSessionTest.RecordingListener();
        try (UdpRelayHarness relay = new UdpRelayHarness((remote, sender) -> new DtlsSession(relayCertificate,
                List.of(browserCertificate.fingerprint()), sender, executor, listener))) {
            DtlsSrtpClient browser = DtlsSrtpClient.builder(browserCertificate,
                    List.of(relayCertificate.fingerprint())).profiles(SrtpProfile.AEAD_AES_128_GCM).build();
            DTLSTransport dtls = browser.connect(relay.address());
            listener.keys.get(10, TimeUnit.SECONDS);
            DtlsSession session = relay.onlySession();
            List<byte[]> genuine = List.copyOf(relay.receivedDatagrams);

            SplittableRandom random = mutations.seed(0xD715);
            for (int i = 0; i < ITERATIONS; i++) {
                mutations.iteration(i);
                byte[] datagram = random.nextInt(3) == 0 ? randomRecord(random)
                        : mutate(genuine.get(random.nextInt(genuine.size())), random);
                if (!QueuedDatagramTransport.hasOnlyDtlsVersions(datagram, 0, datagram.length)) {
                    // A record header naming no DTLS version: refused for good, and counted, before BouncyCastle.
                    long malformed = session.droppedMalformed();
                    assertThat(session.onDatagram(datagram, 0, datagram.length)).isFalse();
                    assertThat(session.droppedMalformed()).isEqualTo(malformed + 1);
                    continue;
                }
                while (!session.onDatagram(datagram, 0, datagram.length)) {
                    assertThat(session.state()).as("%s", listener.events).isEqualTo(DtlsSession.State.CONNECTED);
                    Thread.onSpinWait();
                }
            }
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(5))
                    .until(() -> !session.hasQueuedDatagrams());
            Thread.sleep(50);
            assertThat(session.hasQueuedDatagrams()).isFalse();
            assertThat(listener.closed).as("closed early: %s", listener.events).isNotDone();
            assertThat(session.state()).isEqualTo(DtlsSession.State.CONNECTED);

            // Still a working DTLS connection: the browser's close_notify is understood.
            dtls.close();
            assertThat(listener.closed.get(10, TimeUnit.SECONDS)).isEqualTo("peer sent close_notify");
        } finally {
            executor.shutdownNow();
        }
    }

    /** A DTLS 1.2 record header with random content type, epoch, sequence and (often consistent) length. */
    private static byte[] randomRecord(SplittableRandom random) {
        int bodyLength = random.nextInt(random.nextBoolean() ? 32 : 300);
        byte[] record = new byte[13 + bodyLength + (random.nextInt(4) == 0 ? random.nextInt(20) : 0)];
        random.nextBytes(record);
        record[0] = (byte) (20 + random.nextInt(random.nextBoolean() ? 6 : 44));
        record[1] = (byte) 0xFE;
        record[2] = (byte) (random.nextBoolean() ? 0xFD : 0xFF);
        record[3] = 0;
        record[4] = (byte) random.nextInt(3);
        if (random.nextInt(4) != 0) {
            record[11] = (byte) (bodyLength >>> 8);
            record[12] = (byte) bodyLength;
        }
        return record;
    }

    private static byte[] mutate(byte[] genuine, SplittableRandom random) {
        byte[] bytes = genuine.clone();
        switch (random.nextInt(6)) {
            case 0 -> bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
            case 1 -> bytes = Arrays.copyOf(bytes, 1 + random.nextInt(bytes.length));
            case 2 -> bytes = Arrays.copyOf(bytes, bytes.length + 1 + random.nextInt(64));
            case 3 -> bytes[Math.min(bytes.length - 1, 3 + random.nextInt(10))] = (byte) random.nextInt(256);
            case 4 -> {
                // Handshake fragment header fields: lengths and offsets.
                for (int i = 13; i < Math.min(bytes.length, 25); i++) {
                    if (random.nextBoolean()) {
                        bytes[i] = (byte) random.nextInt(256);
                    }
                }
            }
            default -> {
                // A replay of what the browser sent.
            }
        }
        return bytes;
    }
}
