package dev.parley.meeting;

import dev.parley.audit.AuditAction;
import dev.parley.audit.AuditLog;
import dev.parley.recording.LiveRecording;
import dev.parley.recording.Recorder;
import dev.parley.recording.RecordingRefusedException;
import dev.parley.recording.RecordingStopped;
import dev.parley.recording.TrackFormat;
import dev.parley.recording.TrackSpec;
import dev.parley.relay.RecordedTrack;
import dev.parley.relay.RecordingListener;
import dev.parley.relay.Relay;
import dev.parley.rooms.Room;
import dev.parley.rooms.RoomService;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;

/**
 * Recording as the meeting sees it (docs/signaling.md, section 8): a host or co-host starts and stops it, or the room
 * records by itself from its first arrival; everyone in the meeting is told at once, and whoever comes later before
 * they enter. It joins the relay, which hands over each track as it starts and ends, to the {@link Recorder}, which
 * writes them. A meeting that ends, or a recording stopped by Parley (the disk filled), ends it cleanly.
 */
@Service
public class MeetingRecording implements RecordingListener {

    private static final Logger log = LoggerFactory.getLogger(MeetingRecording.class);

    /**
     * A room being recorded: the recording, since when (milliseconds since the epoch) and who started it (empty when
     * the room records by itself).
     */
    public record Active(LiveRecording recording, long since, String startedBy) {
    }

    private final Relay relay;
    private final Recorder recorder;
    private final LiveRooms rooms;
    private final RoomService roomService;
    private final AuditLog audit;
    /** By relay room id, which the relay's events name. */
    private final Map<String, Active> active = new ConcurrentHashMap<>();
    /**
     * A room's starts and stops take one of these, chosen by the room: starting measures the recordings folder, and
     * one lock for the node would make every other room's host wait for it.
     */
    private final Object[] roomLocks = new Object[64];

    MeetingRecording(Relay relay, Recorder recorder, LiveRooms rooms, RoomService roomService, AuditLog audit) {
        this.relay = relay;
        this.recorder = recorder;
        this.rooms = rooms;
        this.roomService = roomService;
        this.audit = audit;
        for (int i = 0; i < roomLocks.length; i++) {
            roomLocks[i] = new Object();
        }
    }

    /** Whether {@code live} is its room's meeting now (a request may name one that ended meanwhile). */
    private boolean isCurrent(LiveRoom live) {
        return rooms.find(live.roomId()).orElse(null) == live;
    }

    private Object lockFor(long roomId) {
        return roomLocks[(int) Math.floorMod(roomId, (long) roomLocks.length)];
    }

    /** Whether recording is offered here (turned on, tools present): the meeting page shows the control only then. */
    public boolean isOffered() {
        return recorder.isOffered();
    }

    /**
     * Starts recording a meeting; nothing happens when it is already recorded.
     *
     * @param startedBy who started it, as shown; empty when the room records by itself
     * @throws Refusal recording-disabled, recording-unavailable, recording-disk-full or recording-failed, when it
     *     cannot start
     */
    void start(LiveRoom live, String startedBy) {
        synchronized (lockFor(live.roomId())) {
            startLocked(live, startedBy);
        }
    }

    private void startLocked(LiveRoom live, String startedBy) {
        if (live.recording() != null || !isCurrent(live)) {
            return; // recorded already, or its meeting ended (a host's request that came late)
        }
        LiveRecording recording;
        try {
            recording = recorder.start(live.roomId(), startedBy);
        } catch (RecordingRefusedException e) {
            throw new Refusal("recording-" + e.code(), e.getMessage());
        }
        Active started = new Active(recording, recording.startedAt().toEpochMilli(), startedBy);
        String relayRoomId = MeetingService.relayRoomId(live.roomId());
        Active earlier = active.put(relayRoomId, started);
        if (earlier != null) {
            // The room's previous meeting ended a moment ago and its end is still on its way here: its recording ends
            // now, and the relay's, before the relay starts this meeting's (its calls run in order).
            relay.stopRecording(relayRoomId);
            recorder.stop(earlier.recording(), "meeting-ended");
        }
        live.setRecording(started);
        relay.startRecording(relayRoomId, this).whenCompleteAsync((ok, error) -> { // off the relay's loop
            if (error != null) {
                log.warn("The relay could not record room {}: {}", live.roomId(), error.toString());
                stop(live, "failed");
            }
        });
        live.broadcast(ServerMessage.RoomState.of(live), null);
    }

