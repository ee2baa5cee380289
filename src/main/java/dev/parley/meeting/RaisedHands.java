package dev.parley.meeting;

import io.github.bucket4j.Bucket;
import java.time.Clock;
import java.time.Duration;
import org.springframework.stereotype.Service;

/**
 * Raised hands (docs/signaling.md, section 10): a participant raises or lowers its own hand, and everyone sees it
 * with the time it went up, which orders the queue the host takes questions from. A host or co-host lowers someone's
 * hand through {@link HostControls}. Also the participant's reported connection quality, the other piece of status a
 * page reports about itself; both share one allowance, since each change goes to everyone in the room.
 */
@Service
public class RaisedHands {

    /** Status changes (hand, quality) a participant may send at once, and per second in the long run. */
    static final int BURST = 10;
    static final int PER_SECOND = 1;

    private final Clock clock;

    public RaisedHands(Clock clock) {
        this.clock = clock;
    }

    static Bucket newAllowance() {
        return Bucket.builder().addLimit(limit -> limit.capacity(BURST)
                .refillGreedy(PER_SECOND, Duration.ofSeconds(1))).build();
    }

    /**
     * Raises or lowers the participant's own hand; raising a raised hand keeps its place in the queue.
     *
     * @throws Refusal rate-limited
     */
    public void raise(LiveRoom live, Participant participant, boolean raised) {
        if ((participant.handRaisedAt() != null) == raised) {
            return;
        }
        spend(participant);
        participant.setHandRaisedAt(raised ? clock.millis() : null);
        live.broadcastUpdate(participant, true);
    }

    /** A host lowered the hand; returns false when it was not raised. */
    boolean lower(LiveRoom live, Participant participant) {
        if (participant.handRaisedAt() == null) {
            return false;
        }
        participant.setHandRaisedAt(null);
        live.broadcastUpdate(participant, true);
        return true;
    }

    /**
     * The participant's page measured its connection anew; the others hear of a change only.
     *
     * @throws Refusal rate-limited
     */
    public void reportQuality(LiveRoom live, Participant participant, ConnectionQuality quality) {
        if (participant.quality() == quality) {
            return;
        }
        spend(participant);
        participant.setQuality(quality);
        live.broadcastUpdate(participant, true);
    }

    private static void spend(Participant participant) {
        if (!participant.statusAllowance().tryConsume(1)) {
            throw new Refusal("rate-limited", "Too many changes at once; wait a moment.");
        }
    }
}
