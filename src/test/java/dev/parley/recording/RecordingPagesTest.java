package dev.parley.recording;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.accounts.Role;
import dev.parley.audit.AuditEvent;
import dev.parley.audit.AuditEventRepository;
import dev.parley.rooms.RoomRepository;
import dev.parley.testing.Fixtures;
import dev.parley.testing.ParleyWebTest;
import dev.parley.testing.WebSession;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.assertj.core.groups.Tuple;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A room's recordings over real HTTP and the real database, with rows and files made as the recorder and the
 * composition leave them ({@link TestRecordings}): the host's page, the status its progress bar polls, the downloads
 * (whole and in ranges), who is refused, the admins' list, deleting, the retention and its settings.
 */
@ParleyWebTest
class RecordingPagesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    TestRecordings made;

    @Autowired
    RoomRepository rooms;

    @Autowired
    RecordingRetention retention;

    @Autowired
    RecordingSettingsService settings;

    @Autowired
    AuditEventRepository audit;

    @Test
    void theHostSeesAndDownloadsTheirRoomsRecording() {
        Fixtures.SignedIn host = fixtures.signedIn(Role.HOST, "rec-host");
        long roomId = host.scheduleRoom("Recorded lesson", 0);
        String slug = rooms.findById(roomId).orElseThrow().getSlug();
        TestRecordings.Made recording = made.ready(roomId, Instant.parse("2026-03-02T09:15:00Z"),
                Duration.ofSeconds(3725));

        WebSession.Page room = host.session().get("/rooms/" + roomId);
        Element link = room.byTestId("room-recordings-link");
        assertThat(link.text()).isEqualTo("Recordings (1)");
        WebSession.Page page = host.session().get(link.attr("href"));
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.text("recordings-heading")).isEqualTo("Recordings of Recorded lesson");
        Element card = page.byTestId("recording");
        assertThat(card.attr("data-recording-id")).isEqualTo(recording.id());
        assertThat(text(card, "recording-state")).isEqualTo("Ready");
        assertThat(text(card, "recording-started-by")).isEqualTo("Host of the test");
        assertThat(text(card, "recording-started")).as("in the viewer's zone (UTC here)").contains("2026", "9:15");
        assertThat(text(card, "recording-duration")).isEqualTo("1:02:05");
        assertThat(text(card, "recording-composed-size")).isEqualTo("96.0 KB");
        assertThat(text(card, "recording-track-size")).isEqualTo("1 file, 40.0 KB");
        assertThat(card.selectFirst("[data-testid=recording-progress]").hasAttr("hidden")).isTrue();
        assertThat(card.selectFirst("[data-testid=recording-error]").hasAttr("hidden")).isTrue();
        Element download = card.selectFirst("[data-testid=recording-download]");
        assertThat(download.hasAttr("hidden")).isFalse();

        HttpResponse<byte[]> composed = host.session().getBytes(download.attr("href"), Map.of());
        assertThat(composed.statusCode()).isEqualTo(200);
        assertThat(composed.body()).isEqualTo(recording.composed());
        assertThat(composed.headers().firstValue("Content-Type")).hasValue("video/mp4");
        assertThat(composed.headers().firstValue("Content-Disposition").orElseThrow())
                .startsWith("attachment").contains("parley-" + slug + "-2026-03-02-0915.mp4");
        assertThat(composed.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(composed.headers().firstValue("Accept-Ranges")).hasValue("bytes");

        HttpResponse<byte[]> part = host.session().getBytes(download.attr("href"), Map.of("Range", "bytes=100-1123"));
        assertThat(part.statusCode()).as("a range").isEqualTo(206);
        assertThat(part.body()).isEqualTo(Arrays.copyOfRange(recording.composed(), 100, 1124));
        assertThat(part.headers().firstValue("Content-Range"))
                .hasValue("bytes 100-1123/" + recording.composed().length);
        HttpResponse<byte[]> tail = host.session().getBytes(download.attr("href"), Map.of("Range", "bytes=-10"));
        assertThat(tail.statusCode()).isEqualTo(206);
        assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(recording.composed(), recording.composed().length - 10,
                recording.composed().length));
        HttpResponse<byte[]> beyond = host.session().getBytes(download.attr("href"),
                Map.of("Range", "bytes=999999999-"));
        assertThat(beyond.statusCode()).as("a range beyond the file").isEqualTo(416);

        Element track = card.selectFirst("[data-testid=recording-track-download]");
        assertThat(track.text()).isEqualTo("Ada: camera");
        HttpResponse<byte[]> trackFile = host.session().getBytes(track.attr("href"), Map.of());
        assertThat(trackFile.statusCode()).isEqualTo(200);
        assertThat(trackFile.body()).isEqualTo(recording.track());
        assertThat(trackFile.headers().firstValue("Content-Type")).hasValue("video/webm");
        assertThat(trackFile.headers().firstValue("Content-Disposition").orElseThrow())
                .contains("parley-" + slug + "-2026-03-02-0915-1-camera-video.webm");

        assertThat(host.session().getBytes("/recordings/" + recording.id() + "/tracks/no-such-track", Map.of())
                .statusCode()).isEqualTo(404);
        assertThat(host.session().getBytes("/recordings/no-such-recording/composed.mp4", Map.of()).statusCode())
                .isEqualTo(404);
        assertThat(host.session().get("/recordings/not%20an%20id/status").status()).isEqualTo(404);
    }

    @Test
    void guestsVisitorsMembersAndOtherHostsAreRefused() {
        Fixtures.SignedIn host = fixtures.signedIn(Role.HOST, "rec-owner");
        long roomId = host.scheduleRoom("Private recording", 0);
        TestRecordings.Made recording = made.ready(roomId, Instant.now().minusSeconds(600), Duration.ofMinutes(5));
        List<String> paths = List.of("/rooms/" + roomId + "/recordings", "/recordings/" + recording.id() + "/status",
                "/recordings/" + recording.id() + "/composed.mp4",
                "/recordings/" + recording.id() + "/tracks/" + recording.trackId());

        WebSession visitor = new WebSession(port);
        String slug = rooms.findById(roomId).orElseThrow().getSlug();
        visitor.get("/r/" + slug);
        WebSession member = fixtures.signedIn(Role.MEMBER, "rec-member").session();
        WebSession otherHost = fixtures.signedIn(Role.HOST, "rec-other").session();
        for (String path : paths) {
            WebSession.Page signedOut = visitor.get(path);
            assertThat(signedOut.status()).as("signed out: %s", path).isEqualTo(302);
            assertThat(signedOut.location()).contains("/login");
            assertThat(member.get(path).status()).as("a member: %s", path).isEqualTo(403);
            WebSession.Page other = otherHost.get(path);
            assertThat(other.status()).as("another room's host: %s", path).isEqualTo(403);
            assertThat(other.body()).doesNotContain("Exception", "at dev.parley");
        }
        WebSession.Page refusedDelete = otherHost.post("/recordings/" + recording.id() + "/delete",
                otherHost.get("/profile").csrfToken(), Map.of());
        assertThat(refusedDelete.status()).isEqualTo(403);
        assertThat(made.exists(recording.id())).isTrue();
        assertThat(otherHost.get("/rooms/" + otherRoom(otherHost) + "/recordings").text("recordings-empty"))
                .isEqualTo("This room has no recordings.");

        WebSession admin = fixtures.signedIn(Role.ADMIN, "rec-admin").session();
        for (String path : paths) {
            assertThat(admin.getBytes(path, Map.of()).statusCode()).as("an admin: %s", path).isEqualTo(200);
        }
    }

    @Test
    void aHostDemotedWhileSignedInLosesAccess() {
        Fixtures.SignedIn host = fixtures.signedIn(Role.HOST, "rec-demoted");
        long roomId = host.scheduleRoom("Demoted host's recording", 0);
        TestRecordings.Made recording = made.ready(roomId, Instant.now().minusSeconds(600), Duration.ofMinutes(5));
        String download = "/recordings/" + recording.id() + "/composed.mp4";
        assertThat(host.session().getBytes(download, Map.of()).statusCode()).isEqualTo(200);

        WebSession operator = new WebSession(port).login(ParleyWebTest.ADMIN_EMAIL, ParleyWebTest.ADMIN_PASSWORD);
        WebSession.Page changed = operator.post("/admin/users/" + host.account().getId() + "/role",
                operator.get("/admin").csrfToken(), Map.of("role", "MEMBER"));
        assertThat(changed.status()).isEqualTo(302);

        assertThat(host.session().getBytes(download, Map.of()).statusCode()).isEqualTo(403);
        assertThat(host.session().get("/recordings/" + recording.id() + "/status").status()).isEqualTo(403);
        assertThat(host.session().get("/rooms/" + roomId + "/recordings").status()).isEqualTo(403);
    }

    @Test
    void theStatusReportsProgressUntilTheVideoIsReady() throws Exception {
        Fixtures.SignedIn host = fixtures.signedIn(Role.HOST, "rec-progress");
        long roomId = host.scheduleRoom("Being composed", 0);
        TestRecordings.Made recording = made.composing(roomId, 40);
        String statusUrl = "/recordings/" + recording.id() + "/status";

        WebSession.Page page = host.session().get("/rooms/" + roomId + "/recordings");
        Element card = page.byTestId("recording");
        assertThat(card.attr("data-status-url")).isEqualTo(statusUrl);
        assertThat(text(card, "recording-state")).isEqualTo("Making the video");
        assertThat(card.selectFirst("[data-testid=recording-progress]").hasAttr("hidden")).isFalse();
        assertThat(card.selectFirst("[data-testid=recording-progress-bar]").attr("value")).isEqualTo("40");
        assertThat(text(card, "recording-progress-text")).isEqualTo("40 %");
        assertThat(card.selectFirst("[data-testid=recording-download]").hasAttr("hidden")).isTrue();
        assertThat(host.session().getBytes("/recordings/" + recording.id() + "/composed.mp4", Map.of()).statusCode())
                .as("no video yet").isEqualTo(404);

        JsonNode status = status(host.session(), statusUrl);
        assertThat(status.path("state").asText()).isEqualTo("COMPOSING");
        assertThat(status.path("progress").asInt()).isEqualTo(40);
        assertThat(status.path("stateText").asText()).isEqualTo("Making the video");
        assertThat(status.path("duration").asText()).isEqualTo("1:05");
        assertThat(status.path("composedUrl").isNull()).isTrue();

        made.progress(recording.id(), 85);
        assertThat(status(host.session(), statusUrl).path("progress").asInt()).isEqualTo(85);
        byte[] composed = made.finishComposing(recording.id());
        status = status(host.session(), statusUrl);
        assertThat(status.path("state").asText()).isEqualTo("READY");
        assertThat(status.path("progress").asInt()).isEqualTo(100);
        assertThat(status.path("composedSize").asText()).isEqualTo("50.0 KB");
        assertThat(host.session().getBytes(status.path("composedUrl").asText(), Map.of()).body()).isEqualTo(composed);
        assertThat(status(host.session().acceptLanguage("zh-CN"), statusUrl).path("stateText").asText())
                .isEqualTo("已就绪");
    }

    @Test
    void aFailedOrInterruptedRecordingSaysSo() throws Exception {
        Fixtures.SignedIn host = fixtures.signedIn(Role.HOST, "rec-failed");
        long roomId = host.scheduleRoom("Failed composition", 0);
        TestRecordings.Made recording = made.composing(roomId, 10);
        made.interrupted(recording.id());
        made.fail(recording.id(), "no usable track");

        Element card = host.session().get("/rooms/" + roomId + "/recordings").byTestId("recording");
        assertThat(text(card, "recording-state")).isEqualTo("Failed");
        assertThat(card.selectFirst("[data-testid=recording-error]").hasAttr("hidden")).isFalse();
        assertThat(text(card, "recording-error")).contains("no usable track");
        assertThat(text(card, "recording-interrupted")).contains("Parley stopped");
        JsonNode status = status(host.session(), "/recordings/" + recording.id() + "/status");
        assertThat(status.path("state").asText()).isEqualTo("FAILED");
        assertThat(status.path("errorText").asText()).isEqualTo(text(card, "recording-error"));
        assertThat(card.selectFirst("[data-testid=recording-download]").hasAttr("hidden")).isTrue();
        assertThat(card.selectFirst("[data-testid=recording-track-download]")).as("the tracks are kept").isNotNull();
    }

    @Test
    void theAdminSeesEveryRecordingAndDeletesThem() {
        Fixtures.SignedIn host = fixtures.signedIn(Role.HOST, "rec-listed");
        long roomId = host.scheduleRoom("Listed for admins", 0);
        TestRecordings.Made recording = made.ready(roomId, Instant.now().plusSeconds(3600), Duration.ofMinutes(2));
        Path folder = made.folder(recording.id());
        assertThat(Files.isDirectory(folder)).isTrue();

        WebSession admin = fixtures.signedIn(Role.ADMIN, "rec-deleter").session();
        WebSession.Page list = admin.get("/admin/recordings");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.byTestId("admin-recordings").hasClass("active")).isTrue();
        assertThat(list.text("recording-disk-usage")).contains(" of ");
        Element card = list.html().selectFirst("[data-recording-id=" + recording.id() + "]");
        assertThat(card).as("the newest recording is on the first page").isNotNull();
        assertThat(text(card, "recording-room")).isEqualTo("Listed for admins");
        assertThat(card.selectFirst("[data-testid=recording-room]").attr("href"))
                .isEqualTo("/rooms/" + roomId + "/recordings");
        assertThat(card.selectFirst("form").attr("data-confirm")).contains("cannot be undone");

        WebSession.Page deleted = admin.post("/recordings/" + recording.id() + "/delete", list.csrfToken(),
                Map.of("from", "admin"));
        assertThat(deleted.status()).isEqualTo(302);
        assertThat(deleted.location()).endsWith("/admin/recordings");
        assertThat(admin.follow(deleted).text("flash")).isEqualTo("Recording deleted.");
        assertThat(made.exists(recording.id())).isFalse();
        assertThat(Files.exists(folder)).as("its files went with it").isFalse();
        assertThat(audit.findAll()).extracting(AuditEvent::getAction, AuditEvent::getTarget, AuditEvent::getDetails)
                .contains(Tuple.tuple("RECORDING_DELETED", "recording " + recording.id(),
                        "room " + rooms.findById(roomId).orElseThrow().getSlug()));
        assertThat(host.session().get("/rooms/" + roomId).text("room-recordings-link")).isEqualTo("Recordings (0)");
        assertThat(host.session().get("/admin/recordings").status()).as("a host").isEqualTo(403);
    }

    @Test
    void theHostDeletesARecordingButNotOneStillRecorded() {
        Fixtures.SignedIn host = fixtures.signedIn(Role.HOST, "rec-host-deletes");
        long roomId = host.scheduleRoom("Host deletes", 0);
        TestRecordings.Made done = made.ready(roomId, Instant.now().minusSeconds(600), Duration.ofMinutes(1));
        TestRecordings.Made running = made.recording(roomId);
        String recordingsPage = "/rooms/" + roomId + "/recordings";

        WebSession.Page page = host.session().get(recordingsPage);
        assertThat(page.html().select("[data-testid=recording]")).hasSize(2);
        Element live = page.html().selectFirst("[data-recording-id=" + running.id() + "]");
        assertThat(text(live, "recording-state")).isEqualTo("Recording");
        assertThat(live.selectFirst("[data-testid=recording-delete]")).as("no delete while recording").isNull();

        WebSession.Page refused = host.session().post("/recordings/" + running.id() + "/delete", page.csrfToken(),
                Map.of());
        assertThat(refused.location()).endsWith(recordingsPage);
        assertThat(host.session().follow(refused).text("flash-error")).contains("while it is being recorded");
        assertThat(made.exists(running.id())).isTrue();

        WebSession.Page deleted = host.session().post("/recordings/" + done.id() + "/delete", page.csrfToken(),
                Map.of("from", "admin"));
        assertThat(deleted.location()).as("a host goes back to the room's list").endsWith(recordingsPage);
        assertThat(made.exists(done.id())).isFalse();
        assertThat(host.session().get(recordingsPage).html().select("[data-testid=recording]")).hasSize(1);
    }

    @Test
    void theRetentionRemovesOldRecordingsAndSweepsFoldersWithoutRows() {
        Fixtures.SignedIn host = fixtures.signedIn(Role.HOST, "rec-retention");
        long roomId = host.scheduleRoom("Retained recordings", 0);
        int days = settings.retentionDays();
        TestRecordings.Made old = made.ready(roomId, Instant.now().minus(Duration.ofDays(days + 1)),
                Duration.ofMinutes(30));
        TestRecordings.Made recent = made.ready(roomId, Instant.now().minus(Duration.ofDays(days - 1)),
                Duration.ofMinutes(30));
        Path oldOrphan = made.orphanFolder(Duration.ofHours(2));
        Path youngOrphan = made.orphanFolder(Duration.ZERO);

        long deletedRoom = host.scheduleRoom("Deleted with its recordings", 0);
        TestRecordings.Made ofDeletedRoom = made.ready(deletedRoom, Instant.now().minusSeconds(600),
                Duration.ofMinutes(1));
        made.age(ofDeletedRoom.id(), Duration.ofMinutes(5));
        TestRecordings.Made justBegun = made.ready(deletedRoom, Instant.now().minusSeconds(20), Duration.ofSeconds(10));
        WebSession.Page confirm = host.session().get("/rooms/" + deletedRoom + "/delete");
        assertThat(host.session().post("/rooms/" + deletedRoom + "/delete", confirm.csrfToken(), Map.of()).status())
                .isEqualTo(302);
        assertThat(made.exists(ofDeletedRoom.id())).as("the rows go with the room").isFalse();
        assertThat(Files.exists(made.folder(ofDeletedRoom.id()))).as("and at once their folders").isFalse();
        assertThat(Files.exists(made.folder(justBegun.id()))).as("but one made this last minute").isTrue();
        made.age(justBegun.id(), Duration.ofHours(1));

        RecordingRetention.Result result = retention.purge();
        assertThat(result.expired()).isGreaterThanOrEqualTo(1);
        assertThat(made.exists(old.id())).isFalse();
        assertThat(Files.exists(made.folder(old.id()))).isFalse();
        assertThat(made.exists(recent.id())).isTrue();
        assertThat(Files.exists(made.folder(recent.id()))).isTrue();
        assertThat(Files.exists(oldOrphan)).as("a folder without a row").isFalse();
        assertThat(Files.exists(made.folder(justBegun.id()))).as("the deleted room's last folder").isFalse();
        assertThat(Files.exists(youngOrphan)).as("a folder made just now may be a recording starting").isTrue();
        assertThat(audit.findAll()).extracting(AuditEvent::getActor, AuditEvent::getAction, AuditEvent::getTarget)
                .contains(Tuple.tuple("system", "RECORDING_DELETED", "recording " + old.id()));
    }

    @Test
    void theSettingsAreCheckedSavedAndAudited() {
        Fixtures.SignedIn adminAccount = fixtures.signedIn(Role.ADMIN, "rec-settings");
        WebSession admin = adminAccount.session();
        int days = settings.retentionDays();
        long quota = settings.quotaMegabytes();
        for (String bad : List.of("0", "3651", "", "soon")) {
            WebSession.Page refused = admin.submit("/admin/recordings", "/admin/recordings/settings",
                    Map.of("retentionDays", bad, "quotaMegabytes", Long.toString(quota)));
            assertThat(refused.status()).as(bad).isEqualTo(200);
            assertThat(refused.text("error-retentionDays")).as(bad).isEqualTo(bad.equals("soon")
                    ? "Enter a whole number in the allowed range." : "Enter a number of days from 1 to 3650.");
            assertThat(refused.has("error-quotaMegabytes")).isFalse();
            assertThat(refused.has("recording-disk-usage")).as("the page around the form").isTrue();
        }
        for (String bad : List.of("99", "104857601", "", "lots")) {
            WebSession.Page refused = admin.submit("/admin/recordings", "/admin/recordings/settings",
                    Map.of("retentionDays", Integer.toString(days), "quotaMegabytes", bad));
            assertThat(refused.status()).as(bad).isEqualTo(200);
            assertThat(refused.text("error-quotaMegabytes")).as(bad).isEqualTo(bad.equals("lots")
                    ? "Enter a whole number in the allowed range." : "Enter a quota from 100 to 104857600 MB.");
        }
        WebSession.Page chinese = new WebSession(port).acceptLanguage("zh-CN")
                .login(ParleyWebTest.ADMIN_EMAIL, ParleyWebTest.ADMIN_PASSWORD)
                .submit("/admin/recordings", "/admin/recordings/settings",
                        Map.of("retentionDays", "0", "quotaMegabytes", Long.toString(quota)));
        assertThat(chinese.text("error-retentionDays")).isEqualTo("请输入 1 到 3650 之间的天数。");
        assertThat(settings.retentionDays()).isEqualTo(days);

        int newDays = days == 45 ? 46 : 45;
        WebSession.Page saved = admin.submit("/admin/recordings", "/admin/recordings/settings",
                Map.of("retentionDays", Integer.toString(newDays), "quotaMegabytes", "2048"));
        assertThat(saved.status()).isEqualTo(302);
        WebSession.Page shown = admin.follow(saved);
        assertThat(shown.text("flash")).isEqualTo("Recording settings saved.");
        assertThat(shown.byTestId("recording-retention-input").val()).isEqualTo(Integer.toString(newDays));
        assertThat(shown.byTestId("recording-quota-input").val()).isEqualTo("2048");
        assertThat(shown.text("recording-disk-usage")).contains("of 2.0 GB");
        assertThat(settings.retentionDays()).isEqualTo(newDays);
        assertThat(audit.findAll()).extracting(AuditEvent::getAction, AuditEvent::getDetails)
                .contains(Tuple.tuple("RECORDING_SETTINGS_CHANGED",
                        days + " -> " + newDays + " days; " + quota + " -> 2048 MB"));
        String audited = admin.get("/admin/audit?q=" + adminAccount.account().getEmail()).text("audit-table");
        assertThat(audited).contains("changed the recording settings",
                "kept from " + days + " to " + newDays + " days; quota from");
        settings.change(days, quota);
    }

    private long otherRoom(WebSession otherHost) {
        return dev.parley.testing.RoomForms.schedule(otherHost, dev.parley.testing.RoomForms.valid("Other's",
                java.time.ZoneId.of("UTC"), 0));
    }

    private static JsonNode status(WebSession session, String url) throws Exception {
        WebSession.Page page = session.get(url, Map.of("Accept", "application/json"));
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type").orElseThrow()).startsWith("application/json");
        return JSON.readTree(page.body());
    }

    private static String text(Element card, String testId) {
        Element element = card.selectFirst("[data-testid=" + testId + "]");
        assertThat(element).as(testId).isNotNull();
        return element.text();
    }
}
