package dev.parley.meeting;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How well a participant's connection carries the meeting, as its own page measures it and reports it (quality):
 * unknown until the first report, and for streams, which report nothing.
 */
public enum ConnectionQuality {
    UNKNOWN, GOOD, FAIR, POOR;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The level with that wire name, or null. */
    public static ConnectionQuality named(String wireName) {
        for (ConnectionQuality level : values()) {
            if (level.wireName().equals(wireName)) {
                return level;
            }
        }
        return null;
    }
}
