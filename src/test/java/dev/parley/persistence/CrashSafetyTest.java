package dev.parley.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.accounts.Role;
import dev.parley.persistence.CrashWorkload.AdminWorker;
import dev.parley.persistence.CrashWorkload.HostWorker;
import dev.parley.persistence.CrashWorkload.RoomRow;
import dev.parley.persistence.CrashWorkload.Snapshot;
import dev.parley.persistence.CrashWorkload.UserRow;
import dev.parley.persistence.CrashWorkload.Worker;
import dev.parley.testing.ParleyProcess;
import dev.parley.testing.PostgresSupport;
import dev.parley.testing.WebSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 in the middle of writes leaves the database consistent, on the embedded H2 file database and on PostgreSQL.
 *
 * <p>Parley runs as a process of its own ({@link ParleyProcess}). Three workers write over HTTP at once, each one
 * request at a time: an admin creates users, changes their roles, disables and enables them, signs in as one of the
 * hosts among them to schedule a room, and deletes them (their rooms handed to another host or deleted with them); two
 * hosts schedule, edit, cancel, reopen and delete rooms. After a seeded number of acknowledged writes (and a seeded
 * few milliseconds more) the process gets SIGKILL; the database is inspected, Parley is started again on it, and the
 * round repeats, three times; a last start shows that the third crash left a database Parley starts on.
 *
 * <p>"Consistent" is checked as:
 * <ul>
 * <li>Parley starts on the crashed database: Flyway finds no failed migration and Hibernate's schema validation
 * passes, so /actuator/health is UP; an admin and a host sign in and the host schedules a room.</li>
 * <li>Durable and atomic writes: each worker's users (by e-mail: role, enabled) and rooms (by a key in the
 * description: title, cancelled, host) are exactly what its acknowledged writes left, or that plus the one write that
 * had no answer when the process died, as a whole. A user deleted with their rooms handed over or deleted is either
 * still there with all their rooms, or gone with every room moved or gone; never in between.</li>
 * <li>No half-written entity: no room points at a missing host, no key belongs to two rooms, and at least one enabled
 * admin exists.</li>
 * <li>The audit log agrees with the data. {@code AuditLog.record} joins the writing transaction (REQUIRED), so an
 * audit row commits exactly when its change does: replaying each user's USER_* events (created with role=..., role
 * changes, enabled/disabled, deleted) and each room's ROOM_* events (created, cancelled, reopened, deleted) must give
 * the state the tables hold. An audit entry for a write that did not commit, or a committed write without its entry,
 * fails. (Failed sign-ins are audited in a transaction of their own, on purpose; this test does not make any.)</li>
 * </ul>
 *
 * <p>H2 is inspected through a copy of the killed database's files (an embedded database cannot be opened while
 * Parley holds it), so Parley itself recovers the original; PostgreSQL directly, once the killed process's sessions
 * are gone. The seed ({@code -Dparley.crashSeed}) fixes the kill points and the choice of writes; thread timing
 * still varies. The two databases' runs go side by side (each with its own Parley process, database and logs).
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class CrashSafetyTest {

    static final String ADMIN_EMAIL = "crash-admin@parley.test";
    static final String ADMIN_PASSWORD = "Quartz-Pelican-Harbor-58";
    static final int CYCLES = 3;
    static final long SEED = Long.getLong("parley.crashSeed", 8L);
    static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    static final Duration WORKLOAD_TIMEOUT = Duration.ofSeconds(20);
    static final Path LOGS = Path.of("target", "crash-safety");

    @TempDir
    Path temp;

    /** Opens the database as the crashed (or stopped) Parley left it. */
    interface Inspector {
        Connection open(String label) throws Exception;
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT) // beside postgresql(): they share nothing
    void h2FileDatabase() throws Exception {
        Path files = temp.resolve("db");
        String url = "jdbc:h2:file:" + files.resolve("parley").toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE";
        run("h2", List.of("--spring.datasource.url=" + url), label -> {
            Path copy = temp.resolve("inspect-" + label);
            Files.createDirectories(copy);
            try (Stream<Path> list = Files.list(files)) {
                for (Path file : list.filter(f -> !f.getFileName().toString().endsWith(".lock.db")).toList()) {
                    Files.copy(file, copy.resolve(file.getFileName()));
                }
            }
            return DriverManager.getConnection("jdbc:h2:file:" + copy.resolve("parley").toAbsolutePath(),
                    "parley", "");
        });
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    @ExtendWith(PostgresSupport.class)
    void postgresql() throws Exception {
        PostgresSupport.Endpoint database = PostgresSupport.freshDatabase();
        run("postgres", List.of("--spring.profiles.active=postgres", "--spring.datasource.url=" + database.url(),
                "--spring.datasource.username=" + database.username(),
                "--spring.datasource.password=" + database.password()), label -> {
            Connection connection = DriverManager.getConnection(database.url(), database.username(),
                    database.password());
            awaitOnlySession(connection);
            return connection;
        });
    }

    private void run(String db, List<String> databaseArguments, Inspector inspector) throws Exception {
        long began = System.nanoTime();
        Random seeds = new Random(SEED * 31 + db.hashCode());
        String tag = "crash-" + db + "-" + Long.toHexString(System.nanoTime() & 0xffffff);
        List<String> arguments = new ArrayList<>(databaseArguments);
        arguments.add("--parley.admin.email=" + ADMIN_EMAIL);
        arguments.add("--parley.admin.password=" + ADMIN_PASSWORD);
        Files.createDirectories(LOGS);

        AtomicInteger acknowledged = new AtomicInteger();
        HostWorker hostA = new HostWorker(tag + "-a", tag + "-host-a@crash.test", acknowledged);
        HostWorker hostB = new HostWorker(tag + "-b", tag + "-host-b@crash.test", acknowledged);
        AdminWorker admin = null;
        List<String> report = new ArrayList<>();

        for (int cycle = 1; cycle <= CYCLES + 1; cycle++) {
            boolean last = cycle > CYCLES;
            Path log = LOGS.resolve(db + "-" + cycle + ".log");
            Files.deleteIfExists(log);
            long startedAt = System.nanoTime();
            ParleyProcess parley = ParleyProcess.start(arguments, log, START_TIMEOUT);
            long startMillis = (System.nanoTime() - startedAt) / 1_000_000;
            try {
                String base = parley.baseUrl();
                WebSession adminSession = CrashWorkload.login(base, ADMIN_EMAIL, ADMIN_PASSWORD);
                if (cycle == 1) {
                    createHost(adminSession, hostA.hostEmail);
                    long heirId = createHost(adminSession, hostB.hostEmail);
                    admin = new AdminWorker(tag + "-admin", hostB.hostEmail, heirId, acknowledged);
                }
                Random random = new Random(seeds.nextLong());
                admin.beginAt(base, adminSession, new Random(random.nextLong()));
                hostA.begin(CrashWorkload.login(base, hostA.hostEmail, CrashWorkload.PASSWORD), "/rooms/new",
                        new Random(random.nextLong()));
                hostB.begin(CrashWorkload.login(base, hostB.hostEmail, CrashWorkload.PASSWORD), "/rooms/new",
                        new Random(random.nextLong()));
                // The app works after the restart: both hosts schedule a room, acknowledged like any other write.
                hostA.schedule();
                hostB.schedule();
                signInAsSurvivor(base, admin);
                if (last) {
                    parley.stop(Duration.ofSeconds(30));
                    verify(db, inspector.open("final"), List.of(admin, hostA, hostB), hostA, hostB);
                    break;
                }

                int killAfter = 10 + random.nextInt(40);
                long extraMillis = random.nextInt(150);
                acknowledged.set(0);
                List<Thread> threads = new ArrayList<>();
                for (Worker worker : List.of(admin, hostA, hostB)) {
                    Thread thread = new Thread(worker, worker.name);
                    thread.setDaemon(true);
                    threads.add(thread);
                }
                threads.forEach(Thread::start);
                try {
                    await().atMost(WORKLOAD_TIMEOUT).pollInterval(Duration.ofMillis(2))
                            .until(() -> acknowledged.get() >= killAfter
                                    || !threads.stream().allMatch(Thread::isAlive));
                } catch (ConditionTimeoutException slowWorkload) {
                    // kill all the same: the checks below count what was acknowledged by then
                }
                Thread.sleep(extraMillis);
                parley.kill();
                int writes = acknowledged.get();
                for (Worker worker : List.of(admin, hostA, hostB)) {
                    worker.stopped = true;
                }
                for (Thread thread : threads) {
                    thread.join(15_000);
                    assertThat(thread.isAlive()).as("%s ended after the kill", thread.getName()).isFalse();
                }
                for (Worker worker : List.of(admin, hostA, hostB)) {
                    if (worker.failure != null) {
                        throw new AssertionError(worker.name + " failed before the kill (server log " + log + ")",
                                worker.failure);
                    }
                }
                assertThat(writes).as("acknowledged writes before the kill in cycle %d", cycle).isPositive();
                long unanswered = Stream.of(admin, hostA, hostB).filter(w -> w.inFlight != null).count();
                report.add(String.format("cycle %d: started in %d ms, killed after %d acknowledged writes "
                        + "(target %d + %d ms), %d without answer", cycle, startMillis, writes, killAfter,
                        extraMillis, unanswered));
                verify(db, inspector.open("cycle" + cycle), List.of(admin, hostA, hostB), hostA, hostB);
            } finally {
                parley.close();
            }
        }
        report.add(String.format("total %d s", (System.nanoTime() - began) / 1_000_000_000));
        System.out.println("[" + db + "] " + String.join("; ", report));
    }

    private static long createHost(WebSession admin, String email) {
        String token = admin.get("/admin/users/new").csrfToken();
        WebSession.Page page = admin.post("/admin/users", token, Map.of("email", email, "displayName", "Crash host",
                "role", "HOST", "newPassword", CrashWorkload.PASSWORD));
        assertThat(page.status()).as("creating %s", email).isEqualTo(302);
        return Worker.idFrom(page);
    }

    /** A user the admin worker created and kept enabled still signs in with their password. */
    private static void signInAsSurvivor(String base, AdminWorker admin) {
        admin.confirmed.users().values().stream().filter(UserRow::enabled).findFirst()
                .ifPresent(user -> CrashWorkload.login(base, user.email(), CrashWorkload.PASSWORD));
    }

    // ---- checks -------------------------------------------------------------------------------------------------

    private void verify(String db, Connection connection, List<Worker> workers, HostWorker... fixedHosts)
            throws SQLException {
        try (connection) {
            for (Worker worker : workers) {
                checkWorker(db, connection, worker);
            }
            try (Statement statement = connection.createStatement()) {
                assertThat(count(statement, "select count(*) from \"flyway_schema_history\" where not \"success\""))
                        .as("failed Flyway migrations").isZero();
                assertThat(count(statement, "select count(*) from room r where not exists "
                        + "(select 1 from user_account u where u.id = r.host_id)")).as("rooms without a host").isZero();
                assertThat(count(statement, "select count(*) from user_account where role = 'ADMIN' and enabled"))
                        .as("enabled admins").isPositive();
                assertThat(count(statement, "select count(*) from user_account where email = '" + ADMIN_EMAIL
                        + "' and role = 'ADMIN' and enabled")).as("the first admin, never changed").isOne();
            }
            for (HostWorker host : fixedHosts) {
                try (PreparedStatement query = connection.prepareStatement(
                        "select count(*) from user_account where email = ? and role = 'HOST' and enabled")) {
                    query.setString(1, host.hostEmail);
                    assertThat(single(query)).as("host %s, never changed", host.hostEmail).isOne();
                }
            }
            checkAudit(connection, workers);
        }
    }

    /** The worker's users and rooms are exactly its confirmed state, or that plus its unanswered write. */
    private static void checkWorker(String db, Connection connection, Worker worker) throws SQLException {
        TreeMap<String, UserRow> users = new TreeMap<>();
        Map<String, Long> userIds = new HashMap<>();
        try (PreparedStatement query = connection.prepareStatement(
                "select id, role, enabled from user_account where email = ?")) {
            for (String email : worker.userKeys()) {
                query.setString(1, email);
                try (ResultSet rows = query.executeQuery()) {
                    if (rows.next()) {
                        users.put(email, new UserRow(email, Role.valueOf(rows.getString(2)), rows.getBoolean(3)));
                        userIds.put(email, rows.getLong(1));
                    }
                }
            }
        }
        TreeMap<String, RoomRow> rooms = new TreeMap<>();
        Map<String, Long> roomIds = new HashMap<>();
        Map<String, String> slugs = new HashMap<>();
        try (PreparedStatement query = connection.prepareStatement("select r.id, r.slug, r.title, r.cancelled_at, "
                + "u.email from room r left join user_account u on u.id = r.host_id where r.description = ?")) {
            for (String key : worker.roomKeys()) {
                query.setString(1, key);
                try (ResultSet rows = query.executeQuery()) {
                    if (rows.next()) {
                        rooms.put(key, new RoomRow(key, rows.getString(3), rows.getObject(4) != null,
                                rows.getString(5)));
                        roomIds.put(key, rows.getLong(1));
                        slugs.put(key, rows.getString(2));
                        assertThat(rows.next()).as("[%s] two rooms with key %s", db, key).isFalse();
                    }
                }
            }
        }
        Snapshot actual = new Snapshot(users, rooms);
        Snapshot confirmed = worker.confirmed;
        Snapshot inFlight = worker.inFlight;
        if (!actual.equals(confirmed) && !actual.equals(inFlight)) {
            throw new AssertionError(String.format("[%s] %s: the database holds neither the acknowledged state nor "
                    + "that plus the unanswered write.%n  against the acknowledged state: %s%n  against the unanswered "
                    + "write's: %s", db, worker.name, differences(actual, confirmed),
                    inFlight == null ? "(none)" : differences(actual, inFlight)));
        }
        worker.adopt(actual, userIds, roomIds, slugs);
    }

    /** What the database holds where it differs from the expected state, entry by entry. */
    private static String differences(Snapshot actual, Snapshot expected) {
        List<String> out = new ArrayList<>();
        differences(actual.users(), expected.users(), out);
        differences(actual.rooms(), expected.rooms(), out);
        return String.join("; ", out);
    }

    private static <T> void differences(Map<String, T> actual, Map<String, T> expected, List<String> out) {
        Set<String> keys = new TreeSet<>(actual.keySet());
        keys.addAll(expected.keySet());
        for (String key : keys) {
            if (!Objects.equals(actual.get(key), expected.get(key))) {
                out.add(key + ": database " + actual.get(key) + ", expected " + expected.get(key));
            }
        }
    }

    /** Replaying the audit log gives the state the tables hold, for every user and room the workers touched. */
    private static void checkAudit(Connection connection, List<Worker> workers) throws SQLException {
        for (Worker worker : workers) {
            for (String email : worker.everUsedEmails) {
                UserRow replayed = null;
                try (PreparedStatement query = connection.prepareStatement("select action, details from audit_event "
                        + "where target = ? and action like 'USER%' order by id")) {
                    query.setString(1, email);
                    try (ResultSet rows = query.executeQuery()) {
                        while (rows.next()) {
                            replayed = replayUser(email, replayed, rows.getString(1), rows.getString(2));
                        }
                    }
                }
                assertThat(replayed).as("%s as its audit entries tell it", email)
                        .isEqualTo(worker.confirmed.users().get(email));
            }
        }
        Map<String, List<String>> roomEvents = new HashMap<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(
                     "select action, target from audit_event where action like 'ROOM%' order by id")) {
            while (rows.next()) {
                String target = rows.getString(2);
                String slug = target.startsWith("room ") ? target.substring(5, target.indexOf(' ', 5)) : target;
                roomEvents.computeIfAbsent(slug, s -> new ArrayList<>()).add(rows.getString(1));
            }
        }
        for (Worker worker : workers) {
            for (Map.Entry<String, String> entry : worker.slugs.entrySet()) {
                Boolean cancelled = null;
                for (String action : roomEvents.getOrDefault(entry.getValue(), List.of())) {
                    cancelled = switch (action) {
                        case "ROOM_CREATED", "ROOM_REOPENED" -> false;
                        case "ROOM_CANCELLED" -> true;
                        case "ROOM_DELETED" -> null;
                        default -> cancelled;
                    };
                }
                RoomRow room = worker.confirmed.rooms().get(entry.getKey());
                assertThat(cancelled).as("room %s (%s) as its audit entries tell it: %s", entry.getKey(),
                        entry.getValue(), roomEvents.get(entry.getValue()))
                        .isEqualTo(room == null ? null : room.cancelled());
            }
        }
    }

    private static UserRow replayUser(String email, UserRow before, String action, String details) {
        return switch (action) {
            case "USER_CREATED" -> new UserRow(email, Role.valueOf(details.substring("role=".length())), true);
            case "USER_DELETED" -> null;
            case "USER_ROLE_CHANGED" -> new UserRow(email,
                    Role.valueOf(details.substring(details.indexOf("-> ") + 3)), before.enabled());
            case "USER_ENABLED" -> new UserRow(email, before.role(), true);
            case "USER_DISABLED" -> new UserRow(email, before.role(), false);
            default -> before;
        };
    }

    /** PostgreSQL: the killed process's sessions have ended (their open transactions rolled back). */
    private static void awaitOnlySession(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            await("sessions of the killed Parley closed").atMost(Duration.ofSeconds(15))
                    .pollInterval(Duration.ofMillis(50)).pollInSameThread()
                    .until(() -> count(statement, "select count(*) from pg_stat_activity "
                            + "where datname = current_database() and pid <> pg_backend_pid()") == 0);
        }
    }

    private static long count(Statement statement, String sql) throws SQLException {
        try (ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static long single(PreparedStatement query) throws SQLException {
        try (ResultSet rows = query.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
