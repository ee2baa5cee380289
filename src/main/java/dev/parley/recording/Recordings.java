package dev.parley.recording;

import dev.parley.accounts.ParleyUser;
import dev.parley.audit.AuditAction;
import dev.parley.audit.AuditLog;
import dev.parley.common.NotFoundException;
import dev.parley.common.PageRequests;
import dev.parley.common.UserFacingException;
import dev.parley.rooms.Room;
import dev.parley.rooms.RoomService;
import java.time.Clock;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Sort;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Finished and running recordings as their people see them: a room's host (while their role lets them host) and
 * admins list, download and delete a room's recordings ({@link dev.parley.rooms.RoomPolicy}); nobody else learns of
 * them. Templates call it as {@code @recordings}.
 */
@Service("recordings")
public class Recordings {

    private static final Logger log = LoggerFactory.getLogger(Recordings.class);
    public static final int PAGE_SIZE = 20;
    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd-HHmm", Locale.ROOT);

    private final RecordingRows rows;
    private final RecordingFiles files;
    private final RoomService rooms;
    private final AuditLog audit;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    Recordings(RecordingRows rows, RecordingFiles files, RoomService rooms, AuditLog audit,
               ApplicationEventPublisher events, Clock clock) {
        this.rows = rows;
        this.files = files;
        this.rooms = rooms;
        this.audit = audit;
        this.events = events;
        this.clock = clock;
    }

    /** A room's recordings, newest first, for its host or an admin. */
    @Transactional(readOnly = true)
    public List<RecordingView> forRoom(ParleyUser viewer, long roomId) {
        Room room = rooms.manageable(viewer, roomId);
        return rows.forRoom(room.getId()).stream().map(r -> view(r, room)).toList();
    }

    /** How many recordings a room has (the room's page links to them); its page checks who may see them. */
    public long countForRoom(long roomId) {
        return rows.countForRoom(roomId);
    }

    /** Every recording, newest first, a page at a time: admins only. */
    @Transactional(readOnly = true)
    public Page<RecordingView> all(ParleyUser viewer, int page) {
        if (viewer == null || !viewer.isAdmin()) {
            throw new AccessDeniedException("Only admins see every recording");
        }
        Page<Recording> found = rows.newestFirst(PageRequests.of(page, PAGE_SIZE, Sort.unsorted()));
        Map<Long, Room> byId = rooms.byIds(found.getContent().stream().map(Recording::getRoomId).distinct().toList());
        return found.map(r -> view(r, byId.get(r.getRoomId())));
    }

    /** One recording, for its room's host or an admin: 404 when there is none, 403 for anyone else. */
    @Transactional(readOnly = true)
    public RecordingView find(ParleyUser viewer, String recordingId) {
        Recording recording = existing(recordingId);
        return view(recording, rooms.manageable(viewer, recording.getRoomId()));
    }

    /** The composed MP4, once the recording is ready. */
    @Transactional(readOnly = true)
    public Optional<RecordingDownload> composed(ParleyUser viewer, String recordingId) {
        Recording recording = existing(recordingId);
        Room room = rooms.manageable(viewer, recording.getRoomId());
        if (recording.getState() != Recording.State.READY || files.size(files.composed(recording)) == 0) {
            return Optional.empty();
        }
        return Optional.of(new RecordingDownload(files.composed(recording), fileStem(room, recording) + ".mp4",
                "video/mp4"));
    }

    /** One of its track files, as written while the meeting ran. */
    @Transactional(readOnly = true)
    public Optional<RecordingDownload> track(ParleyUser viewer, String recordingId, String trackId) {
        Recording recording = existing(recordingId);
        Room room = rooms.manageable(viewer, recording.getRoomId());
        List<RecordingTrack> tracks = rows.tracks(recording.getId());
        for (int i = 0; i < tracks.size(); i++) {
            RecordingTrack track = tracks.get(i);
            if (track.getId().equals(trackId) && files.size(files.track(track)) > 0) {
                String extension = track.getFileName().substring(track.getFileName().lastIndexOf('.'));
                String name = fileStem(room, recording) + "-" + (i + 1) + "-" + safe(track.getSource()) + "-"
                        + safe(track.getKind()) + extension;
                return Optional.of(new RecordingDownload(files.track(track), name,
                        RecordingDownload.contentType(name)));
            }
        }
        return Optional.empty();
    }

    /** Deletes a recording's files and row, audited; one still being recorded cannot be deleted. */
    @Transactional
    public void delete(ParleyUser actor, String recordingId) {
        Recording recording = existing(recordingId);
        Room room = rooms.manageable(actor, recording.getRoomId());
        if (recording.getState() == Recording.State.RECORDING) {
            throw new UserFacingException("recording.delete.running");
        }
        remove(recording, "room " + room.getSlug());
    }

    /**
     * Says that a recording's composed file is done: publishes {@link RecordingReady}, which the webhooks deliver as
     * {@code recording.ready}. The composition calls it once the row is READY; nothing happens for a recording that
     * is not (or no longer) there or not ready.
     */
    public void announceReady(String recordingId) {
        Optional<Recording> found = rows.find(recordingId);
        if (found.isEmpty() || found.get().getState() != Recording.State.READY) {
            log.warn("Recording {} is not ready; not announced", recordingId);
            return;
        }
        Recording recording = found.get();
        Long duration = recording.getDuration() == null ? null : recording.getDuration().toMillis();
        long size = files.size(files.composed(recording));
        events.publishEvent(new RecordingReady(recording.getRoomId(), recording.getId(), duration,
                size > 0 ? size : recording.getComposedBytes() == null ? 0 : recording.getComposedBytes(),
                clock.instant()));
    }

    /** The bytes every recording takes now, against the admins' quota. */
    public long usedBytes() {
        return files.usedBytes();
    }

    /**
     * The row of a recording, audited as the caller (the retention runs as "system"), and once that committed its
     * files: a row never outlives its files, and files left by a failed delete are swept later.
     */
    @Transactional
    void remove(Recording recording, String details) {
        String id = recording.getId();
        rows.delete(id);
        audit.record(AuditAction.RECORDING_DELETED, "recording " + id, details);
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                files.delete(id);
            }
        });
    }

    private Recording existing(String recordingId) {
        if (recordingId == null || !recordingId.matches("[A-Za-z0-9_-]{1,32}")) {
            throw new NotFoundException("recording");
        }
        return rows.find(recordingId).orElseThrow(() -> new NotFoundException("recording " + recordingId));
    }

    private RecordingView view(Recording recording, Room room) {
        List<RecordingView.Track> tracks = new ArrayList<>();
        long trackBytes = 0;
        for (RecordingTrack track : rows.tracks(recording.getId())) {
            long bytes = files.size(files.track(track));
            tracks.add(new RecordingView.Track(track, bytes));
            trackBytes += bytes;
        }
        return new RecordingView(recording, room == null ? null : room.getTitle(),
                room == null ? null : room.getSlug(), tracks, files.size(files.composed(recording)), trackBytes);
    }

    /** The room's slug and the recording's start in the room's time zone: parley-kZ3…-2026-12-04-1000. */
    private static String fileStem(Room room, Recording recording) {
        ZoneId zone;
        try {
            zone = ZoneId.of(room.getTimeZone());
        } catch (RuntimeException e) {
            zone = ZoneId.of("UTC");
        }
        return "parley-" + safe(room.getSlug()) + "-" + FILE_TIME.withZone(zone).format(recording.getStartedAt());
    }

    private static String safe(String part) {
        return part == null ? "" : part.replaceAll("[^A-Za-z0-9_-]", "");
    }
}
