package dev.parley.relay.router;

import static dev.parley.relay.router.Packets.rtp;
import static dev.parley.relay.router.Packets.rtpWithExtension;
import static dev.parley.relay.router.Packets.vp8;
import static dev.parley.relay.router.RoomHarness.parse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.relay.router.LoopFixture.Peer;
import dev.parley.relay.rtp.RtpPacket;
import dev.parley.relay.rtp.Vp8Payload;
import dev.parley.relay.util.Bytes;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Simulcast through the forwarding core: layers found by the RID header extension, one layer per subscriber, switches
 * only on the new layer's key frame, and the subscriber sees one stream whatever the layer: one SSRC, sequence numbers,
 * timestamps, picture ids and TL0PICIDX that continue across switches; NACKs answered from the cache of the layer a
 * packet was sent from; the allocation choosing layers from tile sizes and REMB.
 */
class SimulcastTest {

    private static final int LOW = 0x51000001;
    private static final int MID = 0x51000002;
    private static final int HIGH = 0x51000003;
    private static final int BOB_RTCP = 0x0B0B0B0B;

    private final RoomHarness room = new RoomHarness();
    private Peer alice;
    private Peer bob;
    private Producer video;
    private Consumer consumer;

    @BeforeEach
    void aliceSimulcastsToBob() {
        alice = room.browser("alice");
        bob = room.browser("bob");
        video = room.publishSimulcast(alice, "l", "m", "h");
        room.negotiate();
        consumer = RoomHarness.consumerOf(bob, video);
    }

    private static byte[] rid(String rid) {
        return rid.getBytes(StandardCharsets.US_ASCII);
    }

    /** The first packet of a layer: it names its RID, as browsers do until the relay has reported on the SSRC. */
    private void firstPacket(int ssrc, String rid, int sequence, long timestamp, byte[] payload) {
        room.send(alice, rtpWithExtension(96, sequence, timestamp, ssrc, Layer.RID_EXTENSION_ID, rid(rid), payload));
    }

    private void startLayers() {
        firstPacket(LOW, "l", 1000, 3000, vp8(true, 10, 5, 320, 180));
        firstPacket(MID, "m", 2000, 50_000, vp8(true, 400, 70, 640, 360));
        firstPacket(HIGH, "h", 5000, 90_000, vp8(true, 700, 200, 1280, 720));
    }

    private List<Integer> plisTo(Peer peer) {
        return room.rtcpPacketsReceived(peer).stream().filter(p -> p.is(206, 1)).map(p -> p.int32(8)).toList();
    }

    @Test
    void layersAreFoundByTheirRidsAndASubscriberStartsOnTheLowest() {
        startLayers();

        assertThat(video.layer(0).ssrc()).isEqualTo(LOW);
        assertThat(video.layer(1).ssrc()).isEqualTo(MID);
        assertThat(video.layer(2).ssrc()).isEqualTo(HIGH);
        assertThat(video.layer(2).width()).isEqualTo(1280);
        assertThat(video.layer(2).height()).isEqualTo(720);
        List<byte[]> received = room.rtpReceived(bob);
        assertThat(received).hasSize(1);
        RtpPacket packet = parse(received.get(0));
        assertThat(packet.ssrc()).isEqualTo(video.outSsrc());
        assertThat(packet.sequenceNumber()).as("the first layer keeps the publisher's numbers").isEqualTo(1000);
        assertThat(packet.findExtension(Layer.RID_EXTENSION_ID)).as("the publisher's RID does not reach subscribers")
                .isEqualTo(dev.parley.relay.rtp.HeaderExtensions.NOT_FOUND);
        assertThat(consumer.currentLayer()).isZero();

        // Later packets carry no RID: the SSRC is known now.
        room.send(alice, rtp(96, 1001, 6000, LOW, vp8(false, 11, 5, 0, 0)));
        room.send(alice, rtp(96, 5001, 93_000, HIGH, vp8(false, 701, 200, 0, 0)));
        assertThat(room.sequencesReceived(bob)).containsExactly(1001);
    }

