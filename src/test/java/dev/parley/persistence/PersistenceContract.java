package dev.parley.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.accounts.Role;
import dev.parley.accounts.UserAccount;
import dev.parley.accounts.UserAccountRepository;
import dev.parley.admin.AuditQuery;
import dev.parley.admin.AuditSearch;
import dev.parley.audit.AuditAction;
import dev.parley.audit.AuditEvent;
import dev.parley.audit.AuditLog;
import dev.parley.common.LikePatterns;
import dev.parley.rooms.Room;
import dev.parley.rooms.RoomRepository;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.web.authentication.rememberme.PersistentRememberMeToken;
import org.springframework.security.web.authentication.rememberme.PersistentTokenRepository;

/**
 * Repository and migration behaviour that must hold on every supported database. Each database gets a subclass; the
 * context starts with Flyway migrating an empty schema and Hibernate validating the entities against it.
 */
abstract class PersistenceContract {

    @Autowired
    UserAccountRepository users;

    @Autowired
    RoomRepository rooms;

    @Autowired
    AuditLog audit;

    @Autowired
    AuditSearch auditSearch;

    @Autowired
    PersistentTokenRepository rememberMeTokens;

    @Autowired
    DataSource dataSource;

    @Test
    void flywayAppliedEveryMigration() {
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        List<String> versions = jdbc.queryForList(
                "select \"version\" from \"flyway_schema_history\" where \"success\" = true and \"version\" is not null order by \"installed_rank\"",
                String.class);
        assertThat(versions).startsWith("1");
    }

    @Test
    void storesUsersWithUniqueEmails() {
        String email = unique("unique") + "@parley.test";
        users.saveAndFlush(new UserAccount(email, "First", "{noop}x", Role.MEMBER, Instant.now()));
        assertThatThrownBy(() -> users.saveAndFlush(new UserAccount(email.toUpperCase(), "Second", "{noop}x",
                Role.MEMBER, Instant.now()))).isInstanceOf(DataIntegrityViolationException.class);
    }

    @Test
    void searchTreatsWildcardsLiterallyAndIgnoresCase() {
        String tag = unique("wild");
        users.saveAndFlush(new UserAccount(tag + "-a@parley.test", "Percent 100% Sure", "{noop}x", Role.MEMBER, Instant.now()));
        users.saveAndFlush(new UserAccount(tag + "-b@parley.test", "Underscore_Name", "{noop}x", Role.HOST, Instant.now()));
        users.saveAndFlush(new UserAccount(tag + "-c@parley.test", "Plain", "{noop}x", Role.HOST, Instant.now()));

        assertThat(emails(users.search(LikePatterns.contains("100%"), page()))).containsExactly(tag + "-a@parley.test");
        assertThat(emails(users.search(LikePatterns.contains("e_n"), page()))).containsExactly(tag + "-b@parley.test");
        assertThat(emails(users.search(LikePatterns.contains(tag.toUpperCase()), page()))).hasSize(3);
        assertThat(users.findByRoleInAndEnabledTrueOrderByDisplayName(List.of(Role.HOST)))
                .extracting(UserAccount::getEmail).contains(tag + "-b@parley.test", tag + "-c@parley.test");
    }

    @Test
    void roomsKeepTheirHostScheduleAndInstantsToTheMicrosecond() {
        UserAccount host = users.saveAndFlush(new UserAccount(unique("host") + "@parley.test", "Host", "{noop}x",
                Role.HOST, Instant.now()));
        Instant start = Instant.parse("2031-03-30T07:30:00.123456Z");
        Room room = new Room(unique("s").substring(0, 22), host, Instant.now());
        room.setTitle("Persistence");
        room.setStartsAt(start);
        room.setTimeZone("Europe/Berlin");
        room.setDurationMinutes(45);
        room.setWeeklyOccurrences(3);
        room.setMaxParticipants(10);
        room.setGuestsAllowed(true);
        rooms.saveAndFlush(room);

        Room loaded = rooms.findBySlug(room.getSlug()).orElseThrow();
        assertThat(loaded.getStartsAt()).isEqualTo(start);
        assertThat(loaded.getHost().getEmail()).isEqualTo(host.getEmail());
        assertThat(rooms.findByHostIdOrderByStartsAtDesc(host.getId())).hasSize(1);
        PageRequest byStart = PageRequest.of(0, 50, Sort.by(Sort.Direction.DESC, "startsAt"));
        assertThat(rooms.search(LikePatterns.contains("persistence"), byStart).getContent())
                .extracting(Room::getSlug).contains(room.getSlug());
        assertThat(rooms.search(null, byStart).getTotalElements()).isPositive();

        Room duplicate = new Room(room.getSlug(), host, Instant.now());
        duplicate.setTitle("Dup");
        duplicate.setStartsAt(start);
        duplicate.setTimeZone("UTC");
        duplicate.setDurationMinutes(30);
        duplicate.setMaxParticipants(5);
        assertThatThrownBy(() -> rooms.saveAndFlush(duplicate)).isInstanceOf(DataIntegrityViolationException.class);
    }

