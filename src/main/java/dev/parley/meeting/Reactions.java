package dev.parley.meeting;

import io.github.bucket4j.Bucket;
import java.time.Duration;
import java.util.List;
import org.springframework.stereotype.Service;

/**
 * Reactions (docs/signaling.md, section 10): one of a few emoji, by name, shown to everyone for a moment over the
 * sender's tile. Nothing is kept; a late joiner sees none.
 */
@Service
public class Reactions {

    /** The reactions a page offers, by their names on the wire; the page draws each as its emoji. */
    public static final List<String> NAMES = List.of("thumbs-up", "clap", "laugh", "surprised", "heart", "party");
    /** Reactions a participant may send at once, and one per this many seconds in the long run. */
    static final int BURST = 5;
    static final int SECONDS_PER_REACTION = 1;

    static Bucket newAllowance() {
        return Bucket.builder().addLimit(limit -> limit.capacity(BURST)
                .refillGreedy(1, Duration.ofSeconds(SECONDS_PER_REACTION))).build();
    }

    /**
     * Shows the reaction to everyone in the room, its sender included (which confirms it).
     *
     * @throws Refusal rate-limited
     */
    public void send(LiveRoom live, Participant sender, ClientMessage.Reaction reaction) {
        if (!sender.reactionAllowance().tryConsume(1)) {
            throw new Refusal("rate-limited", "You are sending reactions too fast; wait a moment.");
        }
        live.broadcast(new ServerMessage.Reaction(sender.id(), reaction.name()), null);
    }
}
