package dev.parley.meeting;

import static dev.parley.testing.SignalingClient.join;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.accounts.Role;
import dev.parley.rooms.RoomRepository;
import dev.parley.testing.Fixtures;
import dev.parley.testing.ParleyWebTest;
import dev.parley.testing.RoomForms;
import dev.parley.testing.SignalingClient;
import dev.parley.testing.WebSession;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The meeting's chat (docs/signaling.md, section 6), over real WebSockets against the running application. */
@ParleyWebTest
class MeetingChatTest {

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    RoomRepository rooms;

    @Autowired
    LiveRooms liveRooms;

    WebSession host;
    long lastRoomId;

    @BeforeEach
    void aHost() {
        host = fixtures.signIn(fixtures.user(Role.HOST));
    }

    @Test
    void publicMessagesReachEveryoneAndPrivateOnesOnlyTheTwoAndLateJoinersSeeThePublicHistory() {
        String slug = openRoom(false);
        try (SignalingClient ada = SignalingClient.connect(port);
             SignalingClient bob = SignalingClient.connect(port);
             SignalingClient cyd = SignalingClient.connect(port)) {
            String adaId = enter(ada, slug, "Ada");
            assertThat(ada.next("chat-history").path("messages")).as("a new meeting has no chat yet").isEmpty();
            String bobId = enter(bob, slug, "Bob");
            String cydId = enter(cyd, slug, "Cyd");

            ada.send(chat("  Hello <b>all</b> \n", null));
            JsonNode toAll = ada.next("chat");
            assertThat(toAll.path("text").asText()).as("trimmed, otherwise as sent").isEqualTo("Hello <b>all</b>");
            assertThat(toAll.path("from").path("participantId").asText()).isEqualTo(adaId);
            assertThat(toAll.path("from").path("displayName").asText()).isEqualTo("Ada");
            assertThat(toAll.has("to")).as("no recipient on a public message").isFalse();
            assertThat(toAll.path("sentAt").asLong()).isPositive();
            assertThat(bob.next("chat").path("id").asText()).isEqualTo(toAll.path("id").asText());
            assertThat(cyd.next("chat").path("id").asText()).isEqualTo(toAll.path("id").asText());

            bob.send(chat("Just for you, Ada", adaId));
            JsonNode secret = ada.next("chat");
            assertThat(secret.path("to").asText()).isEqualTo(adaId);
            assertThat(secret.path("from").path("participantId").asText()).isEqualTo(bobId);
            assertThat(bob.next("chat").path("id").asText()).as("the sender's copy").isEqualTo(secret.path("id").asText());

            cyd.send(chat("Second public", null));
            JsonNode second = cyd.next("chat");
            assertThat(messagesUntilPong(cyd)).as("Cyd never got the private message").isEmpty();
            ada.next("chat");
            bob.next("chat");

            try (SignalingClient dee = SignalingClient.connect(port)) {
                dee.send(join(new WebSession(port).joinTicket(slug, "Dee")));
                dee.next("welcome");
                JsonNode history = dee.next("chat-history");
                assertThat(ids(history)).as("the public messages, oldest first, and not the private one")
                        .containsExactly(toAll.path("id").asText(), second.path("id").asText());
                assertThat(history.path("messages").get(0).path("text").asText()).isEqualTo("Hello <b>all</b>");
            }
            try (SignalingClient adaAgain = SignalingClient.connect(port)) {
                // The same person in a second tab is another participant: it sees public messages only.
                adaAgain.send(join(new WebSession(port).joinTicket(slug, "Ada")));
                adaAgain.next("welcome");
                assertThat(ids(adaAgain.next("chat-history"))).doesNotContain(secret.path("id").asText());
            }
            assertThat(cydId).isNotEqualTo(bobId);
        }
    }

