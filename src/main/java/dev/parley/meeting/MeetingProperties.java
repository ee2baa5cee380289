package dev.parley.meeting;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The meeting's own settings (environment: PARLEY_MEETING_*).
 *
 * @param reconnectGrace how long a participant whose connection dropped keeps their place, shown to the others as
 *     reconnecting, before they leave as disconnected (docs/signaling.md, section 4)
 * @param chatHistory how many chat messages a live meeting keeps for those who join or come back later (the oldest
 *     go first); the history ends with the meeting
 */
@ConfigurationProperties(prefix = "parley.meeting")
public record MeetingProperties(@DefaultValue("30s") Duration reconnectGrace,
                                @DefaultValue("200") int chatHistory) {

    /** The defaults but for the grace. */
    public MeetingProperties(Duration reconnectGrace) {
        this(reconnectGrace, 200);
    }

    @ConstructorBinding
    public MeetingProperties {
        if (reconnectGrace.isNegative() || reconnectGrace.isZero()) {
            throw new IllegalArgumentException("parley.meeting.reconnect-grace must be positive");
        }
        if (chatHistory < 0 || chatHistory > 10_000) {
            throw new IllegalArgumentException("parley.meeting.chat-history must be from 0 to 10000");
        }
    }
}
