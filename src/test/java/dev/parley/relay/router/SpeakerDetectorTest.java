package dev.parley.relay.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.relay.router.LoopFixture.Peer;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The room's dominant speaker from the publishers' RFC 6464 audio levels, on the socket-less loop: browsers send Opus
 * every 20 ms with a one-byte header extension (id 1) carrying the level, and the router is asked every tick.
 */
class SpeakerDetectorTest {

    private static final int SILENT = 127;
    private static final int LOUD = 25; // -25 dBov: someone speaking close to the microphone
    private static final int QUIET_SPEECH = 45;

    private final RoomHarness room = new RoomHarness();
    private final List<String> changes = new ArrayList<>();
    private Peer alice;
    private Peer bob;
    private int sequence;
    private long timestamp;

    @BeforeEach
    void join() {
        alice = room.browser("alice");
        bob = room.browser("bob");
        room.publishAudio(alice, 0x1000_0001);
        room.publishAudio(bob, 0x2000_0002);
        room.negotiate();
    }

    /** An Opus packet whose one-byte extension block (RFC 8285) holds the audio level (RFC 6464, V=1). */
    static byte[] opusWithLevel(int sequence, long timestamp, int ssrc, int level) {
        byte[] payload = {0x78, 0x01, 0x02};
        ByteBuffer b = ByteBuffer.allocate(12 + 4 + 4 + payload.length);
        b.put((byte) 0x90).put((byte) RtpCodecSpec.OPUS.payloadType()).putShort((short) sequence)
                .putInt((int) timestamp).putInt(ssrc);
        b.putShort((short) 0xBEDE).putShort((short) 1);
        b.put((byte) (SpeakerDetector.AUDIO_LEVEL_ID << 4)).put((byte) (0x80 | level)).put(new byte[2]);
        b.put(payload);
        return b.array();
    }

    /** Both speak at these levels for this long: a packet each every 20 ms, the loop's tick after each. */
    private void talk(long millis, int aliceLevel, int bobLevel) {
        for (long t = 0; t < millis; t += 20) {
            sequence++;
            timestamp += 960;
            room.send(alice, opusWithLevel(sequence, timestamp, 0x1000_0001, aliceLevel));
            room.send(bob, opusWithLevel(sequence, timestamp, 0x2000_0002, bobLevel));
            room.advanceMillis(20);
            if (room.router.updateActiveSpeaker(room.ctx.nowNanos())) {
                changes.add(String.valueOf(room.router.activeSpeaker()));
            }
        }
    }

    @Test
    void nobodySpeaksWhileEveryoneIsSilent() {
        talk(3000, SILENT, SILENT);

        assertThat(room.router.activeSpeaker()).isNull();
        assertThat(changes).isEmpty();
    }

    @Test
    void aLoudParticipantBecomesTheSpeakerAndSilenceClearsIt() {
        talk(1000, LOUD, SILENT);
        assertThat(room.router.activeSpeaker()).isEqualTo("alice");

        talk(3000, SILENT, SILENT);
        assertThat(room.router.activeSpeaker()).isNull();
        assertThat(changes).containsExactly("alice", "null");
    }

    @Test
    void packetsWithoutALevelCountAsSilence() {
        talk(1000, LOUD, SILENT);
        for (int i = 0; i < 150; i++) {
            sequence++;
            timestamp += 960;
            room.send(alice, Packets.rtp(RtpCodecSpec.OPUS.payloadType(), sequence, timestamp, 0x1000_0001,
                    new byte[] {0x78, 0x01}));
            room.advanceMillis(20);
            room.router.updateActiveSpeaker(room.ctx.nowNanos());
        }

        assertThat(room.router.activeSpeaker()).isNull();
    }

    @Test
    void aShortBlipOfAnotherDoesNotStealTheFloor() {
        talk(2000, QUIET_SPEECH, SILENT);
        assertThat(room.router.activeSpeaker()).isEqualTo("alice");

        talk(400, QUIET_SPEECH, 0); // bob shouts a word
        talk(2000, QUIET_SPEECH, SILENT);

        assertThat(room.router.activeSpeaker()).isEqualTo("alice");
        assertThat(changes).containsExactly("alice");
    }

    @Test
    void anotherTakesOverOnceTheySpeakForLongEnough() {
        talk(2000, LOUD, SILENT);
        assertThat(room.router.activeSpeaker()).isEqualTo("alice");

        talk(600, SILENT, LOUD);
        assertThat(room.router.activeSpeaker()).as("not after 600 ms").isEqualTo("alice");
        talk(1400, SILENT, LOUD);

        assertThat(room.router.activeSpeaker()).isEqualTo("bob");
        assertThat(changes).containsExactly("alice", "bob");
    }

    @Test
    void theSpeakerWhoLeavesIsNoLongerTheSpeaker() {
        talk(1000, LOUD, SILENT);
        assertThat(room.router.activeSpeaker()).isEqualTo("alice");

        room.router.removeEndpoint(alice.endpoint());
        room.advanceMillis(300);

        assertThat(room.router.updateActiveSpeaker(room.ctx.nowNanos())).isTrue();
        assertThat(room.router.activeSpeaker()).isNull();
    }
}
