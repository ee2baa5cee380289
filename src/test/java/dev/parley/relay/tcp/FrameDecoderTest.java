package dev.parley.relay.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** RFC 4571 framing: a 16-bit big-endian length before each packet, frames split and joined by TCP at will. */
class FrameDecoderTest {

    private final FrameDecoder decoder = new FrameDecoder(1500, 1502);
    private final byte[] frame = new byte[1500];

    @Test
    void framesSplitAnywhereAndJoinedAreTakenApartInOrder() {
        byte[] stream = {0, 3, 'a', 'b', 'c', 0, 0, 0, 2, 'x', 'y', 0, 1, 'z'};
        // Fed one byte at a time, then all at once: the same frames either way.
        StringBuilder seen = new StringBuilder();
        for (byte b : stream) {
            decoder.buffer().put(b);
            decoder.flip();
            for (int len = decoder.next(frame); len != FrameDecoder.NONE; len = decoder.next(frame)) {
                seen.append(new String(frame, 0, len)).append('|');
            }
            decoder.compact();
        }
        assertThat(seen).hasToString("abc||xy|z|");

        decoder.buffer().put(stream);
        decoder.flip();
        assertThat(decoder.next(frame)).isEqualTo(3);
        assertThat(decoder.next(frame)).isZero();
        assertThat(decoder.next(frame)).isEqualTo(2);
        assertThat(new String(frame, 0, 2)).isEqualTo("xy");
        assertThat(decoder.next(frame)).isEqualTo(1);
        assertThat(decoder.next(frame)).isEqualTo(FrameDecoder.NONE);
        decoder.compact();
        assertThat(decoder.buffer().position()).isZero();
    }

    @Test
    void aLengthBeyondTheLongestPacketIsRefused() {
        decoder.buffer().put(new byte[] {(byte) 0x05, (byte) 0xDD}); // 1501
        decoder.flip();
        assertThat(decoder.next(frame)).isEqualTo(FrameDecoder.TOO_LONG);
    }

    @Test
    void theLongestFrameFitsTheBufferWhole() {
        decoder.buffer().put(new byte[] {(byte) 0x05, (byte) 0xDC}).put(new byte[1500]);
        decoder.flip();
        assertThat(decoder.next(frame)).isEqualTo(1500);
    }

    @Test
    void encodingNeverSplitsAFrame() {
        ByteBuffer out = ByteBuffer.allocate(10);
        assertThat(FrameDecoder.encode(new byte[] {1, 2, 3, 4, 5}, 1, 3, out)).isTrue();
        assertThat(out.position()).isEqualTo(5);
        assertThat(out.array()).startsWith(0, 3, 2, 3, 4);
        // Five bytes left: a 4-byte packet needs six, so nothing is written.
        assertThat(FrameDecoder.encode(new byte[4], 0, 4, out)).isFalse();
        assertThat(out.position()).isEqualTo(5);
        assertThat(FrameDecoder.encode(new byte[3], 0, 3, out)).isTrue();
        assertThat(out.position()).isEqualTo(10);
    }
}
