package dev.parley.relay.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.relay.dtls.DtlsCertificate;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two endpoints talk through {@link TestLiteRelay} acting as a reflector: it unprotects what the publisher sends with
 * the publisher's keys and protects it with the subscriber's, and carries RTCP back the other way. That proves the
 * send half of one endpoint against the receive half of another, with nothing hand-made in between.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReflectorTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @org.junit.jupiter.api.BeforeAll
    static void warmUp() {
        WebRtcEndpoint.warmUp();
    }

    @Test
    void publisherMediaReachesSubscriberCountersAndPliReachesThePublisher() throws Exception {
        DtlsCertificate certificate = DtlsCertificate.generate();
        EndpointConfig.Builder config = EndpointConfig.builder().certificate(certificate)
                .rtcpInterval(Duration.ofMillis(200));
        try (TestLiteRelay relay = new TestLiteRelay();
                WebRtcEndpoint publisher = WebRtcEndpoint.open(config.name("publisher").build());
                WebRtcEndpoint subscriber = WebRtcEndpoint.open(config.name("subscriber").build())) {
            TestLiteRelay.Peer in = relay.newPeer();
            publisher.applyAnswer(relay.answer(in, publisher.createOffer(OfferOptions.whip()),
                    TestLiteRelay.ssrcs()));
            OutboundStream audio = publisher.audioStream();
            OutboundStream video = publisher.videoStream();
            long audioSsrc = audio.ssrc() & 0xFFFFFFFFL;
            long videoSsrc = video.ssrc() & 0xFFFFFFFFL;

            // the subscriber is told the publisher's SSRCs, as a relay that keeps SSRCs would announce them
            TestLiteRelay.Peer out = relay.newPeer();
            subscriber.applyAnswer(relay.answer(out, subscriber.createOffer(OfferOptions.whep()),
                    TestLiteRelay.ssrcs("0", audioSsrc, "1", videoSsrc)));

            publisher.connect(WAIT);
            subscriber.connect(WAIT);
            in.keys.get(15, TimeUnit.SECONDS);
            out.keys.get(15, TimeUnit.SECONDS);
            in.forwardTo = out;
            out.forwardTo = in;

            for (int i = 0; i < 50; i++) {
                assertThat(audio.sendAudio(90)).isTrue();
            }
            int videoPackets = video.sendVideoFrame(2500, true);
            for (int i = 0; i < 4; i++) {
                videoPackets += video.sendVideoFrame(700, false);
            }

            assertThat(subscriber.awaitPackets("0", 50, WAIT)).isTrue();
            assertThat(subscriber.awaitPackets("1", videoPackets, WAIT)).isTrue();
            InboundStream heardAudio = subscriber.inboundStream(audioSsrc);
            assertThat(heardAudio.mid()).isEqualTo("0");
            assertThat(heardAudio.payloadType()).isEqualTo(audio.payloadType());
            assertThat(heardAudio.packets()).isEqualTo(50);
            assertThat(heardAudio.probes()).isEqualTo(50);
            assertThat(heardAudio.probesLost()).isZero();
            assertThat(heardAudio.latency().count()).isEqualTo(50);
            assertThat(heardAudio.latency().negativeCount()).isZero();
            InboundStream heardVideo = subscriber.inboundStream(videoSsrc);
            assertThat(heardVideo.mid()).isEqualTo("1");
            assertThat(heardVideo.packets()).isEqualTo(videoPackets);
            assertThat(heardVideo.keyframes()).isEqualTo(1);
            assertThat(heardVideo.probesLost()).isZero();
            assertThat(subscriber.latency().count()).isEqualTo(50 + videoPackets);
            assertThat(subscriber.counters().srtpFailures()).isZero();

            // the subscriber asks for a key frame; the reflector carries the PLI to the publisher
            assertThat(subscriber.requestKeyframe(videoSsrc)).isTrue();
            await().atMost(WAIT).pollInterval(Duration.ofMillis(5)).until(() -> video.keyframeRequests() > 0);
            assertThat(video.keyframeRequests()).isEqualTo(1);
            int more = video.sendVideoFrame(700, false);
            assertThat(subscriber.awaitPackets("1", videoPackets + more, WAIT)).isTrue();
            assertThat(heardVideo.keyframes()).isEqualTo(2);

            // and the publisher hears the subscriber's receiver reports about its streams
            await().atMost(WAIT).pollInterval(Duration.ofMillis(5)).until(() -> audio.reportBlocksReceived() > 0);
            assertThat(audio.reportedCumulativeLost()).isZero();
        }
    }
}
