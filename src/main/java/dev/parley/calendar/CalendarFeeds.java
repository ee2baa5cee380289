package dev.parley.calendar;

import dev.parley.common.SecretTokens;
import dev.parley.accounts.ParleyUser;
import dev.parley.accounts.UserAccountRepository;
import dev.parley.audit.AuditAction;
import dev.parley.audit.AuditLog;
import dev.parley.rooms.IcsInvitation;
import dev.parley.rooms.Room;
import dev.parley.rooms.RoomSchedule;
import dev.parley.rooms.RoomService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Each host's private calendar feed: an address with a random 256-bit token, /calendar/{token}.ics, that calendar apps
 * subscribe to and that lists the host's upcoming and recent rooms. Only the token's SHA-256 hash is stored, so the
 * address is shown once, when it is made; a new address replaces the old one, and the host can turn the feed off.
 * Making, replacing and turning off are audited. A feed whose owner is disabled or may no longer host answers as an
 * unknown one does, and works again if they are enabled or made host again.
 */
@Service
public class CalendarFeeds {

    /** How long after its last meeting ended a room stays in the feed (cancelled ones too, so calendars drop them). */
    static final Duration RECENT = Duration.ofDays(30);
    /** At most this many rooms per feed: the soonest upcoming first, then the most recently ended. */
    static final int MAX_EVENTS = 500;
    /** How often calendar apps are asked to fetch the feed again. */
    static final Duration REFRESH = Duration.ofHours(1);

    private static final int TOKEN_BYTES = 32;
    private static final Pattern TOKEN_SHAPE = Pattern.compile("[A-Za-z0-9_-]{43}");

    /** A feed that its token opened: which it is (for its allowance) and whose rooms it lists. */
    public record OpenFeed(long id, long ownerId, String ownerName) {
    }

    /** A new address: its token (never stored) and whether it replaced an older one. */
    public record NewAddress(String token, boolean replaced) {
    }

    private final CalendarFeedRepository feeds;
    private final UserAccountRepository users;
    private final RoomService rooms;
    private final IcsInvitation ics;
    private final AuditLog audit;
    private final Clock clock;

    CalendarFeeds(CalendarFeedRepository feeds, UserAccountRepository users, RoomService rooms, IcsInvitation ics,
                  AuditLog audit, Clock clock) {
        this.feeds = feeds;
        this.users = users;
        this.rooms = rooms;
        this.ics = ics;
        this.audit = audit;
        this.clock = clock;
    }

    /** When the account's current address was made; null when it has no feed (the profile page asks). */
    @Transactional(readOnly = true)
    public Instant since(long userId) {
        return feeds.findByUserId(userId).map(CalendarFeed::getCreatedAt).orElse(null);
    }

    /** Makes the host's feed, or gives it a new address: the old one stops working at once. */
    @Transactional
    public NewAddress renew(ParleyUser owner) {
        requireHost(owner);
        String token = newToken();
        Instant now = clock.instant();
        Optional<CalendarFeed> existing = feeds.findByUserId(owner.id());
        if (existing.isPresent()) {
            existing.get().replaceToken(hash(token), now);
            audit.record(AuditAction.CALENDAR_FEED_REPLACED, owner.email(), null);
        } else {
            feeds.save(new CalendarFeed(owner.id(), hash(token), now));
            audit.record(AuditAction.CALENDAR_FEED_CREATED, owner.email(), null);
        }
        return new NewAddress(token, existing.isPresent());
    }

    /** Turns the host's feed off; false when there was none. */
    @Transactional
    public boolean turnOff(ParleyUser owner) {
        requireHost(owner);
        Optional<CalendarFeed> existing = feeds.findByUserId(owner.id());
        existing.ifPresent(feed -> {
            feeds.delete(feed);
            audit.record(AuditAction.CALENDAR_FEED_TURNED_OFF, owner.email(), null);
        });
        return existing.isPresent();
    }

    /** The feed this token opens: none when the token is malformed or unknown, or its owner is disabled or no host. */
    @Transactional(readOnly = true)
    public Optional<OpenFeed> open(String token) {
        if (token == null || !TOKEN_SHAPE.matcher(token).matches()) {
            return Optional.empty();
        }
        return feeds.findByTokenHash(hash(token)).flatMap(feed -> users.findById(feed.getUserId())
                .filter(owner -> owner.isEnabled() && owner.getRole().canHost())
                .map(owner -> new OpenFeed(feed.getId(), owner.getId(), owner.getDisplayName())));
    }

    /** The feed's calendar now: an event per upcoming or recent room its owner hosts. */
    @Transactional(readOnly = true)
    public String calendar(OpenFeed feed, Function<Room, String> joinUrl) {
        Instant now = clock.instant();
        List<Room> listed = nearest(rooms.hostedEndingAfter(feed.ownerId(), now.minus(RECENT)), now);
        return ics.feed("Parley – " + feed.ownerName(), listed, joinUrl, REFRESH);
    }

    /** Upcoming rooms by their next meeting, then ended ones latest first; ties by id, so the bytes stay the same. */
    private static List<Room> nearest(List<Room> hosted, Instant now) {
        Comparator<Room> bySoonest = Comparator.<Room, Instant>comparing(room -> room.schedule().nextOrCurrent(now)
                .map(RoomSchedule.Occurrence::start).orElseThrow()).thenComparing(Room::getId);
        Comparator<Room> byLatest = Comparator.<Room, Instant>comparing(room -> room.schedule().last().end())
                .reversed().thenComparing(Room::getId);
        Stream<Room> upcoming = hosted.stream().filter(room -> isUpcoming(room, now)).sorted(bySoonest);
        Stream<Room> ended = hosted.stream().filter(room -> !isUpcoming(room, now)).sorted(byLatest);
        return Stream.concat(upcoming, ended).limit(MAX_EVENTS).toList();
    }

    private static boolean isUpcoming(Room room, Instant now) {
        return room.schedule().last().end().isAfter(now);
    }

    private static void requireHost(ParleyUser user) {
        if (!user.role().canHost()) {
            throw new AccessDeniedException("Only hosts have a calendar feed");
        }
    }

    private String newToken() {
        return SecretTokens.random(TOKEN_BYTES);
    }

    static String hash(String token) {
        return SecretTokens.sha256Hex(token);
    }
}
