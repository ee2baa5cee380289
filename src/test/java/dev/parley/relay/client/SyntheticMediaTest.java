package dev.parley.relay.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.relay.rtp.Vp8Payload;
import org.junit.jupiter.api.Test;

/** The synthetic payloads read back as a relay (RFC 7741 key frame detection) and a receiver (probes) read them. */
class SyntheticMediaTest {

    private final byte[] buf = new byte[1500];

    @Test
    void keyframeStartsWithSBitPartitionZeroAndPClear() {
        int n = SyntheticMedia.writeVp8(buf, 100, 900, true, true, 0x1234, 123_456_789L, 7);
        assertThat(n).isEqualTo(900);
        assertThat(Vp8Payload.isKeyframe(buf, 100, n)).isTrue();
        assertThat(Vp8Payload.descriptorLength(buf, 100, n)).isEqualTo(SyntheticMedia.VP8_DESCRIPTOR_LENGTH);
        // X=1 S=1 PID=0 | I=1 | M=1 + 15-bit picture id
        assertThat(buf[100] & 0xFF).isEqualTo(0x90);
        assertThat(buf[101] & 0xFF).isEqualTo(0x80);
        assertThat(((buf[102] & 0x7F) << 8) | (buf[103] & 0xFF)).isEqualTo(0x1234);
        // frame tag: P=0 (key frame), show_frame=1; then the key frame start code 9D 01 2A
        assertThat(buf[104] & 0x01).isZero();
        assertThat(buf[104] & 0x10).isEqualTo(0x10);
        assertThat(new byte[] {buf[107], buf[108], buf[109]}).containsExactly(0x9D, 0x01, 0x2A);
        int probe = ProbePayload.locate(buf, 100, n, true);
        assertThat(probe).isEqualTo(100 + 4 + SyntheticMedia.VP8_KEYFRAME_HEADER_LENGTH);
        assertThat(ProbePayload.sendNanos(buf, probe)).isEqualTo(123_456_789L);
        assertThat(ProbePayload.sequence(buf, probe)).isEqualTo(7);
    }

    @Test
    void deltaFrameAndContinuationPacketsAreNotKeyframes() {
        int n = SyntheticMedia.writeVp8(buf, 0, 300, true, false, 5, -1L, 0xFFFF_FFFFL);
        assertThat(Vp8Payload.isKeyframe(buf, 0, n)).isFalse();
        assertThat(buf[4] & 0x01).as("P bit set on inter frames").isEqualTo(1);
        int probe = ProbePayload.locate(buf, 0, n, true);
        assertThat(probe).isEqualTo(4 + SyntheticMedia.VP8_FRAME_TAG_LENGTH);
        assertThat(ProbePayload.sendNanos(buf, probe)).isEqualTo(-1L);
        assertThat(ProbePayload.sequence(buf, probe)).isEqualTo(0xFFFF_FFFFL);

        // the second packet of a key frame: S=0, so no frame header and not a key frame start
        n = SyntheticMedia.writeVp8(buf, 0, 300, false, true, 5, 42, 1);
        assertThat(Vp8Payload.isKeyframe(buf, 0, n)).isFalse();
        assertThat(ProbePayload.locate(buf, 0, n, true)).isEqualTo(4);
    }

    @Test
    void audioCarriesTheProbeFirstAndPayloadsAreRaisedToTheMinimum() {
        assertThat(SyntheticMedia.writeAudio(buf, 10, 3, 99, 1)).isEqualTo(ProbePayload.LENGTH);
        assertThat(ProbePayload.locate(buf, 10, 16, false)).isEqualTo(10);
        assertThat(ProbePayload.locate(buf, 10, 15, false)).as("truncated").isEqualTo(-1);
        assertThat(SyntheticMedia.writeVp8(buf, 0, 1, true, true, 0, 0, 0))
                .isEqualTo(SyntheticMedia.minimumVp8Payload(true, true)).isEqualTo(30);
        assertThat(SyntheticMedia.writeAudio(buf, buf.length - 10, 16, 0, 0)).isEqualTo(-1);
        assertThat(SyntheticMedia.writeVp8(buf, buf.length - 20, 16, true, true, 0, 0, 0)).isEqualTo(-1);
        assertThat(ProbePayload.write(buf, buf.length - 15, 0, 0)).isEqualTo(-1);
    }

    @Test
    void plainBytesAreNotTakenForProbes() {
        java.util.Arrays.fill(buf, (byte) 0x55);
        assertThat(ProbePayload.locate(buf, 0, 200, false)).isEqualTo(-1);
        assertThat(ProbePayload.locate(buf, 0, 200, true)).isEqualTo(-1);
        assertThat(ProbePayload.isProbe(null, 0, 16)).isFalse();
        assertThat(ProbePayload.isProbe(buf, -1, 16)).isFalse();
    }
}
