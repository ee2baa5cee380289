package dev.parley.relay.router;

import static dev.parley.relay.router.Packets.VP8_DELTA;
import static dev.parley.relay.router.Packets.VP8_KEYFRAME;
import static dev.parley.relay.router.Packets.rtp;
import static dev.parley.relay.router.Packets.rtpWithExtension;
import static dev.parley.relay.router.Packets.rtx;
import static dev.parley.relay.router.Packets.vp8;
import static dev.parley.relay.router.RoomHarness.parse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.relay.router.LoopFixture.Peer;
import dev.parley.relay.rtp.RtpPacket;
import dev.parley.relay.rtp.Vp8Payload;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A recorded room through the forwarding core: the recording hears of every track (those there first, then those that
 * start and end), and each tap writes plain RTP to its recorder as one stream: the best layer, starting on a key frame
 * it asked for, with its own SSRC and numbers that carry on across a layer switch, and the publisher's repairs late in
 * the same stream.
 */
class RecordingTapTest {

    private static final int AUDIO = 0x41000001;
    private static final int VIDEO = 0x56000001;
    private static final int VIDEO_RTX = 0x56000002;
    private static final int LOW = 0x51000001;
    private static final int HIGH = 0x51000003;
    private static final InetSocketAddress RECORDER = new InetSocketAddress("127.0.0.1", 40000);

    private final RoomHarness room = new RoomHarness();
    private final List<String> events = new ArrayList<>();
    private final List<byte[]> written = new ArrayList<>();
    private final RoomRecording recording = new RoomRecording(new RoomRecording.Listener() {
        @Override
        public void onTrack(Producer producer) {
            events.add("track " + producer.trackId());
        }

        @Override
        public void onTrackEnded(Producer producer) {
            events.add("ended " + producer.trackId());
        }
    }, this::write);

    private boolean write(ByteBuffer datagram, InetSocketAddress to) {
        assertThat(to).isEqualTo(RECORDER);
        byte[] copy = new byte[datagram.remaining()];
        datagram.get(copy);
        written.add(copy);
        return true;
    }

    private List<RtpPacket> takeWritten() {
        List<RtpPacket> packets = written.stream().map(RoomHarness::parse).toList();
        written.clear();
        return packets;
    }

    @Test
    void theRecordingHearsOfTracksThereFirstThenOfThoseThatStartAndEnd() {
        Peer alice = room.browser("alice");
        room.publishAudio(alice, AUDIO);
        recording.attach(room.router);
        Peer bob = room.browser("bob");
        room.publishVideo(bob, VIDEO, VIDEO_RTX);
        Peer viewer = room.whep("viewer", "alice");

        bob.transport().close("left");
        viewer.transport().close("left");

        assertThat(events).containsExactly("track alice-audio", "track bob-video", "ended bob-video");
        recording.stop();
        alice.transport().close("left");
        assertThat(events).as("a stopped recording hears nothing more").hasSize(3);
    }

    @Test
    void audioIsWrittenAsItArrivesUnderTheRelaysSsrc() {
        Peer alice = room.browser("alice");
        Producer audio = room.publishAudio(alice, AUDIO);
        recording.attach(room.router);
        assertThat(recording.tap(audio, RECORDER)).isTrue();
        assertThat(recording.tap(audio, RECORDER)).as("one recorder per track").isFalse();

        for (int sequence = 500; sequence < 503; sequence++) {
            room.send(alice, rtp(111, sequence, 960L * sequence, AUDIO, new byte[] {1, 2, 3}));
        }

        List<RtpPacket> packets = takeWritten();
        assertThat(packets).extracting(RtpPacket::sequenceNumber).containsExactly(500, 501, 502);
        assertThat(packets).extracting(RtpPacket::ssrc).containsOnly(audio.outSsrc());
        assertThat(packets).extracting(RtpPacket::payloadType).containsOnly(111);
        recording.stop();
        room.send(alice, rtp(111, 503, 960L * 503, AUDIO, new byte[] {1, 2, 3}));
        assertThat(written).as("nothing after the recording stopped").isEmpty();
    }

