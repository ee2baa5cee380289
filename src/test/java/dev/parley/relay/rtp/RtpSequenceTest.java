package dev.parley.relay.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RtpSequenceTest {

    @Test
    void isNewerAcrossWrap() {
        assertThat(RtpSequence.isNewer(1, 0)).isTrue();
        assertThat(RtpSequence.isNewer(0, 1)).isFalse();
        assertThat(RtpSequence.isNewer(0, 65535)).isTrue();
        assertThat(RtpSequence.isNewer(65535, 0)).isFalse();
        assertThat(RtpSequence.isNewer(100, 65000)).isTrue();
        assertThat(RtpSequence.isNewer(7, 7)).isFalse();
        assertThat(RtpSequence.isNewer(0x7FFF, 0)).isTrue();
        // exactly half-way: the larger value wins, and only one direction holds
        assertThat(RtpSequence.isNewer(0x8000, 0)).isTrue();
        assertThat(RtpSequence.isNewer(0, 0x8000)).isFalse();
    }

    @Test
    void diffIsSigned() {
        assertThat(RtpSequence.diff(0, 65535)).isEqualTo(1);
        assertThat(RtpSequence.diff(65535, 0)).isEqualTo(-1);
        assertThat(RtpSequence.diff(10, 5)).isEqualTo(5);
        assertThat(RtpSequence.diff(5, 10)).isEqualTo(-5);
    }

    @Test
    void timestampsAcrossWrap() {
        assertThat(RtpSequence.isNewerTimestamp(0, 0xFFFFFFFFL)).isTrue();
        assertThat(RtpSequence.isNewerTimestamp(0xFFFFFFFFL, 0)).isFalse();
        assertThat(RtpSequence.isNewerTimestamp(3000, 0)).isTrue();
        assertThat(RtpSequence.isNewerTimestamp(0x80000000L, 0)).isTrue();
        assertThat(RtpSequence.isNewerTimestamp(0, 0x80000000L)).isFalse();
    }

    @Test
    void extendFollowsTheReference() {
        assertThat(RtpSequence.extend(65535, 0)).isEqualTo(65536);
        assertThat(RtpSequence.extend(65536, 65535)).as("late packet from before the wrap").isEqualTo(65535);
        assertThat(RtpSequence.extend(0x2FFFEL, 2)).isEqualTo(0x30002L);
        assertThat(RtpSequence.extend(0x30002L, 0xFFF0)).isEqualTo(0x2FFF0L);
        assertThat(RtpSequence.extend(0, 65535)).as("never negative").isEqualTo(65535);
        assertThat(RtpSequence.extend(1000, 1200)).isEqualTo(1200);
        long extended = 0;
        for (int i = 0; i < 200_000; i += 7) {
            extended = RtpSequence.extend(extended, i & 0xFFFF);
            assertThat(extended).isEqualTo(i);
        }
    }
}