    /**
     * Stops recording a meeting; false when it was not recorded.
     *
     * @param reason stopped (by a host), meeting-ended, disk-full, failed
     */
    boolean stop(LiveRoom live, String reason) {
        synchronized (lockFor(live.roomId())) {
            return stopLocked(live, reason);
        }
    }

    private boolean stopLocked(LiveRoom live, String reason) {
        Active current = live.recording();
        if (current == null || !isCurrent(live)) {
            return false; // not recorded, or its meeting ended, which ended its recording
        }
        live.setRecording(null);
        String relayRoomId = MeetingService.relayRoomId(live.roomId());
        active.remove(relayRoomId, current);
        relay.stopRecording(relayRoomId);
        recorder.stop(current.recording(), reason);
        live.broadcast(ServerMessage.RoomState.ended(live, reason), null);
        return true;
    }

    @Override
    public void onTrack(String roomId, RecordedTrack track) {
        Active current = active.get(roomId);
        if (current == null || !TrackFormat.isSupported(track.codec())) {
            return;
        }
        TrackFormat format = new TrackFormat(track.codec(), track.payloadType(), track.clockRate(), track.channels());
        Optional<Participant> participant = rooms.find(current.recording().roomId())
                .map(live -> live.participant(track.participantId()));
        String name = participant.map(Participant::displayName).orElse("");
        String person = participant.map(Participant::personKey).orElse("participant:" + track.participantId());
        recorder.addTrack(current.recording(), new TrackSpec(track.trackId(), track.participantId(), person, name,
                        track.kind(), track.source(), format),
                address -> relay.recordTrack(roomId, track.trackId(), address).whenCompleteAsync((taken, error) -> {
                    if (error != null || !Boolean.TRUE.equals(taken)) {
                        // it ended before its recorder was ready
                        recorder.endTrack(current.recording(), track.trackId());
                    }
                }));
    }

    @Override
    public void onTrackEnded(String roomId, RecordedTrack track) {
        Active current = active.get(roomId);
        if (current != null) {
            recorder.endTrack(current.recording(), track.trackId());
        }
    }

    /** A room that records by itself starts with its meeting. */
    @EventListener
    void onMeetingStarted(MeetingStarted started) {
        Room room = roomService.bySlug(started.slug()).filter(r -> r.getId() == started.roomId()).orElse(null);
        if (room == null || !room.isAutoRecord() || !recorder.isOffered()) {
            return;
        }
        rooms.find(started.roomId()).ifPresent(live -> {
            try {
                start(live, "");
                audit.recordAnonymous("Parley", AuditAction.RECORDING_STARTED, "room " + room.getSlug(),
                        "room " + room.getSlug() + "; automatic");
            } catch (Refusal e) {
                log.warn("Room {} records by itself, but recording could not start: {}", room.getSlug(),
                        e.getMessage());
            }
        });
    }

    /** The meeting ended: its recording ends with it. */
    @EventListener
    void onMeetingEnded(MeetingEnded ended) {
        synchronized (lockFor(ended.roomId())) { // after a start under way
            String relayRoomId = MeetingService.relayRoomId(ended.roomId());
            Active current = active.get(relayRoomId);
            if (current == null || rooms.find(ended.roomId()).map(LiveRoom::recording).orElse(null) == current) {
                return; // not recorded, or what is recorded now is the room's next meeting, already under way
            }
            active.remove(relayRoomId, current);
            relay.stopRecording(relayRoomId);
            recorder.stop(current.recording(), "meeting-ended");
        }
    }

    /** Parley stopped a recording by itself (the disk filled): the meeting is told why. */
    @EventListener
    void onRecordingStopped(RecordingStopped stopped) {
        rooms.find(stopped.roomId()).ifPresent(live -> {
            boolean ours;
            synchronized (lockFor(live.roomId())) { // checked and stopped at once: a host may start another meanwhile
                Active current = live.recording();
                ours = current != null && current.recording().id().equals(stopped.recordingId())
                        && stopLocked(live, stopped.reason());
            }
            if (ours) {
                audit.recordAnonymous("Parley", AuditAction.RECORDING_STOPPED, "room " + live.slug(),
                        "room " + live.slug() + "; " + stopped.reason());
            }
        });
    }
}
