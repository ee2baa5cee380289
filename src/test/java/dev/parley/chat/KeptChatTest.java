package dev.parley.chat;

import static dev.parley.chat.ChatFilesTest.PDF;
import static dev.parley.chat.ChatFilesTest.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.accounts.Role;
import dev.parley.audit.AuditEvent;
import dev.parley.audit.AuditEventRepository;
import dev.parley.chat.ChatFilesTest.Member;
import dev.parley.rooms.RoomRepository;
import dev.parley.testing.Fixtures;
import dev.parley.testing.ParleyWebTest;
import dev.parley.testing.RoomForms;
import dev.parley.testing.WebSession;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A room whose host keeps its chat, over real HTTP, signalling and the database: messages to everyone (never private
 * ones) and their files outlive the meeting, reach the next meeting's people as earlier messages, and show on the
 * room's chat page for its host only, as a transcript too; the host clears them; the admins' retention removes what
 * is older (audited, checked in the form).
 */
@ParleyWebTest
class KeptChatTest {

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    RoomRepository rooms;

    @Autowired
    SharedFiles files;

    @Autowired
    ChatArchive archive;

    @Autowired
    ChatRetention retention;

    @Autowired
    AuditEventRepository audit;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void keptChatReachesTheNextMeetingAndItsHost() {
        Fixtures.SignedIn host = fixtures.signedIn(Role.HOST);
        Map<String, String> form = RoomForms.valid("Kept", ZoneId.of("UTC"), 1);
        form.put("chatKept", "true");
        form.put("_chatKept", "on");
        long roomId = RoomForms.schedule(host.session(), form);
        String slug = rooms.findById(roomId).orElseThrow().getSlug();
        assertThat(rooms.findById(roomId).orElseThrow().isChatKept()).as("the form's checkbox").isTrue();

        String fileId;
        String privateFileId;
        try (Member ada = Member.join(port, slug, "Ada");
             Member bob = Member.join(port, slug, "Bob")) {
            ada.client.send(Map.of("type", "chat", "text", "Agenda: https://example.org/plan"));
            bob.client.next("chat");
            ada.client.send(Map.of("type", "chat", "text", "psst, Bob", "to", bob.id));
            assertThat(bob.client.next("chat").path("to").asText()).isEqualTo(bob.id);
            assertThat(ada.share("minutes.pdf", PDF, null).status()).isEqualTo(201);
            fileId = bob.client.next("chat").path("file").path("id").asText();
            assertThat(ada.share("secret.txt", "only Bob".getBytes(StandardCharsets.UTF_8), bob.id).status())
                    .isEqualTo(201);
            privateFileId = bob.client.next("chat").path("file").path("id").asText();
        }
        assertThat(eventually(() -> files.find(privateFileId).isEmpty()))
                .as("a private file ends with the meeting").isTrue();
        assertThat(files.find(fileId)).as("a file to everyone stays with the kept chat").isPresent();
        assertThat(archive.count(roomId)).as("the two messages to everyone, not the private one").isEqualTo(2);

        try (Member carl = Member.join(port, slug, "Carl")) {
            JsonNode history = carl.client.next("chat-history").path("messages");
            assertThat(history).hasSize(2);
            JsonNode first = history.get(0);
            assertThat(first.path("earlier").asBoolean()).isTrue();
            assertThat(first.path("from").path("displayName").asText()).isEqualTo("Ada");
            assertThat(first.path("from").path("participantId").asText()).isEmpty();
            assertThat(first.path("text").asText()).isEqualTo("Agenda: https://example.org/plan");
            assertThat(history.get(1).path("file").path("id").asText()).isEqualTo(fileId);
            assertThat(carl.download(slug, fileId).body()).as("a later meeting's people download it").isEqualTo(PDF);
            assertThat(StreamSupport.stream(history.spliterator(), false).map(m -> m.path("text").asText()))
                    .noneMatch(text -> text.contains("psst"));
        }

        WebSession.Page page = host.session().get("/rooms/" + roomId + "/chat");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.html().select("[data-testid=room-chat-message]")).hasSize(2);
        assertThat(page.html().select("[data-testid=room-chat-text]").text()).contains("Agenda");
        Element link = page.html().selectFirst("[data-testid=room-chat-file]");
        assertThat(link.text()).isEqualTo("minutes.pdf");
        assertThat(host.session().getBytes(link.attr("href"), Map.of()).body()).isEqualTo(PDF);
        String transcript = host.session().get("/rooms/" + roomId + "/chat/transcript.txt").body();
        assertThat(transcript).contains("Ada: Agenda: https://example.org/plan").contains("minutes.pdf")
                .doesNotContain("psst");
        assertThat(host.session().get("/rooms/" + roomId).byTestId("room-chat-link").text()).contains("2");

        WebSession otherHost = fixtures.signedIn(Role.HOST).session();
        assertThat(otherHost.get("/rooms/" + roomId + "/chat").status()).as("another host").isIn(403, 404);
        assertThat(otherHost.getBytes(link.attr("href"), Map.of()).statusCode()).isIn(403, 404);
        WebSession guest = new WebSession(port);
        assertThat(guest.get("/rooms/" + roomId + "/chat/transcript.txt").status()).as("not signed in").isEqualTo(302);
        WebSession admin = fixtures.signedIn(Role.ADMIN).session();
        assertThat(admin.get("/rooms/" + roomId + "/chat").status()).as("an admin").isEqualTo(200);

