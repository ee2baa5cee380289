package dev.parley.meeting;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.accounts.Role;
import dev.parley.relay.client.OfferOptions;
import dev.parley.relay.client.WebRtcEndpoint;
import dev.parley.testing.Fixtures;
import dev.parley.testing.ParleyWebTest;
import dev.parley.testing.RoomForms;
import dev.parley.testing.WebSession;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The pre-join network check over real HTTP (the browser side runs in IceTcpBrowserTest): a probe is a throwaway relay
 * transport that a real ICE agent connects to and that closes by itself; bad input gets a clear error; each browser
 * session has a small allowance.
 */
@ParleyWebTest
class NetworkCheckTest {

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    NetworkProbes probes;

    private String path;
    private WebSession guest;
    private String token;

    @BeforeEach
    void room() {
        Fixtures.SignedIn host = fixtures.signedIn(Role.HOST);
        path = RoomForms.path(host.link(RoomForms.schedule(host.session(),
                RoomForms.valid("Network check", ZoneId.of("Europe/Berlin"), 0))));
        guest = new WebSession(port);
        token = guest.get(path).csrfToken();
    }

    @Test
    void aProbeAnswersWithTheRelaysCandidatesAndAnIceAgentGetsThrough() throws Exception {
        try (WebRtcEndpoint endpoint = WebRtcEndpoint.open()) {
            String offer = endpoint.createOffer(OfferOptions.whip());
            WebSession.Page page = guest.postBody(path + "/network-check/probe", token, "application/sdp",
                    offer.getBytes(StandardCharsets.UTF_8));
            assertThat(page.status()).as(page.body()).isEqualTo(200);
            String answer = new com.fasterxml.jackson.databind.ObjectMapper().readTree(page.body()).path("answer")
                    .asText();
            assertThat(answer).contains("a=ice-lite").contains("a=candidate:");
            assertThat(probes.openProbes()).isPositive();
            endpoint.applyAnswer(answer);
            endpoint.connect(Duration.ofSeconds(10));
            assertThat(endpoint.state()).isEqualTo(WebRtcEndpoint.State.CONNECTED);
        }
    }

    @Test
    void badInputGetsAClearErrorAndNothingIsOpened() {
        int before = probes.openProbes();
        WebSession.Page junk = guest.postBody(path + "/network-check/probe", token, "application/sdp",
                "v=0\r\nnot sdp".getBytes(StandardCharsets.UTF_8));
        assertThat(junk.status()).isEqualTo(400);
        assertThat(junk.body()).contains("\"bad-offer\"");
        assertThat(guest.postBody(path + "/network-check/probe", token, "text/plain", new byte[10]).status())
                .isEqualTo(415);
        assertThat(guest.postBody(path + "/network-check/probe", token, "application/sdp",
                new byte[NetworkCheckController.MAX_OFFER_BYTES + 1]).status()).isEqualTo(413);
        assertThat(probes.openProbes()).isEqualTo(before);

        WebSession.Page upload = guest.postBody(path + "/network-check/upload", token, "application/octet-stream",
                new byte[NetworkCheckController.MAX_UPLOAD_BYTES + 1]);
        assertThat(upload.status()).isEqualTo(413);

        WebSession.Page result = guest.postBody(path + "/network-check/result", token, "application/json",
                "{\"udp\":\"<script>\",\"tcp\":\"ok\",\"turn\":\"ok\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(result.status()).isEqualTo(400);
        assertThat(result.body()).contains("\"bad-result\"").doesNotContain("<script>");
        assertThat(guest.postBody(path + "/network-check/result", token, "application/json",
                "{\"udp\":\"ok\",\"tcp\":\"ok\",\"turn\":\"ok\",\"rttMs\":-5}".getBytes(StandardCharsets.UTF_8))
                .status()).isEqualTo(400);
        assertThat(guest.postBody(path + "/network-check/result", token, "application/json",
                "not json".getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(400);
    }

    @Test
    void aSessionGetsTenRequestsAMinuteAndAnUnknownRoomNone() {
        byte[] result = "{\"udp\":\"ok\",\"tcp\":\"blocked\",\"turn\":\"not-configured\",\"rttMs\":12,\"uploadKbps\":800}"
                .getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 10; i++) {
            assertThat(guest.postBody(path + "/network-check/result", token, "application/json", result).status())
                    .isEqualTo(204);
        }
        WebSession.Page limited = guest.postBody(path + "/network-check/result", token, "application/json", result);
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.body()).contains("\"rate-limited\"");

        assertThat(guest.postBody("/r/no-such-room/network-check/upload", token, "application/octet-stream",
                new byte[10]).status()).isEqualTo(404);
    }
}
