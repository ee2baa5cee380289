package dev.parley.relay.router;

import static dev.parley.relay.router.Packets.rtp;
import static dev.parley.relay.router.RoomHarness.consumerOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.relay.bwe.SendHistory;
import dev.parley.relay.router.LoopFixture.Peer;
import dev.parley.relay.stats.DropReason;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Closing follows ownership: an endpoint's producers, their consumers elsewhere, and the room when it empties. */
class ClosingTest {

    private static final int ALICE_AUDIO = 0x88880001;
    private static final int ALICE_VIDEO = 0x88880002;
    private static final int BOB_AUDIO = 0x88880011;

    private final RoomHarness room = new RoomHarness();
    private Peer alice;
    private Peer bob;
    private Peer carol;
    private Producer aliceAudio;
    private Producer aliceVideo;
    private Producer bobAudio;

    @BeforeEach
    void threeBrowsersTwoPublishing() {
        alice = room.browser("alice");
        bob = room.browser("bob");
        carol = room.browser("carol");
        aliceAudio = room.publishAudio(alice, ALICE_AUDIO);
        aliceVideo = room.publishVideo(alice, ALICE_VIDEO, 0);
        bobAudio = room.publishAudio(bob, BOB_AUDIO);
        room.negotiate();
        room.sender.clear();
    }

    @Test
    void closingAnEndpointClosesItsProducersAndTheirConsumersElsewhere() {
        Consumer bobsAudio = consumerOf(bob, aliceAudio);
        Consumer carolsVideo = consumerOf(carol, aliceVideo);
        int bobChanges = room.events(bob).sectionsChanged();
        int carolChanges = room.events(carol).sectionsChanged();

        alice.transport().close("left");

        assertThat(aliceAudio.isClosed()).isTrue();
        assertThat(aliceVideo.isClosed()).isTrue();
        assertThat(bobsAudio.isClosed()).isTrue();
        assertThat(carolsVideo.isClosed()).isTrue();
        assertThat(room.events(bob).sectionsChanged() - bobChanges).as("bob's two sections went inactive")
                .isEqualTo(2);
        assertThat(room.events(carol).sectionsChanged() - carolChanges).isEqualTo(2);
        assertThat(carol.endpoint().sections()).filteredOn(s -> s.role() == MediaSection.Role.CONSUME)
                .extracting(MediaSection::isFinished).containsExactly(true, true, false);
        assertThat(room.router.producers()).containsExactly(bobAudio);
        assertThat(room.router.endpoints()).extracting(Endpoint::participantId).containsExactly("bob", "carol");
        assertThat(room.events(alice).closedReason()).isEqualTo("left");
        assertThat(alice.endpoint().isClosed()).isTrue();
    }

    @Test
    void aClosedVideoLetsItsPacketCacheGoThoughFinishedSectionsStillReachIt() {
        // Carol's finished section keeps its consumer, and the consumer its producer, until the section is taken
        // again: 512 buffers of 1,500 bytes a layer must not stay with it.
        for (int sequence = 0; sequence < 600; sequence++) {
            room.send(alice, rtp(96, sequence, 3000L * sequence, ALICE_VIDEO, Packets.VP8_DELTA));
        }
        assertThat(aliceVideo.layer(0).cache().allocatedSlots()).isEqualTo(PacketCache.SIZE);

        alice.transport().close("left");

        assertThat(consumerOf(carol, aliceVideo).producer()).as("still reachable").isSameAs(aliceVideo);
        assertThat(aliceVideo.layer(0).cache().allocatedSlots()).as("its packets gone").isZero();
        assertThat(aliceVideo.layer(0).cache().find(599)).isEqualTo(PacketCache.NEVER_RECEIVED);
    }

