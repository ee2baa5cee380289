package dev.parley.relay.router;

import static dev.parley.relay.router.Packets.VP8_DELTA;
import static dev.parley.relay.router.Packets.VP8_KEYFRAME;
import static dev.parley.relay.router.Packets.VP8_KEYFRAME_CONTINUATION;
import static dev.parley.relay.router.Packets.rtp;
import static dev.parley.relay.router.RoomHarness.consumerOf;
import static dev.parley.relay.router.RoomHarness.parse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.relay.router.LoopFixture.Peer;
import dev.parley.relay.rtp.RtpPacket;
import dev.parley.relay.stats.DropReason;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Who receives a producer's packets, and what exactly they receive. */
class ForwardingTest {

    private static final int ALICE_AUDIO = 0x11110001;
    private static final int BOB_AUDIO = 0x22220001;
    private static final byte[] OPUS_FRAME = Packets.bytes(0xfc, 0xff, 0xfe, 0x01, 0x02, 0x03, 0x04, 0x05);

    private final RoomHarness room = new RoomHarness();

    /** The client sends one Opus packet. */
    private void speak(Peer peer, int ssrc, int sequence) {
        room.send(peer, rtp(111, sequence, 960L * sequence, ssrc, OPUS_FRAME));
    }

    @Test
    void everyOtherBrowserReceivesThePacketUnderTheProducersOutSsrc() {
        Peer alice = room.browser("alice");
        Peer bob = room.browser("bob");
        Peer carol = room.browser("carol");
        Producer audio = room.publishAudio(alice, ALICE_AUDIO);
        room.negotiate();

        room.send(alice, rtp(111, 1000, 48_000, ALICE_AUDIO, OPUS_FRAME));

        for (Peer subscriber : List.of(bob, carol)) {
            List<byte[]> received = room.rtpReceived(subscriber);
            assertThat(received).as("what %s received", subscriber.endpoint().participantId()).hasSize(1);
            RtpPacket packet = parse(received.get(0));
            assertThat(packet.ssrc()).isEqualTo(audio.outSsrc()).isNotEqualTo(ALICE_AUDIO);
            assertThat(packet.sequenceNumber()).isEqualTo(1000);
            assertThat(packet.timestamp()).isEqualTo(48_000);
            assertThat(packet.payloadType()).isEqualTo(111);
            assertThat(Arrays.copyOfRange(received.get(0), packet.payloadOffset(), received.get(0).length))
                    .isEqualTo(OPUS_FRAME);
        }
        assertThat(room.sender.pending(alice.address())).as("nothing goes back to the publisher").isEmpty();
        assertThat(bob.transport().counters().packetsOut()).as("counted as sent on bob's transport").isEqualTo(1);
    }

    @Test
    void sequenceNumbersPassUnchangedIncludingGapsAndWrap() {
        Peer alice = room.browser("alice");
        Peer bob = room.browser("bob");
        room.publishAudio(alice, ALICE_AUDIO);
        room.negotiate();

        int[] sent = {65_534, 65_535, 0, 3};
        for (int sequence : sent) {
            room.send(alice, rtp(111, sequence, 960L * sequence, ALICE_AUDIO, OPUS_FRAME));
        }

        assertThat(room.sequencesReceived(bob)).containsExactly(65_534, 65_535, 0, 3);
    }

    @Test
    void aWhipClientReceivesNothing() {
        Peer alice = room.browser("alice");
        Peer obs = room.whip("obs");
        room.publishAudio(alice, ALICE_AUDIO);
        room.negotiate();

        speak(alice, ALICE_AUDIO, 1);

        assertThat(obs.endpoint().sections()).isEmpty();
        assertThat(room.sender.pending(obs.address())).isEmpty();
    }

    @Test
    void aWhipClientsTrackReachesTheBrowsers() {
        Peer obs = room.whip("obs");
        Peer bob = room.browser("bob");
        Producer audio = room.publishAudio(obs, BOB_AUDIO);
        room.negotiate();

        speak(obs, BOB_AUDIO, 7);

        assertThat(room.ssrcsReceived(bob)).containsExactly(audio.outSsrc());
    }

    @Test
    void aWhepPlayerReceivesOnlyItsTargetsTracks() {
        Peer alice = room.browser("alice");
        Peer bob = room.browser("bob");
        Peer viewer = room.whep("viewer", "alice");
        Producer aliceAudio = room.publishAudio(alice, ALICE_AUDIO);
        room.publishAudio(bob, BOB_AUDIO);
        room.negotiate();

        speak(alice, ALICE_AUDIO, 10);
        speak(bob, BOB_AUDIO, 20);

        assertThat(room.ssrcsReceived(viewer)).containsExactly(aliceAudio.outSsrc());
        assertThat(viewer.endpoint().sections().get(0).consumer().producer()).isSameAs(aliceAudio);
        assertThat(viewer.endpoint().sections().get(1).consumer()).as("alice publishes no video").isNull();
        assertThat(room.rtpReceived(alice)).as("alice still hears bob").hasSize(1);
    }

