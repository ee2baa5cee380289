package dev.parley.relay.router;

import static dev.parley.relay.router.Packets.VP8_DELTA;
import static dev.parley.relay.router.Packets.rtp;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.relay.router.LoopFixture.Peer;
import dev.parley.relay.rtcp.GenericNack;
import dev.parley.relay.rtcp.PictureLossIndication;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Keyframe requests and NACKs: from subscribers (or the relay) to the publisher, re-addressed and rate-limited. */
class FeedbackForwardingTest {

    private static final int VIDEO = 0x44440001;
    private static final int VIDEO_RTX = 0x44440002;
    private static final int BOB_RTCP = 0x0B0B0B0B;

    private final RoomHarness room = new RoomHarness();
    private Peer alice;
    private Peer bob;
    private Producer video;

    @BeforeEach
    void aliceSendsVideoToBob() {
        alice = room.browser("alice");
        bob = room.browser("bob");
        video = room.publishVideo(alice, VIDEO, VIDEO_RTX);
    }

    /** The PLIs alice's client received, each checked byte by byte: V=2, FMT 1, PT 206, length 2. */
    private List<Packets.Rtcp> plisToAlice() {
        List<Packets.Rtcp> plis = room.rtcpPacketsReceived(alice).stream().filter(p -> p.is(206, 1)).toList();
        for (Packets.Rtcp pli : plis) {
            assertThat(pli.bytes()).hasSize(12);
            assertThat(pli.uint8(0)).isEqualTo(0x81);
            assertThat(pli.lengthWords()).isEqualTo(2);
            assertThat(pli.int32(4)).as("sender SSRC").isEqualTo(alice.endpoint().rtcpSsrc());
            assertThat(pli.int32(8)).as("media SSRC").isEqualTo(VIDEO);
            PictureLossIndication view = new PictureLossIndication();
            assertThat(view.wrap(pli.bytes(), 0, pli.bytes().length)).isTrue();
        }
        return plis;
    }

    @Test
    void aNewVideoSubscriberAsksThePublisherForAKeyframe() {
        assertThat(plisToAlice()).as("nobody subscribed yet").isEmpty();

        room.negotiate();

        assertThat(plisToAlice()).hasSize(1);
        assertThat(room.sender.pending(bob.address())).isEmpty();
    }

    @Test
    void aSubscriberStillWaitingAsksAgainAfterASecond() {
        room.negotiate();
        plisToAlice();

        room.advanceMillis(500);
        room.send(alice, rtp(96, 1, 0, VIDEO, VP8_DELTA));
        assertThat(plisToAlice()).isEmpty();

        room.advanceMillis(600);
        room.send(alice, rtp(96, 2, 0, VIDEO, VP8_DELTA));
        assertThat(plisToAlice()).hasSize(1);
    }

    @Test
    void requestsWithin300MillisAreMergedAndTheHeldBackOneGoesOutOnALaterTick() {
        room.negotiate();
        assertThat(plisToAlice()).hasSize(1);

        room.advanceMillis(100);
        room.sendRtcp(bob, Packets.pli(BOB_RTCP, video.outSsrc()));
        room.advanceMillis(50);
        room.sendRtcp(bob, Packets.pli(BOB_RTCP, video.outSsrc()));
        room.tick();
        assertThat(plisToAlice()).as("within 300 ms of the last one").isEmpty();

        room.advanceMillis(149);
        room.tick();
        assertThat(plisToAlice()).as("299 ms after the last one").isEmpty();

        room.advanceMillis(1);
        room.tick();
        assertThat(plisToAlice()).as("two requests merged into one").hasSize(1);

        room.advanceMillis(400);
        room.tick();
        assertThat(plisToAlice()).as("nothing left pending").isEmpty();
    }

    @Test
    void aSubscribersPliReachesThePublisherAsAPli() {
        room.negotiate();
        plisToAlice();
        room.advanceMillis(400);

        room.sendRtcp(bob, Packets.compound(Packets.receiverReport(BOB_RTCP), Packets.pli(BOB_RTCP, video.outSsrc())));

        assertThat(plisToAlice()).hasSize(1);
    }

    @Test
    void aPliForAnSsrcTheSubscriberDoesNotReceiveIsIgnored() {
        room.negotiate();
        plisToAlice();
        room.advanceMillis(400);

        room.sendRtcp(bob, Packets.pli(BOB_RTCP, VIDEO));

        assertThat(plisToAlice()).isEmpty();
    }

    @Test
    void aSubscribersFirReachesThePublisherAsAPliByItsFciEntry() {
        room.negotiate();
        plisToAlice();
        room.advanceMillis(400);

        room.sendRtcp(bob, Packets.fir(BOB_RTCP, 0x7777, video.outSsrc()));

        assertThat(plisToAlice()).hasSize(1);
    }

    @Test
    void aFirNamingNoForwardedSsrcIsIgnored() {
        room.negotiate();
        plisToAlice();
        room.advanceMillis(400);

        room.sendRtcp(bob, Packets.fir(BOB_RTCP, 0x7777));

        assertThat(plisToAlice()).isEmpty();
    }

    @Test
    void aSubscribersNackReachesThePublisherReaddressed() {
        room.negotiate();
        plisToAlice();

        room.sendRtcp(bob, Packets.nack(BOB_RTCP, video.outSsrc(), 1000, 0x0005));

        List<Packets.Rtcp> nacks = room.rtcpPacketsReceived(alice).stream().filter(p -> p.is(205, 1)).toList();
        assertThat(nacks).hasSize(1);
        Packets.Rtcp nack = nacks.get(0);
        assertThat(nack.bytes()).hasSize(16);
        assertThat(nack.int32(4)).as("sender SSRC").isEqualTo(alice.endpoint().rtcpSsrc());
        assertThat(nack.int32(8)).as("media SSRC").isEqualTo(VIDEO);
        assertThat(nack.uint16(12)).as("PID").isEqualTo(1000);
        assertThat(nack.uint16(14)).as("BLP").isEqualTo(0x0005);
        GenericNack view = new GenericNack();
        assertThat(view.wrap(nack.bytes(), 0, nack.bytes().length)).isTrue();
        int[] lost = new int[17];
        assertThat(view.lostSequenceNumbers(lost, 0)).isEqualTo(3);
        assertThat(List.of(lost[0], lost[1], lost[2])).containsExactly(1000, 1001, 1003);
    }

    @Test
    void aNackForAudioIsNotForwarded() {
        Producer audio = room.publishAudio(alice, 0x44440003);
        room.negotiate();
        plisToAlice();

        room.sendRtcp(bob, Packets.nack(BOB_RTCP, audio.outSsrc(), 1, 0));

        assertThat(room.rtcpPacketsReceived(alice)).isEmpty();
    }

    @Test
    void aKeyframeRequestMadeBeforeThePublisherConnectedGoesOutOnceItHas() {
        RoomHarness late = new RoomHarness();
        Peer publisher = late.handshakingBrowser("alice");
        late.browser("bob");
        late.publishVideo(publisher, VIDEO, VIDEO_RTX);
        late.negotiate();
        late.tick();

        late.fixture.finishHandshake(publisher);
        late.tick();

        assertThat(late.rtcpPacketsReceived(publisher)).filteredOn(p -> p.is(206, 1)).extracting(p -> p.int32(8))
                .containsExactly(VIDEO);
    }
}
