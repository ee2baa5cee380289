package dev.parley.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.relay.client.OfferOptions;
import dev.parley.relay.client.PacedSender;
import dev.parley.relay.client.Transceiver;
import dev.parley.relay.client.WebRtcEndpoint;
import io.netty.channel.epoll.EpollDatagramChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The whole media path on each media socket (and the epoll socket with GSO sends), without Spring: a WHIP publisher
 * (the test WebRTC client: ICE, DTLS, SRTP) sends audio and video into a room, and two WHEP players receive both,
 * starting on a key frame, with nothing dropped by the socket.
 */
class RelayOnEachSocketTest {

    @ParameterizedTest
    @EnumSource(value = RelayConfig.SocketKind.class, names = {"EPOLL", "JDK"})
    void aPublisherReachesTwoPlayers(RelayConfig.SocketKind kind) throws Exception {
        if (kind == RelayConfig.SocketKind.EPOLL) {
            Assumptions.assumeTrue(EpollMediaSocket.isAvailable(), "Netty's native epoll loads here");
        }
        publisherReachesTwoPlayers(RelayConfig.loopback().withSocket(kind));
    }

    @Test
    void aPublisherReachesTwoPlayersThroughGsoSends() throws Exception {
        Assumptions.assumeTrue(EpollMediaSocket.isAvailable()
                && EpollDatagramChannel.isSegmentedDatagramPacketSupported(), "epoll loads and the kernel has GSO");
        publisherReachesTwoPlayers(RelayConfig.loopback().withSocket(RelayConfig.SocketKind.EPOLL).withGso(true));
    }

    private static void publisherReachesTwoPlayers(RelayConfig config) throws Exception {
        Relay relay = Relay.start(config);
        try (WebRtcEndpoint publisher = WebRtcEndpoint.open();
             WebRtcEndpoint first = WebRtcEndpoint.open();
             WebRtcEndpoint second = WebRtcEndpoint.open()) {
            Relay.Session whip = relay.openWhip("room", "ada", publisher.createOffer(OfferOptions.whip()),
                    new TransportEvents() { }).get(10, TimeUnit.SECONDS);
            publisher.applyAnswer(whip.answer());
            publisher.connect(Duration.ofSeconds(15));
            PacedSender sending = publisher.startPacedSending(PacedSender.Options.defaults(Duration.ofSeconds(30)));

            for (WebRtcEndpoint player : new WebRtcEndpoint[] {first, second}) {
                Relay.Session whep = relay.openWhep("room", "ada", false, "viewer-" + player.hashCode(),
                        player.createOffer(OfferOptions.whep()), new TransportEvents() { }).get(10, TimeUnit.SECONDS);
                player.applyAnswer(whep.answer());
                player.connect(Duration.ofSeconds(15));
            }
            for (WebRtcEndpoint player : new WebRtcEndpoint[] {first, second}) {
                assertThat(player.awaitPackets(mid(player, "audio"), 50, Duration.ofSeconds(20)))
                        .as("audio reaches the player").isTrue();
                assertThat(player.awaitPackets(mid(player, "video"), 50, Duration.ofSeconds(20)))
                        .as("video reaches the player").isTrue();
                assertThat(player.receivedKeyframes(mid(player, "video"))).isPositive();
            }
            sending.stop();
            TrafficTotals totals = relay.totals();
            assertThat(totals.packetsOut()).isPositive();
            assertThat(totals.drops("send_failed")).isZero();
        } finally {
            relay.close();
        }
    }

    private static String mid(WebRtcEndpoint endpoint, String kind) {
        return endpoint.transceivers().stream()
                .filter(t -> t.kind().name().equalsIgnoreCase(kind) && t.receiving())
                .map(Transceiver::mid).findFirst().orElseThrow();
    }
}