    @Test
    void aWhepPlayerJoiningLaterGetsTheTargetsExistingTrack() {
        Peer alice = room.browser("alice");
        Producer audio = room.publishAudio(alice, ALICE_AUDIO);
        Peer viewer = room.whep("viewer", "alice");

        speak(alice, ALICE_AUDIO, 10);

        assertThat(room.ssrcsReceived(viewer)).containsExactly(audio.outSsrc());
    }

    @Test
    void nothingIsSentBeforeTheSubscriberAnswered() {
        Peer alice = room.browser("alice");
        Peer bob = room.browser("bob");
        Producer audio = room.publishAudio(alice, ALICE_AUDIO);

        speak(alice, ALICE_AUDIO, 1);

        assertThat(consumerOf(bob, audio).isActive()).isFalse();
        assertThat(room.sender.pending(bob.address())).isEmpty();
    }

    @Test
    void videoWaitsForAKeyframeThenFlows() {
        Peer alice = room.browser("alice");
        Peer bob = room.browser("bob");
        Producer video = room.publishVideo(alice, 0x33330001, 0x33330002);
        room.negotiate();
        Consumer consumer = consumerOf(bob, video);

        room.send(alice, rtp(96, 100, 3000, 0x33330001, VP8_DELTA));
        room.send(alice, rtp(96, 101, 3000, 0x33330001, VP8_KEYFRAME_CONTINUATION));
        assertThat(room.rtpReceived(bob)).as("held back until a keyframe").isEmpty();
        assertThat(bob.transport().counters().drops(DropReason.KEYFRAME_WAIT)).isEqualTo(2);

        room.send(alice, rtp(96, 102, 6000, 0x33330001, VP8_KEYFRAME));
        room.send(alice, rtp(96, 103, 6000, 0x33330001, VP8_KEYFRAME_CONTINUATION));
        room.send(alice, rtp(96, 104, 9000, 0x33330001, VP8_DELTA));

        assertThat(room.sequencesReceived(bob)).containsExactly(102, 103, 104);
        assertThat(video.keyframes()).isEqualTo(1);
    }

    @Test
    void aClosedConsumerSendsNothingMore() {
        Peer alice = room.browser("alice");
        Peer bob = room.browser("bob");
        Peer carol = room.browser("carol");
        Producer audio = room.publishAudio(alice, ALICE_AUDIO);
        room.negotiate();
        Consumer bobs = consumerOf(bob, audio);

        bobs.close();
        speak(alice, ALICE_AUDIO, 1);

        assertThat(bobs.isActive()).isFalse();
        assertThat(room.sender.pending(bob.address())).isEmpty();
        assertThat(room.rtpReceived(carol)).hasSize(1);
        assertThat(audio.consumerCount()).isEqualTo(1);
        bobs.onNegotiated(room.ctx);
        speak(alice, ALICE_AUDIO, 2);
        assertThat(room.sender.pending(bob.address())).as("a closed consumer never comes back").isEmpty();
    }

    @Test
    void aSubscriberThatAnswersBeforeItsHandshakeEndsStartsWhenConnected() {
        Peer alice = room.browser("alice");
        Peer bob = room.handshakingBrowser("bob");
        Producer video = room.publishVideo(alice, 0x33330001, 0x33330002);
        room.negotiate();
        Consumer consumer = consumerOf(bob, video);
        room.send(alice, rtp(96, 1, 3000, 0x33330001, VP8_KEYFRAME));
        assertThat(consumer.isActive()).isFalse();
        assertThat(room.sender.pending(bob.address())).isEmpty();
        assertThat(room.rtcpReceived(alice)).as("no keyframe request for a subscriber not yet connected").isEmpty();

        room.fixture.finishHandshake(bob);
        room.send(alice, rtp(96, 2, 6000, 0x33330001, VP8_KEYFRAME));

        assertThat(consumer.isActive()).isTrue();
        assertThat(room.events(bob).connected()).isEqualTo(1);
        assertThat(room.rtcpPacketsReceived(alice)).filteredOn(p -> p.is(206, 1)).hasSize(1);
        assertThat(room.sequencesReceived(bob)).containsExactly(2);
    }
}
