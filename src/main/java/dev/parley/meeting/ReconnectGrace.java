package dev.parley.meeting;

import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The clock of participants who are reconnecting: each gets {@link MeetingProperties#reconnectGrace()} to come back
 * before what was left to do when it runs out (leave as disconnected) is done. Only the timers live here; what a
 * participant is, and whether it came back, is {@link MeetingService}'s.
 */
@Component
public class ReconnectGrace {

    private static final Logger log = LoggerFactory.getLogger(ReconnectGrace.class);

    private final Duration grace;
    private final Map<String, ScheduledFuture<?>> pending = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "parley-reconnect-grace");
        thread.setDaemon(true);
        return thread;
    });

    public ReconnectGrace(MeetingProperties properties) {
        this.grace = properties.reconnectGrace();
    }

    public Duration grace() {
        return grace;
    }

    /** Starts (or restarts) the participant's grace; {@code expired} runs once it ran out without a {@link #cancel}. */
    public void start(String participantId, Runnable expired) {
        ScheduledFuture<?>[] self = new ScheduledFuture<?>[1];
        synchronized (self) {
            self[0] = timer.schedule(() -> {
                synchronized (self) {
                    if (!pending.remove(participantId, self[0])) {
                        return;
                    }
                }
                try {
                    expired.run();
                } catch (RuntimeException e) {
                    log.warn("Ending a reconnect grace failed", e);
                }
            }, grace.toMillis(), TimeUnit.MILLISECONDS);
            ScheduledFuture<?> previous = pending.put(participantId, self[0]);
            if (previous != null) {
                previous.cancel(false);
            }
        }
    }

    /** The participant came back or left: its grace ends without consequence. */
    public void cancel(String participantId) {
        ScheduledFuture<?> future = pending.remove(participantId);
        if (future != null) {
            future.cancel(false);
        }
    }

    @PreDestroy
    void stop() {
        timer.shutdownNow();
    }
}
