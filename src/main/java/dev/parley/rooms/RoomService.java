package dev.parley.rooms;

import dev.parley.accounts.ParleyUser;
import dev.parley.accounts.UserAccount;
import dev.parley.accounts.UserAccountRepository;
import dev.parley.audit.AuditAction;
import dev.parley.audit.AuditLog;
import dev.parley.common.LikePatterns;
import dev.parley.common.NotFoundException;
import dev.parley.common.UserFacingException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/** Scheduling, changing, cancelling and deleting rooms, with the host-or-admin rule checked on every change. */
@Service
public class RoomService {

    /** A start a few minutes in the past is still "now" for someone filling in the form slowly. */
    private static final Duration PAST_START_TOLERANCE = Duration.ofMinutes(5);
    /** Far enough for any real plan; beyond it a start is a typo, and years near Instant's limits break the pages. */
    static final int MAX_YEARS_AHEAD = 5;

    private final RoomRepository rooms;
    private final UserAccountRepository users;
    private final SlugGenerator slugs;
    private final PasswordEncoder passwordEncoder;
    private final RoomClock roomClock;
    private final AuditLog audit;
    private final org.springframework.context.ApplicationEventPublisher events;
    private final TransactionTemplate transactions;

    public RoomService(RoomRepository rooms, UserAccountRepository users, SlugGenerator slugs,
                       PasswordEncoder passwordEncoder, RoomClock roomClock, AuditLog audit,
                       org.springframework.context.ApplicationEventPublisher events, TransactionTemplate transactions) {
        this.rooms = rooms;
        this.users = users;
        this.slugs = slugs;
        this.passwordEncoder = passwordEncoder;
        this.roomClock = roomClock;
        this.audit = audit;
        this.events = events;
        this.transactions = transactions;
    }

    /**
     * An instant meeting: open from this minute for an hour, no passcode, guests welcome, titled for its host. The
     * same checks and audit entry as any scheduled room.
     */
    @Transactional
    public Room meetNow(ParleyUser host, ZoneId zone, String title) {
        RoomForm form = RoomForm.forNewRoom(zone,
                LocalDateTime.ofInstant(roomClock.now(), zone).truncatedTo(ChronoUnit.MINUTES));
        form.setTitle(title);
        return schedule(host, form);
    }

    public Room schedule(ParleyUser host, RoomForm form) {
        if (!host.role().canHost()) {
            throw new org.springframework.security.access.AccessDeniedException("Only hosts schedule rooms");
        }
        checkStart(form, null); // refused before anything is hashed
        String passcodeHash = passcodeHash(form);
        return transactions.execute(status -> {
            UserAccount account = users.findById(host.id()).orElseThrow(() -> new NotFoundException("user"));
            Instant start = startOf(form);
            Room room = new Room(slugs.next(), account, roomClock.now());
            room.setStreamToken(slugs.streamToken());
            apply(room, form, start, passcodeHash);
            rooms.save(room);
            audit.record(AuditAction.ROOM_CREATED, describe(room), null);
            events.publishEvent(RoomChangedEvent.of(RoomChangedEvent.Change.CREATED, room, roomClock.now()));
            return room;
        });
    }

    public Room update(ParleyUser actor, long roomId, RoomForm form) {
        checkStart(form, manageable(actor, roomId)); // refused before anything is hashed
        String passcodeHash = passcodeHash(form);
        return transactions.execute(status -> {
            Room room = manageable(actor, roomId);
            checkStart(form, room);
            Instant start = startOf(form);
            apply(room, form, start, passcodeHash);
            room.setUpdatedAt(roomClock.now());
            audit.record(AuditAction.ROOM_UPDATED, describe(room), null);
            events.publishEvent(RoomChangedEvent.of(RoomChangedEvent.Change.UPDATED, room, roomClock.now()));
            return room;
        });
    }