    @Test
    void textLengthRecipientAndRateAreCheckedAndTheSocketStaysUp() {
        String slug = openRoom(false);
        try (SignalingClient ada = SignalingClient.connect(port); SignalingClient bob = SignalingClient.connect(port)) {
            String adaId = enter(ada, slug, "Ada");
            enter(bob, slug, "Bob");

            ada.send(chat("   \n\t ", null));
            assertThat(ada.expectError("bad-message").path("ref").asText()).isEqualTo("chat");
            ada.send(chat("x".repeat(MeetingChat.MAX_TEXT + 1), null));
            assertThat(ada.expectError("bad-message").path("message").asText()).contains("2000");
            ada.send(chat("  " + "😀".repeat(MeetingChat.MAX_TEXT) + "  ", null));
            assertThat(ada.next("chat").path("text").asText()).as("2000 code points (4000 UTF-16 units) pass")
                    .hasSize(2 * MeetingChat.MAX_TEXT);
            ada.send(chat("exe.\u202Egpj", null));
            assertThat(ada.expectError("bad-message").path("message").asText()).contains("direction overrides");
            // Half of a surrogate pair, as JSON's escape makes it: UTF-8 cannot carry it to anyone.
            ada.sendRaw("{\"type\":\"chat\",\"text\":\"half a pair \\ud83d\"}");
            ada.expectError("bad-message");
            ada.send(chat("\u200B\u200B", null));
            ada.expectError("bad-message");
            ada.send(chat("bell\u0007", null));
            ada.expectError("bad-message");
            ada.send(chat("line one\nline two\tindented", null));
            assertThat(ada.next("chat").path("text").asText()).as("line breaks and tabs stay")
                    .isEqualTo("line one\nline two\tindented");
            ada.send(chat("to nobody", "p-0000000000000000"));
            ada.expectError("unknown-recipient");
            ada.send(chat("to myself", adaId));
            ada.expectError("bad-message");
            ada.send(Map.of("type", "chat", "text", 42));
            ada.expectError("bad-message");
            ada.send(Map.of("type", "chat", "text", "x", "to", 7));
            ada.expectError("bad-message");

            // The allowance was partly spent above (one message got through); what remains goes, then rate-limited.
            int sent = 0;
            int refused = 0;
            for (int i = 0; i < MeetingChat.BURST + 4; i++) {
                bob.send(chat("burst " + i, null));
            }
            List<JsonNode> replies = new ArrayList<>();
            while (sent + refused < MeetingChat.BURST + 4) {
                JsonNode next = bob.nextAny(Duration.ofSeconds(10));
                if (next.path("type").asText().equals("chat")
                        && next.path("text").asText().startsWith("burst ")) {
                    sent++;
                } else if (next.path("type").asText().equals("error")) {
                    assertThat(next.path("code").asText()).isEqualTo("rate-limited");
                    assertThat(next.path("ref").asText()).isEqualTo("chat");
                    refused++;
                }
                replies.add(next);
            }
            assertThat(sent).as("a burst of %s goes through (plus what refilled meanwhile)", MeetingChat.BURST)
                    .isBetween(MeetingChat.BURST, MeetingChat.BURST + 2);
            assertThat(refused).isPositive();
            assertThat(bob.isOpen()).isTrue();
            bob.send(Map.of("type", "ping", "id", 5));
            assertThat(bob.next("pong").path("id").asInt()).isEqualTo(5);
        }
    }

    @Test
    void someoneInTheLobbyCanNeitherChatNorReadUntilAdmittedAndTheChatEndsWithTheMeeting() {
        String slug = openRoom(true);
        long roomId = lastRoomId;
        try (SignalingClient hostClient = SignalingClient.connect(port);
             SignalingClient guest = SignalingClient.connect(port)) {
            hostClient.send(join(host.joinTicket(slug, "The Host")));
            hostClient.next("welcome");
            hostClient.send(chat("Before anyone else came", null));
            JsonNode early = hostClient.next("chat");

            guest.send(join(new WebSession(port).joinTicket(slug, "Guest")));
            guest.next("lobby");
            String guestId = hostClient.next("lobby-request").path("participant").path("id").asText();
            guest.send(chat("Let me in!", null));
            assertThat(guest.expectError("not-joined").path("ref").asText()).isEqualTo("chat");
            hostClient.send(chat("Said while the guest waits", null));
            JsonNode whileWaiting = hostClient.next("chat");
            hostClient.send(chat("Private to the one waiting", guestId));
            assertThat(hostClient.expectError("unknown-recipient").path("ref").asText()).isEqualTo("chat");
            assertThat(messagesUntilPong(guest)).as("nothing of the chat reaches the lobby").isEmpty();

            hostClient.send(Map.of("type", "lobby-decision", "participantId", guestId, "admit", true));
            guest.next("welcome");
            assertThat(ids(guest.next("chat-history"))).as("admitted: the history so far")
                    .containsExactly(early.path("id").asText(), whileWaiting.path("id").asText());
            guest.send(Map.of("type", "leave"));
            hostClient.send(Map.of("type", "leave"));
            guest.awaitClose(Duration.ofSeconds(5));
            hostClient.awaitClose(Duration.ofSeconds(5));
        }
        awaitGone(roomId);
        try (SignalingClient later = SignalingClient.connect(port)) {
            later.send(join(host.joinTicket(slug, "The Host")));
            later.next("welcome");
            assertThat(later.next("chat-history").path("messages")).as("a new meeting starts with no chat").isEmpty();
        }
    }

