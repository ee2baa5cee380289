package dev.parley.relay.router;

import static dev.parley.relay.router.Packets.VP8_KEYFRAME;
import static dev.parley.relay.router.Packets.rtp;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.relay.router.LoopFixture.Peer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Last-N through the forwarding core: with more video senders than N, a subscriber receives only the video of the N
 * most recent speakers (those who never spoke by arrival), the others' consumers pause until they speak.
 */
class LastNTest {

    private static final int ADA = 0x0A000101;
    private static final int GRACE = 0x0A000201;
    private static final int LINUS = 0x0A000301;
    private static final int LINUS_AUDIO = 0x0A000302;

    private final RoomHarness room = new RoomHarness(2);
    private Peer linus;

    @Test
    void aboveNSendersOnlyTheMostRecentSpeakersVideoIsForwarded() {
        Peer ada = room.browser("ada");
        Peer grace = room.browser("grace");
        linus = room.browser("linus");
        Peer viewer = room.browser("viewer");
        Producer adaVideo = room.publishVideo(ada, ADA, 0);
        room.publishVideo(grace, GRACE, 0);
        Producer linusVideo = room.publishVideo(linus, LINUS, 0);
        room.publishAudio(linus, LINUS_AUDIO);
        room.negotiate();

        assertThat(room.router.updateForwarding()).isTrue();
        assertThat(room.router.forwardedVideo()).as("nobody spoke: the first to arrive").containsExactly("ada", "grace");
        room.tick();
        assertThat(RoomHarness.consumerOf(viewer, linusVideo).targetLayer()).isEqualTo(-1);
        room.send(linus, rtp(96, 10, 900, LINUS, VP8_KEYFRAME));
        room.send(ada, rtp(96, 10, 900, ADA, VP8_KEYFRAME));
        assertThat(room.ssrcsReceived(viewer)).as("linus's video does not reach the viewer")
                .containsExactly(adaVideo.outSsrc());

        linusSpeaks();
        room.rtpReceived(viewer); // his voice reached everyone, of course
        assertThat(room.router.activeSpeaker()).isEqualTo("linus");
        assertThat(room.router.updateForwarding()).isTrue();
        assertThat(room.router.forwardedVideo()).containsExactly("linus", "ada");
        room.tick();
        room.send(linus, rtp(96, 11, 1800, LINUS, VP8_KEYFRAME));
        room.send(grace, rtp(96, 11, 1800, GRACE, VP8_KEYFRAME));
        assertThat(room.ssrcsReceived(viewer)).containsExactly(linusVideo.outSsrc());
        assertThat(room.router.updateForwarding()).as("nothing changed since").isFalse();

        room.router.removeEndpoint(grace.endpoint());
        assertThat(room.router.updateForwarding()).isTrue();
        assertThat(room.router.forwardedVideo()).as("two senders left: everyone's video again").isNull();
    }

    /** A second of Linus speaking loudly (RFC 6464 levels, as SpeakerDetectorTest sends them). */
    private void linusSpeaks() {
        for (int i = 1; i <= 50; i++) {
            room.send(linus, SpeakerDetectorTest.opusWithLevel(i, 960L * i, LINUS_AUDIO, 25));
            room.advanceMillis(20);
            room.router.updateActiveSpeaker(room.ctx.nowNanos());
        }
    }
}