    /**
     * The form's new passcode, hashed; null when it sets none. Hashed before the transaction, not inside it: a hash
     * may wait its turn (BoundedPasswordEncoder), and a transaction holds a database connection all along.
     */
    private String passcodeHash(RoomForm form) {
        return form.isRemovePasscode() || form.getPasscode() == null || form.getPasscode().isBlank()
                ? null : passwordEncoder.encode(form.getPasscode());
    }

    @Transactional
    public void cancel(ParleyUser actor, long roomId) {
        Room room = manageable(actor, roomId);
        if (!room.isCancelled()) {
            room.setCancelledAt(roomClock.now());
            room.setUpdatedAt(roomClock.now());
            audit.record(AuditAction.ROOM_CANCELLED, describe(room), null);
            events.publishEvent(new RoomClosedEvent(room.getId()));
            events.publishEvent(RoomChangedEvent.of(RoomChangedEvent.Change.CANCELLED, room, roomClock.now()));
        }
    }

    /** Restores a cancelled room, or opens a room now, ahead of its start or after it ended. */
    @Transactional
    public void open(ParleyUser actor, long roomId) {
        Room room = manageable(actor, roomId);
        room.setCancelledAt(null);
        room.setOpenedAt(roomClock.now());
        room.setUpdatedAt(roomClock.now());
        audit.record(AuditAction.ROOM_REOPENED, describe(room), null);
        events.publishEvent(RoomChangedEvent.of(RoomChangedEvent.Change.REOPENED, room, roomClock.now()));
    }

    /** Replaces the room's WHIP/WHEP bearer token; the old one stops working. */
    @Transactional
    public void rotateStreamToken(ParleyUser actor, long roomId) {
        Room room = manageable(actor, roomId);
        room.setStreamToken(slugs.streamToken());
        room.setUpdatedAt(roomClock.now());
        audit.record(AuditAction.ROOM_TOKEN_ROTATED, describe(room), null);
    }

    @Transactional
    public void delete(ParleyUser actor, long roomId) {
        Room room = manageable(actor, roomId);
        rooms.delete(room);
        audit.record(AuditAction.ROOM_DELETED, describe(room), null);
        events.publishEvent(new RoomClosedEvent(room.getId()));
        events.publishEvent(RoomChangedEvent.of(RoomChangedEvent.Change.DELETED, room, roomClock.now()));
    }

    /** For deleting a user: hands all their rooms to another host, or deletes them. */
    @Transactional
    public int transferAll(long fromUserId, long toUserId) {
        UserAccount target = users.findById(toUserId).orElseThrow(() -> new NotFoundException("user"));
        if (!target.getRole().canHost() || !target.isEnabled()) {
            throw new UserFacingException("admin.transferTargetNotHost");
        }
        List<Room> owned = rooms.findByHostId(fromUserId);
        for (Room room : owned) {
            room.setHost(target);
            room.setUpdatedAt(roomClock.now());
            audit.record(AuditAction.ROOM_TRANSFERRED, describe(room), "to " + target.getEmail());
        }
        return owned.size();
    }

    @Transactional
    public int deleteAllOf(long userId) {
        List<Room> owned = rooms.findByHostId(userId);
        for (Room room : owned) {
            audit.record(AuditAction.ROOM_DELETED, describe(room), "with its host's account");
            events.publishEvent(new RoomClosedEvent(room.getId())); // its meeting ends, as with delete()
            events.publishEvent(RoomChangedEvent.of(RoomChangedEvent.Change.DELETED, room, roomClock.now()));
        }
        rooms.deleteAll(owned);
        return owned.size();
    }

    @Transactional(readOnly = true)
    public Room manageable(ParleyUser actor, long roomId) {
        Room room = rooms.findWithHostById(roomId).orElseThrow(() -> new NotFoundException("room " + roomId));
        RoomPolicy.requireManage(actor, room);
        return room;
    }

    /** The rooms with these ids, by id (missing ones are left out). */
    @Transactional(readOnly = true)
    public Map<Long, Room> byIds(Collection<Long> ids) {
        Map<Long, Room> byId = new HashMap<>();
        rooms.findAllById(ids).forEach(room -> byId.put(room.getId(), room));
        return byId;
    }

