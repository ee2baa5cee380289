package dev.parley.relay.dtls;

import static dev.parley.testing.FuzzChecks.check;
import static dev.parley.testing.FuzzChecks.equal;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.parley.relay.packet.PacketKind;
import java.io.IOException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.TlsFatalAlert;

/**
 * Coverage-guided (Jazzer) fuzzing of what parses a DTLS datagram before the handshake: BouncyCastle's record layer
 * and handshake-message parsing, configured by {@link DtlsSrtpServer} (whose {@code processClientExtensions} reads
 * use_srtp and the other ClientHello extensions) with {@link RecordDiscardingCrypto}, exactly as
 * {@link DtlsSession} runs them. Parley has no DTLS record parser of its own; {@link PacketKind} only classifies.
 *
 * <p>Each input is one datagram, handed to a fresh server through a drain-only {@link QueuedDatagramTransport}, so
 * {@code accept} returns at once when it wants the next datagram. Seeds (a ClientHello and the client's second flight
 * from a real handshake with {@link dev.parley.relay.client.DtlsSrtpClient}) are in
 * {@code src/test/resources/dev/parley/relay/dtls/DtlsRecordFuzzTestInputs/accept}. See docs/fuzzing.md.
 */
class DtlsRecordFuzzTest {

    private static final DtlsCertificate RELAY = DtlsCertificate.generate();
    private static final List<DtlsFingerprint> BROWSER = List.of(DtlsCertificate.generate("browser",
            Instant.now().minusSeconds(60), Instant.now().plusSeconds(3600)).fingerprint());

    /**
     * PacketKind calls the datagram DTLS exactly for a first byte 20..63 and at least a record header; {@code accept}
     * on one datagram can only fail, and must fail with an IOException (an alert, or the drained queue): a
     * RuntimeException, which BouncyCastle wraps into an internal_error alert, or any Error is a finding, except
     * BouncyCastle's own rejection of a reserved version in a ClientHello (see isReservedVersionRejection).
     */
    @FuzzTest
    void accept(byte[] datagram) throws NoSuchAlgorithmException {
        int first = datagram.length == 0 ? -1 : datagram[0] & 0xFF;
        equal(PacketKind.classify(datagram, 0, datagram.length) == PacketKind.DTLS,
                first >= 20 && first <= 63 && datagram.length >= 13, "classified as DTLS");

        QueuedDatagramTransport transport = new QueuedDatagramTransport((buf, off, len) -> { }, 4);
        if (!transport.offer(datagram, 0, datagram.length)) {
            check(datagram.length > QueuedDatagramTransport.RECEIVE_LIMIT
                    || !QueuedDatagramTransport.hasOnlyDtlsVersions(datagram, 0, datagram.length),
                    "a datagram refused although it is small enough and names only DTLS versions");
            return;
        }
        transport.drainOnly();
        SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
        random.setSeed(datagram.length);
        DtlsSrtpServer server = new DtlsSrtpServer(new RecordDiscardingCrypto(random), RELAY, BROWSER, 1000);
        try {
            new DTLSServerProtocol().accept(server, transport);
            throw new AssertionError("one datagram cannot complete a handshake");
        } catch (TlsFatalAlert alert) {
            if (alert.getCause() instanceof RuntimeException unexpected && !isReservedVersionRejection(unexpected)) {
                throw new AssertionError("DTLS parsing threw " + unexpected, unexpected);
            }
        } catch (IOException expected) {
            // The drained queue, or another I/O failure: the documented way a handshake ends.
        }
        check(server.takeKeyingMaterial() == null, "keying material after one datagram");
    }

    /**
     * BouncyCastle rejects a reserved protocol version inside a ClientHello (client_version, supported_versions) with
     * an IllegalArgumentException from ProtocolVersion.get rather than an alert. During the handshake that only ends
     * it, which DtlsSession handles like any failed handshake; record headers with such versions, which could reach
     * an established session, are refused before BouncyCastle (QueuedDatagramTransport.hasOnlyDtlsVersions).
     */
    private static boolean isReservedVersionRejection(RuntimeException e) {
        StackTraceElement[] stack = e.getStackTrace();
        return e instanceof IllegalArgumentException && stack.length > 0
                && stack[0].getClassName().equals("org.bouncycastle.tls.ProtocolVersion");
    }
}