    @Test
    void aDepartedSubscriberLetsItsBandwidthEstimationGoThoughFinishedSectionsStillReachIt() {
        // Carol's finished section keeps Bob's audio producer, and it Bob's endpoint, until the section is taken
        // again: what only served the feedback of what Bob received (about 100 KB) must not stay with it.
        bob.endpoint().enableTransportCc(room.ctx);
        room.send(alice, rtp(96, 1, 3000, ALICE_VIDEO, Packets.VP8_KEYFRAME));
        assertThat(room.rtpReceived(bob)).as("numbered for Bob").hasSize(1);
        assertThat(bob.endpoint().congestion().historyCapacity()).isEqualTo(SendHistory.DEFAULT_CAPACITY);
        assertThat(carol.endpoint().congestion().historyCapacity()).as("no transport-wide feedback: none kept")
                .isZero();

        bob.transport().close("left");

        assertThat(consumerOf(carol, bobAudio).producer().endpoint()).as("still reachable").isSameAs(bob.endpoint());
        assertThat(bob.endpoint().congestion().historyCapacity()).isZero();
    }

    @Test
    void theClosedEndpointsOwnConsumersLeaveTheOtherProducers() {
        Consumer alicesCopy = consumerOf(alice, bobAudio);
        int aliceChanges = room.events(alice).sectionsChanged();

        alice.transport().close("left");

        assertThat(alicesCopy.isClosed()).isTrue();
        assertThat(bobAudio.consumerCount()).as("only carol's copy is left").isEqualTo(1);
        assertThat(room.events(alice).sectionsChanged()).as("no offers for a closed browser")
                .isEqualTo(aliceChanges);
        room.send(bob, rtp(111, 1, 960, BOB_AUDIO, new byte[] {1}));
        assertThat(room.sender.pending(alice.address())).isEmpty();
        assertThat(room.rtpReceived(carol)).hasSize(1);
    }

    @Test
    void theRouterIsEmptyWhenTheLastEndpointCloses() {
        alice.transport().close("left");
        bob.transport().close("left");
        assertThat(room.router.isEmpty()).isFalse();

        carol.transport().close("left");

        assertThat(room.router.isEmpty()).isTrue();
        assertThat(room.router.producers()).isEmpty();
    }

    @Test
    void closingTwiceTellsTheOwnerOnce() {
        alice.transport().close("left");

        alice.transport().close("again");

        assertThat(room.events(alice).closed()).isEqualTo(1);
        assertThat(room.events(alice).closedReason()).isEqualTo("left");
    }

    @Test
    void aBrowserThatStopsSendingLosesItsProducerAndSubscribersGetNothingMore() {
        MediaSection section = alice.endpoint().sections().stream().filter(s -> s.producer() == aliceAudio)
                .findFirst().orElseThrow();
        int bobChanges = room.events(bob).sectionsChanged();

        alice.endpoint().removeProducer(section);
        room.send(alice, rtp(111, 1, 960, ALICE_AUDIO, new byte[] {1}));

        assertThat(aliceAudio.isClosed()).isTrue();
        assertThat(consumerOf(bob, aliceAudio).isClosed()).isTrue();
        assertThat(room.events(bob).sectionsChanged() - bobChanges).isEqualTo(1);
        assertThat(room.sender.pending(bob.address())).isEmpty();
        assertThat(alice.transport().counters().drops(DropReason.UNKNOWN_SSRC)).isEqualTo(1);
        assertThat(room.router.producers()).containsExactly(aliceVideo, bobAudio);
    }

    @Test
    void aClosedTransportDropsWhatArrivesLater() {
        alice.transport().close("left");

        room.send(alice, rtp(111, 1, 960, ALICE_AUDIO, new byte[] {1}));
        room.sendRtcp(alice, Packets.receiverReport(ALICE_AUDIO));

        assertThat(alice.transport().counters().packetsIn()).isEqualTo(2);
        assertThat(alice.transport().counters().totalDrops()).isEqualTo(2);
        assertThat(room.sender.pending(bob.address())).isEmpty();
    }
}
