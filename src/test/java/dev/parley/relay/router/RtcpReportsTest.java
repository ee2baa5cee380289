package dev.parley.relay.router;

import static dev.parley.relay.router.Packets.VP8_KEYFRAME;
import static dev.parley.relay.router.Packets.rtp;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.relay.router.LoopFixture.Peer;
import dev.parley.relay.rtcp.ReceiverReport;
import dev.parley.relay.rtcp.Remb;
import dev.parley.relay.rtcp.ReportBlock;
import dev.parley.relay.rtcp.SenderReport;
import dev.parley.relay.rtcp.SourceDescription;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Sender reports passed to subscribers; the relay's own receiver reports, CNAME and REMB to publishers. */
class RtcpReportsTest {

    private static final int AUDIO = 0x77770001;
    private static final int VIDEO = 0x77770002;
    private static final int VIDEO_RTX = 0x77770003;
    private static final long NTP = 0xE8F1_2345_8000_0000L;

    private final RoomHarness room = new RoomHarness();
    private Peer alice;
    private Peer bob;
    private Producer audio;
    private Producer video;

    @BeforeEach
    void aliceSendsAudioAndVideoToBob() {
        alice = room.browser("alice");
        bob = room.browser("bob");
        audio = room.publishAudio(alice, AUDIO);
        video = room.publishVideo(alice, VIDEO, VIDEO_RTX);
        room.negotiate();
        room.rtcpReceived(alice);
    }

    @Test
    void aSenderReportReachesSubscribersUnderTheOutSsrcWithoutReportBlocks() {
        room.sendRtcp(alice, Packets.compound(Packets.senderReport(AUDIO, NTP, 480_000, 500, 40_000),
                Packets.sdesCname(AUDIO, "alice-cname")));

        List<Packets.Rtcp> received = room.rtcpPacketsReceived(bob);
        assertThat(received).hasSize(1);
        Packets.Rtcp sr = received.get(0);
        assertThat(sr.is(200, 0)).as("an SR with RC 0").isTrue();
        assertThat(sr.bytes()).hasSize(28);
        assertThat(sr.lengthWords()).isEqualTo(6);
        assertThat(sr.int32(4)).isEqualTo(audio.outSsrc());
        assertThat(((long) sr.int32(8) << 32) | (sr.int32(12) & 0xFFFFFFFFL)).isEqualTo(NTP);
        assertThat(sr.int32(16)).isEqualTo(480_000);
        assertThat(sr.int32(20)).isEqualTo(500);
        assertThat(sr.int32(24)).isEqualTo(40_000);
        SenderReport view = new SenderReport();
        assertThat(view.wrap(sr.bytes(), 0, sr.bytes().length)).isTrue();
        assertThat(view.senderSsrc()).isEqualTo(audio.outSsrc());
        assertThat(room.rtcpReceived(alice)).as("no echo to the publisher").isEmpty();
    }

    @Test
    void aSenderReportFromAnUnknownSsrcGoesNowhere() {
        room.sendRtcp(alice, Packets.senderReport(0x12345678, NTP, 1, 1, 1));

        assertThat(room.rtcpReceived(bob)).isEmpty();
    }

    @Test
    void aSenderReportIsNotPassedToASubscriberThatHasNotAnswered() {
        Peer carol = room.browser("carol");

        room.sendRtcp(alice, Packets.senderReport(VIDEO, NTP, 1, 1, 1));

        assertThat(room.rtcpReceived(bob)).hasSize(1);
        assertThat(room.rtcpReceived(carol)).isEmpty();
    }

    private void aliceSendsMedia() {
        for (int seq = 10; seq < 15; seq++) {
            room.send(alice, rtp(111, seq, seq * 960L, AUDIO, new byte[] {1, 2, 3}));
            room.send(alice, rtp(96, 200 + seq, seq * 3000L, VIDEO, VP8_KEYFRAME));
        }
    }

    @Test
    void thePublisherGetsReceiverReportsCnameAndRembOnceASecond() {
        aliceSendsMedia();
        room.advanceMillis(999);
        room.tick();
        assertThat(room.rtcpReceived(alice)).as("less than a second after the endpoint was created").isEmpty();

        room.advanceMillis(1);
        room.tick();
        List<byte[]> compounds = room.rtcpReceived(alice);
        assertThat(compounds).hasSize(1);
        checkReports(compounds.get(0));

        room.advanceMillis(500);
        room.tick();
        assertThat(room.rtcpReceived(alice)).isEmpty();
        room.advanceMillis(600);
        room.tick();
        assertThat(room.rtcpReceived(alice)).hasSize(1);
        assertThat(room.rtcpReceived(bob)).as("bob publishes nothing").isEmpty();
    }

    @Test
    void aCameraWithoutSimulcastIsAskedForLessWhileNobodyWatchesIt() {
        aliceSendsMedia();
        room.advanceMillis(1000);
        room.tick();
        assertThat(rembOf(room.rtcpReceived(alice))).as("Bob's tile shows Alice (no sizes told yet)")
                .isEqualTo(2_500_000L);

        bob.endpoint().setTileSizes(Map.of(RoomHarness.consumerOf(bob, video).mid(), new int[] {0, 0}), -1, room.ctx);
        room.advanceMillis(100);
        room.tick(); // Bob's allocation takes the sizes
        room.advanceMillis(1000);
        room.tick();
        assertThat(rembOf(room.rtcpReceived(alice))).as("Bob's page shows no tile of Alice's camera")
                .isBetween(780_000L, 840_000L);

        bob.endpoint().setTileSizes(Map.of(RoomHarness.consumerOf(bob, video).mid(), new int[] {640, 360}), -1, room.ctx);
        room.advanceMillis(100);
        room.tick();
        room.advanceMillis(1000);
        room.tick();
        assertThat(rembOf(room.rtcpReceived(alice))).as("shown again: the cap at once").isEqualTo(2_500_000L);
    }

