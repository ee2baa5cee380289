package dev.parley.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.parley.relay.client.OfferOptions;
import dev.parley.relay.client.OutboundStream;
import dev.parley.relay.client.PacedSender;
import dev.parley.relay.client.Transceiver;
import dev.parley.relay.client.WebRtcEndpoint;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Cascading's first step, without Spring: two relays carry one room over a relay link, plain or SRTP-protected. A
 * WHIP publisher (the test WebRTC client: ICE, DTLS, SRTP) on each relay is played by a WHEP player on the other,
 * starting on a key frame; a player's key-frame request reaches the publisher on the other node; each relay sends only
 * its own publishers' tracks (no echo, no loop through a third relay, a hub's spokes excepted); closing the link ends
 * the far tracks.
 */
class RelayLinkTest {

    private Relay a;
    private Relay b;

    @BeforeEach
    void start() throws Exception {
        a = Relay.start(RelayConfig.loopback());
        b = Relay.start(RelayConfig.loopback());
    }

    @AfterEach
    void stop() {
        a.close();
        b.close();
    }

    @ParameterizedTest(name = "secure: {0}")
    @ValueSource(booleans = {false, true})
    void publishersOnEachRelayAreSeenOnTheOther(boolean secure) throws Exception {
        try (WebRtcEndpoint ada = WebRtcEndpoint.open();
             WebRtcEndpoint bob = WebRtcEndpoint.open();
             WebRtcEndpoint playsAdaOnB = WebRtcEndpoint.open();
             WebRtcEndpoint playsBobOnA = WebRtcEndpoint.open()) {
            publish(a, ada, "ada");
            publish(b, bob, "bob");
            LinkedRelays link = LinkedRelays.link(a, false, b, "room", secure);
            PacedSender adaSends = ada.startPacedSending(PacedSender.Options.defaults(Duration.ofSeconds(30)));
            PacedSender bobSends = bob.startPacedSending(PacedSender.Options.defaults(Duration.ofSeconds(30)));

            play(b, playsAdaOnB, "ada");
            play(a, playsBobOnA, "bob");
            for (WebRtcEndpoint player : List.of(playsAdaOnB, playsBobOnA)) {
                assertThat(player.awaitPackets(mid(player, "audio"), 50, Duration.ofSeconds(20)))
                        .as("audio crosses the link").isTrue();
                assertThat(player.awaitPackets(mid(player, "video"), 50, Duration.ofSeconds(20)))
                        .as("video crosses the link").isTrue();
                assertThat(player.receivedKeyframes(mid(player, "video"))).as("the player starts on a key frame")
                        .isPositive();
            }

            // Each relay sends its own publisher's two tracks, never what came over the link.
            assertThat(link.fromA.latest()).extracting(LinkTrack::participantId).containsExactly("ada", "ada");
            assertThat(link.fromB.latest()).extracting(LinkTrack::participantId).containsExactly("bob", "bob");
            assertThat(link.fromA.latest()).extracting(LinkTrack::kind).containsExactlyInAnyOrder("audio", "video");

            // A key-frame request from the player on B reaches the publisher on A: B asks A over the link.
            long videoSsrc = playsAdaOnB.inboundStreams(mid(playsAdaOnB, "video")).get(0).ssrc() & 0xFFFFFFFFL;
            OutboundStream published = ada.videoStream();
            long before = published.keyframeRequests();
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() ->
                    playsAdaOnB.requestKeyframe(videoSsrc) && published.keyframeRequests() > before);

            RelaySnapshot.Transport linkSide = b.snapshot().get(10, TimeUnit.SECONDS).rooms().get(0).transports()
                    .stream().filter(t -> t.kind().equals("LINK")).findFirst().orElseThrow();
            assertThat(linkSide.srtpProfile()).as("what protects the link").isEqualTo(secure ? "AEAD_AES_128_GCM"
                    : null);
            TrafficTotals linkOnB = b.totals(link.onB).get(10, TimeUnit.SECONDS);
            assertThat(linkOnB.packetsIn()).as("ada's media arrived over the link").isGreaterThan(100);
            assertThat(linkOnB.packetsOut()).as("bob's media left over the link").isGreaterThan(100);
            // Media may arrive a moment before the description of its track does; nothing else is dropped.
            assertThat(linkOnB.totalDrops()).as("drops on the link").isEqualTo(linkOnB.drops("unknown_ssrc"));
            TrafficTotals linkOnA = a.totals(link.onA).get(10, TimeUnit.SECONDS);
            assertThat(linkOnA.totalDrops()).isEqualTo(linkOnA.drops("unknown_ssrc"));

            adaSends.stop();
            bobSends.stop();

            // Closing the link on B ends ada's tracks there: nobody on B can play her any more.
            b.closeLink(link.onB, "test");
            await().atMost(Duration.ofSeconds(10)).until(() -> link.fromB.closed() != null);
            assertThat(link.fromB.closed()).isEqualTo("test");
            try (WebRtcEndpoint late = WebRtcEndpoint.open()) {
                assertThatThrownBy(() -> b.openWhep("room", "ada", false, "late", late.createOffer(OfferOptions.whep()),
                        new TransportEvents() { }).get(10, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class).hasMessageContaining("publishes nothing");
            }
            assertThat(b.totals(link.onB).get(10, TimeUnit.SECONDS)).isEqualTo(TrafficTotals.NONE);
        }
    }