    @Test
    void aSwitchWaitsForTheNewLayersKeyframeAndTheStreamContinues() {
        startLayers();
        for (int i = 1; i <= 3; i++) {
            room.send(alice, rtp(96, 1000 + i, 3000 + 3000L * i, LOW, vp8(false, 10 + i, 5, 0, 0)));
        }
        room.rtpReceived(bob);
        plisTo(alice);
        room.advanceMillis(400);

        consumer.setTargetLayer(2, room.ctx);

        assertThat(plisTo(alice)).as("a key frame of the new layer is asked for").containsExactly(HIGH);
        room.send(alice, rtp(96, 5001, 93_000, HIGH, vp8(false, 701, 200, 0, 0)));
        room.send(alice, rtp(96, 1004, 15_000, LOW, vp8(false, 14, 5, 0, 0)));
        assertThat(room.sequencesReceived(bob)).as("the old layer flows until the switch").containsExactly(1004);

        room.advanceMillis(40);
        room.send(alice, rtp(96, 5002, 96_000, HIGH, vp8(true, 702, 201, 1280, 720)));
        room.send(alice, rtp(96, 1005, 18_000, LOW, vp8(false, 15, 5, 0, 0)));
        room.send(alice, rtp(96, 5003, 99_000, HIGH, vp8(false, 703, 201, 0, 0)));

        List<byte[]> received = room.rtpReceived(bob);
        assertThat(received).hasSize(2);
        RtpPacket keyframe = parse(received.get(0));
        RtpPacket next = parse(received.get(1));
        assertThat(keyframe.ssrc()).isEqualTo(video.outSsrc());
        assertThat(keyframe.sequenceNumber()).isEqualTo(1005);
        assertThat(next.sequenceNumber()).isEqualTo(1006);
        assertThat(keyframe.timestamp()).as("time moves on by the wall clock").isEqualTo(15_000 + 40 * 90);
        assertThat(next.timestamp() - keyframe.timestamp()).isEqualTo(3000);
        byte[] first = received.get(0);
        assertThat(Vp8Payload.pictureId(first, keyframe.payloadOffset(), keyframe.payloadLength())).isEqualTo(15);
        assertThat(Vp8Payload.tl0PicIdx(first, keyframe.payloadOffset(), keyframe.payloadLength())).isEqualTo(6);
        byte[] second = received.get(1);
        assertThat(Vp8Payload.pictureId(second, next.payloadOffset(), next.payloadLength())).isEqualTo(16);
        assertThat(consumer.currentLayer()).isEqualTo(2);
        assertThat(bob.transport().counters().layerSwitches()).isEqualTo(1);
    }

    @Test
    void senderReportsAlignTheNewLayersTimestamps() {
        long ntp = 0xE000_0000_0000_0000L;
        startLayers();
        room.sendRtcp(alice, Packets.senderReport(LOW, ntp, 3000, 1, 1));
        room.sendRtcp(alice, Packets.senderReport(HIGH, ntp, 90_000, 1, 1));
        room.rtcpReceived(bob);
        room.send(alice, rtp(96, 1001, 6000, LOW, vp8(false, 11, 5, 0, 0)));
        consumer.setTargetLayer(2, room.ctx);

        room.send(alice, rtp(96, 5001, 99_000, HIGH, vp8(true, 701, 201, 1280, 720)));

        List<byte[]> received = room.rtpReceived(bob);
        RtpPacket keyframe = parse(received.get(received.size() - 1));
        assertThat(keyframe.timestamp()).as("the same instant on the old layer's clock").isEqualTo(3000 + 9000);

        room.sendRtcp(alice, Packets.senderReport(LOW, ntp, 3000, 1, 1));
        assertThat(room.rtcpReceived(bob)).as("the old layer's reports no longer go out").isEmpty();
        room.sendRtcp(alice, Packets.senderReport(HIGH, ntp, 90_000, 1, 1));
        List<Packets.Rtcp> reports = room.rtcpPacketsReceived(bob);
        assertThat(reports).hasSize(1);
        byte[] sr = reports.get(0).bytes();
        assertThat(Bytes.int32(sr, 4)).isEqualTo(video.outSsrc());
        assertThat(Bytes.uint32(sr, 16)).as("on the subscriber's timeline").isEqualTo(3000);
    }

