package dev.parley.web;

import static dev.parley.testing.SignalingClient.join;
import static dev.parley.web.AuthorizationMatrixTest.Rule.ADMIN;
import static dev.parley.web.AuthorizationMatrixTest.Rule.ALWAYS_405;
import static dev.parley.web.AuthorizationMatrixTest.Rule.API_PUBLIC;
import static dev.parley.web.AuthorizationMatrixTest.Rule.API_TOKEN;
import static dev.parley.web.AuthorizationMatrixTest.Rule.BEARER_TOKEN;
import static dev.parley.web.AuthorizationMatrixTest.Rule.ERROR_PAGE;
import static dev.parley.web.AuthorizationMatrixTest.Rule.FEED_TOKEN;
import static dev.parley.web.AuthorizationMatrixTest.Rule.HOST_OR_ADMIN;
import static dev.parley.web.AuthorizationMatrixTest.Rule.MAIL_RESET;
import static dev.parley.web.AuthorizationMatrixTest.Rule.NO_WEBJARS;
import static dev.parley.web.AuthorizationMatrixTest.Rule.PARTICIPANT_KEY;
import static dev.parley.web.AuthorizationMatrixTest.Rule.PUBLIC;
import static dev.parley.web.AuthorizationMatrixTest.Rule.ROOM_ENTRY;
import static dev.parley.web.AuthorizationMatrixTest.Rule.ROOM_ENTRY_TYPED;
import static dev.parley.web.AuthorizationMatrixTest.Rule.ROOM_MANAGER;
import static dev.parley.web.AuthorizationMatrixTest.Rule.ROOM_MANAGER_FILE;
import static dev.parley.web.AuthorizationMatrixTest.Rule.SIGNED_IN;
import static dev.parley.web.AuthorizationMatrixTest.Rule.STATIC;
import static dev.parley.web.AuthorizationMatrixTest.Rule.TEST_ONLY;
import static dev.parley.web.AuthorizationMatrixTest.Rule.WEBSOCKET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.accounts.AccountService;
import dev.parley.accounts.Role;
import dev.parley.accounts.SignedInSessions;
import dev.parley.accounts.UserAccount;
import dev.parley.meeting.ClientMessage;
import dev.parley.meeting.SignalingCodec;
import dev.parley.recording.TestRecordings;
import dev.parley.rooms.Room;
import dev.parley.rooms.RoomRepository;
import dev.parley.testing.ApiClient;
import dev.parley.testing.Fixtures;
import dev.parley.testing.ParleyWebTest;
import dev.parley.testing.RoomForms;
import dev.parley.testing.SignalingClient;
import dev.parley.testing.WebSession;
import dev.parley.webhooks.WebhookForm;
import dev.parley.webhooks.Webhooks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.handler.AbstractUrlHandlerMapping;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.RequestMappingInfoHandlerMapping;

/**
 * The whole surface under test: every HTTP endpoint Spring knows (controller and actuator mappings, the WebSocket
 * endpoint and static resources, read from the running application) against every kind of caller, and every
 * signalling message type against every kind of sender. A mapping or message type without a row in the tables below
 * fails {@link #everyEndpointAndMessageTypeHasARule()}, so a new endpoint cannot arrive without an access rule.
 */
@ParleyWebTest
class AuthorizationMatrixTest {

    private static final String PASSCODE = "matrix-4242";
    /** Well-formed (43 base64url characters, 256 bits) and no feed's. */
    private static final String MADE_UP_FEED_TOKEN = "MatrixMadeUpFeedToken0123456789abcdefghijkl";

    /** Who may use an endpoint. */
    enum Rule {
        /** Anyone, signed in or not. */
        PUBLIC,
        /** Static files: anyone, even a session whose account just ended (the account filter skips them). */
        STATIC,
        SIGNED_IN,
        /** Signed in with the role HOST or ADMIN. */
        HOST_OR_ADMIN,
        /** The room's host, or an admin. */
        ROOM_MANAGER,
        ADMIN,
        /** Whoever may enter the (passcode-protected) room now: a visitor who gave the passcode, its host, an admin. */
        ROOM_ENTRY,
        /** As {@link #ROOM_ENTRY}, at an endpoint that takes SDP or JSON: the table's form post gets 415, once let in. */
        ROOM_ENTRY_TYPED(415),
        /** Only the room's streaming token in an Authorization header; no browser session, however privileged. */
        BEARER_TOKEN,
        /**
         * Only a calendar feed's token in the path (calendar apps have nothing else); no browser session, however
         * privileged: the chain is stateless and reads no session, so the table's made-up token is 404 for every
         * caller, ended sessions included. A real feed's token gets 200 (an extra cell; CalendarFeedTest reads feeds).
         */
        FEED_TOKEN,
        /**
         * Only an API token in an Authorization header, whose scope and owner's role allow the operation (ApiTest
         * refuses each scope and role); no browser session, however privileged: the API's chain is stateless and
         * reads no session, so every caller of the table gets 401, ended sessions included. An admin's token with
         * every scope gets past authorisation (an extra cell).
         */
        API_TOKEN,
        /** The API's OpenAPI description: anyone, and no session is read (stateless, as {@link #API_TOKEN}). */
        API_PUBLIC,
        /**
         * Only a participant of the room's meeting now, by its id and the file key of its welcome (chat files); no
         * browser session, however privileged. ChatFilesTest shares and downloads with keys.
         */
        PARTICIPANT_KEY,
        /**
         * The room's host or an admin, at a kept chat file: the table names no such file, so 404 once let in
         * (KeptChatTest downloads a real one, and is refused it as another host).
         */
        ROOM_MANAGER_FILE(404),
        /** The error page: 500 when called directly, for everyone. */
        ERROR_PAGE(500),
        /** Test-only controller that throws: any signed-in caller reaches it (500). */
        TEST_ONLY(500),
        /** WHIP/WHEP trickle: refused for everyone with 405 before anything happens. */
        ALWAYS_405(405),
        /**
         * Spring Boot's default /webjars/** handler. Parley ships no webjars and does not permit the path, so it is
         * the login page for visitors and 404 for the signed-in.
         */
        NO_WEBJARS(404),
        /**
         * "Forgot password?" and its reset link: public, but this context has no SMTP server, so 404 for everyone
         * (PasswordResetTest drives them with one).
         */
        MAIL_RESET(404),
        /** The signalling socket: open to anyone (tickets authorise); a plain GET without Upgrade gets 400. */
        WEBSOCKET(400);

        /** The status an allowed caller gets; 0 means any 2xx or 3xx that is not a redirect to the login page. */
        final int allowedStatus;

        Rule() {
            this(0);
        }

        Rule(int allowedStatus) {
            this.allowedStatus = allowedStatus;
        }
    }

    /** Which real thing a path variable names. FRESH_* are created per cell where the caller is allowed to act. */
    enum Target { NONE, ROOM, FRESH_ROOM, USER, FRESH_USER, RECORDING, FRESH_RECORDING }

    record Row(Rule rule, Target target, Supplier<Map<String, String>> form) {
    }

    /**
     * "METHOD pattern" (as Spring's mappings spell it; ANY for a mapping without a method condition) to its rule.
     * Filter endpoints (POST /login, POST /logout) are not mappings: they get CSRF checks below only.
     */
    static final Map<String, Row> ENDPOINTS = endpoints();

