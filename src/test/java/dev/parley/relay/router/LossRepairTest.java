package dev.parley.relay.router;

import static dev.parley.relay.router.Packets.VP8_DELTA;
import static dev.parley.relay.router.Packets.VP8_KEYFRAME;
import static dev.parley.relay.router.Packets.rtp;
import static dev.parley.relay.router.Packets.rtx;
import static dev.parley.relay.router.RoomHarness.parse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.relay.router.LoopFixture.Peer;
import dev.parley.relay.rtcp.GenericNack;
import dev.parley.relay.rtp.RtpPacket;
import dev.parley.relay.stats.TrafficCounters;
import dev.parley.relay.util.Bytes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Loss repair at the relay: a subscriber's NACK is answered from the relay's cache as RTX, with the relay's own RTX
 * sequence numbers; what the relay never received it asks the publisher for (once, however many ask), as it does at
 * once when it sees a gap itself; the publisher's RTX fills the cache and reaches every subscriber; a keyframe is
 * requested only where retransmission cannot help.
 */
class LossRepairTest {

    private static final int VIDEO = 0x55550001;
    private static final int VIDEO_RTX = 0x55550002;
    private static final int BOB_RTCP = 0x0B0B0B0B;
    private static final int CAROL_RTCP = 0x0C0C0C0C;

    private final RoomHarness room = new RoomHarness();
    private Peer alice;
    private Peer bob;
    private Producer video;

    @BeforeEach
    void aliceSendsVideoToBob() {
        alice = room.browser("alice");
        bob = room.browser("bob");
        video = room.publishVideo(alice, VIDEO, VIDEO_RTX);
        room.negotiate();
        room.send(alice, rtp(96, 100, 9000, VIDEO, VP8_KEYFRAME));
        for (int sequence = 101; sequence <= 110; sequence++) {
            room.send(alice, rtp(96, sequence, 9000L + sequence, VIDEO, delta(sequence)));
        }
        assertThat(room.rtpReceived(bob)).hasSize(11);
        room.rtcpReceived(alice); // the PLI bob's consumer sent when it started
    }

    /** A delta frame whose payload names its sequence number, so a retransmission can be traced to its original. */
    private static byte[] delta(int sequence) {
        byte[] payload = VP8_DELTA.clone();
        payload[payload.length - 2] = (byte) (sequence >> 8);
        payload[payload.length - 1] = (byte) sequence;
        return payload;
    }

    private List<Integer> nackedToAlice() {
        List<Integer> lost = new ArrayList<>();
        for (Packets.Rtcp packet : room.rtcpPacketsReceived(alice)) {
            if (packet.is(205, 1)) {
                assertThat(packet.int32(4)).as("sender SSRC").isEqualTo(alice.endpoint().rtcpSsrc());
                assertThat(packet.int32(8)).as("media SSRC: alice's own").isEqualTo(VIDEO);
                GenericNack view = new GenericNack();
                assertThat(view.wrap(packet.bytes(), 0, packet.bytes().length)).isTrue();
                int[] out = new int[64];
                int n = view.lostSequenceNumbers(out, 0);
                for (int i = 0; i < n; i++) {
                    lost.add(out[i]);
                }
            }
        }
        return lost;
    }

    @Test
    void aNackForACachedPacketIsAnsweredAsRtxAndGoesNoFurther() {
        room.sendRtcp(bob, Packets.nack(BOB_RTCP, video.outSsrc(), 103, 0b10)); // 103 and 105

        List<byte[]> received = room.rtpReceived(bob);
        assertThat(received).hasSize(2);
        RtpPacket first = parse(received.get(0));
        RtpPacket second = parse(received.get(1));
        assertThat(first.ssrc()).isEqualTo(video.outRtxSsrc());
        assertThat(first.payloadType()).as("VP8's RTX payload type").isEqualTo(97);
        assertThat(Bytes.uint16(received.get(0), first.payloadOffset())).as("original sequence number").isEqualTo(103);
        assertThat(Arrays.copyOfRange(received.get(0), first.payloadOffset() + 2, received.get(0).length))
                .as("the original payload").isEqualTo(delta(103));
        assertThat(first.timestamp()).as("the original timestamp").isEqualTo(9103L);
        assertThat(Bytes.uint16(received.get(1), second.payloadOffset())).isEqualTo(105);
        assertThat(second.sequenceNumber()).as("the relay's RTX sequence numbers follow each other")
                .isEqualTo((first.sequenceNumber() + 1) & 0xFFFF);
        assertThat(nackedToAlice()).as("nothing crosses alice's leg").isEmpty();
        TrafficCounters counters = bob.transport().counters();
        assertThat(counters.nackedPackets()).isEqualTo(2);
        assertThat(counters.retransmittedPackets()).isEqualTo(2);
        assertThat(counters.unrepairedPackets()).isZero();
        assertThat(room.ctx.relayCounters().retransmittedPackets()).as("relay-wide too").isEqualTo(2);
    }

