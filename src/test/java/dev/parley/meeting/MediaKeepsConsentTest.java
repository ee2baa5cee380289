package dev.parley.meeting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.accounts.Role;
import dev.parley.relay.Relay;
import dev.parley.relay.client.EndpointConfig;
import dev.parley.relay.client.OfferOptions;
import dev.parley.relay.client.PacedSender;
import dev.parley.relay.client.WebRtcEndpoint;
import dev.parley.relay.client.WhipClient;
import dev.parley.relay.client.WhipResource;
import dev.parley.rooms.RoomRepository;
import dev.parley.testing.Fixtures;
import dev.parley.testing.ParleyWebTest;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

/**
 * A WHIP publisher that, like GStreamer's webrtcbin (libnice), keeps its path alive with media and sends no consent
 * checks after connecting: authenticated SRTP from its selected address keeps its transport open; when its media
 * stops, consent expires and the transport closes. The relay's consent timeout is 3 s here, so the test stays short
 * (which is also why no signalling watcher is used: a browser participant that never connects times out as fast).
 */
@ParleyWebTest
@TestPropertySource(properties = "parley.media.consent-timeout=3s")
class MediaKeepsConsentTest {

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    RoomRepository rooms;

    @Autowired
    Relay relay;

    @Test
    void aPublisherSendingMediaButNoConsentChecksStaysUntilItsMediaStops() throws Exception {
        Fixtures.SignedIn host = fixtures.signedIn(Role.HOST);
        long id = host.scheduleRoom("No consent checks", 1);
        String token = host.session().get("/rooms/" + id).byTestId("stream-token").attr("value");
        String slug = rooms.findById(id).orElseThrow().getSlug();
        // Checks until it is connected, then none for an hour; no RTCP reports either, so only its RTP keeps it alive.
        EndpointConfig noConsentChecks = EndpointConfig.builder().consentInterval(Duration.ofHours(1))
                .consentTimeout(Duration.ofHours(1)).rtcpInterval(Duration.ofHours(1)).build();
        try (WebRtcEndpoint publisher = WebRtcEndpoint.open(noConsentChecks)) {
            WhipResource whip = new WhipClient().post(URI.create("http://127.0.0.1:" + port + "/whip/" + slug),
                    token, publisher.createOffer(OfferOptions.whip()));
            assertThat(whip.statusCode()).isEqualTo(201);
            publisher.applyAnswer(whip.answer());
            publisher.connect(Duration.ofSeconds(15));
            await().atMost(Duration.ofSeconds(5)).until(this::streamConnected);

            PacedSender sending = publisher.startPacedSending(PacedSender.Options.defaults(Duration.ofSeconds(30)));
            // Three consent timeouts of media without a single check: the stream stays the whole time.
            await().during(Duration.ofSeconds(9)).atMost(Duration.ofSeconds(10)).until(this::streamConnected);

            sending.stop();
            await().atMost(Duration.ofSeconds(10)).until(() -> !streamConnected());
        }
    }

    /** Whether the relay has a connected WHIP transport (this test's stream is the only one in its context). */
    private boolean streamConnected() throws Exception {
        return relay.snapshot().get(2, TimeUnit.SECONDS).rooms().stream().flatMap(r -> r.transports().stream())
                .anyMatch(t -> t.kind().equals("WHIP") && t.connected());
    }
}