    private static Map<String, Row> endpoints() {
        Map<String, Row> t = new TreeMap<>();
        t.put("GET /", row(PUBLIC));
        t.put("GET /lang", row(PUBLIC));
        t.put("GET /login", row(PUBLIC));
        t.put("GET /forgot-password", row(MAIL_RESET));
        t.put("POST /forgot-password", row(MAIL_RESET, Target.NONE, () -> Map.of("email", "matrix@parley.test")));
        t.put("GET /reset-password", row(MAIL_RESET));
        t.put("POST /reset-password", row(MAIL_RESET, Target.NONE, () -> Map.of("token", "not-a-token",
                "newPassword", "Walnut-Harbour-Lantern-81", "confirmPassword", "Walnut-Harbour-Lantern-81")));
        t.put("ANY /error", row(ERROR_PAGE));
        t.put("GET /**", row(STATIC));
        t.put("GET /webjars/**", row(NO_WEBJARS));
        t.put("GET /ws/signal", row(WEBSOCKET));
        t.put("GET /test/explode", row(TEST_ONLY));

        t.put("GET /profile", row(SIGNED_IN));
        t.put("POST /profile", row(SIGNED_IN, Target.NONE, () -> Map.of("displayName", "Matrix Caller",
                "timeZone", "UTC")));
        t.put("GET /profile/password", row(SIGNED_IN));
        t.put("POST /profile/calendar-feed", row(HOST_OR_ADMIN));
        t.put("POST /profile/calendar-feed/off", row(HOST_OR_ADMIN));
        t.put("GET /calendar/{token}.ics", row(FEED_TOKEN));
        // a wrong current password: the form answers 200 with errors and nothing changes
        t.put("POST /profile/password", row(SIGNED_IN, Target.NONE, () -> Map.of("currentPassword", "not-it",
                "newPassword", "Walnut-Harbour-Lantern-81", "confirmPassword", "Walnut-Harbour-Lantern-81")));

        t.put("GET /rooms", row(HOST_OR_ADMIN));
        t.put("GET /rooms/new", row(HOST_OR_ADMIN));
        t.put("POST /rooms", row(HOST_OR_ADMIN, Target.NONE, () -> RoomForms.valid("Matrix new", ZoneId.of("UTC"), 90)));
        t.put("POST /rooms/now", row(HOST_OR_ADMIN));
        t.put("GET /rooms/{id}", row(ROOM_MANAGER, Target.ROOM));
        t.put("GET /rooms/{id}/edit", row(ROOM_MANAGER, Target.ROOM));
        t.put("GET /rooms/{id}/delete", row(ROOM_MANAGER, Target.ROOM));
        t.put("GET /rooms/{id}/invite.ics", row(ROOM_MANAGER, Target.ROOM));
        t.put("POST /rooms/{id}", row(ROOM_MANAGER, Target.FRESH_ROOM,
                () -> RoomForms.valid("Matrix edited", ZoneId.of("UTC"), 90)));
        t.put("POST /rooms/{id}/cancel", row(ROOM_MANAGER, Target.FRESH_ROOM));
        t.put("POST /rooms/{id}/open", row(ROOM_MANAGER, Target.FRESH_ROOM));
        t.put("POST /rooms/{id}/stream-token", row(ROOM_MANAGER, Target.FRESH_ROOM));
        t.put("POST /rooms/{id}/delete", row(ROOM_MANAGER, Target.FRESH_ROOM));
        t.put("GET /rooms/{id}/chat", row(ROOM_MANAGER, Target.ROOM));
        t.put("GET /rooms/{id}/chat/transcript.txt", row(ROOM_MANAGER, Target.ROOM));
        t.put("GET /rooms/{id}/chat/files/{fileId}", row(ROOM_MANAGER_FILE, Target.ROOM));
        t.put("POST /rooms/{id}/chat/clear", row(ROOM_MANAGER, Target.FRESH_ROOM));
        t.put("GET /rooms/{id}/recordings", row(ROOM_MANAGER, Target.ROOM));
        t.put("GET /recordings/{id}/status", row(ROOM_MANAGER, Target.RECORDING));
        t.put("GET /recordings/{id}/composed.mp4", row(ROOM_MANAGER, Target.RECORDING));
        t.put("GET /recordings/{id}/tracks/{trackId}", row(ROOM_MANAGER, Target.RECORDING));
        t.put("POST /recordings/{id}/delete", row(ROOM_MANAGER, Target.FRESH_RECORDING));

        t.put("GET /r/{slug}", row(PUBLIC, Target.ROOM));
        // an empty passcode: a redirect back with a message, and no failed attempt counted
        t.put("POST /r/{slug}/passcode", row(PUBLIC, Target.ROOM, () -> Map.of("passcode", "")));
        t.put("POST /r/{slug}/open", row(ROOM_MANAGER, Target.ROOM));
        t.put("POST /r/{slug}/ticket", row(ROOM_ENTRY, Target.ROOM, () -> Map.of("displayName", "Matrix")));
        t.put("POST /r/{slug}/network-check/probe", row(ROOM_ENTRY_TYPED, Target.ROOM));
        t.put("POST /r/{slug}/network-check/upload", row(ROOM_ENTRY, Target.ROOM));
        t.put("POST /r/{slug}/network-check/result", row(ROOM_ENTRY_TYPED, Target.ROOM));
        t.put("POST /r/{slug}/files", row(PARTICIPANT_KEY, Target.ROOM, () -> Map.of("name", "matrix.txt")));
        t.put("GET /r/{slug}/files/{fileId}", row(PARTICIPANT_KEY, Target.ROOM));

        t.put("OPTIONS /whip/{slug}", row(PUBLIC, Target.ROOM));
        t.put("OPTIONS /whep/{slug}", row(PUBLIC, Target.ROOM));
        t.put("POST /whip/{slug}", row(BEARER_TOKEN, Target.ROOM));
        t.put("POST /whep/{slug}", row(BEARER_TOKEN, Target.ROOM));
        t.put("DELETE /whip/{slug}/{sessionId}", row(BEARER_TOKEN, Target.ROOM));
        t.put("DELETE /whep/{slug}/{sessionId}", row(BEARER_TOKEN, Target.ROOM));
        t.put("PATCH /whip/{slug}/{sessionId}", row(ALWAYS_405, Target.ROOM));
        t.put("PATCH /whep/{slug}/{sessionId}", row(ALWAYS_405, Target.ROOM));

        t.put("GET /admin", row(ADMIN));
        t.put("GET /admin/live", row(ADMIN));
        t.put("GET /admin/live/content", row(ADMIN));
        t.put("POST /admin/live/rooms/{id}/end", row(ADMIN, Target.ROOM));
        t.put("POST /admin/live/rooms/{id}/remove", row(ADMIN, Target.ROOM,
                () -> Map.of("participantId", "p-0123456789abcdef")));
        // a node that is not up: refused with a message, and no node drains (this one must go on serving the test)
        t.put("POST /admin/live/nodes/drain", row(ADMIN, Target.NONE, () -> Map.of("nodeId", "no-such-node")));
        t.put("GET /admin/rooms", row(ADMIN));
        t.put("GET /admin/settings", row(ADMIN));
        // the default retention again: saved, and nothing changes
        t.put("POST /admin/settings", row(ADMIN, Target.NONE, () -> Map.of("chatRetentionDays", "30")));
        t.put("GET /admin/audit", row(ADMIN));
        t.put("GET /admin/recordings", row(ADMIN));
        // the default settings again (V11): saved, and nothing changes
        t.put("POST /admin/recordings/settings", row(ADMIN, Target.NONE, () -> Map.of("retentionDays", "30",
                "quotaMegabytes", "51200")));
        // webhooks made disabled, so that nothing is sent to the made-up receiver
        t.put("GET /admin/webhooks", row(ADMIN));
        t.put("POST /admin/webhooks", row(ADMIN, Target.NONE, () -> Map.of("url", "http://127.0.0.1:9/matrix",
                "events", "room.cancelled", "_enabled", "on")));
        t.put("GET /admin/webhooks/{id}", row(ADMIN));
        t.put("POST /admin/webhooks/{id}", row(ADMIN, Target.NONE, () -> Map.of("url",
                "http://127.0.0.1:9/matrix-edited", "events", "meeting.ended", "_enabled", "on")));
        t.put("POST /admin/webhooks/{id}/secret", row(ADMIN));
        t.put("POST /admin/webhooks/{id}/delete", row(ADMIN));
        t.put("GET /admin/users/new", row(ADMIN));
        t.put("POST /admin/users", row(ADMIN, Target.NONE, () -> Map.of("email",
                "matrix-" + System.nanoTime() + "@parley.test", "displayName", "Matrix Made", "role", "MEMBER",
                "newPassword", "Pumpkin-Orbit-Saxophone-7")));
        t.put("GET /admin/users/{id}", row(ADMIN, Target.USER));
        t.put("GET /admin/users/{id}/delete", row(ADMIN, Target.USER));
        t.put("POST /admin/users/{id}", row(ADMIN, Target.FRESH_USER, () -> Map.of("email",
                "matrix-edited-" + System.nanoTime() + "@parley.test", "displayName", "Matrix Edited")));
        t.put("POST /admin/users/{id}/enabled", row(ADMIN, Target.FRESH_USER, () -> Map.of("enabled", "false")));
        t.put("POST /admin/users/{id}/role", row(ADMIN, Target.FRESH_USER, () -> Map.of("role", "HOST")));
        t.put("POST /admin/users/{id}/unlock", row(ADMIN, Target.FRESH_USER));
        t.put("POST /admin/users/{id}/reset-password", row(ADMIN, Target.FRESH_USER));
        t.put("POST /admin/users/{id}/delete", row(ADMIN, Target.FRESH_USER));

        t.put("GET /profile/api-tokens", row(HOST_OR_ADMIN));
        t.put("POST /profile/api-tokens", row(HOST_OR_ADMIN, Target.NONE, () -> Map.of("name", "Matrix token",
                "scopes", "ROOMS_READ")));
        // no such token: a redirect back with a message
        t.put("POST /profile/api-tokens/{id}/revoke", row(HOST_OR_ADMIN));
        t.put("GET /admin/api-tokens", row(ADMIN));
        t.put("POST /admin/api-tokens/{id}/revoke", row(ADMIN));
        t.put("GET /api/v1/openapi.json", row(API_PUBLIC));
        t.put("GET /api/v1/openapi.json.yaml", row(API_PUBLIC));
        // no such operation: 404, or 405 for a known path (a problem detail either way)
        t.put("ANY /api/v1/**", row(API_TOKEN));
        t.put("GET /api/v1/rooms", row(API_TOKEN));
        t.put("POST /api/v1/rooms", row(API_TOKEN));
        t.put("GET /api/v1/rooms/{id}", row(API_TOKEN, Target.ROOM));
        t.put("PUT /api/v1/rooms/{id}", row(API_TOKEN, Target.FRESH_ROOM));
        t.put("POST /api/v1/rooms/{id}/cancel", row(API_TOKEN, Target.FRESH_ROOM));
        t.put("GET /api/v1/rooms/{id}/recordings", row(API_TOKEN, Target.ROOM));
        t.put("GET /api/v1/recordings/{recordingId}", row(API_TOKEN, Target.RECORDING));
        t.put("GET /api/v1/recordings/{recordingId}/download", row(API_TOKEN, Target.RECORDING));
        t.put("GET /api/v1/meetings", row(API_TOKEN));
        t.put("GET /api/v1/meetings/{roomId}", row(API_TOKEN, Target.ROOM));
        t.put("POST /api/v1/meetings/{roomId}/end", row(API_TOKEN, Target.ROOM));
        t.put("DELETE /api/v1/meetings/{roomId}/participants/{participantId}", row(API_TOKEN, Target.ROOM));
        t.put("GET /api/v1/users", row(API_TOKEN));
        t.put("POST /api/v1/users", row(API_TOKEN));
        t.put("GET /api/v1/users/{id}", row(API_TOKEN, Target.USER));
        t.put("PUT /api/v1/users/{id}/role", row(API_TOKEN, Target.FRESH_USER));
        t.put("POST /api/v1/users/{id}/disable", row(API_TOKEN, Target.FRESH_USER));
        t.put("POST /api/v1/users/{id}/enable", row(API_TOKEN, Target.FRESH_USER));

        t.put("GET /actuator", row(ADMIN));
        t.put("GET /actuator/health", row(PUBLIC));
        t.put("GET /actuator/health/**", row(PUBLIC));
        t.put("GET /actuator/info", row(ADMIN));
        t.put("GET /actuator/prometheus", row(ADMIN));
        return t;
    }

