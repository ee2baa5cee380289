package dev.parley.relay.router;

import static dev.parley.relay.router.Packets.VP8_DELTA;
import static dev.parley.relay.router.Packets.VP8_KEYFRAME;
import static dev.parley.relay.router.Packets.rtp;
import static dev.parley.relay.router.Packets.rtx;
import static dev.parley.relay.router.RoomHarness.parse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.relay.router.LoopFixture.Peer;
import dev.parley.relay.rtp.RtpPacket;
import dev.parley.relay.stats.TrafficCounters;
import dev.parley.relay.util.Bytes;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The relay setting {@code nackRepair} (PARLEY_MEDIA_NACK_REPAIR), run both ways on the same traffic: on, a
 * subscriber's NACK for a cached packet is answered as RTX, a gap on the publisher's leg is NACKed upstream and the
 * publisher's RTX is passed on; off, none of that happens (the NACKs are still counted, as asked for and not
 * repaired), while keyframe requests reach the publisher as before, so receivers recover by key frames.
 */
class NackRepairSwitchTest {

    private static final int VIDEO = 0x55550001;
    private static final int VIDEO_RTX = 0x55550002;
    private static final int BOB_RTCP = 0x0B0B0B0B;

    private RoomHarness room;
    private Peer alice;
    private Peer bob;
    private Producer video;

    /** Alice publishes video to bob; he has received packets 100 (a keyframe) to 110. */
    private void aliceSendsVideoToBob(boolean nackRepair) {
        room = nackRepair ? new RoomHarness() : RoomHarness.withoutNackRepair();
        alice = room.browser("alice");
        bob = room.browser("bob");
        video = room.publishVideo(alice, VIDEO, VIDEO_RTX);
        room.negotiate();
        room.send(alice, rtp(96, 100, 9000, VIDEO, VP8_KEYFRAME));
        for (int sequence = 101; sequence <= 110; sequence++) {
            room.send(alice, rtp(96, sequence, 9000L + sequence, VIDEO, VP8_DELTA));
        }
        assertThat(room.rtpReceived(bob)).hasSize(11);
        room.rtcpReceived(alice); // the PLI bob's consumer sent when it started
        room.advanceMillis(400); // past the keyframe request interval
    }

    private long rtcpToAlice(int type, int format) {
        return room.rtcpPacketsReceived(alice).stream().filter(p -> p.is(type, format)).count();
    }

    @ParameterizedTest(name = "nackRepair={0}")
    @ValueSource(booleans = {true, false})
    void aNackForACachedPacketGetsRtxOnlyWithRepairOnAndIsCountedEitherWay(boolean nackRepair) {
        aliceSendsVideoToBob(nackRepair);

        room.sendRtcp(bob, Packets.nack(BOB_RTCP, video.outSsrc(), 103, 0b10)); // 103 and 105, both cached

        List<byte[]> received = room.rtpReceived(bob);
        TrafficCounters counters = bob.transport().counters();
        assertThat(counters.nackedPackets()).as("asked for").isEqualTo(2);
        assertThat(room.ctx.relayCounters().nackedPackets()).as("relay-wide too").isEqualTo(2);
        if (nackRepair) {
            assertThat(received).as("two retransmissions").hasSize(2);
            for (int i = 0; i < 2; i++) {
                RtpPacket packet = parse(received.get(i));
                assertThat(packet.ssrc()).as("the relay's RTX stream").isEqualTo(video.outRtxSsrc());
                assertThat(Bytes.uint16(received.get(i), packet.payloadOffset())).as("original sequence number")
                        .isEqualTo(103 + 2 * i);
            }
            assertThat(counters.retransmittedPackets()).isEqualTo(2);
            assertThat(counters.unrepairedPackets()).isZero();
        } else {
            assertThat(received).as("no RTX, nothing at all").isEmpty();
            assertThat(counters.retransmittedPackets()).isZero();
            assertThat(counters.unrepairedPackets()).as("counted as not repaired").isEqualTo(2);
            assertThat(room.ctx.relayCounters().unrepairedPackets()).as("relay-wide too").isEqualTo(2);
        }
        assertThat(rtcpToAlice(205, 1)).as("no NACK passed on to alice").isZero();
        assertThat(rtcpToAlice(206, 1)).as("no PLI either: the packets were there").isZero();
    }

    @ParameterizedTest(name = "nackRepair={0}")
    @ValueSource(booleans = {true, false})
    void aGapOnThePublishersLegIsNackedUpstreamOnlyWithRepairOn(boolean nackRepair) {
        aliceSendsVideoToBob(nackRepair);

        room.send(alice, rtp(96, 113, 9113, VIDEO, VP8_DELTA)); // 111 and 112 lost before the relay
        // Bob asks for them too (as he will once he sees 113): the repair path's upstream request.
        room.sendRtcp(bob, Packets.nack(BOB_RTCP, video.outSsrc(), 111, 0b1));

        assertThat(room.rtpReceived(bob)).as("113 forwarded either way, nothing sent again").hasSize(1);
        assertThat(rtcpToAlice(205, 1)).as("NACKs to alice").isEqualTo(nackRepair ? 1 : 0);
        assertThat(bob.transport().counters().unrepairedPackets()).isEqualTo(2);
    }

    @ParameterizedTest(name = "nackRepair={0}")
    @ValueSource(booleans = {true, false})
    void thePublishersRtxIsPassedOnOnlyWithRepairOn(boolean nackRepair) {
        aliceSendsVideoToBob(nackRepair);

        room.send(alice, rtp(96, 113, 9113, VIDEO, VP8_DELTA)); // 111 and 112 lost before the relay
        room.send(alice, rtx(97, 7, VIDEO_RTX, 112, VP8_DELTA));

        List<byte[]> received = room.rtpReceived(bob);
        assertThat(received).as("113, and 112 as RTX only with repair").hasSize(nackRepair ? 2 : 1);
        assertThat(parse(received.get(0)).sequenceNumber()).isEqualTo(113);
        assertThat(bob.transport().counters().retransmittedPackets()).isEqualTo(nackRepair ? 1 : 0);
    }

    @ParameterizedTest(name = "nackRepair={0}")
    @ValueSource(booleans = {true, false})
    void keyframeRequestsReachThePublisherEitherWay(boolean nackRepair) {
        aliceSendsVideoToBob(nackRepair);

        room.sendRtcp(bob, Packets.pli(BOB_RTCP, video.outSsrc()));
        assertThat(rtcpToAlice(206, 1)).as("a PLI to alice").isEqualTo(1);

        room.advanceMillis(400);
        room.sendRtcp(bob, Packets.fir(BOB_RTCP, video.outSsrc()));
        assertThat(rtcpToAlice(206, 1)).as("a FIR from bob becomes a PLI to alice").isEqualTo(1);
    }
}