    @Test
    void aTrackThatCameOverALinkIsNeverSentOverAnother() throws Exception {
        try (Relay c = Relay.start(RelayConfig.loopback());
             WebRtcEndpoint ada = WebRtcEndpoint.open();
             WebRtcEndpoint playsAdaOnB = WebRtcEndpoint.open()) {
            publish(a, ada, "ada");
            LinkedRelays.link(a, b, "room");
            LinkedRelays bToC = LinkedRelays.link(b, c, "room");
            PacedSender sending = ada.startPacedSending(PacedSender.Options.defaults(Duration.ofSeconds(30)));
            play(b, playsAdaOnB, "ada");
            assertThat(playsAdaOnB.awaitPackets(mid(playsAdaOnB, "video"), 20, Duration.ofSeconds(20))).isTrue();

            // B has ada's tracks from A, and sends C none of them: C would get them from A over a link of its own.
            assertThat(bToC.fromA.latest()).isEmpty();
            assertThat(b.totals(bToC.onA).get(10, TimeUnit.SECONDS).packetsOut()).isZero();
            sending.stop();
        }
    }

    @Test
    void aHubSendsItsSpokesWhatCameOverItsOtherLinks() throws Exception {
        try (Relay c = Relay.start(RelayConfig.loopback());
             WebRtcEndpoint ada = WebRtcEndpoint.open();
             WebRtcEndpoint cy = WebRtcEndpoint.open();
             WebRtcEndpoint playsAdaOnC = WebRtcEndpoint.open();
             WebRtcEndpoint playsCyOnA = WebRtcEndpoint.open()) {
            publish(a, ada, "ada");
            publish(c, cy, "cy");
            // B is the hub; A and C are linked to it only.
            LinkedRelays bToA = LinkedRelays.link(b, true, a, "room");
            LinkedRelays bToC = LinkedRelays.link(b, true, c, "room");
            PacedSender adaSends = ada.startPacedSending(PacedSender.Options.defaults(Duration.ofSeconds(30)));
            PacedSender cySends = cy.startPacedSending(PacedSender.Options.defaults(Duration.ofSeconds(30)));
            play(c, playsAdaOnC, "ada");
            play(a, playsCyOnA, "cy");
            for (WebRtcEndpoint player : List.of(playsAdaOnC, playsCyOnA)) {
                assertThat(player.awaitPackets(mid(player, "video"), 30, Duration.ofSeconds(20)))
                        .as("video crosses two links").isTrue();
                assertThat(player.receivedKeyframes(mid(player, "video"))).isPositive();
            }
            // A key-frame request from C reaches ada on A through the hub.
            long videoSsrc = playsAdaOnC.inboundStreams(mid(playsAdaOnC, "video")).get(0).ssrc() & 0xFFFFFFFFL;
            long before = ada.videoStream().keyframeRequests();
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() ->
                    playsAdaOnC.requestKeyframe(videoSsrc) && ada.videoStream().keyframeRequests() > before);
            // The hub sends each spoke the other's tracks, and none back to where they came from.
            assertThat(bToC.fromA.latest()).extracting(LinkTrack::participantId).containsExactly("ada", "ada");
            assertThat(bToA.fromA.latest()).extracting(LinkTrack::participantId).containsExactly("cy", "cy");
            adaSends.stop();
            cySends.stop();
        }
    }

    @Test
    void descriptionsTheRelayCannotTakeAreRefusedWithTheReason() throws Exception {
        LinkHandle link = a.openLink("room", "node-b", new LinkEvents() { }).get(10, TimeUnit.SECONDS);
        LinkTrack good = new LinkTrack(1, "ada", "ada-video", "video", "camera", "VP8", "", true,
                List.of("q", "h", "f"));
        a.setLinkTracks(link, List.of(good)).get(10, TimeUnit.SECONDS);

        List<LinkTrack> bad = List.of(
                new LinkTrack(0, "ada", "t", "video", "camera", "VP8", "", true, List.of()),
                new LinkTrack(2, "ada", "t", "video", "camera", "AV2", "", true, List.of()),
                new LinkTrack(2, "ada", "t", "audio", "microphone", "VP8", "", false, List.of()),
                new LinkTrack(2, "ada", "t", "video", "camera", "VP8", "", true, List.of("only")),
                new LinkTrack(2, "a d a", "t", "video", "camera", "VP8", "", true, List.of()),
                new LinkTrack(2, "ada", "t", "video", "webcam", "VP8", "", true, List.of()));
        for (LinkTrack track : bad) {
            assertThatThrownBy(() -> a.setLinkTracks(link, List.of(good, track)).get(10, TimeUnit.SECONDS))
                    .as(track.toString()).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(RelayException.class);
        }
        assertThatThrownBy(() -> a.setLinkTracks(link, List.of(good, good)).get(10, TimeUnit.SECONDS))
                .hasMessageContaining("listed twice");
        // Too much: more tracks than a list may name, and an id longer than 128 characters.
        List<LinkTrack> tooMany = java.util.stream.IntStream.rangeClosed(1, LinkTrack.MAX_TRACKS + 1)
                .mapToObj(n -> new LinkTrack(n, "ada", "t" + n, "audio", "microphone", "opus", "", false, List.of()))
                .toList();
        assertThatThrownBy(() -> a.setLinkTracks(link, tooMany).get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(RelayException.class).hasMessageContaining("at most " + LinkTrack.MAX_TRACKS);
        LinkTrack longId = new LinkTrack(2, "a".repeat(129), "t", "audio", "microphone", "opus", "", false,
                List.of());
        assertThatThrownBy(() -> a.setLinkTracks(link, List.of(good, longId)).get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(RelayException.class).hasMessageContaining("1-128");
        assertThatThrownBy(() -> a.connectLink(link, new InetSocketAddress("127.0.0.1", 5000), 0)
                .get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(RelayException.class);

        // What was taken before the refusals stands: ada's camera, with its three layers, is in the room.
        RelaySnapshot snapshot = a.snapshot().get(10, TimeUnit.SECONDS);
        RelaySnapshot.Transport linkSide = snapshot.rooms().get(0).transports().get(0);
        assertThat(linkSide.kind()).isEqualTo("LINK");
        assertThat(linkSide.producers()).hasSize(1);

        a.closeLink(link, "done");
        assertThatThrownBy(() -> a.setLinkTracks(link, List.of(good)).get(10, TimeUnit.SECONDS))
                .hasMessageContaining("closed");
    }

    private static void publish(Relay relay, WebRtcEndpoint publisher, String participant) throws Exception {
        Relay.Session whip = relay.openWhip("room", participant, publisher.createOffer(OfferOptions.whip()),
                new TransportEvents() { }).get(10, TimeUnit.SECONDS);
        publisher.applyAnswer(whip.answer());
        publisher.connect(Duration.ofSeconds(15));
    }

    /** Plays a participant on a relay, once the link has brought their tracks there. */
    private static void play(Relay relay, WebRtcEndpoint player, String participant) throws Exception {
        String offer = player.createOffer(OfferOptions.whep());
        Relay.Session[] whep = new Relay.Session[1];
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(() -> {
            whep[0] = relay.openWhep("room", participant, false, "viewer-of-" + participant, offer,
                    new TransportEvents() { }).get(10, TimeUnit.SECONDS);
            return true;
        });
        player.applyAnswer(whep[0].answer());
        player.connect(Duration.ofSeconds(15));
    }

    private static String mid(WebRtcEndpoint endpoint, String kind) {
        return endpoint.transceivers().stream()
                .filter(t -> t.kind().name().equalsIgnoreCase(kind) && t.receiving())
                .map(Transceiver::mid).findFirst().orElseThrow();
    }
}
