package dev.parley.meeting;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.accounts.Role;
import dev.parley.accounts.UserAccount;
import dev.parley.rooms.Room;
import dev.parley.rooms.RoomRepository;
import dev.parley.testing.Fixtures;
import dev.parley.testing.ParleyWebTest;
import dev.parley.testing.RoomForms;
import dev.parley.testing.WebSession;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** /r/{slug} enforces the room's rules in order and ends on the pre-join page. */
@ParleyWebTest
class RoomLinkTest {

    private static final AtomicInteger ADDRESSES = new AtomicInteger();

    @Autowired
    PasscodeProperties limits;

    private static final ZoneId UTC = ZoneId.of("UTC");

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    RoomRepository rooms;

    UserAccount hostAccount;
    WebSession host;

    @BeforeEach
    void signInAsHost() {
        hostAccount = fixtures.user(Role.HOST);
        host = fixtures.signIn(hostAccount);
    }

    @Test
    void unknownAndMalformedSlugsAreNotFound() {
        WebSession guest = new WebSession(port);
        WebSession.Page unknown = guest.get("/r/AAAAAAAAAAAAAAAAAAAAAA");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.text("error-404")).contains("Not found");
        assertThat(guest.get("/r/short").status()).isEqualTo(404);
        assertThat(guest.get("/r/" + "x".repeat(300)).status()).isEqualTo(404);
        assertThat(guest.get("/r/%27%20or%201=1--").status()).isEqualTo(404);
    }

    @Test
    void anOpenRoomLeadsAGuestToThePreJoinPage() {
        String path = roomStartingIn(5, Map.of());
        WebSession.Page page = new WebSession(port).get(path);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.byTestId("prejoin-name").attr("value")).isEmpty();
        assertThat(page.has("join-button")).isTrue();
    }

    @Test
    void signedInUsersFindTheirNameFilledIn() {
        String path = roomStartingIn(5, Map.of());
        UserAccount member = fixtures.user(Role.MEMBER);
        WebSession.Page page = fixtures.signIn(member).get(path);
        assertThat(page.byTestId("prejoin-name").attr("value")).isEqualTo(member.getDisplayName());
    }

    @Test
    void aRoomThatHasNotStartedShowsItsStartAndTheHostMayOpenItEarly() {
        String path = roomStartingIn(3 * 60, Map.of());
        WebSession guest = new WebSession(port);
        WebSession.Page waiting = guest.get(path);
        assertThat(waiting.status()).isEqualTo(200);
        assertThat(waiting.has("room-not-started")).isTrue();
        assertThat(waiting.text("room-start-time")).isNotBlank();
        assertThat(waiting.has("open-now")).isFalse();
        assertThat(waiting.has("join-button")).isFalse();

        WebSession.Page hostView = host.get(path);
        assertThat(hostView.has("open-now")).isTrue();
        WebSession.Page opened = host.post(path + "/open", hostView.csrfToken(), Map.of());
        assertThat(opened.location()).endsWith(path);
        assertThat(host.get(path).has("join-button")).isTrue();
        assertThat(guest.get(path).has("join-button")).as("once opened, guests may enter").isTrue();
    }

    @Test
    void guestsCannotOpenARoomEarly() {
        String path = roomStartingIn(3 * 60, Map.of());
        WebSession guest = new WebSession(port);
        String token = guest.get("/login").csrfToken();
        WebSession.Page refused = guest.post(path + "/open", token, Map.of());
        assertThat(refused.status()).isEqualTo(302);
        assertThat(refused.location()).endsWith("/login");
        UserAccount member = fixtures.user(Role.MEMBER);
        WebSession memberSession = fixtures.signIn(member);
        assertThat(memberSession.post(path + "/open", memberSession.get("/profile").csrfToken(), Map.of()).status())
                .isEqualTo(403);
        assertThat(guest.get(path).has("room-not-started")).isTrue();
    }

    @Test
    void aCancelledRoomSaysSo() {
        String path = roomStartingIn(5, Map.of());
        long id = rooms.findBySlug(path.substring(3)).orElseThrow().getId();
        host.post("/rooms/" + id + "/cancel", host.get("/rooms/" + id).csrfToken(), Map.of());
        WebSession.Page page = new WebSession(port).get(path);
        assertThat(page.status()).isEqualTo(410);
        assertThat(page.text("room-cancelled")).contains("cancelled");
    }

    @Test
    void anEndedRoomSaysSo() {
        String path = roomStartingIn(5, Map.of());
        Room room = rooms.findBySlug(path.substring(3)).orElseThrow();
        room.setStartsAt(Instant.now().minus(5, ChronoUnit.HOURS));
        rooms.save(room);
        assertThat(new WebSession(port).get(path).has("room-ended")).isTrue();
    }

    @Test
    void aPasscodeRoomAsksForThePasscode() {
        String path = roomStartingIn(5, Map.of("passcode", "open-sesame"));
        WebSession guest = new WebSession(port);
        WebSession.Page prompt = guest.get(path);
        assertThat(prompt.has("room-passcode")).isTrue();
        assertThat(prompt.has("join-button")).isFalse();

        WebSession.Page wrong = guest.follow(guest.post(path + "/passcode", prompt.csrfToken(), Map.of("passcode", "nope")));
        assertThat(wrong.text("passcode-error")).isEqualTo("That passcode is not right.");

        WebSession.Page empty = guest.follow(guest.post(path + "/passcode", prompt.csrfToken(), Map.of("passcode", "")));
        assertThat(empty.text("passcode-error")).isEqualTo("Enter the passcode.");

        WebSession.Page right = guest.follow(guest.post(path + "/passcode", prompt.csrfToken(), Map.of("passcode", "open-sesame")));
        assertThat(right.has("join-button")).isTrue();

        assertThat(host.get(path).has("join-button")).as("the host needs no passcode").isTrue();
    }

    @Test
    void passcodeGuessingIsLimitedPerAddressEvenWithoutTheSessionCookie() {
        String path = roomStartingIn(5, Map.of("passcode", "correct-one"));
        String guesser = uniqueAddress();
        for (int i = 0; i < limits.maxTriesPerRoomAndAddress(); i++) {
            // A fresh browser session for every guess, as a guesser dropping the cookie would do.
            assertThat(tryPasscode(new WebSession(port), guesser, path, "guess-" + i).text("passcode-error"))
                    .isEqualTo("That passcode is not right.");
        }
        WebSession guesserBrowser = new WebSession(port);
        WebSession.Page blocked = tryPasscode(guesserBrowser, guesser, path, "correct-one");
        assertThat(blocked.text("passcode-error")).contains("Too many");
        assertThat(blocked.has("join-button")).isFalse();

        assertThat(tryPasscode(new WebSession(port), uniqueAddress(), path, "correct-one").has("join-button"))
                .as("someone else at another address is not held up").isTrue();
    }

    /** Guesses sent at once from one address are counted one after the other: no more get through than one by one. */
    @Test
    void guessesSentAtOnceFromOneAddressGetNoMoreTries() throws Exception {
        String path = roomStartingIn(5, Map.of("passcode", "correct-one"));
        String guesser = uniqueAddress();
        int guesses = 16;
        Map<String, String> from = Map.of("X-Forwarded-For", guesser);
        List<WebSession> browsers = new ArrayList<>();
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < guesses; i++) {
            WebSession browser = new WebSession(port);
            browsers.add(browser);
            tokens.add(browser.get(path, from).csrfToken());
        }
        ExecutorService threads = Executors.newFixedThreadPool(guesses);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < guesses; i++) {
                int n = i;
                answers.add(threads.submit(() -> {
                    go.await();
                    WebSession.Page result = browsers.get(n).post(path + "/passcode", tokens.get(n),
                            Map.of("passcode", "guess-" + n), from);
                    return browsers.get(n).get(result.location(), from).text("passcode-error");
                }));
            }
            go.countDown();
            int wrong = 0;
            int tooMany = 0;
            for (Future<String> answer : answers) {
                String error = answer.get(60, TimeUnit.SECONDS);
                if (error.equals("That passcode is not right.")) {
                    wrong++;
                } else if (error.contains("Too many")) {
                    tooMany++; // tries, or passcodes being checked at this moment (the page says which)
                }
            }
            assertThat(wrong).as("guesses checked, of %d sent at once", guesses)
                    .isBetween(1, limits.maxTriesPerRoomAndAddress());
            assertThat(wrong + tooMany).as("each told one or the other").isEqualTo(guesses);
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void oneAddressGuessingAcrossRoomsIsPaused() {
        String guesser = uniqueAddress();
        int perRoom = limits.maxTriesPerRoomAndAddress() - 1;
        int tries = 0;
        while (tries < limits.maxTriesPerAddress()) {
            String path = roomStartingIn(5, Map.of("passcode", "secret-" + tries));
            for (int i = 0; i < perRoom && tries < limits.maxTriesPerAddress(); i++, tries++) {
                tryPasscode(new WebSession(port), guesser, path, "guess-" + i);
            }
        }
        String fresh = roomStartingIn(5, Map.of("passcode", "fresh-one"));
        assertThat(tryPasscode(new WebSession(port), guesser, fresh, "fresh-one").text("passcode-error"))
                .contains("Too many");
    }

    @Test
    void guessesFromManyAddressesPauseTheRoomsPasscode() {
        String path = roomStartingIn(5, Map.of("passcode", "correct-one"));
        for (int i = 0; i < limits.maxTriesPerRoom(); i++) {
            tryPasscode(new WebSession(port), uniqueAddress(), path, "guess-" + i);
        }
        assertThat(tryPasscode(new WebSession(port), uniqueAddress(), path, "correct-one").text("passcode-error"))
                .contains("Too many");
    }

    @Test
    void changingThePasscodeRevokesEarlierUnlocks() {
        String path = roomStartingIn(5, Map.of("passcode", "first-code"));
        long id = rooms.findBySlug(path.substring(3)).orElseThrow().getId();
        WebSession guest = new WebSession(port);
        assertThat(tryPasscode(guest, uniqueAddress(), path, "first-code").has("join-button")).isTrue();

        Map<String, String> edit = RoomForms.valid("Link test", UTC, 5);
        edit.put("passcode", "second-code");
        assertThat(host.submit("/rooms/" + id + "/edit", "/rooms/" + id, edit).status()).isEqualTo(302);

        WebSession.Page again = guest.get(path);
        assertThat(again.has("room-passcode")).isTrue();
        assertThat(again.has("join-button")).isFalse();
        WebSession.Page ticket = guest.post(path + "/ticket", again.csrfToken(), Map.of("displayName", "Guest"));
        assertThat(ticket.status()).isEqualTo(403);
    }

    private static String uniqueAddress() {
        int n = ADDRESSES.incrementAndGet();
        return "203.0." + (n / 250) % 250 + "." + (n % 250 + 1);
    }

    private static WebSession.Page tryPasscode(WebSession browser, String address, String path, String passcode) {
        Map<String, String> from = Map.of("X-Forwarded-For", address);
        WebSession.Page prompt = browser.get(path, from);
        WebSession.Page result = browser.post(path + "/passcode", prompt.csrfToken(), Map.of("passcode", passcode), from);
        return browser.get(result.location(), from);
    }

    @Test
    void aMembersOnlyRoomSendsGuestsToLoginAndBack() {
        String path = roomStartingIn(5, Map.of("guestsAllowed", "false"));
        WebSession visitor = new WebSession(port);
        WebSession.Page page = visitor.get(path);
        assertThat(page.status()).isEqualTo(302);
        assertThat(page.location()).endsWith("/login");

        UserAccount member = fixtures.user(Role.MEMBER);
        WebSession.Page afterLogin = visitor.submit("/login", "/login",
                Map.of("email", member.getEmail(), "password", Fixtures.PASSWORD));
        assertThat(afterLogin.location()).contains(path);
        assertThat(visitor.follow(afterLogin).has("join-button")).isTrue();
    }

    private String roomStartingIn(long minutes, Map<String, String> overrides) {
        Map<String, String> form = RoomForms.valid("Link test", UTC, minutes);
        form.putAll(overrides);
        if ("false".equals(overrides.get("guestsAllowed"))) {
            form.remove("guestsAllowed");
        }
        long id = RoomForms.schedule(host, form);
        return RoomForms.path(RoomForms.link(host, id));
    }
}
