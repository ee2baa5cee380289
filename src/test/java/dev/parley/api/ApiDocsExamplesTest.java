package dev.parley.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.accounts.Role;
import dev.parley.recording.TestRecordings;
import dev.parley.testing.ApiClient;
import dev.parley.testing.Fixtures;
import dev.parley.testing.ParleyWebTest;
import dev.parley.testing.ShellExamples;
import dev.parley.testing.SignalingClient;
import dev.parley.testing.WebSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Runs every {@code sh} example of docs/api.md as written, with /usr/bin/curl against the running server: each after
 * an {@code <!-- expect: STATUS -->} line, with PARLEY_URL, PARLEY_TOKEN (an admin's token with every scope),
 * ROOM_ID, USER_ID, PARTICIPANT_ID and RECORDING_ID (a ready recording of the room) set as the document says, in a
 * folder of its own (where {@code -o} writes a download). The status is read through a curl configuration file
 * of the test's own (write-out), so the commands stay exactly as a reader copies them. Every operation of the API must
 * have an example.
 */
@ParleyWebTest
class ApiDocsExamplesTest {

    private static final String STATUS_MARK = "PARLEY-DOC-STATUS ";
    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    TestRecordings recordings;

    record Example(int expected, String command) {
    }

    static List<Example> examples() throws IOException {
        String doc = Files.readString(Path.of("docs/api.md"));
        List<Example> examples = ShellExamples.in(doc).stream()
                .map(e -> new Example(Integer.parseInt(e.expect()), e.command())).toList();
        assertThat(examples).as("every ```sh block of docs/api.md follows an <!-- expect: STATUS --> line")
                .hasSize(ShellExamples.shBlocks(doc));
        return examples;
    }

    @Test
    void everyOperationHasAnExample() throws IOException {
        List<Example> examples = examples();
        for (ApiAccess.Rule rule : ApiAccess.RULES) {
            String path = rule.path().replace("{id}", "$ROOM_ID").replace("{roomId}", "$ROOM_ID")
                    .replace("{participantId}", "$PARTICIPANT_ID").replace("{recordingId}", "$RECORDING_ID");
            String userPath = rule.path().replace("{id}", "$USER_ID");
            String method = rule.method().name();
            boolean found = examples.stream().anyMatch(example -> {
                String c = example.command().replace("\\\n", " ");
                boolean methodMatches = method.equals("GET") ? !c.contains(" -X ") : c.contains("-X " + method);
                return methodMatches && (c.contains(path + "\"") || c.contains(userPath + "\"")
                        || c.contains(path + "?") || c.contains(userPath + "?"));
            });
            assertThat(found).as("docs/api.md has a curl example of %s %s", method, rule.path()).isTrue();
        }
    }

    @Test
    void theExamplesWorkAsWritten(@TempDir Path home) throws Exception {
        Files.writeString(home.resolve(".curlrc"), "write-out = \"\\n" + STATUS_MARK + "%{http_code}\\n\"\n");
        WebSession admin = new WebSession(port).login(ParleyWebTest.ADMIN_EMAIL, ParleyWebTest.ADMIN_PASSWORD);
        String token = ApiClient.makeToken(admin, "Docs", null, "ROOMS_READ", "ROOMS_WRITE", "MEETINGS_READ",
                "MEETINGS_WRITE", "USERS_READ", "USERS_WRITE");
        Fixtures.SignedIn host = fixtures.signedIn(Role.HOST, "docs-host");
        long roomId = host.scheduleRoom("Docs room", 0);
        String slug = host.link(roomId).replaceAll(".*/r/", "");
        long userId = fixtures.user(Role.HOST, "docs-user").getId();
        TestRecordings.Made recording = recordings.ready(roomId, Instant.now().minusSeconds(600),
                Duration.ofMinutes(3));

        Map<String, String> env = new HashMap<>();
        env.put("HOME", home.toString());
        env.put("PATH", "/usr/bin:/bin");
        env.put("PARLEY_URL", "http://127.0.0.1:" + port);
        env.put("PARLEY_TOKEN", token);
        env.put("ROOM_ID", Long.toString(roomId));
        env.put("USER_ID", Long.toString(userId));
        env.put("RECORDING_ID", recording.id());

        List<SignalingClient> guests = new ArrayList<>();
        try {
            for (String name : List.of("Ada", "Grace")) {
                SignalingClient guest = SignalingClient.connect(port);
                guests.add(guest);
                guest.send(Map.of("type", "join", "ticket", new WebSession(port).joinTicket(slug, name),
                        "audio", false, "video", false));
                String id = guest.next("welcome").path("participantId").asText();
                env.putIfAbsent("PARTICIPANT_ID", id);
            }
            List<Example> examples = new ArrayList<>(examples());
            // Cancelling the room ends its meeting: that example runs last.
            examples.sort((a, b) -> Boolean.compare(a.command().contains("/cancel"), b.command().contains("/cancel")));
            for (Example example : examples) {
                run(example, env, home);
            }
        } finally {
            guests.forEach(SignalingClient::close);
        }
    }

    private static void run(Example example, Map<String, String> env, Path folder) throws Exception {
        ShellExamples.Run run = ShellExamples.run(example.command(), env, Duration.ofSeconds(30), folder);
        assertThat(run.finished()).as("finished in time: %s", example.command()).isTrue();
        String output = run.output();
        int mark = output.lastIndexOf(STATUS_MARK);
        assertThat(mark).as("curl ran: %s\n%s", example.command(), output).isNotNegative();
        int status = Integer.parseInt(output.substring(mark + STATUS_MARK.length()).strip());
        assertThat(status).as("status of %s\n%s", example.command(), output).isEqualTo(example.expected());
        assertThat(run.exitCode()).as("exit code of %s\n%s", example.command(), output)
                .isEqualTo(status >= 400 && example.command().contains("--fail-with-body") ? 22 : 0);
        String body = output.substring(0, mark).strip();
        if (example.command().contains(" -i ")) {
            assertThat(body).contains("Content-Type: application/problem+json");
            body = body.substring(body.indexOf("\r\n\r\n") + 4).strip();
        }
        Matcher download = Pattern.compile(" -o (\\S+)").matcher(example.command());
        if (download.find()) {
            assertThat(body).as("the download went to its file").isEmpty();
            assertThat(Files.size(folder.resolve(download.group(1)))).as("%s wrote its file", example.command())
                    .isPositive();
        } else if (status == 204) {
            assertThat(body).isEmpty();
        } else {
            JsonNode json = JSON.readTree(body);
            assertThat(json.isContainerNode()).as("JSON from %s: %s", example.command(), body).isTrue();
            if (status >= 400) {
                assertThat(json.path("status").asInt()).isEqualTo(status);
            }
        }
    }
}
