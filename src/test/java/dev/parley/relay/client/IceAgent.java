package dev.parley.relay.client;

import dev.parley.relay.sdp.IceCandidate;
import dev.parley.relay.stun.IceCheck;
import dev.parley.relay.stun.IceRole;
import dev.parley.relay.stun.StunBindingWriter;
import dev.parley.relay.stun.StunMessage;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A controlling ICE agent for one component against an ICE-lite peer (RFC 8445 sections 2.5 and 7.2, aggressive
 * nomination): it sends binding requests with USE-CANDIDATE to each of the peer's UDP host candidates and nominates
 * the first whose success response verifies, then keeps consent fresh (RFC 7675). A lite peer never checks us, so
 * our own candidates are never needed: the peer learns our address from the checks.
 *
 * <p>Requests are sent only to candidate addresses from the remote SDP; responses are accepted only from the address
 * the matching request went to, with a valid FINGERPRINT (when present) and a MESSAGE-INTEGRITY keyed with the
 * remote ice-pwd. Timers run on the given scheduler; {@link #onStun} runs on the receive thread.
 */
final class IceAgent {

    interface Sender {
        void send(byte[] buf, int off, int len, InetSocketAddress to) throws IOException;
    }

    interface ConsentListener {
        void onConsentLost(String reason);
    }

    /** Peer-reflexive type preference (RFC 8445 section 5.1.2.2) with the highest local preference. */
    static final long PRIORITY = IceCandidate.priority(110, 65535, 1);
    private static final int RECENT_CONSENT_TRANSACTIONS = 8;

    private final String localUfrag;
    private final Sender sender;
    private final ScheduledExecutorService timer;
    private final IceTimings timings;
    private final boolean ipv4;
    private final SecureRandom random;
    private final long tieBreaker;
    private final StunBindingWriter writer = new StunBindingWriter().software("parley-client");
    private final CompletableFuture<InetSocketAddress> nominated = new CompletableFuture<>();

    private volatile List<Check> checks = List.of();
    private volatile byte[] remoteKey;
    private volatile String username;
    private volatile InetSocketAddress selected;
    private volatile InetSocketAddress mappedAddress;
    private volatile long lastConsentNanos;
    private volatile boolean closed;
    private ScheduledFuture<?> checkTask;
    private ScheduledFuture<?> consentTask;
    private final byte[][] consentTransactions = new byte[RECENT_CONSENT_TRANSACTIONS][];
    private int consentNext;

    private final AtomicLong checksSent = new AtomicLong();
    private final AtomicLong successResponses = new AtomicLong();
    private final AtomicLong integrityFailures = new AtomicLong();
    private final AtomicLong errorResponses = new AtomicLong();
    private final AtomicLong unmatchedResponses = new AtomicLong();
    private final AtomicLong consentRequests = new AtomicLong();
    private final AtomicLong consentResponses = new AtomicLong();
    private volatile int lastErrorCode;

    record IceTimings(Duration checkInterval, Duration timeout, Duration consentInterval, Duration consentTimeout) {
    }

    /** A check towards one candidate: one transaction, retransmitted unchanged. */
    private record Check(InetSocketAddress address, byte[] transactionId, byte[] request) {
    }

    IceAgent(String localUfrag, InetAddress localAddress, Sender sender, ScheduledExecutorService timer,
            IceTimings timings, SecureRandom random) {
        this.localUfrag = localUfrag;
        this.sender = sender;
        this.timer = timer;
        this.timings = timings;
        this.ipv4 = localAddress instanceof Inet4Address;
        this.random = random;
        this.tieBreaker = random.nextLong();
    }

    /**
     * Starts checking the remote candidates; the future completes with the nominated address, or fails with
     * {@link WebRtcException} when none answers within the timeout.
     */
    synchronized CompletableFuture<InetSocketAddress> start(RemoteTransport remote) {
        if (checkTask != null || nominated.isDone()) {
            return nominated;
        }
        remoteKey = StunMessage.shortTermKey(remote.icePwd());
        username = remote.iceUfrag() + ":" + localUfrag;
        List<Check> list = new ArrayList<>();
        for (InetSocketAddress candidate : remote.candidates()) {
            if ((candidate.getAddress() instanceof Inet4Address) == ipv4) {
                byte[] transactionId = newTransactionId();
                list.add(new Check(candidate, transactionId, request(transactionId, true)));
            }
        }
        if (list.isEmpty()) {
            nominated.completeExceptionally(new WebRtcException(WebRtcException.Stage.ICE,
                    "the remote SDP has no UDP candidate of our address family: " + remote.candidates()));
            return nominated;
        }
        checks = List.copyOf(list);
        long started = System.nanoTime();
        long timeoutNanos = timings.timeout().toNanos();
        checkTask = timer.scheduleAtFixedRate(() -> sendChecks(started, timeoutNanos), 0,
                timings.checkInterval().toMillis(), TimeUnit.MILLISECONDS);
        return nominated;
    }

    private void sendChecks(long started, long timeoutNanos) {
        if (nominated.isDone() || closed) {
            cancelChecks();
            return;
        }
        if (System.nanoTime() - started > timeoutNanos) {
            int code = lastErrorCode;
            nominated.completeExceptionally(new WebRtcException(WebRtcException.Stage.ICE,
                    "no verified answer to " + checksSent.get() + " connectivity checks within " + timings.timeout()
                            + (code != 0 ? " (last error response " + code + ")" : "")
                            + (integrityFailures.get() > 0 ? " (" + integrityFailures.get()
                                    + " responses failed MESSAGE-INTEGRITY)" : "")));
            cancelChecks();
            return;
        }
        for (Check check : checks) {
            try {
                sender.send(check.request(), 0, check.request().length, check.address());
                checksSent.incrementAndGet();
            } catch (IOException e) {
                // unreachable now (e.g. ICMP seen); keep trying until the timeout
            }
        }
    }

    private synchronized void cancelChecks() {
        if (checkTask != null) {
            checkTask.cancel(false);
        }
    }

    /** A STUN message from {@code from}; called on the receive thread. */
    void onStun(byte[] buf, int off, int len, InetSocketAddress from) {
        StunMessage message = StunMessage.parse(buf, off, len);
        if (message == null || !(message.isBindingSuccessResponse() || message.isBindingErrorResponse())) {
            return; // a lite peer never checks us; anything else is noise
        }
        if (message.hasFingerprint() && !message.verifyFingerprint()) {
            integrityFailures.incrementAndGet();
            return;
        }
        for (Check check : checks) {
            if (message.transactionIdEquals(check.transactionId())) {
                if (!check.address().equals(from)) {
                    unmatchedResponses.incrementAndGet();
                    return;
                }
                onCheckResponse(message, check.address());
                return;
            }
        }
        if (isConsentTransaction(message) && from.equals(selected)) {
            if (message.isBindingSuccessResponse() && message.verifyMessageIntegrity(remoteKey)) {
                lastConsentNanos = System.nanoTime();
                consentResponses.incrementAndGet();
            } else if (message.isBindingErrorResponse()) {
                errorResponses.incrementAndGet();
                lastErrorCode = message.errorCode();
            } else {
                integrityFailures.incrementAndGet();
            }
            return;
        }
        unmatchedResponses.incrementAndGet();
    }

    private void onCheckResponse(StunMessage message, InetSocketAddress address) {
        if (message.isBindingErrorResponse()) {
            errorResponses.incrementAndGet();
            lastErrorCode = message.errorCode();
            return;
        }
        if (!message.verifyMessageIntegrity(remoteKey)) {
            integrityFailures.incrementAndGet();
            return;
        }
        successResponses.incrementAndGet();
        synchronized (this) {
            if (nominated.isDone()) {
                return;
            }
            mappedAddress = message.xorMappedAddress();
            selected = address;
            lastConsentNanos = System.nanoTime();
        }
        nominated.complete(address);
        cancelChecks();
    }

    /** Starts consent freshness checks towards the nominated address, about every consent interval. */
    synchronized void startConsent(ConsentListener listener) {
        if (selected == null || consentTask != null || closed) {
            return;
        }
        lastConsentNanos = System.nanoTime();
        scheduleConsent(listener);
    }

    private synchronized void scheduleConsent(ConsentListener listener) {
        if (closed) {
            return;
        }
        // RFC 7675 section 5.1: randomised between 0.8 and 1.2 times the interval
        long interval = timings.consentInterval().toMillis();
        long delay = interval * 8 / 10 + (long) (random.nextDouble() * interval * 4 / 10);
        try {
            consentTask = timer.schedule(() -> consentCheck(listener), delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException shuttingDown) {
            // the endpoint is closing
        }
    }

    private void consentCheck(ConsentListener listener) {
        if (closed) {
            return;
        }
        long silentNanos = System.nanoTime() - lastConsentNanos;
        if (silentNanos > timings.consentTimeout().toNanos()) {
            listener.onConsentLost("no answer to consent checks for " + silentNanos / 1_000_000 + " ms");
            return;
        }
        byte[] transactionId = newTransactionId();
        byte[] request;
        synchronized (this) {
            consentTransactions[consentNext] = transactionId;
            consentNext = (consentNext + 1) % RECENT_CONSENT_TRANSACTIONS;
            request = request(transactionId, false);
        }
        try {
            sender.send(request, 0, request.length, selected);
            consentRequests.incrementAndGet();
        } catch (IOException e) {
            // counted as silence: consent expires if this goes on
        }
        scheduleConsent(listener);
    }

    private synchronized boolean isConsentTransaction(StunMessage message) {
        for (byte[] transactionId : consentTransactions) {
            if (transactionId != null && message.transactionIdEquals(transactionId)) {
                return true;
            }
        }
        return false;
    }

    private synchronized byte[] request(byte[] transactionId, boolean useCandidate) {
        IceCheck check = new IceCheck(username, PRIORITY, IceRole.CONTROLLING, tieBreaker,
                useCandidate);
        return writer.request(transactionId, check, remoteKey);
    }

    private byte[] newTransactionId() {
        byte[] id = new byte[12];
        random.nextBytes(id);
        return id;
    }

    InetSocketAddress selected() {
        return selected;
    }

    IceStats stats() {
        return new IceStats(checksSent.get(), successResponses.get(), integrityFailures.get(), errorResponses.get(),
                lastErrorCode, unmatchedResponses.get(), selected, mappedAddress, consentRequests.get(),
                consentResponses.get());
    }

    synchronized void close() {
        closed = true;
        if (checkTask != null) {
            checkTask.cancel(false);
        }
        if (consentTask != null) {
            consentTask.cancel(false);
        }
        nominated.completeExceptionally(new WebRtcException(WebRtcException.Stage.ICE, "endpoint closed"));
    }
}