    @Test
    void aNackIsAnsweredFromTheLayerThePacketWasSentFrom() {
        startLayers();
        room.send(alice, rtp(96, 1001, 6000, LOW, vp8(false, 11, 5, 0, 0)));
        consumer.setTargetLayer(2, room.ctx);
        room.send(alice, rtp(96, 5001, 93_000, HIGH, vp8(true, 701, 201, 1280, 720)));
        room.send(alice, rtp(96, 5002, 96_000, HIGH, vp8(false, 702, 201, 0, 0)));
        assertThat(room.sequencesReceived(bob)).containsExactly(1000, 1001, 1002, 1003);

        room.sendRtcp(bob, Packets.nack(BOB_RTCP, video.outSsrc(), 1001, 0b10)); // 1001 and 1003

        List<byte[]> repaired = room.rtpReceived(bob);
        assertThat(repaired).hasSize(2);
        for (byte[] packet : repaired) {
            assertThat(parse(packet).ssrc()).isEqualTo(video.outRtxSsrc());
        }
        RtpPacket fromLow = parse(repaired.get(0));
        assertThat(Bytes.uint16(repaired.get(0), fromLow.payloadOffset())).isEqualTo(1001);
        assertThat(fromLow.timestamp()).isEqualTo(6000);
        assertThat(Vp8Payload.pictureId(repaired.get(0), fromLow.payloadOffset() + 2, fromLow.payloadLength() - 2))
                .isEqualTo(11);
        RtpPacket fromHigh = parse(repaired.get(1));
        assertThat(Bytes.uint16(repaired.get(1), fromHigh.payloadOffset())).isEqualTo(1003);
        assertThat(Vp8Payload.pictureId(repaired.get(1), fromHigh.payloadOffset() + 2, fromHigh.payloadLength() - 2))
                .as("as first sent: one after the switch's key frame").isEqualTo(13);
    }

    @Test
    void aLayerKeepsFlowingPastTheSequenceNumbersWrap() {
        startLayers();
        room.rtpReceived(bob);
        int forwarded = 0;
        for (int i = 1; i <= 70_000; i++) {
            room.send(alice, rtp(96, (1000 + i) & 0xFFFF, 3000L + 3000L * i, LOW, vp8(false, i & 0x7FFF, 5, 0, 0)));
            if (i % 5000 == 0) {
                forwarded += room.rtpReceived(bob).size();
            }
        }
        assertThat(forwarded).as("every packet of the layer, across two wraps of the sequence numbers")
                .isEqualTo(70_000);

        int recent = (1000 + 69_990) & 0xFFFF;
        room.sendRtcp(bob, Packets.nack(BOB_RTCP, video.outSsrc(), recent, 0));
        List<byte[]> repaired = room.rtpReceived(bob);
        assertThat(repaired).as("a NACK late in a long segment is answered").hasSize(1);
        assertThat(Bytes.uint16(repaired.get(0), parse(repaired.get(0)).payloadOffset())).isEqualTo(recent);
    }

    /**
     * All three layers at about 150 k, 500 k and 1 M, 100 packets a second each with a key frame every 500 ms, the loop
     * ticking every 50 ms.
     */
    private void sendLayers(int seconds) {
        startLayers();
        int[] sizes = {188, 625, 1200}; // bytes per 10 ms, about 150 k, 500 k and 960 k of payload
        int[] ssrcs = {LOW, MID, HIGH};
        int[] bases = {1000, 2000, 5000};
        for (int tick = 1; tick <= seconds * 100; tick++) {
            room.advanceMillis(10);
            for (int layer = 0; layer < 3; layer++) {
                byte[] payload = new byte[sizes[layer]];
                byte[] frame = vp8(tick % 50 == 0, tick, 5, 320 << layer, 180 << layer); // a key frame every 500 ms
                System.arraycopy(frame, 0, payload, 0, frame.length);
                room.send(alice, rtp(96, bases[layer] + tick, 900L * tick, ssrcs[layer], payload));
            }
            if (tick % 5 == 0) {
                room.tick();
            }
        }
        room.rtpReceived(bob);
    }

