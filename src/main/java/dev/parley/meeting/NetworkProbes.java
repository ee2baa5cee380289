package dev.parley.meeting;

import dev.parley.relay.Relay;
import dev.parley.relay.RelayException;
import dev.parley.relay.TransportEvents;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Service;

/**
 * The pre-join page's network check: short-lived relay transports, each in a room of its own (no meeting sees them),
 * that a browser connects to only to learn whether ICE gets through to the relay (over UDP, over TCP, through TURN)
 * and how long a round trip takes. Each is closed after {@link #LIFETIME}; at most {@link #MAX_OPEN} exist at once.
 */
@Service
class NetworkProbes {

    static final Duration LIFETIME = Duration.ofSeconds(20);
    static final int MAX_OPEN = 100;
    private static final long ANSWER_TIMEOUT_SECONDS = 5;

    /** Why a probe could not be opened, in words for the page. */
    static final class ProbeException extends Exception {
        private final boolean busy;

        ProbeException(String message, boolean busy, Throwable cause) {
            super(message, cause);
            this.busy = busy;
        }

        boolean busy() {
            return busy;
        }
    }

    private final Relay relay;
    private final AtomicInteger open = new AtomicInteger();
    private final ScheduledExecutorService closer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "parley-network-probes");
        thread.setDaemon(true);
        return thread;
    });

    NetworkProbes(Relay relay) {
        this.relay = relay;
    }

    /** Opens a probe for a browser's SDP offer and returns the relay's answer (with all its candidates). */
    String open(String offer) throws ProbeException {
        if (open.incrementAndGet() > MAX_OPEN) {
            open.decrementAndGet();
            throw new ProbeException("Too many network checks are running; try again in a minute.", true, null);
        }
        AtomicBoolean counted = new AtomicBoolean(true);
        Runnable release = () -> {
            if (counted.getAndSet(false)) {
                open.decrementAndGet();
            }
        };
        CompletableFuture<Relay.Session> pending = relay.openWhip("network-check:" + UUID.randomUUID(),
                "network-check", offer, new TransportEvents() {
                    @Override
                    public void onClosed(String reason) {
                        release.run();
                    }
                });
        try {
            Relay.Session session = pending.get(ANSWER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            closer.schedule(() -> relay.closeTransport(session.transport(), "network-check-done"),
                    LIFETIME.toMillis(), TimeUnit.MILLISECONDS);
            return session.answer();
        } catch (ExecutionException e) {
            release.run();
            String message = e.getCause() instanceof RelayException refused ? refused.getMessage()
                    : "The relay could not set up the check.";
            throw new ProbeException(message, false, e.getCause());
        } catch (TimeoutException e) {
            // Set up after all: nobody will use it.
            pending.thenAccept(late -> relay.closeTransport(late.transport(), "network-check-late"));
            throw new ProbeException("The relay did not answer in time.", true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pending.thenAccept(late -> relay.closeTransport(late.transport(), "network-check-late"));
            throw new ProbeException("Interrupted.", true, e);
        }
    }

    /** Probes open now. */
    int openProbes() {
        return open.get();
    }

    @PreDestroy
    void stop() {
        closer.shutdownNow();
    }
}
