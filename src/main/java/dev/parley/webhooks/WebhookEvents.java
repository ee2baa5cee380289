package dev.parley.webhooks;

import dev.parley.meeting.MeetingEnded;
import dev.parley.meeting.MeetingStarted;
import dev.parley.meeting.ParticipantJoinedMeeting;
import dev.parley.meeting.ParticipantLeftMeeting;
import dev.parley.recording.RecordingReady;
import dev.parley.rooms.Room;
import dev.parley.rooms.RoomChangedEvent;
import dev.parley.rooms.RoomService;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Turns Parley's own events into webhook events and hands them to the {@link WebhookDispatcher}, which returns at
 * once: the meeting's events arrive on signalling and relay-event threads, the rooms' after their transaction
 * commits. The payloads' {@code data} (docs/integrations.md) names the room and the participant, never a passcode,
 * token or e-mail address.
 */
@Component
class WebhookEvents {

    private final WebhookDispatcher dispatcher;
    private final RoomService rooms;
    private final String publicUrl;

    WebhookEvents(WebhookDispatcher dispatcher, RoomService rooms,
                  @Value("${parley.rooms.public-url:}") String publicUrl) {
        this.dispatcher = dispatcher;
        this.rooms = rooms;
        String base = publicUrl.strip();
        this.publicUrl = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    @EventListener
    void on(MeetingStarted event) {
        dispatcher.submit(WebhookEventType.MEETING_STARTED, event.at(), () -> data(room(event.roomId())));
    }

    @EventListener
    void on(MeetingEnded event) {
        dispatcher.submit(WebhookEventType.MEETING_ENDED, event.at(), () -> data(room(event.roomId())));
    }

    @EventListener
    void on(ParticipantJoinedMeeting event) {
        dispatcher.submit(WebhookEventType.PARTICIPANT_JOINED, event.at(), () -> {
            Map<String, Object> participant = new LinkedHashMap<>();
            participant.put("id", event.participantId());
            participant.put("name", event.displayName());
            participant.put("kind", event.kind().toLowerCase(Locale.ROOT));
            participant.put("host", event.host());
            Map<String, Object> data = data(room(event.roomId()));
            data.put("participant", participant);
            return data;
        });
    }

    @EventListener
    void on(ParticipantLeftMeeting event) {
        dispatcher.submit(WebhookEventType.PARTICIPANT_LEFT, event.at(), () -> {
            Map<String, Object> participant = new LinkedHashMap<>();
            participant.put("id", event.participantId());
            participant.put("name", event.displayName());
            Map<String, Object> data = data(room(event.roomId()));
            data.put("participant", participant);
            data.put("reason", event.reason());
            return data;
        });
    }

    /**
     * The video's API download link is absolute when the public URL (PARLEY_ROOMS_PUBLIC_URL) is set; without it
     * Parley does not know the address its integrations reach it by, and the link is the path alone.
     */
    @EventListener
    void on(RecordingReady event) {
        dispatcher.submit(WebhookEventType.RECORDING_READY, event.at(), () -> {
            Map<String, Object> recording = new LinkedHashMap<>();
            recording.put("id", event.recordingId());
            recording.put("durationSeconds", event.durationMillis() == null ? null : event.durationMillis() / 1000);
            recording.put("sizeBytes", event.sizeBytes());
            recording.put("downloadUrl", publicUrl + "/api/v1/recordings/" + event.recordingId() + "/download");
            Map<String, Object> data = data(room(event.roomId()));
            data.put("recording", recording);
            return data;
        });
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void on(RoomChangedEvent event) {
        WebhookEventType type = switch (event.change()) {
            case CREATED, UPDATED, REOPENED -> WebhookEventType.ROOM_SCHEDULED;
            case CANCELLED, DELETED -> WebhookEventType.ROOM_CANCELLED;
        };
        dispatcher.submit(type, event.at(), () -> {
            Map<String, Object> room = new LinkedHashMap<>();
            room.put("id", event.roomId());
            room.put("slug", event.slug());
            room.put("title", event.title());
            room.put("startsAt", event.startsAt().toString());
            room.put("durationMinutes", event.durationMinutes());
            room.put("weeklyOccurrences", event.weeklyOccurrences());
            room.put("timeZone", event.timeZone());
            Map<String, Object> data = data(room);
            data.put("change", event.change().name().toLowerCase(Locale.ROOT));
            return data;
        });
    }

    /** The room as meeting events name it: id, slug and title (null for a room deleted meanwhile). */
    private Map<String, Object> room(long roomId) {
        Room room = rooms.byIds(List.of(roomId)).get(roomId);
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("id", roomId);
        fields.put("slug", room == null ? null : room.getSlug());
        fields.put("title", room == null ? null : room.getTitle());
        return fields;
    }

    private static Map<String, Object> data(Map<String, Object> room) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("room", room);
        return data;
    }
}