    @Test
    void eachTileGetsTheSmallestLayerThatFillsIt() {
        sendLayers(2);

        bob.endpoint().setTileSizes(Map.of(consumer.mid(), new int[] {640, 360}), -1, room.ctx);
        room.tick();
        assertThat(consumer.targetLayer()).isEqualTo(1);

        bob.endpoint().setTileSizes(Map.of(consumer.mid(), new int[] {1920, 1080}), -1, room.ctx);
        room.tick();
        assertThat(consumer.targetLayer()).as("the largest there is").isEqualTo(2);

        bob.endpoint().setTileSizes(Map.of(consumer.mid(), new int[] {0, 0}), -1, room.ctx);
        room.tick();
        assertThat(consumer.targetLayer()).as("a hidden tile gets nothing").isEqualTo(-1);
        room.send(alice, rtp(96, 1500, 900_000, LOW, vp8(true, 500, 6, 320, 180)));
        assertThat(room.rtpReceived(bob)).isEmpty();
    }

    @Test
    void aSizeReadFromAnOfferBeforeTheSectionTookItsTrackIsIgnored() {
        sendLayers(2);
        MediaSection section = bob.endpoint().sections().stream().filter(s -> s.consumer() == consumer).findFirst()
                .orElseThrow();
        section.markOffered(5, false);

        bob.endpoint().setTileSizes(Map.of(consumer.mid(), new int[] {0, 0}), 4, room.ctx);
        room.tick();
        assertThat(consumer.targetLayer()).as("a size for the track that was there before").isEqualTo(2);

        bob.endpoint().setTileSizes(Map.of(consumer.mid(), new int[] {640, 360}), 5, room.ctx);
        room.tick();
        assertThat(consumer.targetLayer()).isEqualTo(1);

        bob.endpoint().setTileSizes(Map.of(consumer.mid(), new int[] {0, 0}), -1, room.ctx);
        room.tick();
        assertThat(consumer.targetLayer()).as("a client that does not say which offer").isEqualTo(-1);
    }

    @Test
    void aCongestedSubscriberGetsTheLayerItsBandwidthAllows() {
        sendLayers(5);
        assertThat(consumer.targetLayer()).as("no tile size told: the best").isEqualTo(2);

        room.sendRtcp(bob, Packets.remb(BOB_RTCP, 400_000, video.outSsrc()));
        room.advanceMillis(1);
        room.tick();

        assertThat(consumer.targetLayer()).as("150 k fits in 400 k less audio, 500 k does not").isZero();
        assertThat(bob.endpoint().allocator().ceiling()).isEqualTo(400_000);
        assertThat(bob.transport().counters().receiveEstimate()).as("exported for metrics").isEqualTo(400_000);
    }

