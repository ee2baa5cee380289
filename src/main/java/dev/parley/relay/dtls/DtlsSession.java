package dev.parley.relay.dtls;

import dev.parley.relay.srtp.SrtpKeyingMaterial;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsFatalAlertReceived;
import org.bouncycastle.tls.TlsTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DTLS side of one transport: the relay is always the DTLS server (our SDP says {@code a=setup:passive}, or
 * {@code actpass} when we offer), the browser sends the ClientHello.
 *
 * <h2>Life</h2>
 * The receive thread hands every DTLS datagram of this transport to {@link #onDatagram}, which copies it into a small
 * bounded queue and returns at once. The first datagram starts the handshake, once, as a task on the integrator's
 * executor; datagrams that arrive meanwhile (a retransmitted ClientHello included) only join the queue, where
 * BouncyCastle's handshake finds them. The handshake task blocks that executor thread until the handshake ends (at
 * most the handshake timeout). On success the listener gets the SRTP keys; on any failure, an alert, a timeout or
 * {@link #close()}, it gets {@code onClosed} with a reason.
 *
 * <h2>After the handshake</h2>
 * The session must keep reading DTLS for two reasons: if the browser did not get our final flight it retransmits its
 * own, and we must answer with ours again (RFC 6347 §4.2.4; BouncyCastle does that inside
 * {@code DTLSTransport.receive}); and a close_notify or fatal alert must tear the transport down. No thread waits for
 * this: when a datagram arrives after the handshake, {@code onDatagram} schedules a short task on the executor that
 * feeds what is queued through {@code DTLSTransport.receive}. The queue's drain-only mode makes that call return as
 * soon as the queue is empty (see {@link QueuedDatagramTransport}), so an idle connected session holds no thread.
 * Application data (a data channel's SCTP) is not supported and is dropped and counted.
 *
 * <h2>What the integrator provides</h2>
 * <ul>
 * <li>Feed a session only with datagrams from an address that passed ICE connectivity checks. No HelloVerifyRequest
 *     cookie is exchanged (ICE already proved the address), so a spoofed ClientHello from an unchecked address would
 *     make us send our first flight, several times the ClientHello's size, to a victim.</li>
 * <li>An executor that runs tasks on other threads (not a direct executor: the handshake blocks) with room for the
 *     handshakes that may run at once; each holds its thread for up to the handshake timeout.</li>
 * </ul>
 *
 * <h2>Callbacks</h2>
 * Both run on executor threads (or, for {@code onClosed} after {@link #close()}, on the caller's thread), never on the
 * receive thread. They never run at the same time for one session; {@code onHandshakeComplete} runs at most once and
 * never after {@code onClosed}, which runs exactly once; the state is already {@link State#CONNECTED} when
 * {@code onHandshakeComplete} runs. Keep them short and do not block in them waiting for another thread that may be
 * closing this session.
 */
public final class DtlsSession implements AutoCloseable {

    public interface Listener {
        /**
         * The handshake succeeded; build the transport's SRTP session from these keys. The object is the
         * listener's: the session keeps no reference, so {@link SrtpKeyingMaterial#wipe()} it once used.
         */
        void onHandshakeComplete(SrtpKeyingMaterial keyingMaterial);

        /** The session is over (failed handshake, alert, close_notify, timeout or {@link #close()}). */
        void onClosed(String reason);
    }

    public enum State { NEW, HANDSHAKING, CONNECTED, CLOSED }

    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(15);
    /** A browser's whole flight fits several times over; more queued means a flood. */
    static final int QUEUE_CAPACITY = 32;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Logger LOG = LoggerFactory.getLogger(DtlsSession.class);
    private static final String CLOSED_LOCALLY = "closed locally";

    private final DtlsCertificate certificate;
    private final List<DtlsFingerprint> remoteFingerprints;
    private final Executor executor;
    private final Listener listener;
    private final int handshakeTimeoutMillis;
    private final QueuedDatagramTransport transport;

    private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final ReentrantLock drainLock = new ReentrantLock();
    private final ReentrantLock callbackLock = new ReentrantLock();
    private boolean closedReported;
    private volatile DtlsSrtpServer server;
    private volatile DTLSTransport dtls;
    private byte[] drainBuffer;

    private final AtomicLong droppedAfterClose = new AtomicLong();
    private final AtomicLong applicationDataDropped = new AtomicLong();

    public DtlsSession(DtlsCertificate certificate, Collection<DtlsFingerprint> remoteFingerprints, DtlsSender sender,
            Executor executor, Listener listener) {
        this(certificate, remoteFingerprints, sender, executor, listener, DEFAULT_HANDSHAKE_TIMEOUT);
    }

    /**
     * @param remoteFingerprints the {@code a=fingerprint} values of the peer's SDP; at least one
     * @param sender writes a datagram to this transport's current remote address
     * @param executor runs the handshake (blocking, up to {@code handshakeTimeout}) and short post-handshake tasks
     */
    public DtlsSession(DtlsCertificate certificate, Collection<DtlsFingerprint> remoteFingerprints, DtlsSender sender,
            Executor executor, Listener listener, Duration handshakeTimeout) {
        this.certificate = Objects.requireNonNull(certificate, "certificate");
        this.remoteFingerprints = List.copyOf(remoteFingerprints);
        if (this.remoteFingerprints.isEmpty()) {
            throw new IllegalArgumentException("the peer's SDP must carry a fingerprint");
        }
        this.executor = Objects.requireNonNull(executor, "executor");
        this.listener = Objects.requireNonNull(listener, "listener");
        long millis = handshakeTimeout.toMillis();
        if (millis < 1 || millis > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("handshake timeout out of range: " + handshakeTimeout);
        }
        this.handshakeTimeoutMillis = (int) millis;
        this.transport = new QueuedDatagramTransport(Objects.requireNonNull(sender, "sender"), QUEUE_CAPACITY);
    }

    /**
     * One DTLS datagram (first byte 20..63) from this transport's peer. Copies it and returns without blocking;
     * false when it was dropped (queue full, oversized, or the session is closed).
     */
    public boolean onDatagram(byte[] buf, int off, int len) {
        if (state.get() == State.CLOSED) {
            droppedAfterClose.incrementAndGet();
            return false;
        }
        if (!transport.offer(buf, off, len)) {
            return false;
        }
        State current = state.get();
        if (current == State.NEW && state.compareAndSet(State.NEW, State.HANDSHAKING)) {
            try {
                executor.execute(this::handshake);
            } catch (RejectedExecutionException e) {
                fail("the executor rejected the DTLS handshake");
            }
        } else if (current == State.CONNECTED) {
            scheduleDrain();
        }
        return true;
    }

    public State state() {
        return state.get();
    }

    /** Whether datagrams wait in the queue (for tests and diagnostics). */
    boolean hasQueuedDatagrams() {
        return transport.hasQueued();
    }

    /** Sends close_notify (or cancels a handshake under way), releases everything and reports {@code onClosed}. */
    @Override
    public void close() {
        State previous = state.getAndSet(State.CLOSED);
        if (previous == State.CLOSED) {
            return;
        }
        release(previous);
        report(CLOSED_LOCALLY);
    }

    /** Datagrams dropped because the queue was full. */
    public long droppedQueueFull() {
        return transport.droppedFull();
    }

    public long droppedOversized() {
        return transport.droppedOversized();
    }

    /** Datagrams whose record headers name no DTLS version. */
    public long droppedMalformed() {
        return transport.droppedMalformed();
    }

    public long droppedAfterClose() {
        return droppedAfterClose.get() + transport.droppedClosed();
    }

    /** DTLS application data received after the handshake (no data channels here), dropped. */
    public long applicationDataDropped() {
        return applicationDataDropped.get();
    }

    @Override
    public String toString() {
        return "DtlsSession[" + state.get() + "]";
    }

    private void handshake() {
        DtlsSrtpServer handshakeServer = new DtlsSrtpServer(new RecordDiscardingCrypto(RANDOM), certificate,
                remoteFingerprints, handshakeTimeoutMillis);
        server = handshakeServer;
        if (state.get() != State.HANDSHAKING) {
            return;
        }
        DTLSTransport connected;
        try {
            connected = new DTLSServerProtocol().accept(handshakeServer, transport);
        } catch (IOException | RuntimeException e) {
            fail(handshakeFailure(handshakeServer, e));
            return;
        }
        dtls = connected;
        transport.drainOnly();
        // Holding the callback lock keeps a concurrent onClosed (from close() or a drain task) after this callback.
        callbackLock.lock();
        try {
            if (closedReported || !state.compareAndSet(State.HANDSHAKING, State.CONNECTED)) {
                return;
            }
            try {
                listener.onHandshakeComplete(handshakeServer.takeKeyingMaterial());
            } catch (RuntimeException e) {
                LOG.warn("DTLS listener failed in onHandshakeComplete", e);
            }
        } finally {
            callbackLock.unlock();
        }
        if (transport.hasQueued()) {
            scheduleDrain();
        }
    }

    private void scheduleDrain() {
        if (drainScheduled.compareAndSet(false, true)) {
            try {
                executor.execute(this::drain);
            } catch (RejectedExecutionException e) {
                drainScheduled.set(false);
                fail("the executor rejected post-handshake DTLS work");
            }
        }
    }

    /** Feeds the queued post-handshake records through BouncyCastle; never waits for more. */
    private void drain() {
        String failure = null;
        drainLock.lock();
        try {
            if (state.get() == State.CONNECTED) {
                failure = processQueued();
            }
        } finally {
            drainLock.unlock();
            drainScheduled.set(false);
        }
        if (failure != null) {
            fail(failure);
        } else if (state.get() == State.CONNECTED && transport.hasQueued()) {
            scheduleDrain();
        }
    }

    private String processQueued() {
        DTLSTransport connected = dtls;
        DtlsSrtpServer peer = server;
        if (drainBuffer == null) {
            drainBuffer = new byte[QueuedDatagramTransport.RECEIVE_LIMIT];
        }
        try {
            while (transport.hasQueued()) {
                if (connected.receive(drainBuffer, 0, drainBuffer.length, 1) >= 0) {
                    applicationDataDropped.incrementAndGet();
                }
            }
        } catch (QueuedDatagramTransport.QueueDrained drained) {
            // Everything queued went through BouncyCastle; retransmissions were answered there.
        } catch (TlsFatalAlertReceived alert) {
            return "peer sent fatal alert " + AlertDescription.getText(alert.getAlertDescription());
        } catch (IOException | RuntimeException e) {
            return peer.closeNotifyReceived() ? "peer sent close_notify" : "DTLS failed: " + describe(e);
        }
        try {
            // A datagram may carry several records; any left behind an application-data record are still pending.
            while (connected.receivePending(drainBuffer, 0, drainBuffer.length) >= 0) {
                applicationDataDropped.incrementAndGet();
            }
        } catch (TlsFatalAlertReceived alert) {
            return "peer sent fatal alert " + AlertDescription.getText(alert.getAlertDescription());
        } catch (IOException | RuntimeException e) {
            return peer.closeNotifyReceived() ? "peer sent close_notify" : "DTLS failed: " + describe(e);
        }
        return peer.closeNotifyReceived() ? "peer sent close_notify" : null;
    }

    private String handshakeFailure(DtlsSrtpServer handshakeServer, Exception e) {
        if (state.get() == State.CLOSED) {
            return CLOSED_LOCALLY;
        }
        // BouncyCastle answers timeouts and I/O errors with an internal_error alert of its own; name the cause.
        if (e instanceof TlsTimeoutException) {
            return "DTLS handshake timed out after " + handshakeTimeoutMillis + " ms";
        }
        if (e instanceof TlsFatalAlertReceived alert) {
            return "DTLS handshake failed: peer sent fatal alert " + AlertDescription.getText(
                    alert.getAlertDescription());
        }
        if (handshakeServer.closeNotifyReceived()) {
            return "DTLS handshake ended: peer sent close_notify";
        }
        if (handshakeServer.failure() != null) {
            return "DTLS handshake failed: " + handshakeServer.failure();
        }
        return "DTLS handshake failed: " + describe(e);
    }

    private static String describe(Exception e) {
        if (e instanceof TlsFatalAlert alert) {
            String text = AlertDescription.getText(alert.getAlertDescription());
            return e.getMessage() != null && !e.getMessage().equals(text) ? text + ": " + e.getMessage() : text;
        }
        return e.getMessage() != null ? e.getClass().getSimpleName() + ": " + e.getMessage()
                : e.getClass().getSimpleName();
    }

    /** Ends the session for a reason found on an executor thread. */
    private void fail(String reason) {
        State previous = state.getAndSet(State.CLOSED);
        if (previous != State.CLOSED) {
            release(previous);
        }
        report(reason);
    }

    private void release(State previous) {
        if (previous == State.HANDSHAKING) {
            DtlsSrtpServer handshakeServer = server;
            if (handshakeServer != null) {
                try {
                    // Closes BouncyCastle's record layer: user_canceled/close_notify go out, the handshake ends.
                    handshakeServer.cancel();
                } catch (IOException | RuntimeException e) {
                    LOG.debug("cancelling a DTLS handshake failed", e);
                }
            }
        } else if (previous == State.CONNECTED) {
            drainLock.lock();
            try {
                dtls.close();
            } catch (IOException | RuntimeException e) {
                LOG.debug("closing a DTLS transport failed", e);
            } finally {
                drainLock.unlock();
            }
        }
        transport.close();
    }

    private void report(String reason) {
        callbackLock.lock();
        try {
            if (closedReported) {
                return;
            }
            closedReported = true;
            try {
                listener.onClosed(reason);
            } catch (RuntimeException e) {
                LOG.warn("DTLS listener failed in onClosed", e);
            }
        } finally {
            callbackLock.unlock();
        }
    }
}
