package dev.parley.webhooks;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The events a webhook can ask for, by the names its payloads carry in {@code type}. A new event is one more constant
 * here, the listener that publishes it in {@link WebhookEvents}, and its words in the message bundles
 * ({@code webhook.event.NAME}).
 */
public enum WebhookEventType {
    MEETING_STARTED("meeting.started"),
    MEETING_ENDED("meeting.ended"),
    PARTICIPANT_JOINED("participant.joined"),
    PARTICIPANT_LEFT("participant.left"),
    ROOM_SCHEDULED("room.scheduled"),
    ROOM_CANCELLED("room.cancelled"),
    /** A recording's composed video is ready to download (recording.Recordings#announceReady). */
    RECORDING_READY("recording.ready");

    private final String wireName;
    private final boolean offered;

    WebhookEventType(String wireName) {
        this(wireName, true);
    }

    WebhookEventType(String wireName, boolean offered) {
        this.wireName = wireName;
        this.offered = offered;
    }

    /** The name in payloads and in the webhook's stored list, e.g. {@code meeting.started}. */
    public String wireName() {
        return wireName;
    }

    /** The events an admin can choose now. */
    public static List<WebhookEventType> offered() {
        return Arrays.stream(values()).filter(t -> t.offered).toList();
    }

    /** The offered event with this name, if any. */
    public static Optional<WebhookEventType> byWireName(String name) {
        return offered().stream().filter(t -> t.wireName.equals(name)).findFirst();
    }
}
