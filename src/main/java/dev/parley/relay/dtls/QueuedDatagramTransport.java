package dev.parley.relay.dtls;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.bouncycastle.tls.DatagramTransport;

/**
 * BouncyCastle's view of one peer on the relay's shared UDP socket: the receive thread {@link #offer offers} copies
 * of that peer's DTLS datagrams into a small bounded queue (dropping and counting when it is full), BouncyCastle
 * takes them with {@link #receive}, and what it sends goes out through a {@link DtlsSender}.
 *
 * <p>During the handshake {@code receive} blocks for as long as BouncyCastle asks, because BouncyCastle runs its
 * retransmission timers inside that wait. Afterwards the session switches it to {@link #drainOnly() drain-only}
 * mode: {@code receive} then never blocks and signals an empty queue with {@link QueueDrained}, an
 * {@link InterruptedIOException} that {@code DTLSTransport.receive} passes through without failing the connection.
 * That lets post-handshake records be processed by a short task instead of a thread parked in {@code receive}.
 *
 * <p>Public, with its constructor, {@link #offer}, {@link #hasQueued} and the drop counters, so that the test client's
 * DTLS role, which demultiplexes its own socket the same way, uses this queue rather than a copy of it. It is still
 * the relay's internals: the web app may use only the relay's root package (ArchitectureTest).
 */
public final class QueuedDatagramTransport implements DatagramTransport {

    /** Largest datagram kept; browsers keep DTLS well under the path MTU. */
    public static final int RECEIVE_LIMIT = 1500;
    /** Largest datagram sent; BouncyCastle fragments handshake messages (certificates) to fit. */
    static final int SEND_LIMIT = 1200;

    /** The queue is empty and the transport is in drain-only mode. */
    static final class QueueDrained extends InterruptedIOException {
        private static final long serialVersionUID = 1L;

        QueueDrained() {
            super("no queued DTLS datagram");
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }

    private final DtlsSender sender;
    private final byte[][] ring;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private int head;
    private int size;
    private boolean closed;
    private volatile boolean drainOnly;
    private final AtomicLong droppedFull = new AtomicLong();
    private final AtomicLong droppedOversized = new AtomicLong();
    private final AtomicLong droppedMalformed = new AtomicLong();
    private final AtomicLong droppedClosed = new AtomicLong();

    /** A transport that sends through {@code sender} and queues at most {@code capacity} received datagrams. */
    public QueuedDatagramTransport(DtlsSender sender, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.sender = sender;
        this.ring = new byte[capacity][];
    }

    /** Copies and queues one datagram; never blocks. Returns false (and counts why) when it is dropped. */
    public boolean offer(byte[] buf, int off, int len) {
        if (len > RECEIVE_LIMIT) {
            droppedOversized.incrementAndGet();
            return false;
        }
        if (!hasOnlyDtlsVersions(buf, off, len)) {
            droppedMalformed.incrementAndGet();
            return false;
        }
        byte[] copy = new byte[len];
        System.arraycopy(buf, off, copy, 0, len);
        lock.lock();
        try {
            if (closed) {
                droppedClosed.incrementAndGet();
                return false;
            }
            if (size == ring.length) {
                droppedFull.incrementAndGet();
                return false;
            }
            ring[(head + size) % ring.length] = copy;
            size++;
            notEmpty.signal();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Whether a datagram waits for {@link #receive}. */
    public boolean hasQueued() {
        lock.lock();
        try {
            return size > 0;
        } finally {
            lock.unlock();
        }
    }

    /** From now on {@link #receive} never blocks. */
    void drainOnly() {
        drainOnly = true;
    }

    /**
     * @param waitMillis as BouncyCastle passes it; 0 means no limit (only seen in blocking mode)
     * @return the datagram's length, or -1 when nothing arrived in time
     * @throws QueueDrained in drain-only mode when the queue is empty
     * @throws IOException once closed, so that a handshake waiting here ends at once
     */
    @Override
    public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
        byte[] datagram;
        lock.lock();
        try {
            if (!drainOnly) {
                long remaining = TimeUnit.MILLISECONDS.toNanos(waitMillis);
                while (size == 0 && !closed && (waitMillis == 0 || remaining > 0)) {
                    if (waitMillis == 0) {
                        notEmpty.await();
                    } else {
                        remaining = notEmpty.awaitNanos(remaining);
                    }
                }
            }
            if (closed) {
                throw new IOException("DTLS transport closed");
            }
            if (size == 0) {
                if (drainOnly) {
                    throw new QueueDrained();
                }
                return -1;
            }
            datagram = ring[head];
            ring[head] = null;
            head = (head + 1) % ring.length;
            size--;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a DTLS datagram");
        } finally {
            lock.unlock();
        }
        if (datagram.length > len) {
            droppedOversized.incrementAndGet();
            return -1;
        }
        System.arraycopy(datagram, 0, buf, off, datagram.length);
        return datagram.length;
    }

    @Override
    public void send(byte[] buf, int off, int len) throws IOException {
        if (isClosed()) {
            return;
        }
        sender.send(buf, off, len);
    }

    @Override
    public int getReceiveLimit() {
        return RECEIVE_LIMIT;
    }

    @Override
    public int getSendLimit() {
        return SEND_LIMIT;
    }

    /** Drops what is queued and wakes a waiting {@link #receive}, which then fails. Idempotent. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            for (int i = 0; i < ring.length; i++) {
                ring[i] = null;
            }
            size = 0;
            notEmpty.signalAll();
        } finally {
            lock.unlock();
        }
    }

    boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    /** Datagrams dropped because the queue was full (a peer flooding DTLS, or handshake work falling behind). */
    public long droppedFull() {
        return droppedFull.get();
    }

    /** Datagrams longer than {@link #RECEIVE_LIMIT}, or than the buffer {@link #receive} was given. */
    public long droppedOversized() {
        return droppedOversized.get();
    }

    /** Datagrams with a record header that is not DTLS (see {@link #hasOnlyDtlsVersions}). */
    public long droppedMalformed() {
        return droppedMalformed.get();
    }

    /** Datagrams offered after {@link #close}. */
    public long droppedClosed() {
        return droppedClosed.get();
    }

    /**
     * Whether every record header in the datagram names a DTLS version (major 0xFE) other than the reserved 0xFEFE.
     * BouncyCastle's record layer throws an unchecked IllegalArgumentException for a reserved version instead of
     * discarding the record (found by fuzzing), so such datagrams never reach it. A record whose length runs past the
     * datagram ends the walk; BouncyCastle discards it as truncated.
     */
    static boolean hasOnlyDtlsVersions(byte[] buf, int off, int len) {
        int end = off + len;
        for (int record = off; record + 13 <= end; ) {
            int major = buf[record + 1] & 0xFF;
            int minor = buf[record + 2] & 0xFF;
            if (major != 0xFE || minor == 0xFE) {
                return false;
            }
            record += 13 + (((buf[record + 11] & 0xFF) << 8) | (buf[record + 12] & 0xFF));
        }
        return true;
    }
}
