package dev.parley.meeting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.cluster.ClusterNodes;
import dev.parley.relay.Offer;
import dev.parley.relay.Relay;
import dev.parley.relay.RelayConfig;
import dev.parley.relay.TransportEvents;
import dev.parley.relay.TransportHandle;
import dev.parley.relay.client.PacedSender;
import dev.parley.relay.client.WebRtcEndpoint;
import dev.parley.testing.RedisSupport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Cascading below the browser: two nodes in this process, each a real relay and its cascading parts, calling each
 * other through the local Redis, with two people a node. The home places its third browser on the other node, links
 * the two relays and the browser there receives the publisher's media over the link; a node whose side of the link
 * closed before the home heard of it (made so here) answers not-linked and is linked again when the home places a
 * browser there; a browser placed just as the home's last transport on the media node ends by itself still gets its
 * media over a link; the last browser leaving the media node unlinks both sides. The test's WebRTC client plays each
 * browser.
 */
@ExtendWith(RedisSupport.class)
class MediaNodesTest {

    private static final String ROOM = "cascade-room";
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final ClusterNodes cluster = new ClusterNodes();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private Node home;
    private Node media;

    /** One node: its relay and the cascading parts the web app wires around it. */
    private record Node(Relay relay, ClusterNodes.Member member, CascadeLinks links, MediaNodeHandlers handlers,
                        MediaNodes nodes) {

        String id() {
            return member.registry().id();
        }
    }

    @BeforeEach
    void start() throws Exception {
        media = node();
        home = node();
    }

    private Node node() throws Exception {
        Relay relay = Relay.start(RelayConfig.loopback());
        toClose.add(relay);
        ClusterNodes.Member member = cluster.start();
        CascadeCalls calls = new CascadeCalls(member.calls(), new ObjectMapper());
        toClose.add(calls::stop);
        CascadeLinks links = new CascadeLinks(relay, calls, member.registry(), "127.0.0.1", "srtp");
        MediaNodeHandlers handlers = new MediaNodeHandlers(relay, calls, links);
        return new Node(relay, member, links, handlers, new MediaNodes(relay, calls, links, member.registry(), 2));
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        cluster.close();
    }