    @Test
    void aGapOnThePublishersLegIsAskedForAtOnceAndItsRtxReachesEverySubscriber() {
        Peer carol = room.browser("carol");
        room.negotiate();
        room.send(alice, rtp(96, 111, 9111, VIDEO, VP8_KEYFRAME)); // carol starts on a keyframe
        room.rtpReceived(bob);
        room.rtpReceived(carol);
        room.rtcpReceived(alice);

        room.send(alice, rtp(96, 114, 9114, VIDEO, delta(114))); // 112 and 113 lost before the relay

        assertThat(nackedToAlice()).as("the relay asks alice itself").containsExactly(112, 113);
        room.send(alice, rtx(97, 7, VIDEO_RTX, 112, delta(112)));
        for (Peer subscriber : List.of(bob, carol)) {
            List<byte[]> received = room.rtpReceived(subscriber);
            assertThat(received).as("114, then 112 repaired").hasSize(2);
            RtpPacket repaired = parse(received.get(1));
            assertThat(repaired.ssrc()).isEqualTo(video.outRtxSsrc());
            assertThat(Bytes.uint16(received.get(1), repaired.payloadOffset())).isEqualTo(112);
        }
        // A NACK for the repaired packet is now answered from the cache.
        room.sendRtcp(carol, Packets.nack(CAROL_RTCP, video.outSsrc(), 112, 0));
        assertThat(room.rtpReceived(carol)).hasSize(1);
        assertThat(nackedToAlice()).isEmpty();
    }

    @Test
    void aPublishersRtxOfAPacketTheRelayHasIsAProbeAndGoesNoFurther() {
        long before = bob.transport().counters().retransmittedPackets();

        room.send(alice, rtx(97, 7, VIDEO_RTX, 105, delta(105))); // libwebrtc probes with copies of sent packets

        assertThat(room.rtpReceived(bob)).isEmpty();
        assertThat(bob.transport().counters().retransmittedPackets()).isEqualTo(before);
    }

    @Test
    void whatTheRelayNeverReceivedIsAskedForUpstreamOnceHoweverManyAsk() {
        Peer carol = room.browser("carol");
        room.negotiate();
        // 111 and 112 are announced lost by subscribers before the relay saw a later packet.
        room.sendRtcp(bob, Packets.nack(BOB_RTCP, video.outSsrc(), 111, 0b1));
        room.sendRtcp(carol, Packets.nack(CAROL_RTCP, video.outSsrc(), 111, 0b1));

        assertThat(nackedToAlice()).as("one request upstream").containsExactly(111, 112);
        assertThat(bob.transport().counters().unrepairedPackets()).isEqualTo(2);

        room.advanceMillis(60);
        room.sendRtcp(bob, Packets.nack(BOB_RTCP, video.outSsrc(), 111, 0));
        assertThat(nackedToAlice()).as("asked again after the interval").containsExactly(111);
    }

    @Test
    void aNackForAPacketThatLeftTheCacheAsksForAKeyframe() {
        int sequence = 111;
        for (int i = 0; i < PacketCache.SIZE; i++, sequence++) {
            room.send(alice, rtp(96, sequence, 20_000L + sequence, VIDEO, delta(sequence)));
        }
        room.rtpReceived(bob);
        room.rtcpReceived(alice);
        room.advanceMillis(400); // past the keyframe request interval

        room.sendRtcp(bob, Packets.nack(BOB_RTCP, video.outSsrc(), 101, 0));

        assertThat(room.rtpReceived(bob)).as("nothing to send again").isEmpty();
        assertThat(room.rtcpPacketsReceived(alice).stream().filter(p -> p.is(206, 1)).count())
                .as("one PLI to alice instead").isEqualTo(1);
        assertThat(bob.transport().counters().unrepairedPackets()).isEqualTo(1);
    }

    @Test
    void aNackStormGetsItsBudgetOfRetransmissionsAndThenAKeyframe() {
        int sequence = 111;
        for (int i = 0; i < 300; i++, sequence++) {
            room.send(alice, rtp(96, sequence, 20_000L + sequence, VIDEO, delta(sequence)));
        }
        room.rtpReceived(bob);
        room.rtcpReceived(alice);
        room.advanceMillis(400);
        // NACKs for all 300 packets at once, as a hostile or broken subscriber might send them.
        for (int pid = 111; pid < 411; pid += 17) {
            room.sendRtcp(bob, Packets.nack(BOB_RTCP, video.outSsrc(), pid, 0xFFFF));
        }

        assertThat(room.rtpReceived(bob)).as("the burst, not 300").hasSize(Consumer.RETRANSMIT_BURST);
        TrafficCounters counters = bob.transport().counters();
        assertThat(counters.nackedPackets()).isGreaterThanOrEqualTo(300);
        assertThat(counters.retransmittedPackets()).isEqualTo(Consumer.RETRANSMIT_BURST);
        assertThat(counters.unrepairedPackets()).isEqualTo(counters.nackedPackets() - Consumer.RETRANSMIT_BURST);
        assertThat(room.rtcpPacketsReceived(alice).stream().filter(p -> p.is(206, 1)).count())
                .as("a keyframe for the rest").isEqualTo(1);
    }

    @Test
    void aNackNamingTheRtxStreamIsIgnored() {
        room.sendRtcp(bob, Packets.nack(BOB_RTCP, video.outRtxSsrc(), 103, 0));

        assertThat(room.rtpReceived(bob)).isEmpty();
        assertThat(nackedToAlice()).isEmpty();
        assertThat(bob.transport().counters().nackedPackets()).isZero();
    }

    @Test
    void rtxWithoutAnOriginalPayloadIsProbingAndGoesNowhere() {
        room.send(alice, rtp(97, 8, 9000, VIDEO_RTX, new byte[0]));

        assertThat(room.rtpReceived(bob)).isEmpty();
    }
}