    @Test
    void videoStartsOnAKeyFrameItAskedForAndRepairsArriveLateInTheSameStream() {
        Peer alice = room.browser("alice");
        Producer video = room.publishVideo(alice, VIDEO, VIDEO_RTX);
        recording.attach(room.router);
        recording.tap(video, RECORDER);
        room.advanceMillis(1000);

        room.send(alice, rtp(96, 100, 9000, VIDEO, VP8_DELTA));
        assertThat(written).as("nothing before a key frame").isEmpty();
        assertThat(plisTo(room, alice)).as("the tap asked for one").containsExactly(VIDEO);

        room.send(alice, rtp(96, 101, 9100, VIDEO, VP8_KEYFRAME));
        room.send(alice, rtp(96, 104, 9400, VIDEO, VP8_DELTA)); // 102 and 103 lost on alice's leg
        room.send(alice, rtx(97, 1, VIDEO_RTX, 102, VP8_DELTA));

        List<RtpPacket> packets = takeWritten();
        assertThat(packets).extracting(RtpPacket::sequenceNumber).containsExactly(101, 104, 102);
        assertThat(packets).extracting(RtpPacket::ssrc).containsOnly(video.outSsrc());
        assertThat(packets).extracting(RtpPacket::payloadType).as("the original payload type, not RTX's")
                .containsOnly(96);
    }

    @Test
    void simulcastIsRecordedFromTheBestLayerAndStaysOneStreamWhenItChanges() {
        Peer alice = room.browser("alice");
        Producer video = room.publishSimulcast(alice, "l", "h");
        recording.attach(room.router);
        recording.tap(video, RECORDER);
        room.advanceMillis(1000);

        // Only the low layer sends at first: the recording starts with what there is.
        room.send(alice, first(LOW, "l", 1000, 3000, vp8(true, 10, 5, 320, 180)));
        room.send(alice, first(HIGH, "h", 5000, 90_000, vp8(false, 700, 200, 0, 0)));
        room.advanceMillis(600);
        room.send(alice, rtp(96, 1001, 6000, LOW, vp8(false, 11, 5, 0, 0)));
        room.send(alice, rtp(96, 5001, 93_000, HIGH, vp8(false, 701, 200, 0, 0)));
        assertThat(plisTo(room, alice)).as("a key frame of the high layer is asked for").contains(HIGH);
        room.send(alice, rtp(96, 5002, 96_000, HIGH, vp8(true, 702, 201, 1280, 720)));
        room.send(alice, rtp(96, 1002, 9000, LOW, vp8(false, 12, 5, 0, 0)));
        room.send(alice, rtp(96, 5003, 99_000, HIGH, vp8(false, 703, 201, 0, 0)));
        List<RtpPacket> upgraded = takeWritten();
        assertThat(upgraded).extracting(RtpPacket::sequenceNumber).as("low, then high from its key frame on")
                .containsExactly(1000, 1001, 1002, 1003);
        assertThat(pictureId(upgraded.get(2))).as("picture ids carry on").isEqualTo(12);

        // The high layer stops (the publisher's uplink shrank): after its idle time the low one takes over.
        room.advanceMillis(2000);
        room.send(alice, rtp(96, 1003, 12_000, LOW, vp8(false, 13, 5, 0, 0)));
        room.advanceMillis(600);
        room.send(alice, rtp(96, 1004, 15_000, LOW, vp8(true, 14, 6, 320, 180)));
        room.send(alice, rtp(96, 1005, 18_000, LOW, vp8(false, 15, 6, 0, 0)));
        List<RtpPacket> low = takeWritten();
        assertThat(low).extracting(RtpPacket::sequenceNumber).as("numbers carry on from the high layer's")
                .containsExactly(1004, 1005);
        assertThat(low).extracting(RtpPacket::ssrc).containsOnly(video.outSsrc());
        assertThat(pictureId(low.get(0))).isEqualTo(14);
        assertThat(low.get(0).timestamp()).as("time moves forward").isGreaterThan(upgraded.get(3).timestamp());
    }

    private static int pictureId(RtpPacket packet) {
        return Vp8Payload.pictureId(packet.buffer(), packet.payloadOffset(), packet.payloadLength());
    }

    @Test
    void aTrackThatEndedBeforeItsRecorderWasReadyIsNotTapped() {
        Peer alice = room.browser("alice");
        Producer audio = room.publishAudio(alice, AUDIO);
        recording.attach(room.router);
        alice.transport().close("left");

        assertThat(recording.tap(audio, RECORDER)).isFalse();
        assertThat(recording.taps()).isEmpty();
    }

    private static byte[] first(int ssrc, String rid, int sequence, long timestamp, byte[] payload) {
        return rtpWithExtension(96, sequence, timestamp, ssrc, Layer.RID_EXTENSION_ID,
                rid.getBytes(StandardCharsets.US_ASCII), payload);
    }

    private static List<Integer> plisTo(RoomHarness room, Peer peer) {
        return room.rtcpPacketsReceived(peer).stream().filter(p -> p.is(206, 1)).map(p -> p.int32(8)).toList();
    }
}
