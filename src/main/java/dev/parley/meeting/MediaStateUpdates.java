package dev.parley.meeting;

import io.github.bucket4j.Bucket;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * Tells a room of a participant's microphone and camera state (media-state): at once when it changed, up to
 * {@link #BURST} changes in a row and then {@link #PER_SECOND} a second. A change beyond that is told once the
 * allowance is back, as the state is then: the last state always reaches everyone, and a page that toggles without
 * end costs a large room no more than that. (Refusing it instead, as chat does, would leave others seeing a state the
 * page has left.)
 */
@Component
class MediaStateUpdates {

    static final int BURST = 10;
    static final int PER_SECOND = 2;

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "parley-media-state");
        thread.setDaemon(true);
        return thread;
    });

    static Bucket newAllowance() {
        return Bucket.builder().addLimit(limit -> limit.capacity(BURST)
                .refillGreedy(PER_SECOND, Duration.ofSeconds(1))).build();
    }

    void update(LiveRoom live, Participant participant, boolean audio, boolean video) {
        boolean changed = participant.audio() != audio || participant.video() != video;
        participant.setMediaState(audio, video);
        if (changed) {
            tell(live, participant);
        }
    }

    private void tell(LiveRoom live, Participant participant) {
        Bucket allowance = participant.mediaStateAllowance();
        if (allowance.tryConsume(1)) {
            live.broadcastUpdate(participant, false);
        } else if (participant.mediaStateDue().compareAndSet(false, true)) {
            long wait = allowance.estimateAbilityToConsume(1).getNanosToWaitForRefill();
            timer.schedule(() -> {
                participant.mediaStateDue().set(false);
                tell(live, participant); // only while it is in the room (broadcastUpdate)
            }, wait, TimeUnit.NANOSECONDS);
        }
    }

    @PreDestroy
    void stop() {
        timer.shutdownNow();
    }
}
