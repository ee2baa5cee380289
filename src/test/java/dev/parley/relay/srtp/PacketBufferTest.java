package dev.parley.relay.srtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PacketBufferTest {

    @Test
    void forPacketsLeavesRoomForTheLargestOverhead() {
        PacketBuffer buffer = PacketBuffer.forPackets(1500);
        buffer.set(0, 1500);
        assertThat(buffer.tailRoom()).isEqualTo(20);
    }

    @Test
    void appendWritesAfterThePacketWithoutReplacingTheArray() {
        PacketBuffer buffer = new PacketBuffer(new byte[16], 4, 3);
        byte[] array = buffer.buffer();
        buffer.append(new byte[] {7, 8, 9, 10}, 2);
        assertThat(buffer.buffer()).isSameAs(array);
        assertThat(buffer.length()).isEqualTo(5);
        assertThat(array[7]).isEqualTo((byte) 7);
        assertThat(array[8]).isEqualTo((byte) 8);
        assertThat(array[9]).isZero();
    }

    @Test
    void growReplacesTheArrayOnlyWhenItMust() {
        PacketBuffer buffer = new PacketBuffer(new byte[10], 2, 6);
        byte[] array = buffer.buffer();
        array[2] = 42;
        buffer.grow(2);
        assertThat(buffer.buffer()).isSameAs(array);
        buffer.grow(5);
        assertThat(buffer.buffer()).isNotSameAs(array).hasSize(13);
        assertThat(buffer.offset()).isEqualTo(2);
        assertThat(buffer.buffer()[2]).isEqualTo((byte) 42);
        assertThat(buffer.tailRoom()).isEqualTo(5);
    }

    @Test
    void readRegionToBuffIgnoresOutOfRangeRequests() {
        PacketBuffer buffer = new PacketBuffer(new byte[] {0, 1, 2, 3, 4, 5}, 1, 4);
        byte[] out = new byte[3];
        buffer.readRegionToBuff(1, 3, out);
        assertThat(out).containsExactly(2, 3, 4);
        byte[] untouched = new byte[3];
        buffer.readRegionToBuff(2, 3, untouched);
        buffer.readRegionToBuff(-1, 2, untouched);
        assertThat(untouched).containsExactly(0, 0, 0);
    }

    @Test
    void shrinkStopsAtZero() {
        PacketBuffer buffer = new PacketBuffer(new byte[8], 0, 5);
        buffer.shrink(2);
        assertThat(buffer.length()).isEqualTo(3);
        buffer.shrink(10);
        assertThat(buffer.length()).isZero();
    }

    @Test
    void boundsAreChecked() {
        PacketBuffer buffer = new PacketBuffer(8);
        assertThatThrownBy(() -> buffer.set(4, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> buffer.set(-1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> buffer.setLength(9)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> buffer.copyFrom(new byte[9], 0, 9)).isInstanceOf(IllegalArgumentException.class);
        buffer.copyFrom(new byte[] {1, 2, 3}, 1, 2);
        assertThat(buffer.offset()).isZero();
        assertThat(buffer.length()).isEqualTo(2);
        assertThat(buffer.buffer()[0]).isEqualTo((byte) 2);
    }
}
