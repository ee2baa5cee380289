package dev.parley.rooms;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.accounts.Role;
import dev.parley.accounts.UserAccount;
import dev.parley.testing.Fixtures;
import dev.parley.testing.ParleyWebTest;
import dev.parley.testing.RoomForms;
import dev.parley.testing.WebSession;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Only a room's host or an admin may change it; everyone else gets 403 (or the login page when anonymous). */
@ParleyWebTest
class RoomAccessTest {

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    RoomRepository rooms;

    WebSession owner;
    long roomId;

    @BeforeEach
    void aHostWithARoom() {
        Fixtures.SignedIn host = fixtures.signedIn(Role.HOST, "owner");
        owner = host.session();
        roomId = host.scheduleRoom("Owner's room", 60);
    }

    @Test
    void anotherHostCannotSeeOrChangeTheRoom() {
        WebSession intruder = fixtures.signedIn(Role.HOST, "intruder").session();
        String token = intruder.get("/rooms").csrfToken();

        assertThat(intruder.get("/rooms/" + roomId).status()).isEqualTo(403);
        assertThat(intruder.get("/rooms/" + roomId + "/edit").status()).isEqualTo(403);
        assertThat(intruder.get("/rooms/" + roomId + "/invite.ics").status()).isEqualTo(403);
        assertThat(intruder.get("/rooms/" + roomId + "/delete").status()).isEqualTo(403);
        assertThat(intruder.post("/rooms/" + roomId, token, RoomForms.valid("Hijacked", ZoneId.of("UTC"), 60)).status())
                .isEqualTo(403);
        assertThat(intruder.post("/rooms/" + roomId + "/cancel", token, Map.of()).status()).isEqualTo(403);
        assertThat(intruder.post("/rooms/" + roomId + "/open", token, Map.of()).status()).isEqualTo(403);
        WebSession.Page delete = intruder.post("/rooms/" + roomId + "/delete", token, Map.of());
        assertThat(delete.status()).isEqualTo(403);
        assertThat(delete.text("error-403")).contains("Not allowed");

        Room room = rooms.findById(roomId).orElseThrow();
        assertThat(room.getTitle()).isEqualTo("Owner's room");
        assertThat(room.isCancelled()).isFalse();
        assertThat(intruder.get("/rooms").body()).doesNotContain("Owner's room");
    }

    @Test
    void membersCannotUseTheHostPages() {
        UserAccount member = fixtures.user(Role.MEMBER);
        WebSession session = fixtures.signIn(member);
        String token = session.get("/profile").csrfToken();
        assertThat(session.get("/rooms").status()).isEqualTo(403);
        assertThat(session.get("/rooms/new").status()).isEqualTo(403);
        assertThat(session.post("/rooms", token, RoomForms.valid("Sneaky", ZoneId.of("UTC"), 60)).status()).isEqualTo(403);
        assertThat(session.get("/rooms/" + roomId).status()).isEqualTo(403);
    }

    @Test
    void anonymousVisitorsAreSentToLogin() {
        WebSession guest = new WebSession(port);
        for (String path : new String[] {"/rooms", "/rooms/new", "/rooms/" + roomId, "/profile", "/admin"}) {
            WebSession.Page page = guest.get(path);
            assertThat(page.status()).as(path).isEqualTo(302);
            assertThat(page.location()).as(path).endsWith("/login");
        }
        WebSession.Page forged = guest.postRaw("/rooms/" + roomId + "/delete", Map.of());
        assertThat(forged.status()).isEqualTo(403);
        assertThat(rooms.findById(roomId)).isPresent();
    }

    @Test
    void adminsManageEveryRoom() {
        WebSession admin = new WebSession(port).login(ParleyWebTest.ADMIN_EMAIL, ParleyWebTest.ADMIN_PASSWORD);
        assertThat(admin.get("/rooms/" + roomId).status()).isEqualTo(200);
        WebSession.Page saved = admin.submit("/rooms/" + roomId + "/edit", "/rooms/" + roomId,
                RoomForms.valid("Renamed by admin", ZoneId.of("UTC"), 60));
        assertThat(saved.status()).isEqualTo(302);
        assertThat(rooms.findById(roomId).orElseThrow().getTitle()).isEqualTo("Renamed by admin");
        assertThat(admin.get("/admin/rooms").byTestId("admin-room-table").text()).contains("Renamed by admin");
    }

    @Test
    void csrfIsRequiredForRoomChangesEvenWhenSignedIn() {
        WebSession.Page forged = owner.postRaw("/rooms/" + roomId + "/cancel", Map.of());
        assertThat(forged.status()).isEqualTo(403);
        WebSession.Page wrongToken = owner.post("/rooms/" + roomId + "/cancel", "forged-token", Map.of());
        assertThat(wrongToken.status()).isEqualTo(403);
        assertThat(rooms.findById(roomId).orElseThrow().isCancelled()).isFalse();
    }

    @Test
    void unknownRoomsAreNotFound() {
        assertThat(owner.get("/rooms/987654321").status()).isEqualTo(404);
        WebSession.Page notNumeric = owner.get("/rooms/abc");
        assertThat(notNumeric.status()).isEqualTo(400);
        assertThat(notNumeric.body()).doesNotContain("MethodArgumentTypeMismatchException");
    }
}