    private static Row row(Rule rule) {
        return row(rule, Target.NONE);
    }

    private static Row row(Rule rule, Target target) {
        return row(rule, target, Map::of);
    }

    private static Row row(Rule rule, Target target, Supplier<Map<String, String>> form) {
        return new Row(rule, target, form);
    }

    /** How an account was changed by an admin while its session stayed open. */
    enum Change { DEMOTED, DISABLED, DELETED }

    enum Caller {
        ANONYMOUS(null, null),
        /** Not signed in, but gave the room's passcode in this browser session (so may get a join ticket). */
        GUEST(null, null),
        MEMBER(Role.MEMBER, null),
        /** A host, of another room. */
        OTHER_HOST(Role.HOST, null),
        ROOM_HOST(Role.HOST, null),
        ADMIN(Role.ADMIN, null),
        MEMBER_DISABLED(Role.MEMBER, Change.DISABLED),
        MEMBER_DELETED(Role.MEMBER, Change.DELETED),
        /** The host of a room (its "room" in this matrix), demoted to member. */
        HOST_DEMOTED(Role.HOST, Change.DEMOTED),
        HOST_DISABLED(Role.HOST, Change.DISABLED),
        HOST_DELETED(Role.HOST, Change.DELETED),
        /** An admin demoted to host. */
        ADMIN_DEMOTED(Role.ADMIN, Change.DEMOTED),
        ADMIN_DISABLED(Role.ADMIN, Change.DISABLED),
        ADMIN_DELETED(Role.ADMIN, Change.DELETED);

        final Role role;
        final Change change;

        Caller(Role role, Change change) {
            this.role = role;
            this.change = change;
        }

        Role roleNow() {
            if (role == null || ended()) {
                return null;
            }
            return change == Change.DEMOTED ? demoted(role) : role;
        }

        boolean ended() {
            return change == Change.DISABLED || change == Change.DELETED;
        }

        boolean managesTheRoom() {
            return this == ROOM_HOST || this == ADMIN;
        }

        static Role demoted(Role role) {
            return role == Role.ADMIN ? Role.HOST : Role.MEMBER;
        }
    }

    enum Expect { ALLOWED, REFUSED, SIGNED_OUT }

    static boolean allows(Rule rule, Caller caller) {
        Role role = caller.roleNow();
        return switch (rule) {
            case PUBLIC, STATIC, ERROR_PAGE, ALWAYS_405, WEBSOCKET, MAIL_RESET, API_PUBLIC -> true;
            case SIGNED_IN, TEST_ONLY, NO_WEBJARS -> role != null;
            case HOST_OR_ADMIN -> role == Role.HOST || role == Role.ADMIN;
            case ROOM_MANAGER, ROOM_MANAGER_FILE -> caller.managesTheRoom();
            case ADMIN -> role == Role.ADMIN;
            case ROOM_ENTRY, ROOM_ENTRY_TYPED -> caller.managesTheRoom() || caller == Caller.GUEST;
            case BEARER_TOKEN, PARTICIPANT_KEY, FEED_TOKEN, API_TOKEN -> false;
        };
    }

    static Expect expect(Rule rule, String method, Caller caller) {
        // A session whose account was disabled or deleted is ended on its next request: a page view goes to
        // /login?ended, anything else carries on as an anonymous request. Static files and calendar feeds do not
        // look at the session at all, nor does the REST API.
        if (caller.ended() && !method.equals("OPTIONS") && !method.equals("POST") && !method.equals("DELETE")
                && !method.equals("PATCH") && rule != STATIC && rule != FEED_TOKEN && rule != API_TOKEN
                && rule != API_PUBLIC) {
            return Expect.SIGNED_OUT;
        }
        return allows(rule, caller) ? Expect.ALLOWED : Expect.REFUSED;
    }

    // ------------------------------------------------------------------ signalling table

    /**
     * Who sends: before joining, waiting in the lobby, an admitted guest, an admitted signed-in member, a guest the host
     * made co-host, the host of another room, a host of this room (an admin) demoted to HOST while in the meeting (so
     * no longer managing it), the room's host, an admin.
     */
    enum Sender { BEFORE_JOIN, LOBBY_WAITER, GUEST, MEMBER, CO_HOST, OTHER_HOST, DEMOTED_HOST, ROOM_HOST, ADMIN }

    enum Reply { ALLOWED, NOT_JOINED, ALREADY_JOINED, FORBIDDEN, NOT_ALLOWED }

    private static final Reply A = Reply.ALLOWED;
    private static final Reply NJ = Reply.NOT_JOINED;
    private static final Reply AJ = Reply.ALREADY_JOINED;
    private static final Reply F = Reply.FORBIDDEN;
    private static final Reply NA = Reply.NOT_ALLOWED;

    /** Message type to what each sender gets; columns in {@link Sender} order. Leave before join just closes. */
    static final Map<String, Map<Sender, Reply>> MESSAGES = Map.ofEntries(
            Map.entry("join", replies(A, AJ, AJ, AJ, AJ, AJ, AJ, AJ, AJ)),
            Map.entry("answer", replies(NJ, NJ, A, A, A, A, A, A, A)),
            Map.entry("resume", replies(A, AJ, AJ, AJ, AJ, AJ, AJ, AJ, AJ)),
            Map.entry("media-state", replies(NJ, NJ, A, A, A, A, A, A, A)),
            Map.entry("tile-sizes", replies(NJ, NJ, A, A, A, A, A, A, A)),
            Map.entry("lobby-decision", replies(NJ, NJ, F, F, A, F, F, A, A)),
            Map.entry("chat", replies(NJ, NJ, A, A, A, A, A, A, A)),
            Map.entry("screen-share", replies(NJ, NJ, A, A, A, A, A, A, A)),
            Map.entry("hand", replies(NJ, NJ, A, A, A, A, A, A, A)),
            Map.entry("reaction", replies(NJ, NJ, A, A, A, A, A, A, A)),
            Map.entry("quality", replies(NJ, NJ, A, A, A, A, A, A, A)),
            Map.entry("moderate", replies(NJ, NJ, NA, NA, A, NA, NA, A, A)),
            Map.entry("leave", replies(A, A, A, A, A, A, A, A, A)),
            Map.entry("ping", replies(A, A, A, A, A, A, A, A, A)));