        WebSession.Page cleared = host.session().submit("/rooms/" + roomId + "/chat", "/rooms/" + roomId + "/chat/clear",
                Map.of());
        assertThat(cleared.status()).isEqualTo(302);
        assertThat(archive.count(roomId)).isZero();
        assertThat(files.find(fileId)).isEmpty();
        assertThat(host.session().get("/rooms/" + roomId + "/chat").has("room-chat-empty")).isTrue();
        assertThat(audit.findAll()).extracting(AuditEvent::getAction, AuditEvent::getTarget)
                .contains(org.assertj.core.groups.Tuple.tuple("ROOM_CHAT_CLEARED", "room " + slug));
    }

    /** Clearing the kept chat while a meeting runs takes the kept files, not the meeting's own private ones. */
    @Test
    void clearingDuringAMeetingLeavesItsPrivateFiles() {
        Fixtures.SignedIn host = fixtures.signedIn(Role.HOST);
        Map<String, String> form = RoomForms.valid("Cleared live", ZoneId.of("UTC"), 1);
        form.put("chatKept", "true");
        long roomId = RoomForms.schedule(host.session(), form);
        String slug = rooms.findById(roomId).orElseThrow().getSlug();
        try (Member ada = Member.join(port, slug, "Ada"); Member bob = Member.join(port, slug, "Bob")) {
            assertThat(ada.share("minutes.pdf", PDF, null).status()).isEqualTo(201);
            String keptId = bob.client.next("chat").path("file").path("id").asText();
            byte[] secret = "only Bob".getBytes(StandardCharsets.UTF_8);
            assertThat(ada.share("secret.txt", secret, bob.id).status()).isEqualTo(201);
            String privateId = bob.client.next("chat").path("file").path("id").asText();

            assertThat(host.session().submit("/rooms/" + roomId + "/chat", "/rooms/" + roomId + "/chat/clear",
                    Map.of()).status()).isEqualTo(302);
            assertThat(bob.download(slug, keptId).statusCode()).as("the kept file went").isEqualTo(404);
            assertThat(bob.download(slug, privateId).body()).as("the private one is the meeting's").isEqualTo(secret);
        }
    }

    @Test
    void theAdminsRetentionRemovesWhatIsOlder() throws Exception {
        Fixtures.SignedIn host = fixtures.signedIn(Role.HOST);
        Map<String, String> form = RoomForms.valid("Retained", ZoneId.of("UTC"), 1);
        form.put("chatKept", "true");
        long roomId = RoomForms.schedule(host.session(), form);
        String slug = rooms.findById(roomId).orElseThrow().getSlug();
        String fileId;
        try (Member ada = Member.join(port, slug, "Ada")) {
            ada.client.send(Map.of("type", "chat", "text", "recent"));
            ada.client.next("chat");
            assertThat(ada.share("old.pdf", PDF, null).status()).isEqualTo(201);
            fileId = ada.client.next("chat").path("file").path("id").asText();
        }
        Instant longAgo = Instant.now().minus(Duration.ofDays(40));
        archive.keep(roomId, "Ada", "from long ago", null, longAgo);
        jdbc.update("update shared_file set uploaded_at = ? where id = ?", Timestamp.from(longAgo), fileId);
        java.nio.file.Path bytes = files.path(files.find(fileId).orElseThrow());

        WebSession admin = fixtures.signedIn(Role.ADMIN).session();
        for (String bad : List.of("0", "3651", "", "soon")) {
            WebSession.Page refused = admin.submit("/admin/settings", "/admin/settings",
                    Map.of("chatRetentionDays", bad));
            assertThat(refused.status()).as(bad).isEqualTo(200);
            assertThat(refused.has("error-chatRetentionDays")).as(bad).isTrue();
        }
        int before = retention.days();
        WebSession.Page saved = admin.submit("/admin/settings", "/admin/settings", Map.of("chatRetentionDays", "35"));
        assertThat(saved.status()).isEqualTo(302);
        assertThat(retention.days()).isEqualTo(35);
        assertThat(archive.count(roomId)).as("the 40-day-old message went at once, the recent one stayed").isEqualTo(2);
        assertThat(files.find(fileId)).as("and the 40-day-old file").isEmpty();
        assertThat(Files.exists(bytes)).isFalse();
        assertThat(admin.get("/admin/settings").html().selectFirst("[data-testid=settings-retention-input]").val())
                .isEqualTo("35");
        assertThat(audit.findAll()).extracting(AuditEvent::getAction, AuditEvent::getDetails)
                .contains(org.assertj.core.groups.Tuple.tuple("CHAT_RETENTION_CHANGED", before + " -> 35 days"));
        assertThat(host.session().get("/admin/settings").status()).as("a host").isEqualTo(403);
        admin.submit("/admin/settings", "/admin/settings", Map.of("chatRetentionDays", Integer.toString(before)));
    }
}
