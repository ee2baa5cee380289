package dev.parley.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.accounts.Role;
import dev.parley.recording.TestRecordings;
import dev.parley.testing.ApiClient;
import dev.parley.testing.Fixtures;
import dev.parley.testing.ParleyWebTest;
import dev.parley.testing.WebSession;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Recordings through the REST API with tokens made on the profile page: a room's list, one recording, its video
 * whole and in a range; the scope rooms:read required; another host's token, a demoted owner's and a wrong id
 * refused as problem details; a video not ready yet is 409.
 */
@ParleyWebTest
class ApiRecordingsTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    TestRecordings recordings;

    private ApiClient api() {
        return new ApiClient(port);
    }

    @Test
    void aHostListsReadsAndDownloadsTheirRoomsRecordings() throws Exception {
        Fixtures.SignedIn host = fixtures.signedIn(Role.HOST, "api-rec-host");
        long roomId = host.scheduleRoom("API recordings", 0);
        TestRecordings.Made ready = recordings.ready(roomId, Instant.now().minusSeconds(3600), Duration.ofSeconds(754));
        TestRecordings.Made composing = recordings.composing(roomId, 30);
        String token = ApiClient.makeToken(host.session(), "Archive", null, "ROOMS_READ");

        ApiClient.Response list = api().get("/api/v1/rooms/" + roomId + "/recordings", token);
        assertThat(list.status()).as(list.toString()).isEqualTo(200);
        assertThat(list.json().path("total").asInt()).isEqualTo(2);
        assertThat(list.json().path("items").get(0).path("id").asText()).as("newest first").isEqualTo(composing.id());
        assertThat(api().get("/api/v1/rooms/" + roomId + "/recordings?size=1&page=1", token).json().path("items")
                .get(0).path("id").asText()).isEqualTo(ready.id());

        JsonNode one = api().get("/api/v1/recordings/" + ready.id(), token).json();
        assertThat(one.path("roomId").asLong()).isEqualTo(roomId);
        assertThat(one.path("state").asText()).isEqualTo("READY");
        assertThat(one.path("progress").asInt()).isEqualTo(100);
        assertThat(one.path("durationSeconds").asLong()).isEqualTo(754);
        assertThat(one.path("composedBytes").asLong()).isEqualTo(ready.composed().length);
        assertThat(one.path("trackBytes").asLong()).isEqualTo(ready.track().length);
        assertThat(one.path("tracks").asInt()).isEqualTo(1);
        String downloadUrl = one.path("downloadUrl").asText();
        assertThat(downloadUrl).isEqualTo("http://127.0.0.1:" + port + "/api/v1/recordings/" + ready.id()
                + "/download");

        HttpResponse<byte[]> video = download(downloadUrl, token, null);
        assertThat(video.statusCode()).isEqualTo(200);
        assertThat(video.body()).isEqualTo(ready.composed());
        assertThat(video.headers().firstValue("Content-Type")).hasValue("video/mp4");
        assertThat(video.headers().firstValue("Content-Disposition").orElseThrow()).startsWith("attachment")
                .contains(".mp4");
        HttpResponse<byte[]> range = download(downloadUrl, token, "bytes=10-19");
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.body()).isEqualTo(Arrays.copyOfRange(ready.composed(), 10, 20));

        JsonNode inProgress = api().get("/api/v1/recordings/" + composing.id(), token).json();
        assertThat(inProgress.path("state").asText()).isEqualTo("COMPOSING");
        assertThat(inProgress.path("progress").asInt()).isEqualTo(30);
        assertThat(inProgress.path("downloadUrl").isNull()).isTrue();
        JsonNode notReady = api().get("/api/v1/recordings/" + composing.id() + "/download", token).problem(409);
        assertThat(notReady.path("detail").asText()).contains("not ready");

        api().get("/api/v1/recordings/no-such-recording", token).problem(404);
        api().get("/api/v1/recordings/no-such-recording/download", token).problem(404);
        api().get("/api/v1/rooms/999999999/recordings", token).problem(404);
    }

    @Test
    void theScopeTheOwnerAndTheirRoleAreChecked() throws Exception {
        Fixtures.SignedIn host = fixtures.signedIn(Role.HOST, "api-rec-owner");
        long roomId = host.scheduleRoom("API recordings, guarded", 0);
        TestRecordings.Made ready = recordings.ready(roomId, Instant.now().minusSeconds(600), Duration.ofMinutes(2));
        String recording = "/api/v1/recordings/" + ready.id();
        String withoutScope = ApiClient.makeToken(host.session(), "Meetings only", null, "MEETINGS_READ",
                "ROOMS_WRITE");
        for (String path : new String[] {recording, recording + "/download", "/api/v1/rooms/" + roomId
                + "/recordings"}) {
            api().get(path, withoutScope).problem(403);
            api().get(path, null).problem(401);
        }

        Fixtures.SignedIn other = fixtures.signedIn(Role.HOST, "api-rec-other");
        String othersToken = ApiClient.makeToken(other.session(), "Other host", null, "ROOMS_READ");
        api().get(recording, othersToken).problem(403);
        api().get(recording + "/download", othersToken).problem(403);
        api().get("/api/v1/rooms/" + roomId + "/recordings", othersToken).problem(403);

        WebSession admin = new WebSession(port).login(ParleyWebTest.ADMIN_EMAIL, ParleyWebTest.ADMIN_PASSWORD);
        String adminToken = ApiClient.makeToken(admin, "Admin archive", null, "ROOMS_READ");
        assertThat(api().get(recording, adminToken).status()).isEqualTo(200);
        assertThat(download("http://127.0.0.1:" + port + recording + "/download", adminToken, null).body())
                .isEqualTo(ready.composed());

        String ownersToken = ApiClient.makeToken(host.session(), "Owner", null, "ROOMS_READ");
        assertThat(api().get(recording, ownersToken).status()).isEqualTo(200);
        WebSession.Page demoted = admin.post("/admin/users/" + host.account().getId() + "/role",
                admin.get("/admin").csrfToken(), Map.of("role", "MEMBER"));
        assertThat(demoted.status()).isEqualTo(302);
        api().get(recording, ownersToken).problem(403);
        api().get(recording + "/download", ownersToken).problem(403);
    }

    private static HttpResponse<byte[]> download(String url, String token, String range) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Authorization",
                "Bearer " + token);
        if (range != null) {
            request.header("Range", range);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
