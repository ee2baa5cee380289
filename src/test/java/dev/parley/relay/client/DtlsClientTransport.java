package dev.parley.relay.client;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.tls.DatagramTransport;

/**
 * BouncyCastle's view of our UDP socket for DTLS: the receive thread {@link #offer offers} copies of DTLS datagrams
 * (first byte 20..63) from the nominated peer into a small bounded queue; {@link #receive} takes them, waiting as long
 * as BouncyCastle asks (it runs its retransmission timers inside that wait). Sends go to the nominated peer.
 */
final class DtlsClientTransport implements DatagramTransport {

    interface Sender {
        void send(byte[] buf, int off, int len) throws IOException;
    }

    static final int RECEIVE_LIMIT = 1500;
    /** BouncyCastle fragments handshake messages (certificates) to fit below a typical path MTU. */
    static final int SEND_LIMIT = 1200;
    private static final int CAPACITY = 64;
    private static final byte[] CLOSED = new byte[0];

    private final Sender sender;
    private final ArrayBlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(CAPACITY);
    private volatile boolean closed;
    private final AtomicLong dropped = new AtomicLong();

    DtlsClientTransport(Sender sender) {
        this.sender = sender;
    }

    /** Copies one datagram into the queue; false (counted) when full or closed. Never blocks. */
    boolean offer(byte[] buf, int off, int len) {
        if (closed || len > RECEIVE_LIMIT || !queue.offer(java.util.Arrays.copyOfRange(buf, off, off + len))) {
            dropped.incrementAndGet();
            return false;
        }
        return true;
    }

    boolean hasQueued() {
        byte[] head = queue.peek();
        return head != null && head != CLOSED;
    }

    long dropped() {
        return dropped.get();
    }

    @Override
    public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
        if (closed) {
            throw new IOException("DTLS transport closed");
        }
        byte[] datagram;
        try {
            if (waitMillis > 0) {
                datagram = queue.poll(waitMillis, TimeUnit.MILLISECONDS);
            } else {
                datagram = queue.take();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a DTLS datagram");
        }
        if (datagram == null) {
            return -1;
        }
        if (datagram == CLOSED || closed) {
            throw new IOException("DTLS transport closed");
        }
        if (datagram.length > len) {
            dropped.incrementAndGet();
            return -1;
        }
        System.arraycopy(datagram, 0, buf, off, datagram.length);
        return datagram.length;
    }

    @Override
    public void send(byte[] buf, int off, int len) throws IOException {
        if (!closed) {
            sender.send(buf, off, len);
        }
    }

    @Override
    public int getReceiveLimit() {
        return RECEIVE_LIMIT;
    }

    @Override
    public int getSendLimit() {
        return SEND_LIMIT;
    }

    /** Wakes a waiting {@link #receive}, which then fails; later datagrams are dropped. Idempotent. */
    @Override
    public void close() {
        closed = true;
        queue.clear();
        queue.offer(CLOSED);
    }
}
