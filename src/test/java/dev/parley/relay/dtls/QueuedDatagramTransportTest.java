package dev.parley.relay.dtls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class QueuedDatagramTransportTest {

    private final List<byte[]> sent = new CopyOnWriteArrayList<>();
    private final QueuedDatagramTransport transport = new QueuedDatagramTransport(
            (buf, off, len) -> sent.add(java.util.Arrays.copyOfRange(buf, off, off + len)), 2);

    @Test
    void offerCopiesAndReceiveReturnsInOrder() throws IOException {
        byte[] source = {1, 2, 3, 4, 5};
        assertThat(transport.offer(source, 1, 3)).isTrue();
        source[1] = 99;
        assertThat(transport.offer(new byte[] {7}, 0, 1)).isTrue();

        byte[] buf = new byte[10];
        assertThat(transport.receive(buf, 2, 8, 100)).isEqualTo(3);
        assertThat(buf).startsWith(0, 0, 2, 3, 4);
        assertThat(transport.receive(buf, 0, 10, 100)).isEqualTo(1);
        assertThat(buf[0]).isEqualTo((byte) 7);
    }

    @Test
    void aFullQueueDropsAndCounts() {
        assertThat(transport.offer(new byte[1], 0, 1)).isTrue();
        assertThat(transport.offer(new byte[1], 0, 1)).isTrue();
        assertThat(transport.offer(new byte[1], 0, 1)).isFalse();
        assertThat(transport.droppedFull()).isEqualTo(1);
        assertThat(transport.offer(new byte[QueuedDatagramTransport.RECEIVE_LIMIT + 1], 0,
                QueuedDatagramTransport.RECEIVE_LIMIT + 1)).isFalse();
        assertThat(transport.droppedOversized()).isEqualTo(1);
    }

    @Test
    void blockingReceiveTimesOutWithMinusOne() throws IOException {
        long start = System.nanoTime();
        assertThat(transport.receive(new byte[10], 0, 10, 50)).isEqualTo(-1);
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(40));
    }

    @Test
    void drainOnlyModeNeverWaits() throws IOException {
        transport.offer(new byte[] {9}, 0, 1);
        transport.drainOnly();
        assertThat(transport.receive(new byte[10], 0, 10, 60_000)).isEqualTo(1);
        assertThatThrownBy(() -> transport.receive(new byte[10], 0, 10, 60_000))
                .isInstanceOf(QueuedDatagramTransport.QueueDrained.class)
                .isInstanceOf(java.io.InterruptedIOException.class);
    }

    @Test
    void closeWakesAWaitingReceiveWhichThenFails() throws Exception {
        CompletableFuture<Throwable> outcome = CompletableFuture.supplyAsync(() -> {
            try {
                transport.receive(new byte[10], 0, 10, 0);
                return null;
            } catch (IOException e) {
                return e;
            }
        });
        Thread.sleep(50);
        transport.close();
        assertThat(outcome.get(2, TimeUnit.SECONDS)).isInstanceOf(IOException.class)
                .isNotInstanceOf(java.io.InterruptedIOException.class);
        assertThat(transport.offer(new byte[1], 0, 1)).isFalse();
        assertThat(transport.droppedClosed()).isEqualTo(1);
    }

    @Test
    void sendGoesToTheSenderUntilClosed() throws IOException {
        transport.send(new byte[] {1, 2, 3}, 1, 2);
        transport.close();
        transport.send(new byte[] {4}, 0, 1);
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0)).containsExactly(2, 3);
        assertThat(transport.getSendLimit()).isEqualTo(1200);
    }

    @Test
    void recordsNamingNoDtlsVersionAreRefusedBeforeBouncyCastleSeesThem() {
        byte[] dtls12 = record(0xFD, 2);
        byte[] dtls10 = record(0xFF, 0);
        byte[] reserved = record(0xFE, 0);
        byte[] tlsVersion = record(0x03, 0);
        tlsVersion[1] = 0x03;
        assertThat(transport.offer(dtls12, 0, dtls12.length)).isTrue();
        assertThat(transport.offer(dtls10, 0, dtls10.length)).isTrue();
        assertThat(transport.offer(reserved, 0, reserved.length)).isFalse();
        assertThat(transport.offer(tlsVersion, 0, tlsVersion.length)).isFalse();
        byte[] secondBad = new byte[dtls12.length + reserved.length];
        System.arraycopy(dtls12, 0, secondBad, 0, dtls12.length);
        System.arraycopy(reserved, 0, secondBad, dtls12.length, reserved.length);
        assertThat(transport.offer(secondBad, 0, secondBad.length)).isFalse();
        assertThat(transport.droppedMalformed()).isEqualTo(3);
    }

    /** A DTLS record header of version 0xFE/minor and a body of the given length. */
    private static byte[] record(int minor, int bodyLength) {
        byte[] record = new byte[13 + bodyLength];
        record[0] = 22;
        record[1] = (byte) 0xFE;
        record[2] = (byte) minor;
        record[12] = (byte) bodyLength;
        return record;
    }
}
