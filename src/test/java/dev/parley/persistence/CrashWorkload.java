package dev.parley.persistence;

import dev.parley.accounts.Role;
import dev.parley.testing.RoomForms;
import dev.parley.testing.WebSession;
import java.io.IOException;
import java.net.URI;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The writes {@link CrashSafetyTest} drives over HTTP, and what each worker knows the database must hold. A worker
 * sends one write at a time, so at the moment of a kill it has at most one write without an answer: the database then
 * holds either what the acknowledged writes left ({@link Worker#confirmed}) or that plus the unanswered write
 * ({@link Worker#inFlight}), as a whole.
 */
final class CrashWorkload {

    static final String PASSWORD = "Tangerine-Lighthouse-93";
    private static final ZoneId ZONE = ZoneId.of("UTC");

    private CrashWorkload() {
    }

    record UserRow(String email, Role role, boolean enabled) {
    }

    /** A room, found by its key (the test puts it in the description, which no write changes). */
    record RoomRow(String key, String title, boolean cancelled, String hostEmail) {
    }

    /** One worker's users (by e-mail) and rooms (by key), as the database should hold them. */
    record Snapshot(SortedMap<String, UserRow> users, SortedMap<String, RoomRow> rooms) {

        static final Snapshot EMPTY = new Snapshot(new TreeMap<>(), new TreeMap<>());

        Snapshot withUser(UserRow user) {
            TreeMap<String, UserRow> copy = new TreeMap<>(users);
            copy.put(user.email(), user);
            return new Snapshot(copy, rooms);
        }

        Snapshot withoutUser(String email) {
            TreeMap<String, UserRow> copy = new TreeMap<>(users);
            copy.remove(email);
            return new Snapshot(copy, rooms);
        }

        Snapshot withRoom(RoomRow room) {
            TreeMap<String, RoomRow> copy = new TreeMap<>(rooms);
            copy.put(room.key(), room);
            return new Snapshot(users, copy);
        }

        Snapshot withoutRoom(String key) {
            TreeMap<String, RoomRow> copy = new TreeMap<>(rooms);
            copy.remove(key);
            return new Snapshot(users, copy);
        }

        List<RoomRow> roomsOf(String email) {
            return rooms.values().stream().filter(r -> r.hostEmail().equals(email)).toList();
        }
    }

    /** A request that got no answer: the server was killed before or while it ran. */
    static final class NoAnswer extends RuntimeException {
        NoAnswer(Throwable cause) {
            super(cause);
        }
    }

    /** Runs a request; a connection failure (the server is gone) becomes {@link NoAnswer}. */
    static WebSession.Page call(Supplier<WebSession.Page> request) {
        try {
            return request.get();
        } catch (AssertionError e) {
            if (e.getCause() instanceof IOException) {
                throw new NoAnswer(e);
            }
            throw e;
        }
    }

    /** Signs in through the form; {@link NoAnswer} when the server is gone, a failure when it refuses. */
    static WebSession login(String baseUrl, String email, String password) {
        WebSession session = new WebSession(baseUrl);
        WebSession.Page result = call(() -> session.submit("/login", "/login",
                Map.of("email", email, "password", password)));
        if (result.status() != 302 || result.location().contains("/login")) {
            throw new AssertionError("sign-in as " + email + " refused: " + result.status() + " "
                    + result.header("Location").orElse(""));
        }
        return session;
    }

    abstract static class Worker implements Runnable {

        final String name;
        final AtomicInteger acknowledged;
        volatile Snapshot confirmed = Snapshot.EMPTY;
        volatile Snapshot inFlight;
        final Map<String, Long> userIds = new ConcurrentHashMap<>();
        final Map<String, Long> roomIds = new ConcurrentHashMap<>();
        /** Room key to slug, learnt from the database after each kill; slugs of deleted rooms stay here. */
        final Map<String, String> slugs = new ConcurrentHashMap<>();
        final Set<String> everUsedEmails = Collections.synchronizedSet(new TreeSet<>());
        volatile Throwable failure;
        volatile boolean stopped;
        WebSession session;
        String csrf;
        Random random;
        int sequence;

        Worker(String name, AtomicInteger acknowledged) {
            this.name = name;
            this.acknowledged = acknowledged;
        }

        /** A new server: a new session (signed in already), a new token, a new random stream. */
        void begin(WebSession session, String formPage, Random random) {
            this.session = session;
            this.csrf = call(() -> session.get(formPage)).csrfToken();
            this.random = random;
            this.stopped = false;
            this.failure = null;
        }

        @Override
        public void run() {
            try {
                while (!stopped) {
                    step();
                }
            } catch (NoAnswer expected) {
                // killed
            } catch (Throwable t) {
                failure = t;
            }
        }

        abstract void step();

        /**
         * Sends a write whose commit turns the database into {@code after}; the answer must be a redirect to a path
         * matching {@code expectedPath}. Only then is the write acknowledged.
         */
        WebSession.Page write(Snapshot after, Supplier<WebSession.Page> request, String expectedPath) {
            inFlight = after;
            WebSession.Page page = call(request);
            String path = page.status() == 302 ? URI.create(page.location()).getPath() : "";
            if (!path.matches(expectedPath)) {
                throw new AssertionError(name + ": expected a redirect to " + expectedPath + " but got "
                        + page.status() + " " + page.header("Location").orElse("") + " "
                        + page.html().select(".field-error, .flash, [data-testid=form-errors]").text());
            }
            confirmed = after;
            inFlight = null;
            acknowledged.incrementAndGet();
            return page;
        }

        /** After a kill: the database's state (one of the two allowed) becomes what this worker builds on. */
        void adopt(Snapshot actual, Map<String, Long> users, Map<String, Long> rooms, Map<String, String> roomSlugs) {
            confirmed = actual;
            inFlight = null;
            userIds.putAll(users);
            roomIds.putAll(rooms);
            slugs.putAll(roomSlugs);
        }

        Set<String> userKeys() {
            Set<String> keys = new TreeSet<>(confirmed.users().keySet());
            if (inFlight != null) {
                keys.addAll(inFlight.users().keySet());
            }
            keys.addAll(everUsedEmails);
            return keys;
        }

        Set<String> roomKeys() {
            Set<String> keys = new TreeSet<>(confirmed.rooms().keySet());
            if (inFlight != null) {
                keys.addAll(inFlight.rooms().keySet());
            }
            keys.addAll(slugs.keySet());
            return keys;
        }

        static long idFrom(WebSession.Page page) {
            String path = URI.create(page.location()).getPath();
            return Long.parseLong(path.substring(path.lastIndexOf('/') + 1));
        }
    }

    /** A host scheduling, editing, cancelling, reopening and deleting their own rooms. */
    static final class HostWorker extends Worker {

        final String hostEmail;

        HostWorker(String name, String hostEmail, AtomicInteger acknowledged) {
            super(name, acknowledged);
            this.hostEmail = hostEmail;
        }

        @Override
        void step() {
            List<String> keys = new ArrayList<>(confirmed.rooms().keySet());
            int dice = random.nextInt(100);
            if (keys.size() < 2 || dice < 35) {
                schedule();
                return;
            }
            RoomRow room = confirmed.rooms().get(keys.get(random.nextInt(keys.size())));
            long id = roomIds.get(room.key());
            if (dice < 65) {
                String title = room.key() + " edit " + (++sequence);
                Map<String, String> form = form(room.key(), title);
                write(confirmed.withRoom(new RoomRow(room.key(), title, room.cancelled(), hostEmail)),
                        () -> session.post("/rooms/" + id, csrf, form), "/rooms/" + id);
            } else if (dice < 85) {
                String action = room.cancelled() ? "open" : "cancel";
                write(confirmed.withRoom(new RoomRow(room.key(), room.title(), !room.cancelled(), hostEmail)),
                        () -> session.post("/rooms/" + id + "/" + action, csrf, Map.of()), "/rooms/" + id);
            } else {
                write(confirmed.withoutRoom(room.key()),
                        () -> session.post("/rooms/" + id + "/delete", csrf, Map.of()), "/rooms");
            }
        }

        /** Schedules a room; also the "app still works" step after every restart. */
        long schedule() {
            String key = name + "-r" + (++sequence);
            Map<String, String> form = form(key, key);
            WebSession.Page page = write(confirmed.withRoom(new RoomRow(key, key, false, hostEmail)),
                    () -> session.post("/rooms", csrf, form), "/rooms/\\d+");
            long id = idFrom(page);
            roomIds.put(key, id);
            return id;
        }

        private Map<String, String> form(String key, String title) {
            Map<String, String> form = RoomForms.valid(title, ZONE, 24 * 60 + random.nextInt(7 * 24 * 60));
            form.put("description", key);
            return form;
        }
    }

    /**
     * An admin creating users, changing their roles, disabling and enabling them, deleting them (their rooms handed to
     * {@code heir} or deleted with them), and signing in as one of the hosts among them to schedule a room.
     */
    static final class AdminWorker extends Worker {

        private static final Role[] ROLES = {Role.MEMBER, Role.HOST, Role.HOST, Role.ADMIN};

        final String heirEmail;
        final long heirId;
        private volatile String baseUrl;

        AdminWorker(String name, String heirEmail, long heirId, AtomicInteger acknowledged) {
            super(name, acknowledged);
            this.heirEmail = heirEmail;
            this.heirId = heirId;
        }

        void beginAt(String baseUrl, WebSession session, Random random) {
            this.baseUrl = baseUrl;
            begin(session, "/admin/users/new", random);
        }

        @Override
        void step() {
            List<UserRow> live = new ArrayList<>(confirmed.users().values());
            int dice = random.nextInt(100);
            if (live.size() < 3 || dice < 30) {
                create();
                return;
            }
            UserRow user = live.get(random.nextInt(live.size()));
            long id = userIds.get(user.email());
            if (dice < 50) {
                Role role = ROLES[random.nextInt(ROLES.length)];
                if (role == user.role()) {
                    role = role == Role.MEMBER ? Role.HOST : Role.MEMBER;
                }
                Role newRole = role;
                write(confirmed.withUser(new UserRow(user.email(), newRole, user.enabled())),
                        () -> session.post("/admin/users/" + id + "/role", csrf, Map.of("role", newRole.name())),
                        "/admin/users/" + id);
            } else if (dice < 65) {
                boolean enabled = !user.enabled();
                write(confirmed.withUser(new UserRow(user.email(), user.role(), enabled)),
                        () -> session.post("/admin/users/" + id + "/enabled", csrf,
                                Map.of("enabled", Boolean.toString(enabled))),
                        "/admin/users/" + id);
            } else if (dice < 82 && user.role() == Role.HOST && user.enabled() && confirmed.roomsOf(user.email()).size() < 3) {
                scheduleAs(user);
            } else {
                delete(user, id);
            }
        }

        private void create() {
            String email = name + "-u" + (++sequence) + "@crash.test";
            Role role = ROLES[random.nextInt(ROLES.length)];
            everUsedEmails.add(email);
            WebSession.Page page = write(confirmed.withUser(new UserRow(email, role, true)),
                    () -> session.post("/admin/users", csrf, Map.of("email", email, "displayName",
                            "Crash user " + sequence, "role", role.name(), "newPassword", PASSWORD)),
                    "/admin/users/\\d+");
            userIds.put(email, idFrom(page));
        }

        private void scheduleAs(UserRow host) {
            WebSession hostSession = login(baseUrl, host.email(), PASSWORD);
            String token = call(() -> hostSession.get("/rooms/new")).csrfToken();
            String key = name + "-r" + (++sequence);
            Map<String, String> form = RoomForms.valid(key, ZONE, 24 * 60 + random.nextInt(7 * 24 * 60));
            form.put("description", key);
            WebSession.Page page = write(confirmed.withRoom(new RoomRow(key, key, false, host.email())),
                    () -> hostSession.post("/rooms", token, form), "/rooms/\\d+");
            roomIds.put(key, idFrom(page));
        }

        private void delete(UserRow user, long id) {
            boolean transfer = random.nextBoolean();
            Snapshot after = confirmed.withoutUser(user.email());
            for (RoomRow room : confirmed.roomsOf(user.email())) {
                after = transfer ? after.withRoom(new RoomRow(room.key(), room.title(), room.cancelled(), heirEmail))
                        : after.withoutRoom(room.key());
            }
            write(after, () -> session.post("/admin/users/" + id + "/delete", csrf,
                    Map.of("rooms", transfer ? "TRANSFER" : "DELETE", "transferTo", Long.toString(heirId))),
                    "/admin");
        }
    }
}
