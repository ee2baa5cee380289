package dev.parley.relay.router;

import static dev.parley.relay.router.Packets.rtp;
import static dev.parley.relay.router.Packets.rtpWithExtension;
import static dev.parley.relay.router.Packets.vp8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.relay.router.LoopFixture.Peer;
import dev.parley.relay.util.Bytes;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Screen sharing through the forwarding core: a participant's share is a producer of its own beside its camera,
 * tagged as a screen, forwarded to everyone as its own track; when a subscriber's bandwidth is short the share keeps
 * its detail and the cameras give way; last-N never leaves a share out; stopping ends every copy; and the publisher
 * may spend the bitrate cap on its camera and again on its share.
 */
class ScreenShareTest {

    private static final int LOW = 0x51000001;
    private static final int MID = 0x51000002;
    private static final int HIGH = 0x51000003;
    private static final int SCREEN = 0x52000001;
    private static final int SCREEN_RTX = 0x52000002;
    private static final int BOB_RTCP = 0x0B0B0B0B;

    private final RoomHarness room = new RoomHarness();
    private boolean layersNamed;

    @Test
    void aShareIsForwardedAsATrackOfItsOwnBesideTheCamera() {
        Peer alice = room.browser("alice");
        Peer bob = room.browser("bob");
        Producer camera = room.publishSimulcast(alice, "l", "m", "h");
        Producer screen = room.publishScreen(alice, SCREEN, SCREEN_RTX);
        room.negotiate();

        assertThat(camera.source()).isEqualTo(TrackSource.CAMERA);
        assertThat(screen.source()).isEqualTo(TrackSource.SCREEN);
        assertThat(screen.isSimulcast()).as("a share comes as one stream").isFalse();
        assertThat(bob.endpoint().sections()).filteredOn(s -> s.consumer() != null)
                .extracting(MediaSection::source).containsExactly(TrackSource.CAMERA, TrackSource.SCREEN);
        assertThat(alice.endpoint().screenSection().producer()).isSameAs(screen);

        room.send(alice, rtp(96, 700, 9000, SCREEN, vp8(true, 1, 1, 1920, 1080)));
        room.send(alice, rtp(96, 701, 9000, SCREEN, vp8(false, 1, 1, 0, 0)));
        assertThat(room.ssrcsReceived(bob)).as("on the share's own SSRC, not the camera's")
                .containsExactly(screen.outSsrc(), screen.outSsrc());
        assertThat(screen.layer(0).height()).isEqualTo(1080);
    }

    @Test
    void whenBandwidthIsShortTheShareKeepsItsDetailAndTheCameraGivesWay() {
        Peer alice = room.browser("alice");
        Peer bob = room.browser("bob");
        Producer camera = room.publishSimulcast(alice, "l", "m", "h");
        Producer screen = room.publishScreen(alice, SCREEN, SCREEN_RTX);
        room.negotiate();
        Consumer cameraCopy = RoomHarness.consumerOf(bob, camera);
        Consumer screenCopy = RoomHarness.consumerOf(bob, screen);
        send(alice, 5, true);
        assertThat(cameraCopy.targetLayer()).as("room for everything: the camera's best").isEqualTo(2);

        // About 2 Mbit/s went out; the link carries 1.3 M.
        room.sendRtcp(bob, Packets.remb(BOB_RTCP, 1_300_000, camera.outSsrc(), screen.outSsrc()));
        room.advanceMillis(1);
        room.tick();

        assertThat(screenCopy.targetLayer()).as("the share is sent whole").isZero();
        assertThat(cameraCopy.targetLayer()).as("1 M of share leaves 300 k: the camera's lowest layer").isZero();
        room.rtpReceived(bob);
        send(alice, 1, true);
        List<Integer> received = room.ssrcsReceived(bob);
        assertThat(received).as("the share keeps flowing").contains(screen.outSsrc());
        assertThat(received.stream().filter(s -> s == screen.outSsrc()).count()).isEqualTo(100);
    }

    @Test
    void withoutAShareTheSameBandwidthRaisesTheCamera() {
        Peer alice = room.browser("alice");
        Peer bob = room.browser("bob");
        Producer camera = room.publishSimulcast(alice, "l", "m", "h");
        room.negotiate();
        Consumer cameraCopy = RoomHarness.consumerOf(bob, camera);
        send(alice, 5, false);

        room.sendRtcp(bob, Packets.remb(BOB_RTCP, 700_000, camera.outSsrc()));
        room.advanceMillis(1);
        room.tick();

        assertThat(cameraCopy.targetLayer()).as("700 k pays for the middle layer when no share needs it")
                .isEqualTo(1);
    }

    @Test
    void aShareComesBeforeTheActiveSpeakersCamera() {
        Peer alice = room.browser("alice");
        Peer bob = room.browser("bob");
        Producer camera = room.publishSimulcast(alice, "l", "m", "h");
        Producer screen = room.publishScreen(alice, SCREEN, SCREEN_RTX);
        room.negotiate();
        Consumer cameraCopy = RoomHarness.consumerOf(bob, camera);
        Consumer screenCopy = RoomHarness.consumerOf(bob, screen);
        cameraCopy.setTileSize(1920, 1080);
        screenCopy.setTileSize(320, 180);

        List<Consumer> order = new java.util.ArrayList<>(List.of(cameraCopy, screenCopy));
        order.sort(LayerAllocator.priority("alice"));

        assertThat(order).as("the share first, even in a small tile and beside the speaker's large one")
                .containsExactly(screenCopy, cameraCopy);
    }

