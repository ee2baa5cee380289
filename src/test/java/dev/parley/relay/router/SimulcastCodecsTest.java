package dev.parley.relay.router;

import static dev.parley.relay.router.Packets.rtp;
import static dev.parley.relay.router.Packets.rtpWithExtension;
import static dev.parley.relay.router.RoomHarness.parse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.relay.router.LoopFixture.Peer;
import dev.parley.relay.rtp.RtpPacket;
import dev.parley.relay.rtp.Vp9Payload;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Simulcast of the codecs besides VP8 through the forwarding core: a VP9 subscriber sees picture ids and TL0PICIDX
 * continue across a layer switch as with VP8, and an H.264 one (which has neither) sees sequence numbers and
 * timestamps continue; each switch waits for the new layer's key frame in that codec's terms.
 */
class SimulcastCodecsTest {

    private static final int LOW = 0x52000001;
    private static final int HIGH = 0x52000003;

    private final RoomHarness room = new RoomHarness();
    private final Peer alice = room.browser("alice");
    private final Peer bob = room.browser("bob");

    /**
     * A VP9 payload in non-flexible mode (RFC 9628 4.2): I with a 15-bit picture id, P on delta frames, L with
     * TID/U/SID/D all 0 and TL0PICIDX, B and E (one packet a frame), then a byte of VP9 data.
     */
    private static byte[] vp9(boolean keyframe, int pictureId, int tl0PicIdx) {
        return new byte[] {(byte) (keyframe ? 0xAC : 0xEC), (byte) (0x80 | (pictureId >> 8) & 0x7F), (byte) pictureId,
                0x00, (byte) tl0PicIdx, (byte) 0x82, 0x49, (byte) 0x83};
    }

    private static final byte[] H264_IDR = {0x65, (byte) 0x88, (byte) 0x84, 0x21};
    private static final byte[] H264_DELTA = {0x41, (byte) 0x9A, 0x00, 0x11};

    private void first(int payloadType, int ssrc, String rid, int sequence, long timestamp, byte[] payload) {
        room.send(alice, rtpWithExtension(payloadType, sequence, timestamp, ssrc, Layer.RID_EXTENSION_ID,
                rid.getBytes(StandardCharsets.US_ASCII), payload));
    }

    @Test
    void vp9PictureIdsAndTl0PicIdxContinueAcrossASwitch() {
        Producer video = room.publishSimulcast(alice, RtpCodecSpec.VP9, "l", "h");
        room.negotiate();
        Consumer consumer = RoomHarness.consumerOf(bob, video);
        first(98, LOW, "l", 100, 3000, vp9(true, 10, 5));
        first(98, HIGH, "h", 7000, 80_000, vp9(true, 3000, 90));
        room.send(alice, rtp(98, 101, 6000, LOW, vp9(false, 11, 5)));
        room.rtpReceived(bob);

        consumer.setTargetLayer(1, room.ctx);
        room.send(alice, rtp(98, 7001, 83_000, HIGH, vp9(false, 3001, 90)));
        assertThat(room.rtpReceived(bob)).as("no switch before the new layer's key frame").isEmpty();
        room.advanceMillis(33);
        room.send(alice, rtp(98, 7002, 86_000, HIGH, vp9(true, 3002, 91)));
        room.send(alice, rtp(98, 7003, 89_000, HIGH, vp9(false, 3003, 91)));

        List<byte[]> received = room.rtpReceived(bob);
        assertThat(received).hasSize(2);
        RtpPacket keyframe = parse(received.get(0));
        RtpPacket next = parse(received.get(1));
        assertThat(keyframe.sequenceNumber()).isEqualTo(102);
        assertThat(next.sequenceNumber()).isEqualTo(103);
        assertThat(next.timestamp() - keyframe.timestamp()).isEqualTo(3000);
        assertThat(Vp9Payload.pictureId(received.get(0), keyframe.payloadOffset(), keyframe.payloadLength()))
                .as("one after the last picture sent").isEqualTo(12);
        assertThat(Vp9Payload.pictureId(received.get(1), next.payloadOffset(), next.payloadLength())).isEqualTo(13);
        assertThat(Vp9Payload.tl0PicIdx(received.get(0), keyframe.payloadOffset(), keyframe.payloadLength()))
                .as("the next base-layer index").isEqualTo(6);
        assertThat(consumer.currentLayer()).isEqualTo(1);
    }

    @Test
    void h264SequenceNumbersAndTimestampsContinueAcrossASwitch() {
        Producer video = room.publishSimulcast(alice, RtpCodecSpec.H264, "l", "h");
        room.negotiate();
        Consumer consumer = RoomHarness.consumerOf(bob, video);
        first(102, LOW, "l", 100, 3000, H264_IDR);
        first(102, HIGH, "h", 7000, 80_000, H264_IDR);
        room.send(alice, rtp(102, 101, 6000, LOW, H264_DELTA));
        room.rtpReceived(bob);

        consumer.setTargetLayer(1, room.ctx);
        room.send(alice, rtp(102, 7001, 83_000, HIGH, H264_DELTA));
        assertThat(room.rtpReceived(bob)).as("no switch before an IDR").isEmpty();
        room.advanceMillis(33);
        room.send(alice, rtp(102, 7002, 86_000, HIGH, H264_IDR));
        room.send(alice, rtp(102, 7003, 89_000, HIGH, H264_DELTA));

        List<byte[]> received = room.rtpReceived(bob);
        assertThat(received).hasSize(2);
        RtpPacket idr = parse(received.get(0));
        RtpPacket next = parse(received.get(1));
        assertThat(idr.ssrc()).isEqualTo(video.outSsrc());
        assertThat(idr.sequenceNumber()).isEqualTo(102);
        assertThat(next.sequenceNumber()).isEqualTo(103);
        assertThat(idr.timestamp()).as("on from the last timestamp sent, by the wall clock").isEqualTo(6000 + 33 * 90);
        assertThat(next.timestamp() - idr.timestamp()).isEqualTo(3000);
        assertThat(consumer.currentLayer()).isEqualTo(1);
    }
}