    @Test
    void theThirdBrowserHasItsMediaOnTheOtherNodeOverALinkThatIsMadeAgainWhenLostAndEndsWithTheLastBrowser()
            throws Exception {
        Browser alice = join("alice", true);
        Browser bob = join("bob", false);
        assertThat(alice.relayPort()).as("the home carries its first two").isEqualTo(home.relay().port());
        assertThat(bob.relayPort()).isEqualTo(home.relay().port());

        Browser carol = join("carol", false);
        assertThat(carol.relayPort()).as("the third on the media node").isEqualTo(media.relay().port());
        assertThat(media.links().isLinked(ROOM, home.id())).isTrue();
        assertThat(home.links().isLinked(ROOM, media.id())).isTrue();
        carol.awaitVideoOf("alice");
        bob.awaitVideoOf("alice");

        // The media node's side goes as it does when the home's last transport there ends by itself, and the home
        // has not heard of it yet: it still takes the link for up.
        media.links().homeLeft(ROOM, home.id());
        assertThat(media.links().isLinked(ROOM, home.id())).isFalse();
        assertThat(home.links().isLinked(ROOM, media.id())).isTrue();

        Browser dave = join("dave", false);
        assertThat(dave.relayPort()).as("placed with carol").isEqualTo(media.relay().port());
        assertThat(media.links().isLinked(ROOM, home.id())).as("linked again").isTrue();
        assertThat(media.handlers().carried()).as("carol's and dave's media, counted in the heartbeat").isEqualTo(2);
        assertThat(home.handlers().carried()).isZero();
        dave.awaitVideoOf("alice");
        carol.awaitVideoOf("alice");

        // Dave leaves; carol's transport then ends on the media node by itself (as when its consent lapses), the
        // home's last there, and erin is placed at once: whether or not the home has heard of it by then, and
        // whether the media node's side of the link has gone or not, erin's media comes over a link.
        home.nodes().closeTransport(dave.transport(), "left");
        await().atMost(WAIT).untilAsserted(() -> assertThat(media.handlers().carried()).isEqualTo(1));
        media.relay().closeTransport(carol.transport(), "consent-expired");
        Browser erin = join("erin", false);
        assertThat(erin.relayPort()).isEqualTo(media.relay().port());
        erin.awaitVideoOf("alice");
        assertThat(media.links().isLinked(ROOM, home.id())).isTrue();

        home.nodes().closeTransport(erin.transport(), "left");
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(home.links().isLinked(ROOM, media.id())).isFalse();
            assertThat(media.links().isLinked(ROOM, home.id())).isFalse();
            assertThat(media.handlers().carried()).isZero();
        });
        bob.awaitVideoOf("alice");
    }

    private Browser join(String name, boolean publishes) throws Exception {
        cluster.heartbeats();
        Browser browser = new Browser(home.nodes(), name, publishes);
        toClose.add(browser);
        TransportHandle transport = home.nodes().openBrowser(ROOM, name, false, browser)
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        browser.connect(transport);
        return browser;
    }

    /** A browser's side of a transport: answers every offer, connects, and publishes if asked to. */
    private static final class Browser implements TransportEvents, AutoCloseable {

        private final MediaNodes nodes;
        private final String name;
        private final boolean publishes;
        private final WebRtcEndpoint peer;
        private final ExecutorService answering = Executors.newSingleThreadExecutor();
        private final CompletableFuture<Void> firstAnswer = new CompletableFuture<>();
        private volatile TransportHandle transport;
        private volatile List<Offer.Track> tracks = List.of();

        Browser(MediaNodes nodes, String name, boolean publishes) throws Exception {
            this.nodes = nodes;
            this.name = name;
            this.publishes = publishes;
            this.peer = WebRtcEndpoint.open();
        }

        TransportHandle transport() {
            return transport;
        }

        int relayPort() {
            return peer.remoteAddress().getPort();
        }

        void connect(TransportHandle opened) throws Exception {
            transport = opened;
            firstAnswer.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            peer.connect(WAIT);
            if (publishes) {
                peer.startPacedSending(PacedSender.Options.defaults(Duration.ofMinutes(2)));
            }
        }

        void awaitVideoOf(String publisher) {
            await().atMost(WAIT).untilAsserted(() -> {
                String mid = tracks.stream().filter(t -> t.active() && t.participantId().equals(publisher)
                        && t.kind().equals("video")).map(Offer.Track::mid).findFirst().orElse(null);
                assertThat(mid).as("%s offered %s's video (offered: %s)", name, publisher, tracks).isNotNull();
                long before = peer.receivedPackets(mid);
                Thread.sleep(300);
                assertThat(peer.receivedPackets(mid)).as("%s receives %s's video now on %s (offered: %s)", name,
                        publisher, mid, tracks)
                        .isGreaterThan(before);
            });
        }

        @Override
        public void onCreated(TransportHandle created) {
            transport = created;
        }

        @Override
        public void onOffer(Offer offer) {
            answering.execute(() -> {
                Set<String> declined = new HashSet<>();
                for (String mid : new String[] {offer.publishAudioMid(), offer.publishVideoMid(),
                        offer.publishScreenMid()}) {
                    if (mid != null && (!publishes || mid.equals(offer.publishScreenMid()))) {
                        declined.add(mid);
                    }
                }
                peer.applyOffer(offer.sdp(), declined);
                String answer = peer.createAnswer();
                tracks = offer.tracks();
                nodes.applyAnswer(transport, offer.version(), answer).whenComplete((done, error) -> {
                    if (error == null) {
                        firstAnswer.complete(null);
                    } else {
                        firstAnswer.completeExceptionally(error);
                    }
                });
            });
        }

        @Override
        public void onClosed(String reason) {
            firstAnswer.completeExceptionally(new IllegalStateException(name + "'s transport closed: " + reason));
        }

        @Override
        public void close() {
            answering.shutdownNow();
            peer.close();
        }
    }
}