    @Test
    void lastNNeverLeavesAShareOut() {
        RoomHarness small = new RoomHarness(1);
        Peer ada = small.browser("ada");
        Peer grace = small.browser("grace");
        Peer viewer = small.browser("viewer");
        small.publishVideo(ada, 0x0A000101, 0);
        Producer graceCamera = small.publishVideo(grace, 0x0A000201, 0);
        Producer graceScreen = small.publishScreen(grace, SCREEN, SCREEN_RTX);
        small.negotiate();

        assertThat(small.router.updateForwarding()).isTrue();
        assertThat(small.router.forwardedVideo()).as("two cameras, one forwarded; the share does not count")
                .containsExactly("ada");
        small.tick();

        assertThat(RoomHarness.consumerOf(viewer, graceCamera).targetLayer()).isEqualTo(-1);
        assertThat(RoomHarness.consumerOf(viewer, graceScreen).targetLayer()).isZero();
        small.send(grace, rtp(96, 10, 900, SCREEN, Packets.VP8_KEYFRAME));
        small.send(grace, rtp(96, 10, 900, 0x0A000201, Packets.VP8_KEYFRAME));
        assertThat(small.ssrcsReceived(viewer)).containsExactly(graceScreen.outSsrc());
    }

    @Test
    void stoppingEndsEveryCopyAndSharingAgainUsesTheSameSection() {
        Peer alice = room.browser("alice");
        Peer bob = room.browser("bob");
        Producer screen = room.publishScreen(alice, SCREEN, SCREEN_RTX);
        room.negotiate();
        Consumer copy = RoomHarness.consumerOf(bob, screen);
        MediaSection section = alice.endpoint().screenSection();
        int offersBefore = room.events(alice).sectionsChanged();

        alice.endpoint().allowScreenShare(false);

        assertThat(screen.isClosed()).isTrue();
        assertThat(copy.isClosed()).isTrue();
        assertThat(section.producer()).isNull();
        assertThat(alice.endpoint().screenShareAllowed()).isFalse();
        assertThat(room.events(alice).sectionsChanged()).as("the sharer is offered the section again, to stop sending")
                .isGreaterThan(offersBefore);
        room.send(alice, rtp(96, 900, 9000, SCREEN, Packets.VP8_KEYFRAME));
        assertThat(room.rtpReceived(bob)).isEmpty();

        alice.endpoint().allowScreenShare(true);
        assertThat(alice.endpoint().screenSection()).as("m-sections are only ever added").isSameAs(section);
        assertThat(alice.endpoint().sections()).filteredOn(s -> s.source() == TrackSource.SCREEN).hasSize(1);
        int offers = room.events(alice).sectionsChanged();
        alice.endpoint().allowScreenShare(true);
        assertThat(room.events(alice).sectionsChanged()).as("allowing again changes nothing: no offer").isEqualTo(offers);
    }

    @Test
    void thePublisherMayHaveTheCapForItsCameraAndAgainForItsShare() {
        Peer alice = room.browser("alice");
        room.browser("bob");
        room.publishVideo(alice, 0x0A000101, 0);
        room.publishScreen(alice, SCREEN, SCREEN_RTX);
        room.negotiate();
        room.send(alice, rtp(96, 10, 900, 0x0A000101, Packets.VP8_KEYFRAME));
        room.send(alice, rtp(96, 10, 900, SCREEN, Packets.VP8_KEYFRAME));
        room.rtcpReceived(alice);
        room.advanceMillis(1100);

        room.tick();

        List<Packets.Rtcp> rembs = room.rtcpPacketsReceived(alice).stream().filter(p -> p.is(206, 15)).toList();
        assertThat(rembs).hasSize(1);
        byte[] packet = rembs.get(0).bytes();
        long bitrate = (((packet[17] & 0x03L) << 16) | Bytes.uint16(packet, 18)) << ((packet[17] & 0xFF) >> 2);
        assertThat(bitrate).as("2.5 M for each video track").isBetween(4_900_000L, 5_000_000L);
    }

    /**
     * Alice's camera in three layers (about 150 k, 500 k and 960 k) and, with {@code screen}, her share at about 1 M,
     * 100 packets a second each with a key frame every 500 ms, the loop ticking every 50 ms.
     */
    private void send(Peer alice, int seconds, boolean screen) {
        int[] sizes = {188, 625, 1200};
        int[] ssrcs = {LOW, MID, HIGH};
        String[] rids = {"l", "m", "h"};
        int start = (int) (room.ctx.nowNanos() / 10_000_000L);
        boolean nameLayers = !layersNamed; // the first packet of each layer names its RID
        layersNamed = true;
        for (int i = 1; i <= seconds * 100; i++) {
            int tick = start + i;
            room.advanceMillis(10);
            for (int layer = 0; layer < 3; layer++) {
                byte[] payload = new byte[sizes[layer]];
                byte[] frame = vp8(tick % 50 == 0, tick, 5, 320 << layer, 180 << layer);
                System.arraycopy(frame, 0, payload, 0, frame.length);
                int sequence = 1000 * (layer + 1) + tick;
                room.send(alice, i == 1 && nameLayers
                        ? rtpWithExtension(96, sequence, 900L * tick, ssrcs[layer], Layer.RID_EXTENSION_ID,
                                rids[layer].getBytes(StandardCharsets.US_ASCII), payload)
                        : rtp(96, sequence, 900L * tick, ssrcs[layer], payload));
            }
            if (screen) {
                byte[] payload = new byte[1250];
                byte[] frame = vp8(tick % 50 == 0, tick, 5, 1920, 1080);
                System.arraycopy(frame, 0, payload, 0, frame.length);
                room.send(alice, rtp(96, 20_000 + tick, 900L * tick, SCREEN, payload));
            }
            if (i % 5 == 0) {
                room.tick();
            }
        }
    }
}