    @Transactional(readOnly = true)
    public Optional<Room> bySlug(String slug) {
        return SlugGenerator.isWellFormed(slug) ? rooms.findBySlug(slug) : Optional.empty();
    }

    @Transactional(readOnly = true)
    public List<Room> hostedBy(long hostId) {
        return rooms.findByHostIdOrderByStartsAtDesc(hostId);
    }

    /** The host's rooms whose last meeting ends after the instant: upcoming and recent ones, cancelled included. */
    @Transactional(readOnly = true)
    public List<Room> hostedEndingAfter(long hostId, Instant instant) {
        // The last of at most 52 weekly meetings (ck_room_occurrences) of at most a day (ck_room_duration) ends less
        // than 52 weeks and a day after the first starts, daylight-saving shifts included.
        Instant earliestStart = instant.minus(Duration.ofDays(7 * 52 + 1));
        return rooms.findByHostIdAndStartsAtAfter(hostId, earliestStart).stream()
                .filter(room -> room.schedule().last().end().isAfter(instant))
                .toList();
    }

    @Transactional(readOnly = true)
    public long countHostedBy(long hostId) {
        return rooms.countByHostId(hostId);
    }

    @Transactional(readOnly = true)
    public Page<Room> search(String query, Pageable pageable) {
        return rooms.search(query == null || query.isBlank() ? null : LikePatterns.contains(query), pageable);
    }

    public boolean passcodeMatches(Room room, String passcode) {
        return room.hasPasscode() && passcode != null && passwordEncoder.matches(passcode, room.getPasscodeHash());
    }

    private void apply(Room room, RoomForm form, Instant start, String passcodeHash) {
        room.setTitle(form.getTitle().strip());
        room.setDescription(form.getDescription() == null || form.getDescription().isBlank()
                ? null : form.getDescription().strip());
        room.setStartsAt(start);
        room.setTimeZone(form.getTimeZone());
        room.setDurationMinutes(form.getDurationMinutes());
        room.setWeeklyOccurrences(form.weeklyOccurrences());
        room.setLobbyEnabled(form.isLobbyEnabled());
        room.setChatKept(form.isChatKept());
        room.setAutoRecord(form.isAutoRecord());
        room.setGuestsAllowed(form.isGuestsAllowed());
        room.setMaxParticipants(form.getMaxParticipants());
        if (form.isRemovePasscode()) {
            room.setPasscodeHash(null);
        } else if (passcodeHash != null) {
            room.setPasscodeHash(passcodeHash);
        }
    }

    /**
     * The start's own rules: not in the past (an existing room may keep its start) and within the next years. Skipped
     * while the start or its zone is missing or unknown: the form's validation reports those.
     */
    public void checkStart(RoomForm form, Room existing) {
        if (form.getStart() == null || form.getTimeZone() == null
                || !ZoneId.getAvailableZoneIds().contains(form.getTimeZone())) {
            return;
        }
        Instant start = startOf(form);
        if (existing == null || !start.equals(existing.getStartsAt())) {
            requireNotPast(start);
        }
        requireNotTooFar(start);
    }

    private static Instant startOf(RoomForm form) {
        return form.getStart().atZone(ZoneId.of(form.getTimeZone())).toInstant();
    }

    private void requireNotPast(Instant start) {
        if (start.isBefore(roomClock.now().minus(PAST_START_TOLERANCE))) {
            throw new UserFacingException("start", "room.start.past");
        }
    }

    private void requireNotTooFar(Instant start) {
        if (start.isAfter(roomClock.now().atZone(ZoneOffset.UTC).plusYears(MAX_YEARS_AHEAD).toInstant())) {
            throw new UserFacingException("start", "room.start.tooFar", MAX_YEARS_AHEAD);
        }
    }

    private static String describe(Room room) {
        return "room " + room.getSlug() + " \"" + room.getTitle() + "\"";
    }
}