    @Test
    void mutedVoicesTakeWhatTheirSilenceMeasuresNotAWholeVoicesReserve() {
        // Ten people with their microphones muted: their browsers still send silence, 50 small packets a second each.
        Peer[] muted = new Peer[10];
        for (int i = 0; i < muted.length; i++) {
            muted[i] = room.browser("muted-" + i);
            room.publishAudio(muted[i], 0x0A000100 + i);
        }
        room.negotiate();
        startLayers();
        int[] sizes = {188, 625, 1200};
        int[] ssrcs = {LOW, MID, HIGH};
        int[] bases = {1000, 2000, 5000};
        for (int tick = 1; tick <= 500; tick++) { // 5 s: past the REMB's start-up grace
            room.advanceMillis(10);
            for (int layer = 0; layer < 3; layer++) {
                byte[] payload = new byte[sizes[layer]];
                byte[] frame = vp8(tick % 50 == 0, tick, 5, 320 << layer, 180 << layer);
                System.arraycopy(frame, 0, payload, 0, frame.length);
                room.send(alice, rtp(96, bases[layer] + tick, 900L * tick, ssrcs[layer], payload));
            }
            if (tick % 2 == 0) {
                for (int i = 0; i < muted.length; i++) {
                    room.send(muted[i], rtp(111, tick / 2, 960L * tick / 2, 0x0A000100 + i, new byte[] {(byte) 0xF8,
                            (byte) 0xFF, (byte) 0xFE}));
                }
            }
            if (tick % 5 == 0) {
                room.tick();
            }
        }
        room.rtpReceived(bob);
        long audio = 0;
        for (Consumer c : bob.endpoint().consumers()) {
            if (c.producer().kind() == MediaKind.AUDIO) {
                audio += LayerAllocator.audioCost(c.producer().layer(0), room.ctx.nowNanos());
            }
        }
        assertThat(audio).as("ten silences: a fraction of ten reserves").isBetween(10 * 5_000L, 10 * 15_000L);
        assertThat(bob.endpoint().allocator().audioSetAside()).as("and room for one of them to start speaking")
                .isEqualTo(audio + LayerAllocator.AUDIO_RESERVE - audio / 10);

        room.sendRtcp(bob, Packets.remb(BOB_RTCP, 800_000, video.outSsrc())); // below what it was sent: congestion
        room.advanceMillis(1);
        room.tick();

        System.out.printf("ten muted voices measure %d bit/s; under an 800 kbit/s REMB Bob gets layer %d%n", audio,
                consumer.targetLayer());
        assertThat(consumer.targetLayer()).as("the middle layer (about 510 k) fits beside the silences").isEqualTo(1);
    }

    @Test
    void aVoiceCostsTheReserveUntilMeasuredAndNothingOnceQuiet() {
        Peer late = room.browser("late");
        Producer voice = room.publishAudio(late, 0x0A000200);
        room.negotiate();
        long now = room.ctx.nowNanos();
        assertThat(LayerAllocator.audioCost(voice.layer(0), now)).as("nothing sent yet").isZero();

        room.send(late, rtp(111, 1, 960, 0x0A000200, new byte[60]));
        assertThat(LayerAllocator.audioCost(voice.layer(0), room.ctx.nowNanos())).as("sending, not yet measured")
                .isEqualTo(LayerAllocator.AUDIO_RESERVE);
        for (int i = 2; i <= 150; i++) { // 3 s of 60-byte frames every 20 ms: about 29 kbit/s
            room.advanceMillis(20);
            room.send(late, rtp(111, i, 960L * i, 0x0A000200, new byte[60]));
        }
        assertThat(LayerAllocator.audioCost(voice.layer(0), room.ctx.nowNanos())).as("measured")
                .isBetween(25_000L, 35_000L);
        room.advanceMillis(2_000);
        assertThat(LayerAllocator.audioCost(voice.layer(0), room.ctx.nowNanos())).as("quiet for 2 s").isZero();
    }

    @Test
    void aLowRembNeverPausesAVideoOutright() {
        sendLayers(5);

        room.sendRtcp(bob, Packets.remb(BOB_RTCP, 50_000, video.outSsrc()));
        room.advanceMillis(1);
        room.tick();

        assertThat(consumer.targetLayer()).as("the lowest layer stays").isZero();
    }

    @Test
    void thePublisherIsAskedOnlyForTheLayersItsSubscribersNeed() {
        sendLayers(2);
        bob.endpoint().setTileSizes(Map.of(consumer.mid(), new int[] {320, 180}), -1, room.ctx);
        room.tick();
        room.rtcpReceived(alice);
        room.advanceMillis(1100);

        room.tick();

        List<Packets.Rtcp> rembs = room.rtcpPacketsReceived(alice).stream().filter(p -> p.is(206, 15)).toList();
        assertThat(rembs).hasSize(1);
        long bitrate = remb(rembs.get(0).bytes());
        assertThat(bitrate).as("the two lower layers with room to spare, not the top one").isBetween(650_000L, 1_000_000L);
    }

    private static long remb(byte[] packet) {
        int exponent = (packet[17] & 0xFF) >> 2;
        long mantissa = ((packet[17] & 0x03L) << 16) | Bytes.uint16(packet, 18);
        return mantissa << exponent;
    }
}
