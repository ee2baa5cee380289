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
import dev.parley.testing.StalledWebSocket;
import dev.parley.testing.WebSession;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A participant whose network stalls (its socket stops reading; the server's sends to it back up) holds up no one
 * else's signalling, and a broadcast still reaches everyone after it.
 */
@ParleyWebTest
class StalledConnectionTest {

    /**
     * The server's sockets with a send buffer of 16 KiB: on loopback the kernel would let one grow to megabytes, more
     * than a test sends in its first seconds. What happens once it is full is the same.
     */
    @TestConfiguration
    static class SmallSendBuffers {
        @Bean
        WebServerFactoryCustomizer<TomcatServletWebServerFactory> smallSendBuffers() {
            return factory -> factory.addConnectorCustomizers(connector ->
                    connector.setProperty("socket.txBufSize", "8192")); // the kernel doubles it
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    RoomRepository rooms;

    @Test
    void aParticipantWhoseConnectionStallsHoldsUpNoOneElse() throws Exception {
        WebSession host = fixtures.signIn(fixtures.user(Role.HOST));
        long roomId = RoomForms.schedule(host, RoomForms.valid("Stalled", ZoneId.of("UTC"), 1));
        String slug = rooms.findById(roomId).orElseThrow().getSlug();
        try (SignalingClient ada = SignalingClient.connect(port);
             StalledWebSocket sam = StalledWebSocket.connect(port);
             SignalingClient ben = SignalingClient.connect(port);
             SignalingClient cyd = SignalingClient.connect(port)) {
            enter(ada, slug, "Ada");
            sam.send(join(new WebSession(port).joinTicket(slug, "Sam")));
            String samId = sam.next("welcome").path("participantId").asText();
            String benId = enter(ben, slug, "Ben");
            enter(cyd, slug, "Cyd"); // after Sam: a broadcast reaches her after it went to Sam

            // Sam reads nothing more. Each of the others sends a full burst of long messages: far more than Sam's
            // window and the server's socket buffer hold, so a send to Sam waits, on the thread of whoever sent it.
            String text = "😀".repeat(MeetingChat.MAX_TEXT);
            for (SignalingClient client : List.of(ada, ben, cyd)) {
                for (int i = 0; i < MeetingChat.BURST; i++) {
                    client.send(Map.of("type", "chat", "text", text));
                }
            }
            List<JsonNode> toCyd = new ArrayList<>(); // what else came meanwhile
            for (SignalingClient client : List.of(ada, ben, cyd)) {
                for (int chats = 0; chats < 3 * MeetingChat.BURST; ) {
                    JsonNode message = client.nextAny(Duration.ofSeconds(10));
                    if (message.path("type").asText().equals("chat")) {
                        chats++;
                    } else if (client == cyd) {
                        toCyd.add(message);
                    }
                }
            }
            ada.send(Map.of("type", "ping", "id", 1));
            assertThat(ada.next("pong").path("id").asInt()).as("Ada's signalling goes on").isEqualTo(1);

            // Past the time the server gives one send, it gives Sam's socket up: Sam is reconnecting, as after any
            // dropped connection, and comes back when its network does.
            Predicate<JsonNode> samUpdated = m -> m.path("type").asText().equals("participant-updated")
                    && m.path("participant").path("id").asText().equals(samId);
            JsonNode updated = toCyd.stream().filter(samUpdated).findFirst().orElseGet(() -> next(cyd,
                    "participant-updated", samUpdated, SignalingHandler.SEND_TIME_LIMIT.plusSeconds(10)));
            assertThat(updated.path("participant").path("connection").asText()).isEqualTo("reconnecting");

            // Broadcasts go on reaching everyone, Cyd after Sam too.
            ben.send(Map.of("type", "leave"));
            next(cyd, "participant-left", m -> m.path("participantId").asText().equals(benId), Duration.ofSeconds(10));
        }
    }

    /** The next message of {@code type} that matches, others skipped. */
    private static JsonNode next(SignalingClient client, String type, Predicate<JsonNode> matches, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode message = client.next(type, Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (matches.test(message)) {
                return message;
            }
        }
    }

    private String enter(SignalingClient client, String slug, String name) {
        client.send(join(new WebSession(port).joinTicket(slug, name)));
        return client.next("welcome").path("participantId").asText();
    }
}