    @Test
    void aParticipantWhoResumesGetsWhatItMissedIncludingItsOwnPrivateMessages() {
        String slug = openRoom(false);
        try (SignalingClient ada = SignalingClient.connect(port)) {
            String adaId = enter(ada, slug, "Ada");
            SignalingClient bob = SignalingClient.connect(port);
            bob.send(join(new WebSession(port).joinTicket(slug, "Bob")));
            String token = bob.next("welcome").path("resumeToken").asText();
            bob.next("chat-history");
            bob.send(chat("psst", adaId));
            JsonNode secret = bob.next("chat");
            ada.next("chat");
            bob.close();
            ada.next("participant-updated"); // Bob is reconnecting
            ada.send(chat("Bob missed this", null));
            JsonNode missed = ada.next("chat");

            try (SignalingClient back = SignalingClient.connect(port)) {
                back.send(Map.of("type", "resume", "token", token, "slug", slug));
                back.next("resumed");
                assertThat(ids(back.next("chat-history")))
                        .containsExactly(secret.path("id").asText(), missed.path("id").asText());
            }
        }
    }

    @Test
    void theHistoryKeepsTheLastMessagesOnly() {
        ChatLog log = new ChatLog();
        for (int i = 0; i < 5; i++) {
            log.add(new ServerMessage.Chat(log.nextId(), new ServerMessage.ChatSender("p-a", "A"),
                    i == 4 ? "p-b" : null, "m" + i, i), 3);
        }
        assertThat(log.visibleTo("p-c")).extracting(ServerMessage.Chat::text).containsExactly("m2", "m3");
        assertThat(log.visibleTo("p-b")).extracting(ServerMessage.Chat::text).containsExactly("m2", "m3", "m4");
        assertThat(log.visibleTo("p-a")).extracting(ServerMessage.Chat::id).containsExactly("c-3", "c-4", "c-5");
    }

    // ------------------------------------------------------------------ helpers

    private String enter(SignalingClient client, String slug, String name) {
        client.send(join(new WebSession(port).joinTicket(slug, name)));
        return client.next("welcome").path("participantId").asText();
    }

    /** The chat and chat-history messages that came before the answer to a ping sent now. */
    private static List<JsonNode> messagesUntilPong(SignalingClient client) {
        client.send(Map.of("type", "ping", "id", 77));
        List<JsonNode> chat = new ArrayList<>();
        while (true) {
            JsonNode next = client.nextAny(Duration.ofSeconds(10));
            String type = next.path("type").asText();
            if (type.equals("pong")) {
                return chat;
            }
            if (type.startsWith("chat")) {
                chat.add(next);
            }
        }
    }

    private static List<String> ids(JsonNode history) {
        List<String> ids = new ArrayList<>();
        history.path("messages").forEach(m -> ids.add(m.path("id").asText()));
        return ids;
    }

    private void awaitGone(long roomId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (liveRooms.find(roomId).isPresent()) {
            assertThat(System.nanoTime()).as("the live room ends once everyone left").isLessThan(deadline);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private String openRoom(boolean lobby) {
        Map<String, String> form = RoomForms.valid("Chat", ZoneId.of("UTC"), 1);
        if (lobby) {
            form.put("lobbyEnabled", "true");
        }
        long id = RoomForms.schedule(host, form);
        lastRoomId = id;
        return rooms.findById(id).orElseThrow().getSlug();
    }

    private static Map<String, Object> chat(String text, String to) {
        Map<String, Object> chat = new LinkedHashMap<>();
        chat.put("type", "chat");
        chat.put("text", text);
        if (to != null) {
            chat.put("to", to);
        }
        return chat;
    }
}