    /**
     * Each host control (the moderate message's action, docs/signaling.md section 8) from each sender in the room:
     * hosts may use them all; co-hosts all but end and naming co-hosts; nobody else any.
     */
    static final Map<String, Map<Sender, Reply>> HOST_CONTROLS = Map.ofEntries(
            Map.entry("mute", replies(NJ, NJ, NA, NA, A, NA, NA, A, A)),
            Map.entry("mute-all", replies(NJ, NJ, NA, NA, A, NA, NA, A, A)),
            Map.entry("ask-unmute", replies(NJ, NJ, NA, NA, A, NA, NA, A, A)),
            Map.entry("stop-camera", replies(NJ, NJ, NA, NA, A, NA, NA, A, A)),
            Map.entry("remove", replies(NJ, NJ, NA, NA, A, NA, NA, A, A)),
            Map.entry("remove-ban", replies(NJ, NJ, NA, NA, A, NA, NA, A, A)),
            Map.entry("lock", replies(NJ, NJ, NA, NA, A, NA, NA, A, A)),
            Map.entry("unlock", replies(NJ, NJ, NA, NA, A, NA, NA, A, A)),
            Map.entry("admit-all", replies(NJ, NJ, NA, NA, A, NA, NA, A, A)),
            Map.entry("end", replies(NJ, NJ, NA, NA, NA, NA, NA, A, A)),
            Map.entry("make-cohost", replies(NJ, NJ, NA, NA, NA, NA, NA, A, A)),
            Map.entry("revoke-cohost", replies(NJ, NJ, NA, NA, NA, NA, NA, A, A)),
            Map.entry("lower-hand", replies(NJ, NJ, NA, NA, A, NA, NA, A, A)),
            Map.entry("lower-all-hands", replies(NJ, NJ, NA, NA, A, NA, NA, A, A)),
            Map.entry("record", replies(NJ, NJ, NA, NA, A, NA, NA, A, A)),
            Map.entry("stop-recording", replies(NJ, NJ, NA, NA, A, NA, NA, A, A)));

    private static Map<Sender, Reply> replies(Reply... inSenderOrder) {
        Map<Sender, Reply> map = new EnumMap<>(Sender.class);
        for (Sender sender : Sender.values()) {
            map.put(sender, inSenderOrder[sender.ordinal()]);
        }
        return map;
    }

    // ------------------------------------------------------------------ the application

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    ApplicationContext context;

    @Autowired
    RoomRepository rooms;

    @Autowired
    AccountService accounts;

    @Autowired
    Webhooks webhooks;

    @Autowired
    TestRecordings recordings;

    private final List<AutoCloseable> toClose = new ArrayList<>();
    /** The sockets of the signalling cell under way, closed when it ends so the room does not fill up. */
    private final List<AutoCloseable> cellSockets = new ArrayList<>();

    @AfterEach
    void closeSockets() throws Exception {
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
    }

    /** Every "METHOD pattern" the running application answers, as the table spells them. */
    Set<String> mappedEndpoints() {
        Set<String> found = new TreeSet<>();
        for (RequestMappingInfoHandlerMapping mapping : context.getBeansOfType(RequestMappingInfoHandlerMapping.class)
                .values()) {
            for (RequestMappingInfo info : mapping.getHandlerMethods().keySet()) {
                Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
                for (String pattern : info.getPatternValues()) {
                    if (methods.isEmpty()) {
                        found.add("ANY " + pattern);
                    }
                    methods.forEach(method -> found.add(method.name() + " " + pattern));
                }
            }
        }
        // the WebSocket endpoint and the static resource handlers
        for (AbstractUrlHandlerMapping mapping : context.getBeansOfType(AbstractUrlHandlerMapping.class).values()) {
            mapping.getHandlerMap().keySet().forEach(pattern -> found.add("GET " + pattern));
        }
        return found;
    }

    /** The client message types the server reads: the records of the sealed ClientMessage, by their wire names. */
    static Set<String> messageTypesInCode() {
        Set<String> types = new TreeSet<>();
        for (Class<?> type : ClientMessage.class.getPermittedSubclasses()) {
            types.add(SignalingCodec.typeName(type));
        }
        return types;
    }

    static Set<String> messageTypesInDocs() {
        String doc = read("docs/signaling.md");
        String section = doc.substring(doc.indexOf("### Client → server"), doc.indexOf("### Server → client"));
        Set<String> types = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^\\| `([a-z-]+)` \\|").matcher(section);
        while (m.find()) {
            types.add(m.group(1));
        }
        return types;
    }