    @Test
    void databaseChecksRejectOutOfRangeRooms() {
        UserAccount host = users.saveAndFlush(new UserAccount(unique("host") + "@parley.test", "Host", "{noop}x",
                Role.HOST, Instant.now()));
        Room room = new Room(unique("c").substring(0, 22), host, Instant.now());
        room.setTitle("Too long");
        room.setStartsAt(Instant.now());
        room.setTimeZone("UTC");
        room.setDurationMinutes(100_000);
        room.setMaxParticipants(10);
        assertThatThrownBy(() -> rooms.saveAndFlush(room)).isInstanceOf(DataIntegrityViolationException.class);
    }

    @Test
    void auditSearchWorksWithAndWithoutFilters() {
        String target = unique("target");
        String actor = unique("some+one") + "@parley.test";
        audit.recordAnonymous(actor, AuditAction.LOGIN_FAILED, target, "bad credentials");
        audit.recordAnonymous(actor, AuditAction.ACCOUNT_LOCKED, target, "after 5");
        assertThat(auditSearch.find(AuditQuery.EVERYTHING, newestFirst(500)).getContent())
                .extracting(AuditEvent::getTarget).contains(target);
        Page<AuditEvent> locked = auditSearch.find(new AuditQuery(AuditAction.ACCOUNT_LOCKED, target, null, null, null),
                newestFirst(10));
        assertThat(locked.getContent()).singleElement().satisfies(e -> {
            assertThat(e.getAction()).isEqualTo("ACCOUNT_LOCKED");
            assertThat(e.getOccurredAt()).isCloseTo(Instant.now(), org.assertj.core.api.Assertions.within(1, ChronoUnit.MINUTES));
        });

        // Who did it, in any case, within a range of moments: the start included, the end not.
        Instant at = locked.getContent().get(0).getOccurredAt();
        assertThat(auditSearch.find(new AuditQuery(null, null, actor.toUpperCase(), at.minusSeconds(60),
                at.plusSeconds(60)), newestFirst(10))).hasSize(2);
        assertThat(auditSearch.find(new AuditQuery(AuditAction.ACCOUNT_LOCKED, null, actor, at, null), newestFirst(10)))
                .hasSize(1);
        assertThat(auditSearch.find(new AuditQuery(AuditAction.ACCOUNT_LOCKED, null, actor, null, at), newestFirst(10)))
                .isEmpty();
        assertThat(auditSearch.find(new AuditQuery(null, null, actor, at.plusSeconds(60), null), newestFirst(10)))
                .isEmpty();
        assertThat(auditSearch.find(new AuditQuery(null, target, "%", null, null), newestFirst(10)))
                .as("a %% is a literal, not a wildcard").isEmpty();

        // ... or by the display name of the actor's account.
        String name = unique("Quill ");
        UserAccount named = users.saveAndFlush(new UserAccount(unique("named") + "@parley.test", name, "{noop}x",
                Role.MEMBER, Instant.now()));
        audit.recordBy(named.getId(), named.getEmail(), null, AuditAction.MEETING_MUTED, target, null);
        assertThat(auditSearch.find(new AuditQuery(null, null, name.toUpperCase().substring(2), null, null),
                newestFirst(10)).getContent()).singleElement()
                .satisfies(e -> assertThat(e.getActorId()).isEqualTo(named.getId()));
    }

    @Test
    void calendarFeedsAreOnePerAccountOneHashEachAndGoWithTheirAccount() {
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        UserAccount host = users.saveAndFlush(new UserAccount(unique("feed") + "@parley.test", "Feed", "{noop}x",
                Role.HOST, Instant.now()));
        UserAccount other = users.saveAndFlush(new UserAccount(unique("feed") + "@parley.test", "Other", "{noop}x",
                Role.HOST, Instant.now()));
        String insert = "insert into calendar_feed (user_id, token_hash, created_at) values (?, ?, ?)";
        Timestamp now = Timestamp.from(Instant.now());
        String hash = unique("hash");
        jdbc.update(insert, host.getId(), hash, now);
        assertThatThrownBy(() -> jdbc.update(insert, host.getId(), unique("hash"), now)).as("one feed per account")
                .isInstanceOf(DataIntegrityViolationException.class);
        assertThatThrownBy(() -> jdbc.update(insert, other.getId(), hash, now)).as("a hash names one feed")
                .isInstanceOf(DataIntegrityViolationException.class);

        users.deleteById(host.getId());
        users.flush();
        assertThat(jdbc.queryForObject("select count(*) from calendar_feed where user_id = ?", Integer.class,
                host.getId())).isZero();
    }

    @Test
    void rememberMeTokensRoundTrip() {
        String series = unique("series");
        rememberMeTokens.createNewToken(new PersistentRememberMeToken("someone@parley.test", series, "token-1", new Date()));
        rememberMeTokens.updateToken(series, "token-2", new Date());
        assertThat(rememberMeTokens.getTokenForSeries(series).getTokenValue()).isEqualTo("token-2");
        rememberMeTokens.removeUserTokens("someone@parley.test");
        assertThat(rememberMeTokens.getTokenForSeries(series)).isNull();
    }

    private static List<String> emails(Page<UserAccount> page) {
        return page.getContent().stream().map(UserAccount::getEmail).toList();
    }

    private static PageRequest newestFirst(int size) {
        return PageRequest.of(0, size, Sort.by(Sort.Direction.DESC, "occurredAt").and(Sort.by(Sort.Direction.DESC, "id")));
    }

    private static PageRequest page() {
        return PageRequest.of(0, 50, Sort.by("email"));
    }

    private static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "");
    }
}
