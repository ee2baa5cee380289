package dev.parley.meeting;

import static dev.parley.meeting.HostControlsTest.enter;
import static dev.parley.meeting.HostControlsTest.moderate;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.accounts.Role;
import dev.parley.rooms.RoomRepository;
import dev.parley.testing.Fixtures;
import dev.parley.testing.ParleyWebTest;
import dev.parley.testing.RoomForms;
import dev.parley.testing.SignalingClient;
import dev.parley.testing.WebSession;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

/**
 * A server without GStreamer (its gst-launch-1.0 points nowhere): recording is not offered (no control on the meeting
 * page, no automatic recording on the room form), a host's record is refused with recording-unavailable and the
 * meeting goes on; everything else works.
 */
@ParleyWebTest
// The same properties as LastNBrowserTest's, so the two share one application context (one start less).
@TestPropertySource(properties = {"parley.media.last-n=1", "parley.recording.gst-launch=/nonexistent/gst-launch-1.0"})
class RecordingUnavailableTest {

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    RoomRepository rooms;

    @Test
    void recordingIsNotOfferedAndARequestIsRefusedWithItsReason() {
        WebSession host = fixtures.signIn(fixtures.user(Role.HOST));
        WebSession.Page form = host.get("/rooms/new");
        assertThat(form.has("room-chat-kept-input")).as("the room form").isTrue();
        assertThat(form.has("room-auto-record-input")).isFalse();
        long roomId = RoomForms.schedule(host, RoomForms.valid("Unrecorded", ZoneId.of("UTC"), 1));
        String slug = rooms.findById(roomId).orElseThrow().getSlug();
        assertThat(host.get("/r/" + slug).body()).contains("data-recording-offered=\"false\"");
        try (SignalingClient hostClient = SignalingClient.connect(port)) {
            enter(hostClient, host, slug, "The Host");
            hostClient.send(moderate("record", null));
            assertThat(hostClient.expectError("recording-unavailable").path("ref").asText()).isEqualTo("moderate");
            hostClient.send(moderate("lock", null));
            assertThat(hostClient.next("room-state").path("locked").asBoolean()).as("the meeting goes on").isTrue();
        }
    }
}