    private static String read(String path) {
        try {
            return Files.readString(Path.of(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void everyEndpointAndMessageTypeHasARule() {
        Set<String> mapped = mappedEndpoints();
        Set<String> unruled = new TreeSet<>(mapped);
        unruled.removeAll(ENDPOINTS.keySet());
        Set<String> stale = new TreeSet<>(ENDPOINTS.keySet());
        stale.removeAll(mapped);
        assertThat(unruled).as("endpoints without an access rule in AuthorizationMatrixTest.ENDPOINTS").isEmpty();
        assertThat(stale).as("rows in AuthorizationMatrixTest.ENDPOINTS that match no mapping any more").isEmpty();

        assertThat(messageTypesInCode()).as("message types the server reads (ClientMessage) vs. the test's table")
                .isEqualTo(new TreeSet<>(MESSAGES.keySet()));
        assertThat(messageTypesInDocs()).as("client message types in docs/signaling.md vs. the test's table")
                .isEqualTo(new TreeSet<>(MESSAGES.keySet()));
        Set<String> actions = new TreeSet<>();
        for (ClientMessage.Moderate.Action action : ClientMessage.Moderate.Action.values()) {
            actions.add(action.wireName());
        }
        actions.add("remove-ban");
        assertThat(new TreeSet<>(HOST_CONTROLS.keySet())).as("host controls (Moderate.Action, and remove with ban) vs. "
                + "the test's table").isEqualTo(actions);
    }

    // ------------------------------------------------------------------ the HTTP matrix

    /** A browser session with the CSRF token its pages carry. */
    record Visitor(WebSession web, String csrf) {
    }

    /** Everything the HTTP cells need: rooms, a user to act on, and a session per caller. */
    final class World {
        WebSession operator;
        WebSession roomHost;
        long roomId;
        String slug;
        String streamToken;
        /** A real calendar feed's path, of a host of its own. */
        String feedPath;
        long demotedHostRoomId;
        String demotedHostSlug;
        long victimId;
        /** An API token of an admin, with every scope. */
        String apiToken;
        /** A ready recording of the room, and of the demoted host's room. */
        TestRecordings.Made recording;
        TestRecordings.Made demotedHostRecording;

        TestRecordings.Made recordingFor(Caller caller) {
            return caller == Caller.HOST_DEMOTED ? demotedHostRecording : recording;
        }
        final Map<Caller, Visitor> live = new EnumMap<>(Caller.class);
        final Map<Caller, Deque<Visitor>> ended = new EnumMap<>(Caller.class);

        long roomFor(Caller caller) {
            return caller == Caller.HOST_DEMOTED ? demotedHostRoomId : roomId;
        }

        String slugFor(Caller caller) {
            return caller == Caller.HOST_DEMOTED ? demotedHostSlug : slug;
        }

        Visitor visitor(Caller caller) {
            if (caller.ended()) {
                Visitor visitor = ended.get(caller).poll();
                assertThat(visitor).as("a fresh session of " + caller).isNotNull();
                return visitor;
            }
            return live.get(caller);
        }
    }

    private Visitor signIn(UserAccount account) {
        WebSession web = fixtures.signIn(account);
        return new Visitor(web, web.get("/profile").csrfToken());
    }

    /**
     * Many signed-in browser sessions of one account. The first signs in with the password and "remember me"; each
     * further one is signed in by that remember-me cookie (as a browser reopened later would be), which spares a
     * password hash per session. Every session then drops the cookie and holds only its own session.
     */
    private Deque<Visitor> sessionsOf(UserAccount account, int count) {
        Deque<Visitor> sessions = new ArrayDeque<>();
        WebSession first = new WebSession(port);
        WebSession.Page login = first.submit("/login", "/login",
                Map.of("email", account.getEmail(), "password", Fixtures.PASSWORD, "remember-me", "on"));
        assertThat(login.location()).doesNotContain("/login");
        String remembered = first.cookie(SignedInSessions.REMEMBER_ME_COOKIE).orElseThrow().getValue();
        first.removeCookie(SignedInSessions.REMEMBER_ME_COOKIE);
        sessions.add(new Visitor(first, first.get("/profile").csrfToken()));
        while (sessions.size() < count) {
            WebSession next = new WebSession(port);
            next.addCookie(SignedInSessions.REMEMBER_ME_COOKIE, remembered);
            WebSession.Page profile = next.get("/profile");
            assertThat(profile.status()).as("signed in by remember-me").isEqualTo(200);
            String used = remembered;
            remembered = next.cookieValues(SignedInSessions.REMEMBER_ME_COOKIE).stream()
                    .filter(value -> !value.equals(used)).findFirst()
                    .orElseThrow(() -> new AssertionError("remember-me did not hand out its next token"));
            next.removeCookie(SignedInSessions.REMEMBER_ME_COOKIE);
            sessions.add(new Visitor(next, profile.csrfToken()));
        }
        return sessions;
    }

    private long scheduleWithPasscode(WebSession host, String title) {
        Map<String, String> form = new LinkedHashMap<>(RoomForms.valid(title, ZoneId.of("UTC"), 0));
        form.put("passcode", PASSCODE);
        return RoomForms.schedule(host, form);
    }

    private void adminPost(WebSession admin, String action, Map<String, String> fields) {
        WebSession.Page result = admin.post(action, admin.get("/admin").csrfToken(), fields);
        assertThat(result.status()).as("admin action %s", action).isEqualTo(302);
        assertThat(result.location()).as("admin action %s", action).doesNotContain("/login").doesNotContain("/delete");
    }

    private World world(int cellsPerEndedCaller) {
        World w = new World();
        w.operator = new WebSession(port).login(ParleyWebTest.ADMIN_EMAIL, ParleyWebTest.ADMIN_PASSWORD);

        UserAccount roomHost = fixtures.user(Role.HOST, "room-host");
        Visitor host = signIn(roomHost);
        w.roomHost = host.web();
        w.roomId = scheduleWithPasscode(host.web(), "Matrix room");
        Room room = rooms.findById(w.roomId).orElseThrow();
        w.slug = room.getSlug();
        w.streamToken = room.getStreamToken();
        w.live.put(Caller.ROOM_HOST, host);
        w.recording = recordings.ready(w.roomId, Instant.now(), Duration.ofMinutes(1));

        Visitor otherHost = signIn(fixtures.user(Role.HOST, "other-host"));
        RoomForms.schedule(otherHost.web(), RoomForms.valid("Other room", ZoneId.of("UTC"), 60));
        w.live.put(Caller.OTHER_HOST, otherHost);
        w.live.put(Caller.MEMBER, signIn(fixtures.user(Role.MEMBER)));
        w.live.put(Caller.ADMIN, signIn(fixtures.user(Role.ADMIN)));
        w.victimId = fixtures.user(Role.MEMBER, "victim").getId();
        w.apiToken = ApiClient.makeToken(w.live.get(Caller.ADMIN).web(), "Matrix", null, "ROOMS_READ", "ROOMS_WRITE",
                "MEETINGS_READ", "MEETINGS_WRITE", "USERS_READ", "USERS_WRITE");
        Visitor feedHost = signIn(fixtures.user(Role.HOST, "feed-host"));
        WebSession.Page feedMade = feedHost.web().post("/profile/calendar-feed", feedHost.csrf(), Map.of());
        String feedUrl = feedHost.web().get(feedMade.location()).byTestId("calendar-feed-url").attr("value");
        w.feedPath = feedUrl.substring(feedUrl.indexOf("/calendar/"));

        WebSession anonymous = new WebSession(port);
        w.live.put(Caller.ANONYMOUS, new Visitor(anonymous, anonymous.get("/login").csrfToken()));
        WebSession guest = new WebSession(port);
        WebSession.Page passcodePage = guest.get("/r/" + w.slug);
        WebSession.Page unlocked = guest.post("/r/" + w.slug + "/passcode", passcodePage.csrfToken(),
                Map.of("passcode", PASSCODE));
        assertThat(unlocked.location()).endsWith("/r/" + w.slug);
        assertThat(guest.get("/r/" + w.slug).has("prejoin")).as("the guest got past the passcode").isTrue();
        w.live.put(Caller.GUEST, new Visitor(guest, guest.get("/login").csrfToken()));

        // The ended callers' many sessions are opened side by side (one remember-me chain per account), then every
        // account is changed in turn.
        Map<Caller, UserAccount> accounts = new EnumMap<>(Caller.class);
        Map<Caller, CompletableFuture<Deque<Visitor>>> opening = new EnumMap<>(Caller.class);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        for (Caller caller : Caller.values()) {
            if (caller.change != null) {
                UserAccount account = fixtures.user(caller.role, caller.name().toLowerCase().replace('_', '-'));
                accounts.put(caller, account);
                if (caller.ended()) {
                    opening.put(caller, CompletableFuture.supplyAsync(
                            () -> sessionsOf(account, cellsPerEndedCaller), pool));
                }
            }
        }
        pool.shutdown();
        for (Caller caller : Caller.values()) {
            if (caller.change == null) {
                continue;
            }
            UserAccount account = accounts.get(caller);
            String user = "/admin/users/" + account.getId();
            if (caller.change == Change.DEMOTED) {
                Visitor visitor = signIn(account);
                if (caller == Caller.HOST_DEMOTED) {
                    w.demotedHostRoomId = scheduleWithPasscode(visitor.web(), "Demoted host's room");
                    w.demotedHostSlug = rooms.findById(w.demotedHostRoomId).orElseThrow().getSlug();
                    w.demotedHostRecording = recordings.ready(w.demotedHostRoomId, Instant.now(),
                            Duration.ofMinutes(1));
                }
                adminPost(w.operator, user + "/role", Map.of("role", Caller.demoted(caller.role).name()));
                w.live.put(caller, new Visitor(visitor.web(), visitor.web().get("/profile").csrfToken()));
            } else {
                // each ended session serves one cell: its first request after the change ends it
                w.ended.put(caller, opening.get(caller).join());
                if (caller.change == Change.DISABLED) {
                    adminPost(w.operator, user + "/enabled", Map.of("enabled", "false"));
                } else {
                    adminPost(w.operator, user + "/delete", Map.of());
                }
            }
        }
        return w;
    }

    /** The path with its variables filled for this caller; fresh rooms and users only where the caller may act. */
    private String fill(World w, String pattern, Row row, Caller caller, boolean allowed) {
        String path = pattern;
        if (path.equals("/**")) {
            return "/css/parley.css";
        }
        if (path.equals("/webjars/**")) {
            return "/webjars/none.js";
        }
        path = path.replace("/**", "/liveness");
        if (path.contains("{id}") && (path.startsWith("/rooms/") || path.startsWith("/admin/live/rooms/"))) {
            long id = row.target() == Target.FRESH_ROOM && allowed
                    ? RoomForms.schedule(w.roomHost, RoomForms.valid("Matrix fresh", ZoneId.of("UTC"), 30))
                    : w.roomFor(caller);
            path = path.replace("{id}", Long.toString(id));
        }
        if (path.contains("{id}") && path.startsWith("/api/v1/rooms/")) {
            path = path.replace("{id}", Long.toString(row.target() == Target.FRESH_ROOM && allowed
                    ? RoomForms.schedule(w.roomHost, RoomForms.valid("Matrix API", ZoneId.of("UTC"), 30))
                    : w.roomFor(caller)));
        }
        if (path.contains("{id}") && path.startsWith("/api/v1/users/")) {
            path = path.replace("{id}", Long.toString(row.target() == Target.FRESH_USER && allowed
                    ? fixtures.user(Role.MEMBER, "api-victim").getId() : w.victimId));
        }
        if (path.contains("{id}") && path.contains("/api-tokens/")) {
            path = path.replace("{id}", "999999999");
        }
        if (path.contains("{id}") && path.startsWith("/recordings/")) {
            TestRecordings.Made recording = row.target() == Target.FRESH_RECORDING && allowed
                    ? recordings.ready(w.roomFor(caller), Instant.now(), Duration.ofMinutes(1))
                    : w.recordingFor(caller);
            path = path.replace("{id}", recording.id()).replace("{trackId}", recording.trackId());
        }
        if (path.contains("{recordingId}")) {
            path = path.replace("{recordingId}", w.recordingFor(caller).id());
        }
        if (path.contains("{roomId}")) {
            path = path.replace("{roomId}", Long.toString(w.roomFor(caller)));
        }
        if (path.contains("{id}") && path.startsWith("/admin/users/")) {
            long id = row.target() == Target.FRESH_USER && allowed
                    ? fixtures.user(Role.MEMBER, "fresh-victim").getId() : w.victimId;
            path = path.replace("{id}", Long.toString(id));
        }
        if (path.contains("{id}") && path.startsWith("/admin/webhooks/")) {
            path = path.replace("{id}", Long.toString(matrixWebhook()));
        }
        path = path.replace("{slug}", w.slugFor(caller)).replace("{sessionId}", "s-no-such-session")
                .replace("{participantId}", "p-no-such-participant")
                .replace("{fileId}", "no-such-file").replace("{token}", MADE_UP_FEED_TOKEN);
        assertThat(path).as("every path variable of %s has a value; teach fill() the new one", pattern)
                .doesNotContain("{").doesNotContain("*");
        return path;
    }

    /** A fresh disabled webhook for each cell (one may be deleted or changed by it), made through the service. */
    private long matrixWebhook() {
        WebhookForm form = new WebhookForm();
        form.setUrl("http://127.0.0.1:9/matrix-cell");
        form.setEvents(List.of("room.scheduled"));
        form.setEnabled(false);
        return webhooks.create(form).id();
    }

    private static WebSession.Page send(Visitor visitor, String method, String path, Map<String, String> form,
                                        Map<String, String> headers) {
        return switch (method) {
            case "GET", "ANY" -> visitor.web().get(path, headers);
            case "POST" -> visitor.web().post(path, visitor.csrf(), form, headers);
            default -> {
                Map<String, String> withToken = new LinkedHashMap<>(headers);
                withToken.put("X-CSRF-TOKEN", visitor.csrf());
                yield visitor.web().request(method, path, withToken);
            }
        };
    }

    static boolean isLoginRedirect(WebSession.Page page) {
        return page.isRedirect() && page.location().contains("/login");
    }

    static String describe(WebSession.Page page) {
        String body = page.body() == null ? "" : page.body().replaceAll("\\s+", " ");
        return "status " + page.status() + (page.isRedirect() ? " to " + page.location() : "")
                + ", body: " + body.substring(0, Math.min(160, body.length()));
    }

    static void check(Expect expected, Rule rule, WebSession.Page page, String cell) {
        switch (expected) {
            case ALLOWED -> {
                if (rule.allowedStatus != 0) {
                    assertThat(page.status()).as("%s: allowed, expected %d; got %s", cell, rule.allowedStatus,
                            describe(page)).isEqualTo(rule.allowedStatus);
                } else {
                    assertThat(page.status() >= 200 && page.status() < 400 && !isLoginRedirect(page))
                            .as("%s: allowed, expected 2xx/3xx that is not a login redirect; got %s", cell,
                                    describe(page)).isTrue();
                }
            }
            case REFUSED -> assertThat(isLoginRedirect(page) || page.status() == 401 || page.status() == 403
                    || page.status() == 404)
                    .as("%s: must be refused (login redirect, 401, 403 or 404); got %s", cell, describe(page)).isTrue();
            case SIGNED_OUT -> assertThat(page.isRedirect() && page.location().endsWith("/login?ended"))
                    .as("%s: the ended session must be sent to /login?ended; got %s", cell, describe(page)).isTrue();
        }
    }

    @TestFactory
    Stream<DynamicTest> everyEndpointForEveryCaller() {
        Set<String> mapped = mappedEndpoints();
        List<String> keys = ENDPOINTS.keySet().stream().filter(mapped::contains).toList();
        World w = world(keys.size());
        List<DynamicTest> cells = new ArrayList<>();
        for (String key : keys) {
            Row row = ENDPOINTS.get(key);
            String method = key.substring(0, key.indexOf(' '));
            String pattern = key.substring(key.indexOf(' ') + 1);
            for (Caller caller : Caller.values()) {
                Expect expected = expect(row.rule(), method, caller);
                String cell = key + " × " + caller;
                cells.add(dynamicTest(cell + " → " + expected, () -> {
                    Visitor visitor = w.visitor(caller);
                    String path = fill(w, pattern, row, caller, expected == Expect.ALLOWED);
                    check(expected, row.rule(), send(visitor, method, path, row.form().get(), Map.of()), cell);
                }));
            }
            if (row.rule() == BEARER_TOKEN) {
                cells.add(dynamicTest(key + " × bearer token holder → past authorisation", () -> {
                    String path = fill(w, pattern, row, Caller.ANONYMOUS, false);
                    Visitor stranger = new Visitor(new WebSession(port), "");
                    WebSession.Page page = stranger.web().request(method, path,
                            Map.of("Authorization", "Bearer " + w.streamToken));
                    // POST without a body: 415 (not SDP); DELETE of an unknown session: 404; never 401
                    assertThat(page.status()).as("%s with the room's token: %s", key, describe(page))
                            .isEqualTo(method.equals("POST") ? 415 : 404);
                    WebSession.Page wrong = stranger.web().request(method, path,
                            Map.of("Authorization", "Bearer " + w.streamToken + "x"));
                    assertThat(wrong.status()).as("%s with a wrong token", key).isEqualTo(401);
                }));
            }
            if (row.rule() == FEED_TOKEN) {
                cells.add(dynamicTest(key + " × feed token holder → 200; other methods 403", () -> {
                    WebSession calendarApp = new WebSession(port);
                    WebSession.Page feed = calendarApp.get(w.feedPath);
                    assertThat(feed.status()).as("%s with a real token: %s", key, describe(feed)).isEqualTo(200);
                    assertThat(feed.header("Content-Type").orElseThrow()).startsWith("text/calendar");
                    assertThat(calendarApp.postRaw(w.feedPath, Map.of()).status()).as("POST").isEqualTo(403);
                    assertThat(calendarApp.request("DELETE", w.feedPath, Map.of()).status()).as("DELETE")
                            .isEqualTo(403);
                    Visitor admin = w.live.get(Caller.ADMIN);
                    assertThat(admin.web().post(w.feedPath, admin.csrf(), Map.of()).status())
                            .as("POST with an admin's session and CSRF token").isEqualTo(403);
                }));
            }
            if (row.rule() == API_TOKEN) {
                cells.add(dynamicTest(key + " × API token holder → past authorisation", () -> {
                    String path = fill(w, pattern, row, Caller.ANONYMOUS, true);
                    String httpMethod = method.equals("ANY") ? "GET" : method;
                    ApiClient.Response response = new ApiClient(port).call(httpMethod, path, w.apiToken,
                            method.equals("POST") || method.equals("PUT") ? "{}" : null, Map.of());
                    // {} is no valid room, user or role (400); nobody is in the room's meeting (404)
                    assertThat(response.status()).as("%s with an admin's token of every scope: %s", key, response)
                            .isNotIn(401, 403).isLessThan(500);
                    ApiClient.Response wrong = new ApiClient(port).call(httpMethod, path, w.apiToken + "x", null,
                            Map.of());
                    assertThat(wrong.status()).as("%s with a wrong token", key).isEqualTo(401);
                }));
            }
            boolean csrfExempt = pattern.startsWith("/whip/") || pattern.startsWith("/whep/")
                    || pattern.startsWith("/api/");
            if (!method.equals("GET") && !method.equals("ANY") && !method.equals("OPTIONS") && !csrfExempt) {
                cells.add(dynamicTest(key + " × ADMIN without CSRF token → 403", () -> {
                    Visitor admin = w.live.get(Caller.ADMIN);
                    String path = fill(w, pattern, row, Caller.ADMIN, true);
                    WebSession.Page page = admin.web().postRaw(path, row.form().get());
                    assertThat(page.status()).as("%s without a CSRF token: %s", key, describe(page)).isEqualTo(403);
                }));
            }
        }
        // Spring Security's own endpoints are no request mappings; they need CSRF tokens all the same.
        cells.add(dynamicTest("POST /login without CSRF token → 403", () -> {
            WebSession.Page page = new WebSession(port).postRaw("/login",
                    Map.of("email", ParleyWebTest.ADMIN_EMAIL, "password", ParleyWebTest.ADMIN_PASSWORD));
            assertThat(page.status()).as(describe(page)).isEqualTo(403);
        }));
        cells.add(dynamicTest("POST /logout × ADMIN without CSRF token → 403, still signed in", () -> {
            Visitor admin = w.live.get(Caller.ADMIN);
            assertThat(admin.web().postRaw("/logout", Map.of()).status()).isEqualTo(403);
            assertThat(admin.web().get("/admin").status()).isEqualTo(200);
        }));
        cells.add(dynamicTest("every static file is public", () -> {
            Path root = Path.of("src/main/resources/static");
            List<Path> files;
            try (Stream<Path> walk = Files.walk(root)) {
                files = walk.filter(Files::isRegularFile).toList();
            }
            assertThat(files).isNotEmpty();
            WebSession anonymous = new WebSession(port);
            for (Path file : files) {
                String path = "/" + root.relativize(file).toString().replace('\\', '/');
                assertThat(anonymous.get(path).status()).as("GET %s anonymously", path).isEqualTo(200);
            }
        }));
        return cells.stream();
    }

    // ------------------------------------------------------------------ the signalling matrix

    /** What the signalling cells need: a lobby room, its host's socket admitting people, and sessions for tickets. */
    final class Meeting {
        String slug;
        WebSession roomHost;
        WebSession otherHost;
        WebSession admin;
        long adminId;
        WebSession member;
        boolean locked;
        boolean recording;
        SignalingClient moderator;
        int names;

        String name(String prefix) {
            return prefix + "-" + (++names);
        }
    }

    private SignalingClient open() {
        SignalingClient client = SignalingClient.connect(port);
        cellSockets.add(client);
        return client;
    }

    /** A guest in the lobby; returns its socket, and its participant id as the given host sees it. */
    private SignalingClient waiter(Meeting m, String name) {
        SignalingClient client = open();
        client.send(join(new WebSession(port).joinTicket(m.slug, name)));
        client.next("lobby");
        return client;
    }

    private static String waitingId(SignalingClient host, String name) {
        while (true) {
            JsonNode request = host.next("lobby-request");
            if (name.equals(request.path("participant").path("displayName").asText())) {
                return request.path("participant").path("id").asText();
            }
        }
    }

    private void admit(Meeting m, SignalingClient waiting, String name) {
        admitted(m, waiting, name);
    }

    /** Admits someone waiting; returns their participant id. */
    private String admitted(Meeting m, SignalingClient waiting, String name) {
        m.moderator.send(Map.of("type", "lobby-decision", "participantId", waitingId(m.moderator, name),
                "admit", true));
        String id = waiting.next("welcome").path("participantId").asText();
        acceptsMessagesRightAfterWelcome(waiting);
        return id;
    }

    /** Waits for the participant-updated that shows a participant's flag at this value. */
    private static void awaitUpdate(SignalingClient client, String participantId, String flag, boolean value) {
        while (true) {
            JsonNode p = client.next("participant-updated").path("participant");
            if (p.path("id").asText().equals(participantId) && p.path(flag).asBoolean() == value) {
                return;
            }
        }
    }

    /**
     * Right after "welcome" an admitted guest may send joined-only messages: the server marks the connection joined
     * before the welcome goes out (it used to do so after, on the host's thread, and a quick client got "not-joined").
     */
    private static void acceptsMessagesRightAfterWelcome(SignalingClient client) {
        client.send(Map.of("type", "media-state", "audio", true, "video", true));
        client.send(Map.of("type", "ping", "id", -1));
        while (true) {
            JsonNode next = client.nextAny(Duration.ofSeconds(10));
            assertThat(next.path("type").asText().equals("error") && next.path("code").asText().equals("not-joined"))
                    .as("a message right after the welcome is refused as not joined: %s", next).isFalse();
            if (next.path("type").asText().equals("pong")) {
                return;
            }
        }
    }

    private SignalingClient sender(Meeting m, Sender sender) {
        switch (sender) {
            case BEFORE_JOIN -> {
                return open();
            }
            case LOBBY_WAITER -> {
                return waiter(m, m.name("Waiter"));
            }
            case GUEST -> {
                String name = m.name("Guest");
                SignalingClient client = waiter(m, name);
                admit(m, client, name);
                return client;
            }
            case MEMBER -> {
                String name = m.name("Member");
                SignalingClient client = open();
                client.send(join(m.member.joinTicket(m.slug, name)));
                client.next("lobby");
                admit(m, client, name);
                return client;
            }
            case CO_HOST -> {
                String name = m.name("Co-host");
                SignalingClient client = waiter(m, name);
                String id = admitted(m, client, name);
                m.moderator.send(Map.of("type", "moderate", "action", "make-cohost", "participantId", id));
                assertThat(client.next("moderated").path("action").asText()).isEqualTo("make-cohost");
                awaitUpdate(client, id, "cohost", true);
                return client;
            }
            case DEMOTED_HOST -> {
                UserAccount account = fixtures.user(Role.ADMIN, "demoted");
                SignalingClient client = open();
                client.send(join(fixtures.signIn(account).joinTicket(m.slug, m.name("Demoted"))));
                JsonNode welcome = client.next("welcome");
                assertThat(welcome.path("host").asBoolean()).as("an admin joins as a host").isTrue();
                accounts.changeRole(account.getId(), Role.HOST, m.adminId);
                awaitUpdate(client, welcome.path("participantId").asText(), "host", false);
                return client;
            }
            case OTHER_HOST -> {
                String name = m.name("Other host");
                SignalingClient client = open();
                client.send(join(m.otherHost.joinTicket(m.slug, name)));
                client.next("lobby");
                admit(m, client, name);
                return client;
            }
            default -> {
                SignalingClient client = open();
                client.send(join((sender == Sender.ADMIN ? m.admin : m.roomHost).joinTicket(m.slug, m.name("Host"))));
                assertThat(client.next("welcome").path("host").asBoolean()).as(sender + " joins as a host").isTrue();
                return client;
            }
        }
    }

    private void signal(Meeting m, String type, Sender who, Reply expected) {
        try {
            signalOnce(m, type, who, expected);
        } finally {
            cellSockets.forEach(socket -> {
                try {
                    socket.close();
                } catch (Exception e) {
                    // already gone
                }
            });
            cellSockets.clear();
        }
    }

    private void signalOnce(Meeting m, String type, Sender who, Reply expected) {
        SignalingClient client = sender(m, who);
        String waiterName = m.name("Decided");
        SignalingClient waiting = null;
        SignalingClient target = null;
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("type", type);
        switch (type) {
            case "join" -> message.putAll(join(new WebSession(port).joinTicket(m.slug, m.name("Again"))));
            case "answer" -> {
                message.put("version", 99);
                message.put("sdp", "v=0\r\n");
            }
            case "media-state" -> {
                message.put("audio", false);
                message.put("video", false);
            }
            case "resume" -> {
                message.put("token", "not-a-token");
                message.put("slug", m.slug);
            }
            case "tile-sizes" -> message.put("tiles", List.of(Map.of("mid", "1", "width", 320, "height", 180)));
            case "lobby-decision" -> {
                waiting = waiter(m, waiterName);
                message.put("participantId", waitingId(m.moderator, waiterName));
                message.put("admit", true);
            }
            case "ping" -> message.put("id", 42);
            case "chat" -> message.put("text", "Matrix says hello to " + who);
            case "screen-share" -> message.put("active", true);
            case "hand" -> message.put("raised", true);
            case "reaction" -> message.put("name", "clap");
            case "quality" -> message.put("level", "poor");
            case "moderate" -> {
                String name = m.name("Target");
                target = waiter(m, name);
                message.put("action", "mute");
                message.put("participantId", admitted(m, target, name));
            }
            default -> { }
        }
        if (expected == Reply.ALLOWED && (type.equals("hand") || type.equals("quality"))) {
            untilPong(client); // what earlier cells' senders did is read and gone: the next such update is this one's
        }
        client.send(message);

        String cell = type + " from " + who;
        if (expected != Reply.ALLOWED) {
            JsonNode error = client.next("error");
            assertThat(error.path("code").asText()).as("%s: %s", cell, error).isEqualTo(code(expected));
            assertThat(error.path("ref").asText()).as(cell).isEqualTo(type);
            assertThat(client.isOpen()).as("%s: the socket stays up", cell).isTrue();
            if (target != null) {
                assertThat(untilPong(target, "moderated", "participant-updated")).as("%s: nothing happened", cell)
                        .isEmpty();
            }
            return;
        }
        switch (type) {
            case "join" -> client.next("lobby");
            case "ping" -> assertThat(client.next("pong").path("id").asInt()).isEqualTo(42);
            case "leave" -> client.awaitClose(Duration.ofSeconds(5));
            case "answer" -> {
                JsonNode error = client.next("error");
                assertThat(error.path("code").asText()).as("%s reaches the relay: %s", cell, error)
                        .isIn("stale-answer", "bad-sdp");
            }
            case "resume" -> {
                JsonNode error = client.next("error");
                assertThat(error.path("code").asText()).as("%s reaches the token check: %s", cell, error)
                        .isEqualTo("resume-invalid");
            }
            case "media-state", "tile-sizes" -> noErrorBeforePong(client, cell);
            case "screen-share" -> {
                noErrorBeforePong(client, cell);
                client.send(Map.of("type", "screen-share", "active", false)); // the room's limit stays free
                noErrorBeforePong(client, cell + " (stopping)");
            }
            case "hand" -> assertThat(ownUpdate(client).path("hand").isNumber()).as(cell).isTrue();
            case "quality" -> assertThat(ownUpdate(client).path("quality").asText()).as(cell).isEqualTo("poor");
            case "reaction" -> assertThat(client.next("reaction").path("name").asText()).as(cell).isEqualTo("clap");
            case "chat" -> {
                JsonNode echo = client.next("chat");
                assertThat(echo.path("text").asText()).as("%s comes back to its sender: %s", cell, echo)
                        .isEqualTo(message.get("text"));
                JsonNode heard = m.moderator.next("chat");
                while (!heard.path("id").asText().equals(echo.path("id").asText())) {
                    heard = m.moderator.next("chat"); // earlier cells' messages
                }
            }
            case "lobby-decision" -> {
                String id = message.get("participantId").toString();
                while (!client.next("lobby-resolved").path("participantId").asText().equals(id)) {
                    // resolutions of earlier waiters
                }
                waiting.next("welcome");
            }
            case "moderate" -> assertThat(target.next("moderated").path("action").asText()).as(cell).isEqualTo("mute");
            default -> throw new AssertionError("no check for allowed " + type);
        }
    }

    /**
     * The next participant-updated with a raised hand or a reported quality: the sender's own, as nobody else in the
     * meeting raises a hand or reports meanwhile.
     */
    private static JsonNode ownUpdate(SignalingClient client) {
        while (true) {
            JsonNode participant = client.next("participant-updated").path("participant");
            if (participant.path("hand").isNumber() || !participant.path("quality").asText().equals("unknown")) {
                return participant;
            }
        }
    }

    /** A ping's pong comes back with no error before it: what went before was taken. */
    private static void noErrorBeforePong(SignalingClient client, String cell) {
        client.send(Map.of("type", "ping", "id", 43));
        while (true) {
            JsonNode next = client.nextAny(Duration.ofSeconds(10));
            assertThat(next.path("type").asText()).as("%s: %s", cell, next).isNotEqualTo("error");
            if (next.path("type").asText().equals("pong")) {
                break;
            }
        }
    }

    /** A lobby room of its own with its host's socket in it (the moderator), and sessions for every kind of sender. */
    private Meeting newMeeting(String title) {
        Meeting m = new Meeting();
        m.roomHost = fixtures.signedIn(Role.HOST, "lobby-host").session();
        Map<String, String> form = new LinkedHashMap<>(RoomForms.valid(title, ZoneId.of("UTC"), 0));
        form.put("lobbyEnabled", "true");
        form.put("maxParticipants", "200");
        long roomId = RoomForms.schedule(m.roomHost, form);
        m.slug = rooms.findById(roomId).orElseThrow().getSlug();
        Fixtures.SignedIn otherHost = fixtures.signedIn(Role.HOST, "visiting-host");
        otherHost.scheduleRoom("Visiting host's room", 60);
        m.otherHost = otherHost.session();
        Fixtures.SignedIn admin = fixtures.signedIn(Role.ADMIN);
        m.admin = admin.session();
        m.adminId = admin.account().getId();
        m.member = fixtures.signedIn(Role.MEMBER, "matrix-member").session();
        m.moderator = SignalingClient.connect(port);
        toClose.add(m.moderator);
        m.moderator.send(join(m.roomHost.joinTicket(m.slug, "Moderator")));
        m.moderator.next("welcome");
        return m;
    }

    private static String code(Reply reply) {
        return switch (reply) {
            case NOT_JOINED -> "not-joined";
            case ALREADY_JOINED -> "already-joined";
            case NOT_ALLOWED -> "not-allowed";
            default -> "forbidden";
        };
    }

    /** The messages of these types that came before the answer to a ping sent now. */
    private static List<JsonNode> untilPong(SignalingClient client, String... types) {
        client.send(Map.of("type", "ping", "id", 4242));
        List<JsonNode> seen = new ArrayList<>();
        while (true) {
            JsonNode next = client.nextAny(Duration.ofSeconds(10));
            if (next.path("type").asText().equals("pong")) {
                return seen;
            }
            if (List.of(types).contains(next.path("type").asText())) {
                seen.add(next);
            }
        }
    }

    @TestFactory
    Stream<DynamicTest> everySignallingMessageFromEverySender() {
        Meeting m = newMeeting("Matrix lobby");
        return MESSAGES.entrySet().stream().sorted(Map.Entry.comparingByKey()).flatMap(entry ->
                entry.getValue().entrySet().stream().map(cell -> dynamicTest(
                        entry.getKey() + " from " + cell.getKey() + " → " + cell.getValue(),
                        () -> signal(m, entry.getKey(), cell.getKey(), cell.getValue()))));
    }

    @TestFactory
    Stream<DynamicTest> everyHostControlFromEverySender() {
        // A meeting per control: its moderator sets cells up with controls of its own (within its allowance), and
        // does no ICE, so the relay drops it after a while. Ending ends a meeting for everyone: one per such cell.
        Map<String, Meeting> meetings = new TreeMap<>();
        return HOST_CONTROLS.entrySet().stream().sorted(Map.Entry.comparingByKey()).flatMap(entry ->
                entry.getValue().entrySet().stream().map(cell -> dynamicTest(
                        entry.getKey() + " from " + cell.getKey() + " → " + cell.getValue(), () -> {
                            Meeting m = entry.getKey().equals("end") ? newMeeting("Matrix end")
                                    : meetings.computeIfAbsent(entry.getKey(), key -> newMeeting("Matrix " + key));
                            try {
                                control(m, entry.getKey(), cell.getKey(), cell.getValue());
                            } finally {
                                cellSockets.forEach(socket -> {
                                    try {
                                        socket.close();
                                    } catch (Exception e) {
                                        // already gone
                                    }
                                });
                                cellSockets.clear();
                                // The next lock cell needs an unlocked meeting; unlock cells keep it locked
                                // (the moderator's controls count against its allowance, so it uses few).
                                if (entry.getKey().equals("lock") && m.locked) {
                                    m.moderator.send(Map.of("type", "moderate", "action", "unlock"));
                                    m.locked = false;
                                }
                            }
                        })));
    }

    private void control(Meeting m, String control, Sender who, Reply expected) {
        boolean joined = who != Sender.BEFORE_JOIN && who != Sender.LOBBY_WAITER;
        String action = control.equals("remove-ban") ? "remove" : control;
        SignalingClient client = sender(m, who);
        SignalingClient target = null;
        SignalingClient waiting = null;
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("type", "moderate");
        message.put("action", action);
        boolean targeted = ClientMessage.Moderate.Action.named(action).targeted();
        boolean hands = action.equals("lower-hand") || action.equals("lower-all-hands");
        if (joined && (targeted || action.equals("mute-all") || hands)) {
            String name = m.name("Target");
            target = waiter(m, name);
            String id = admitted(m, target, name);
            if (targeted) {
                message.put("participantId", id);
            }
            if (hands) {
                target.send(Map.of("type", "hand", "raised", true));
                ownUpdate(target);
            }
            if (action.equals("revoke-cohost")) {
                m.moderator.send(Map.of("type", "moderate", "action", "make-cohost", "participantId", id));
                target.next("moderated");
            }
        } else if (targeted) {
            message.put("participantId", "p-0123456789abcdef");
        }
        if (control.equals("remove-ban")) {
            message.put("ban", true);
        }
        if (joined && action.equals("admit-all")) {
            String name = m.name("Knocking");
            waiting = waiter(m, name);
            waitingId(m.moderator, name);
        }
        if (joined && action.equals("stop-recording") && !m.recording) {
            m.moderator.send(Map.of("type", "moderate", "action", "record"));
            m.recording = true;
            awaitRecording(client, true);
        }
        if (joined && action.equals("unlock")) {
            if (!m.locked) { // else it was locked when the sender joined (told right after its welcome)
                m.moderator.send(Map.of("type", "moderate", "action", "lock"));
                m.locked = true;
                awaitLocked(client, true);
            }
        }
        client.send(message);

        String cell = "moderate " + control + " from " + who;
        if (expected != Reply.ALLOWED) {
            JsonNode error = client.next("error");
            assertThat(error.path("code").asText()).as("%s: %s", cell, error).isEqualTo(code(expected));
            assertThat(error.path("ref").asText()).as(cell).isEqualTo("moderate");
            assertThat(client.isOpen()).as("%s: the socket stays up", cell).isTrue();
            if (target != null) {
                assertThat(untilPong(target, "moderated", "bye")).as("%s: nothing happened to the target", cell)
                        .isEmpty();
            }
            if (waiting != null) {
                assertThat(untilPong(waiting, "welcome")).as("%s: nobody was admitted", cell).isEmpty();
            }
            if (action.equals("end")) {
                assertThat(untilPong(m.moderator, "bye")).as("%s: the meeting goes on", cell).isEmpty();
            }
            return;
        }
        switch (action) {
            case "mute", "mute-all" -> assertThat(target.next("moderated").path("action").asText()).isEqualTo("mute");
            case "lower-hand", "lower-all-hands" ->
                    assertThat(target.next("moderated").path("action").asText()).as(cell).isEqualTo("lower-hand");
            case "ask-unmute", "stop-camera", "make-cohost", "revoke-cohost" ->
                    assertThat(target.next("moderated").path("action").asText()).as(cell).isEqualTo(action);
            case "remove" -> assertThat(target.next("bye").path("reason").asText()).as(cell)
                    .isEqualTo(control.equals("remove-ban") ? "banned" : "removed");
            case "lock" -> {
                awaitLocked(client, true);
                m.locked = true;
            }
            case "unlock" -> {
                awaitLocked(client, false);
                m.locked = false;
            }
            case "admit-all" -> waiting.next("welcome");
            case "record" -> {
                awaitRecording(client, true);
                client.send(Map.of("type", "moderate", "action", "stop-recording")); // the next cell starts afresh
                awaitRecording(client, false);
            }
            case "stop-recording" -> {
                awaitRecording(client, false);
                m.recording = false;
            }
            case "end" -> {
                assertThat(client.next("bye").path("reason").asText()).as(cell).isEqualTo("meeting-ended");
                assertThat(m.moderator.next("bye").path("reason").asText()).isEqualTo("meeting-ended");
            }
            default -> throw new AssertionError("no check for allowed " + control);
        }
    }

    private static void awaitRecording(SignalingClient client, boolean recording) {
        while (client.next("room-state").path("recording").isObject() != recording) {
            // an earlier change
        }
    }

    private static void awaitLocked(SignalingClient client, boolean locked) {
        while (client.next("room-state").path("locked").asBoolean() != locked) {
            // an earlier change
        }
    }
}
