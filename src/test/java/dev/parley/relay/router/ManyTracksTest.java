package dev.parley.relay.router;

import static dev.parley.relay.router.Packets.rtp;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.relay.router.LoopFixture.Peer;
import dev.parley.relay.stats.DropReason;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A subscriber receives every track of a large room, and keeps receiving through a long meeting's comings and goings:
 * the SSRCs the relay sends it on are bounded by the room, not by the 64 a peer may send on, and those of tracks that
 * ended are forgotten.
 */
class ManyTracksTest {

    private final RoomHarness room = new RoomHarness();

    @Test
    void aSubscriberReceivesTheAudioOfAHundredAndFiftySenders() {
        Peer bob = room.browser("bob");
        List<Peer> senders = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            Peer sender = room.browser("sender-" + i);
            room.publishAudio(sender, 0x0100_0000 + i);
            senders.add(sender);
        }
        room.negotiate();
        room.sender.clear();

        for (int i = 0; i < senders.size(); i++) {
            room.send(senders.get(i), rtp(111, 1, 960, 0x0100_0000 + i, new byte[] {1}));
        }

        assertThat(room.ssrcsReceived(bob)).as("one packet from each sender").hasSize(150).doesNotHaveDuplicates();
        assertThat(bob.transport().counters().drops(DropReason.SRTP_OTHER)).isZero();
    }

    @Test
    void aLongMeetingsComingsAndGoingsDoNotUseUpTheSubscribersStreams() {
        Peer bob = room.browser("bob");
        for (int i = 0; i < 100; i++) {
            Peer guest = room.browser("guest-" + i);
            int ssrc = 0x0200_0000 + i;
            room.publishAudio(guest, ssrc);
            room.negotiate();
            room.sender.clear();

            room.send(guest, rtp(111, 1, 960, ssrc, new byte[] {1}));
            assertThat(room.rtpReceived(bob)).as("guest %d's audio reaches bob", i).hasSize(1);

            guest.transport().close("left");
        }
        assertThat(bob.transport().counters().drops(DropReason.SRTP_OTHER)).isZero();
    }
}
