package dev.parley.meeting;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The meeting's own settings (environment: PARLEY_MEETING_*).
 *
 * @param reconnectGrace how long a participant whose connection dropped keeps their place, shown to the others as
 *     reconnecting, before they leave as disconnected (docs/signaling.md, section 4)
 */
@ConfigurationProperties(prefix = "parley.meeting")
public record MeetingProperties(@DefaultValue("30s") Duration reconnectGrace) {

    public MeetingProperties {
        if (reconnectGrace.isNegative() || reconnectGrace.isZero()) {
            throw new IllegalArgumentException("parley.meeting.reconnect-grace must be positive");
        }
    }
}
