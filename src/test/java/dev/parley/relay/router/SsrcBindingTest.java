package dev.parley.relay.router;

import static dev.parley.relay.router.Packets.VP8_DELTA;
import static dev.parley.relay.router.Packets.VP8_KEYFRAME;
import static dev.parley.relay.router.Packets.rtp;
import static dev.parley.relay.router.Packets.rtx;
import static dev.parley.relay.router.RoomHarness.parse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.relay.router.LoopFixture.Peer;
import dev.parley.relay.rtp.RtpPacket;
import dev.parley.relay.stats.DropReason;
import dev.parley.relay.stats.TrafficCounters;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How incoming SSRCs find their producer: announced, learnt by payload type, or dropped and counted. */
class SsrcBindingTest {

    private static final int VIDEO = 0x55550001;
    private static final int VIDEO_RTX = 0x55550002;

    private final RoomHarness room = new RoomHarness();
    private Peer alice;
    private Peer bob;

    @BeforeEach
    void join() {
        alice = room.browser("alice");
        bob = room.browser("bob");
    }

    private TrafficCounters aliceCounters() {
        return alice.transport().counters();
    }

    @Test
    void rtxOnTheAnnouncedRtxSsrcGoesOutOnTheProducersOutRtxSsrc() {
        Producer video = room.publishVideo(alice, VIDEO, VIDEO_RTX);
        room.negotiate();
        room.send(alice, rtp(96, 500, 9000, VIDEO, VP8_KEYFRAME));
        room.send(alice, rtp(96, 503, 9000, VIDEO, VP8_DELTA));
        room.rtpReceived(bob);

        byte[] retransmission = rtx(97, 20, VIDEO_RTX, 502, VP8_DELTA);
        room.send(alice, retransmission);
        room.send(alice, rtx(97, 21, VIDEO_RTX, 501, VP8_DELTA));

        List<byte[]> received = room.rtpReceived(bob);
        assertThat(received).hasSize(2);
        RtpPacket packet = parse(received.get(0));
        assertThat(packet.ssrc()).isEqualTo(video.outRtxSsrc()).isNotEqualTo(video.outSsrc());
        assertThat(packet.payloadType()).isEqualTo(97);
        assertThat(Arrays.copyOfRange(received.get(0), 12, received.get(0).length))
                .as("the original sequence number, then the original payload")
                .isEqualTo(Arrays.copyOfRange(retransmission, 12, retransmission.length));
        assertThat(parse(received.get(1)).sequenceNumber())
                .as("the relay numbers bob's RTX stream itself, one after the other")
                .isEqualTo((packet.sequenceNumber() + 1) & 0xFFFF);
    }

    @Test
    void rtxDoesNotEndTheWaitForAKeyframe() {
        room.publishVideo(alice, VIDEO, VIDEO_RTX);
        room.negotiate();

        room.send(alice, rtx(97, 20, VIDEO_RTX, 499, VP8_KEYFRAME));

        assertThat(room.rtpReceived(bob)).isEmpty();
    }

    @Test
    void unannouncedSsrcsAreLearntByPayloadType() {
        Producer video = room.publishVideo(alice, 0, 0);
        room.negotiate();

        room.send(alice, rtp(96, 1, 9000, 0x66660001, VP8_KEYFRAME));
        room.send(alice, rtp(96, 3, 9000, 0x66660001, VP8_KEYFRAME)); // 2 lost on the way in
        room.send(alice, rtx(97, 1, 0x66660002, 2, VP8_KEYFRAME)); // its repair

        assertThat(video.ssrc()).isEqualTo(0x66660001);
        assertThat(video.rtxSsrc()).isEqualTo(0x66660002);
        assertThat(room.ssrcsReceived(bob)).containsExactly(video.outSsrc(), video.outSsrc(), video.outRtxSsrc());
        assertThat(aliceCounters().totalDrops()).isZero();
    }

    @Test
    void aLearntProducerGetsItsPendingKeyframeRequestOnTheNextTick() {
        Producer video = room.publishVideo(alice, 0, 0);
        room.negotiate();
        assertThat(room.rtcpReceived(alice)).as("no SSRC to ask about yet").isEmpty();

        room.send(alice, rtp(96, 1, 9000, 0x66660001, VP8_DELTA));
        room.tick();

        assertThat(room.rtcpPacketsReceived(alice)).filteredOn(p -> p.is(206, 1))
                .extracting(p -> p.int32(8)).containsExactly(video.ssrc());
    }

    @Test
    void aSecondSsrcForATakenSlotIsDroppedAsUnknown() {
        room.publishVideo(alice, VIDEO, VIDEO_RTX);
        room.negotiate();

        room.send(alice, rtp(96, 1, 9000, 0x66660009, VP8_KEYFRAME));

        assertThat(room.rtpReceived(bob)).isEmpty();
        assertThat(aliceCounters().drops(DropReason.UNKNOWN_SSRC)).isEqualTo(1);
    }

    @Test
    void anSsrcWithAPayloadTypeNoProducerTakesIsDroppedAsUnknownSsrc() {
        room.publishVideo(alice, 0, 0);
        room.negotiate();

        room.send(alice, rtp(100, 1, 9000, 0x66660001, VP8_KEYFRAME));

        assertThat(aliceCounters().drops(DropReason.UNKNOWN_SSRC)).isEqualTo(1);
        assertThat(room.rtpReceived(bob)).isEmpty();
    }

    @Test
    void aKnownSsrcWithAnUnnegotiatedPayloadTypeIsDroppedAndCounted() {
        room.publishVideo(alice, VIDEO, VIDEO_RTX);
        room.negotiate();

        room.send(alice, rtp(100, 1, 9000, VIDEO, VP8_KEYFRAME));

        assertThat(aliceCounters().drops(DropReason.UNKNOWN_PAYLOAD_TYPE)).isEqualTo(1);
        assertThat(aliceCounters().drops(DropReason.UNKNOWN_SSRC)).isZero();
        assertThat(room.rtpReceived(bob)).isEmpty();
    }

    @Test
    void rtpFromAnEndpointWithoutProducersIsDroppedAsUnknown() {
        room.send(bob, rtp(96, 1, 9000, VIDEO, VP8_KEYFRAME));

        assertThat(bob.transport().counters().drops(DropReason.UNKNOWN_SSRC)).isEqualTo(1);
        assertThat(bob.transport().counters().packetsIn()).isEqualTo(1);
    }
}