    /** The REMB bitrate of the one compound report in the list. */
    private static long rembOf(List<byte[]> compounds) {
        assertThat(compounds).hasSize(1);
        byte[] compound = compounds.get(0);
        Remb remb = new Remb();
        for (int off = 0; off + 4 <= compound.length; ) {
            int len = ((compound[off + 2] & 0xFF) << 8 | (compound[off + 3] & 0xFF)) * 4 + 4;
            if ((compound[off + 1] & 0xFF) == 206 && (compound[off] & 0x1F) == 15 && remb.wrap(compound, off, len)) {
                return remb.bitrate();
            }
            off += len;
        }
        throw new AssertionError("no REMB in the compound report");
    }

    private void checkReports(byte[] compound) {
        int rtcpSsrc = alice.endpoint().rtcpSsrc();
        List<Packets.Rtcp> packets = Packets.split(compound);
        assertThat(packets).extracting(Packets.Rtcp::type).containsExactly(201, 202, 206);

        Packets.Rtcp rr = packets.get(0);
        assertThat(rr.count()).as("a report block per producer").isEqualTo(2);
        assertThat(rr.bytes()).hasSize(8 + 2 * 24);
        assertThat(rr.int32(4)).isEqualTo(rtcpSsrc);
        assertThat(List.of(rr.int32(8), rr.int32(32))).containsExactly(AUDIO, VIDEO);
        assertThat(rr.int32(8 + 8)).as("audio's extended highest sequence number").isEqualTo(14);
        assertThat(rr.int32(32 + 8)).as("video's extended highest sequence number").isEqualTo(214);
        ReceiverReport view = new ReceiverReport();
        assertThat(view.wrap(rr.bytes(), 0, rr.bytes().length)).isTrue();
        ReportBlock block = view.reportBlock(1, new ReportBlock());
        assertThat(block.ssrc()).isEqualTo(VIDEO);
        assertThat(block.cumulativeLost()).isZero();

        Packets.Rtcp sdes = packets.get(1);
        byte[] cname = "parley-alice".getBytes(StandardCharsets.US_ASCII);
        assertThat(sdes.count()).isEqualTo(1);
        assertThat(sdes.int32(4)).isEqualTo(rtcpSsrc);
        assertThat(sdes.uint8(8)).as("CNAME item").isEqualTo(1);
        assertThat(sdes.uint8(9)).isEqualTo(cname.length);
        assertThat(Arrays.copyOfRange(sdes.bytes(), 10, 10 + cname.length)).isEqualTo(cname);
        assertThat(sdes.uint8(10 + cname.length)).as("end of items").isZero();
        SourceDescription sdesView = new SourceDescription();
        assertThat(sdesView.wrap(sdes.bytes(), 0, sdes.bytes().length)).isTrue();
        assertThat(sdesView.cname(rtcpSsrc)).isEqualTo("parley-alice");

        Packets.Rtcp remb = packets.get(2);
        assertThat(remb.count()).as("FMT 15, application layer feedback").isEqualTo(15);
        assertThat(remb.int32(4)).isEqualTo(rtcpSsrc);
        assertThat(remb.int32(8)).as("media SSRC is 0").isZero();
        assertThat(new String(remb.bytes(), 12, 4, StandardCharsets.US_ASCII)).isEqualTo("REMB");
        assertThat(remb.uint8(16)).as("one video SSRC").isEqualTo(1);
        int exponent = remb.uint8(17) >>> 2;
        long mantissa = ((remb.uint8(17) & 0x03L) << 16) | remb.uint16(18);
        assertThat(mantissa << exponent).isEqualTo(2_500_000L);
        assertThat(remb.int32(20)).isEqualTo(VIDEO);
        Remb rembView = new Remb();
        assertThat(rembView.wrap(remb.bytes(), 0, remb.bytes().length)).isTrue();
        assertThat(rembView.bitrate()).isEqualTo(2_500_000L);
    }

    @Test
    void aReportBlockCarriesTheLastSenderReport() {
        aliceSendsMedia();
        room.sendRtcp(alice, Packets.senderReport(VIDEO, NTP, 1, 1, 1));
        room.advanceMillis(1000);
        room.tick();

        List<Packets.Rtcp> packets = Packets.split(room.rtcpReceived(alice).get(0));
        Packets.Rtcp rr = packets.get(0);
        assertThat(rr.int32(32)).isEqualTo(VIDEO);
        assertThat(rr.int32(32 + 16)).as("LSR: the middle 32 bits of the NTP time").isEqualTo((int) (NTP >>> 16));
        assertThat(rr.int32(32 + 20)).as("DLSR: 1 s in 1/65536 s").isEqualTo(65_536);
        assertThat(rr.int32(8 + 16)).as("audio had no SR").isZero();
    }
}
