package dev.parley.relay.router;

import static dev.parley.relay.router.Packets.rtp;
import static dev.parley.relay.router.Packets.rtpWithExtension;
import static dev.parley.relay.router.Packets.vp8;
import static dev.parley.relay.router.RoomHarness.parse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.relay.router.LoopFixture.Peer;
import dev.parley.relay.rtcp.TransportFeedback;
import dev.parley.relay.stats.DropReason;
import dev.parley.relay.rtp.HeaderExtensions;
import dev.parley.relay.rtp.RtpPacket;
import dev.parley.relay.rtp.TransportSequenceNumber;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Transport-wide congestion control toward subscribers through the forwarding core: what the relay sends a subscriber
 * that negotiated it is numbered on that subscriber's own transport-wide counter (a publisher's number overwritten, a
 * missing one added, retransmissions and probes included), a subscriber that did not gets no stray number, and the
 * subscriber's feedback, from a simulated link, drives the layer it gets: a probe comes before a raise the estimate
 * cannot pay for, and a link that narrows brings the layer down.
 */
class SubscriberCongestionControlTest {

    private static final int AUDIO = 0x0A0A0001;
    private static final int VIDEO = 0x0A0A0002;
    private static final int VIDEO_RTX = 0x0A0A0003;
    private static final int LOW = 0x51000001;
    private static final int MID = 0x51000002;
    private static final int HIGH = 0x51000003;
    private static final int TWCC = Layer.TRANSPORT_CC_EXTENSION_ID;
    private static final int[] DEFAULT_SIZES = {188, 625, 1200};

    private final RoomHarness room = new RoomHarness();
    private Peer alice;
    /** Alice publishes her voice too: Opus, a packet every 20 ms. */
    private boolean voice;

    private static byte[] sequence(int value) {
        return new byte[] {(byte) (value >> 8), (byte) value};
    }

    private static int transportSequence(byte[] packet) {
        return TransportSequenceNumber.read(parse(packet), TWCC);
    }

    @Test
    void aSubscriberThatNegotiatedItGetsItsOwnTransportWideNumbersOnEverything() {
        alice = room.browser("alice");
        Peer bob = room.browser("bob");
        room.publishAudio(alice, AUDIO);
        Producer video = room.publishVideo(alice, VIDEO, VIDEO_RTX);
        bob.endpoint().enableTransportCc(room.ctx);
        room.negotiate();

        room.send(alice, rtpWithExtension(96, 100, 9000, VIDEO, TWCC, sequence(7000), vp8(true, 1, 1, 640, 360)));
        room.send(alice, rtpWithExtension(111, 50, 960, AUDIO, TWCC, sequence(7001), new byte[] {1, 2, 3}));
        room.send(alice, rtp(96, 101, 12_000, VIDEO, vp8(false, 2, 1, 0, 0))); // a publisher that sends none
        List<byte[]> received = room.rtpReceived(bob);

        assertThat(received).hasSize(3);
        int first = transportSequence(received.get(0));
        assertThat(first).isNotEqualTo(7000);
        assertThat(received.stream().map(SubscriberCongestionControlTest::transportSequence))
                .as("one counter over audio and video, an element added where the publisher had none")
                .containsExactly(first, (first + 1) & 0xFFFF, (first + 2) & 0xFFFF);
        RtpPacket added = parse(received.get(2));
        assertThat(Arrays.copyOfRange(received.get(2), added.payloadOffset(), added.payloadOffset()
                + added.payloadLength())).as("the payload moved intact").isEqualTo(vp8(false, 2, 1, 0, 0));

        room.sendRtcp(bob, Packets.nack(0x0B0B0B0B, video.outSsrc(), 100, 0));
        List<byte[]> repaired = room.rtpReceived(bob);
        assertThat(repaired).hasSize(1);
        assertThat(parse(repaired.get(0)).ssrc()).isEqualTo(video.outRtxSsrc());
        assertThat(transportSequence(repaired.get(0))).as("a retransmission is numbered too")
                .isEqualTo((first + 3) & 0xFFFF);
    }

    @Test
    void aWhepPlayerGetsItsNumbersUnderTheIdItOffered() {
        alice = room.browser("alice");
        room.publishVideo(alice, VIDEO, VIDEO_RTX);
        Peer player = room.fixture.connectedPeer("player", Endpoint.Kind.WHEP, room.router, LoopFixture.quiet());
        player.endpoint().setWhepTarget("alice");
        MediaSection section = player.endpoint().addSection(MediaKind.VIDEO, MediaSection.Role.CONSUME, "0");
        int[] payloadTypes = new int[128];
        Arrays.fill(payloadTypes, -1);
        payloadTypes[96] = 96;
        byte[] extensions = new byte[256];
        extensions[TWCC] = 7; // as Negotiator.mapWhepPayloadTypes maps an offered a=extmap:7 of transport-wide-cc
        section.setConsumerMaps(payloadTypes, extensions);
        player.endpoint().enableTransportCc(room.ctx);
        room.router.addEndpoint(player.endpoint(), room.ctx);
        room.negotiate();

        room.send(alice, rtpWithExtension(96, 100, 9000, VIDEO, TWCC, sequence(7000), vp8(true, 1, 1, 640, 360)));
        room.send(alice, rtp(96, 101, 12_000, VIDEO, vp8(false, 2, 1, 0, 0)));

        List<byte[]> received = room.rtpReceived(player);
        assertThat(received).hasSize(2);
        int first = TransportSequenceNumber.read(parse(received.get(0)), 7);
        assertThat(first).isNotIn(-1, 7000);
        assertThat(TransportSequenceNumber.read(parse(received.get(1)), 7)).isEqualTo((first + 1) & 0xFFFF);
        assertThat(parse(received.get(0)).findExtension(TWCC)).isEqualTo(HeaderExtensions.NOT_FOUND);
    }

    @Test
    void aSubscriberThatDidNotGetsNoStrayNumber() {
        alice = room.browser("alice");
        Peer carol = room.browser("carol");
        room.publishVideo(alice, VIDEO, VIDEO_RTX);
        room.negotiate();
        byte[] payload = vp8(true, 1, 1, 640, 360);

        room.send(alice, rtpWithExtension(96, 100, 9000, VIDEO, TWCC, sequence(7000), payload));

        List<byte[]> received = room.rtpReceived(carol);
        assertThat(received).hasSize(1);
        RtpPacket packet = parse(received.get(0));
        assertThat(packet.findExtension(TWCC)).as("the publisher's number, on the id her transport knows as TWCC")
                .isEqualTo(HeaderExtensions.NOT_FOUND);
        assertThat(Arrays.copyOfRange(received.get(0), packet.payloadOffset(), packet.payloadOffset()
                + packet.payloadLength())).isEqualTo(payload);
    }

    @Test
    void feedbackFromTheLinkChoosesTheLayerAProbeComingBeforeARaise() {
        Link link = bobReceivesThreeLayers();
        Peer bob = link.subscriber;
        Consumer consumer = link.consumer;

        int raisedAt = -1;
        int firstProbeAt = -1;
        for (int tick = 0; tick < 1000 && raisedAt < 0; tick++) { // 10 s at most
            step(tick);
            link.carry(room.rtpReceived(bob));
            if (firstProbeAt < 0 && link.probesCarried > 0) {
                firstProbeAt = tick;
            }
            if (consumer.targetLayer() == 2) {
                raisedAt = tick;
            }
        }
        assertThat(firstProbeAt).as("padding probed the path").isGreaterThanOrEqualTo(0);
        assertThat(raisedAt).as("the top layer follows a probe that proved the path").isGreaterThan(firstProbeAt);
        assertThat(bob.endpoint().allocator().isTransportWide()).isTrue();
        assertThat(bob.endpoint().allocator().estimate()).as("room for the top layer's 1 Mbit/s")
                .isGreaterThan(1_000_000);
        System.out.printf("probe at %d ms, top layer at %d ms, estimate %d%n", firstProbeAt * 10, raisedAt * 10,
                bob.endpoint().allocator().estimate());

        link.capacity = 300_000;
        int loweredAt = -1;
        for (int tick = 1000; tick < 1600 && loweredAt < 0; tick++) { // 6 s at most
            step(tick);
            link.carry(room.rtpReceived(bob));
            if (consumer.targetLayer() == 0) {
                loweredAt = tick;
            }
        }
        assertThat(loweredAt).as("a narrower link brings the lowest layer").isGreaterThan(0);
        assertThat((loweredAt - 1000) * 10).as("within 3 s, in milliseconds").isLessThanOrEqualTo(3000);
        assertThat(bob.transport().counters().receiveEstimate()).isLessThan(400_000);
        System.out.printf("lowest layer %d ms after the link narrowed, estimate %d%n", (loweredAt - 1000) * 10,
                bob.transport().counters().receiveEstimate());

        int raisedAgain = 0;
        int probesBefore = link.probesCarried;
        for (int tick = 1600; tick < 3100; tick++) { // 15 s on the narrow link
            step(tick);
            link.carry(room.rtpReceived(bob));
            if (consumer.targetLayer() > 0) {
                raisedAgain++;
            }
        }
        assertThat(link.probesCarried).as("the path is probed again now and then").isGreaterThan(probesBefore);
        assertThat(raisedAgain).as("probes that fail raise nothing: 10 ms steps on a higher layer").isZero();
    }

    @Test
    void aLayerLostToABriefCongestionIsWonBackByAProbe() {
        Link link = bobReceivesThreeLayers();
        Peer bob = link.subscriber;
        Consumer consumer = link.consumer;
        int tick = climbToTheTopLayer(link, DEFAULT_SIZES);

        // Two seconds of a narrow path (as when the receiver's core is starved, or another flow passes), then the
        // path is as wide as before.
        link.capacity = 300_000;
        int lowest = 2;
        for (int end = tick + 200; tick < end; tick++) {
            step(tick);
            link.carry(room.rtpReceived(bob));
            lowest = Math.min(lowest, consumer.targetLayer());
        }
        assertThat(lowest).as("the congestion brought the layer down").isLessThan(2);
        link.capacity = 5_000_000;
        int widened = tick;
        int back = -1;
        for (; tick < widened + 2000 && back < 0; tick++) { // 20 s at most
            step(tick);
            link.carry(room.rtpReceived(bob));
            if (consumer.targetLayer() == 2) {
                back = tick - widened;
            }
        }
        System.out.printf("2 s at 300 kbit/s: down to layer %d; top layer again %d ms after the path widened, "
                + "estimate %d%n", lowest, back * 10, bob.endpoint().allocator().estimate());
        assertThat(back).as("the top layer again, won back by probing the wide path").isNotNegative();
    }

    @Test
    void aCongestedSubscriberIsProbedEvenWhileAnUpperLayerMeasuresCheaperThanTheLowest() {
        Link link = bobReceivesThreeLayers();
        Peer bob = link.subscriber;
        Consumer consumer = link.consumer;
        // The publisher's middle layer measures below its lowest, as a browser's does a moment after a key frame on
        // the lowest or while its encoder is starved: a raise from the lowest then "costs" less than nothing.
        int[] sizes = {400, 300, 1200};
        int tick = climbToTheTopLayer(link, sizes);

        link.capacity = 250_000; // less than the lowest layer alone
        int lowestAt = -1;
        for (int end = tick + 600; tick < end && lowestAt < 0; tick++) {
            step(tick, sizes);
            link.carry(room.rtpReceived(bob));
            if (consumer.targetLayer() == 0) {
                lowestAt = tick;
            }
        }
        assertThat(lowestAt).as("the narrow link brings the lowest layer").isPositive();
        int clustersBefore = link.probeClusters;
        for (int end = tick + 1000; tick < end; tick++) { // 10 s on the narrow link
            step(tick, sizes);
            link.carry(room.rtpReceived(bob));
        }
        System.out.printf("10 s on a link narrower than the lowest layer: %d probes, estimate %d%n",
                link.probeClusters - clustersBefore, bob.endpoint().allocator().estimate());
        assertThat(link.probeClusters - clustersBefore)
                .as("the path is probed for the raise the tile wants, again after each failure's wait (2 s, 4 s)")
                .isGreaterThanOrEqualTo(2);
    }

    @Test
    void feedbackOnFarMorePacketsThanWereSentIsIgnoredAndCounted() {
        // 8191 statuses in 24 bytes: each would cost the loop a look into the send history, for every room on it.
        Link link = bobReceivesThreeLayers();
        Peer bob = link.subscriber;
        int tick = carry(link, 0, 100); // a second of video, and the link's own feedback on it
        long[] lost = new long[8191];
        Arrays.fill(lost, TransportFeedback.NOT_RECEIVED);
        byte[] rtcp = new byte[200];
        int len = TransportFeedback.write(rtcp, 0, 0x0B0B0B0B, 0, 0, 0, lost, lost.length);
        assertThat(len).as("one run-length chunk").isEqualTo(24);
        for (int i = 0; i < 100; i++) {
            room.sendRtcp(bob, Arrays.copyOf(rtcp, len));
        }
        assertThat(bob.transport().counters().dropsByReason())
                .as("two pass on the burst of 8192 (4096 statuses each, as many as are read); the rest not")
                .isEqualTo(Map.of(DropReason.FEEDBACK_OVER_BUDGET, 98L));

        // The receiver's next report may go too: the flood spent what the packets it reports on allowed.
        tick = carry(link, tick, 100);
        long settled = bob.transport().counters().dropsByReason().get(DropReason.FEEDBACK_OVER_BUDGET);
        assertThat(settled).isLessThanOrEqualTo(100);
        long estimateBefore = bob.endpoint().allocator().estimate();
        carry(link, tick, 300);
        assertThat(bob.transport().counters().dropsByReason()).as("then its own feedback is taken again")
                .isEqualTo(Map.of(DropReason.FEEDBACK_OVER_BUDGET, settled));
        assertThat(bob.endpoint().allocator().estimate()).as("and moves the estimate").isNotEqualTo(estimateBefore);
    }

    @Test
    void aLinkNarrowerThanTheLowestLayerIsReallocatedAtTheIntervalNotOnEveryFeedback() {
        Link link = bobReceivesThreeLayers();
        Peer bob = link.subscriber;
        int tick = climbToTheTopLayer(link, DEFAULT_SIZES);

        link.capacity = 100_000; // less than the lowest layer alone (about 150 kbit/s)
        for (int end = tick + 150; tick < end; tick++) {
            step(tick);
            link.carry(room.rtpReceived(bob));
        }
        assertThat(link.consumer.targetLayer()).as("the lowest layer on the narrow link, not yet paused").isZero();
        long before = bob.endpoint().allocator().allocations();
        for (int end = tick + 500; tick < end; tick++) { // 5 s: 100 feedback messages, each below the allocation
            step(tick);
            link.carry(room.rtpReceived(bob));
        }
        long made = bob.endpoint().allocator().allocations() - before;
        System.out.printf("5 s on a link narrower than the lowest layer: %d allocations, estimate %d%n", made,
                bob.endpoint().allocator().estimate());
        assertThat(link.consumer.targetLayer()).as("then paused").isNegative();
        assertThat(made).as("twice a second, since nothing can come lower").isBetween(9L, 12L);
    }

    @Test
    void aLinkThatCannotCarryTheLowestLayerPausesTheVideoTellsTheSubscriberAndAProbeBringsItBack() {
        Link link = bobReceivesThreeLayers();
        Peer bob = link.subscriber;
        Consumer consumer = link.consumer;
        RecordingListener events = room.events(bob);
        int tick = climbToTheTopLayer(link, DEFAULT_SIZES);
        assertThat(events.pausedVideo()).as("nothing paused on a wide link").isEmpty();

        link.capacity = 100_000; // less than the lowest layer alone (about 150 kbit/s)
        int narrowed = tick;
        int lowestAt = -1;
        int pausedAt = -1;
        for (; tick < narrowed + 1000 && pausedAt < 0; tick++) { // 10 s at most
            step(tick);
            link.carry(room.rtpReceived(bob));
            if (lowestAt < 0 && consumer.targetLayer() == 0) {
                lowestAt = tick;
            }
            if (consumer.isBandwidthPaused()) {
                pausedAt = tick;
            }
        }
        System.out.printf("100 kbit/s: lowest layer %d ms after the link narrowed, paused %d ms after it%n",
                (lowestAt - narrowed) * 10, (pausedAt - narrowed) * 10);
        assertThat(pausedAt).as("the video is paused").isPositive();
        assertThat((pausedAt - lowestAt) * 10L).as("not before the lowest layer has been short for 2 s, in ms")
                .isGreaterThanOrEqualTo(LayerAllocator.PAUSE_AFTER_NANOS / 1_000_000);
        assertThat(consumer.targetLayer()).isNegative();
        assertThat(events.pausedVideo()).as("the subscriber is told which video").containsExactly(
                List.of(consumer.mid()));
        assertThat(bob.transport().counters().videoPauses()).as("and counted, for the metrics").isEqualTo(1);

        link.videoCarried = 0;
        int clustersBefore = link.clusterStarts.size();
        tick = carry(link, tick, 4000); // 40 s paused
        assertThat(link.videoCarried).as("no video goes out while paused").isZero();
        List<Long> probes = link.clusterStarts.subList(clustersBefore, link.clusterStarts.size());
        long longestWait = 0;
        for (int i = 1; i < probes.size(); i++) {
            longestWait = Math.max(longestWait, probes.get(i) - probes.get(i - 1));
        }
        System.out.printf("40 s paused: %d probes, at most %d ms apart%n", probes.size(), longestWait / 1000);
        assertThat(probes).as("the path is probed for it").hasSizeGreaterThanOrEqualTo(5);
        assertThat(longestWait / 1000).as("again at least every 8 s (and the probe's second), in ms")
                .isLessThanOrEqualTo(LayerAllocator.PAUSED_MAX_PROBE_BACKOFF_NANOS / 1_000_000 + 1500);

        link.capacity = 5_000_000;
        int widened = tick;
        int resumedAt = -1;
        for (; tick < widened + 4000 && resumedAt < 0; tick++) { // 40 s at most: a failed probe waits up to 30 s
            step(tick);
            link.carry(room.rtpReceived(bob));
            if (!consumer.isBandwidthPaused()) {
                resumedAt = tick;
            }
        }
        System.out.printf("resumed %d ms after the link widened, estimate %d%n", (resumedAt - widened) * 10,
                bob.endpoint().allocator().estimate());
        assertThat(resumedAt).as("a probe of the wider link brings the video back").isPositive();
        assertThat(consumer.targetLayer()).isNotNegative();
        assertThat(events.pausedVideo()).as("and the subscriber is told it comes again")
                .containsExactly(List.of(consumer.mid()), List.of());
        link.videoCarried = 0;
        tick = carry(link, tick, 200);
        assertThat(link.videoCarried).as("video flows again").isPositive();
    }

    @Test
    void aLinkThatCarriesTheLowestLayerBesideTheVoiceNeverPausesIt() {
        // Probes for the layer the tile wants go on failing on this link, and the overuse each one causes cuts the
        // estimate below the lowest layer for a while (as libwebrtc's does); that alone must not pause it.
        voice = true;
        Link link = bobReceivesThreeLayers();
        Peer bob = link.subscriber;
        Consumer consumer = link.consumer;
        int tick = climbToTheTopLayer(link, DEFAULT_SIZES);
        link.narrowLikeTheBrowserTest(300_000);
        tick = carry(link, tick, 500);
        assertThat(consumer.targetLayer()).as("the lowest layer on the narrower link").isZero();
        tick = carry(link, tick, 1000); // the estimate settles
        int pausedTicks = 0;
        int droppedBefore = link.dropped;
        int clustersBefore = link.probeClusters;
        long lowestEstimate = Long.MAX_VALUE;
        for (int end = tick + 5000; tick < end; tick++) { // 50 s
            step(tick);
            link.carry(room.rtpReceived(bob));
            pausedTicks += consumer.isBandwidthPaused() ? 1 : 0;
            lowestEstimate = Math.min(lowestEstimate, bob.endpoint().allocator().estimate());
        }
        long needed = LayerAllocator.cost(consumer.producer(), 0, room.ctx.nowNanos())
                + bob.endpoint().allocator().audioSetAside();
        System.out.printf("50 s at 300 kbit/s: %d probes, %d packets dropped, paused %d ms, estimate at least %d"
                + " (the lowest layer and the voice need %d)%n", link.probeClusters - clustersBefore,
                link.dropped - droppedBefore, pausedTicks * 10, lowestEstimate, needed);
        assertThat(link.probeClusters - clustersBefore).as("the middle layer is probed for").isPositive();
        assertThat(pausedTicks).as("the link carries the lowest layer: never paused").isZero();
        assertThat(room.events(bob).pausedVideo()).isEmpty();
    }

    @Test
    void aPausedVideoComesBackOnALinkThatCarriesItsLowestLayerButNoMoreAndStays() {
        // The link a pause leaves is often only a little wider than the lowest layer (the cap eased, a competing flow
        // ended): probes for it must not fill that link's queue, or the delay they add reads as overuse, the estimate
        // they proved is cut at once, and the video never comes back.
        voice = true; // Alice speaks: while her video is paused, her voice is all Bob's link carries
        Link link = bobReceivesThreeLayers();
        Peer bob = link.subscriber;
        Consumer consumer = link.consumer;
        RecordingListener events = room.events(bob);
        int tick = pausedOn(link, 120_000);

        // The lowest layer and the voice (about 230 kbit/s with their headers) fit, the middle layer does not; the
        // queue holds 30 packets, as the browser test's htb class does.
        link.narrowLikeTheBrowserTest(300_000);
        int widened = tick;
        int resumedAt = -1;
        for (; tick < widened + 4000 && resumedAt < 0; tick++) { // 40 s at most
            step(tick);
            link.carry(room.rtpReceived(bob));
            if (!consumer.isBandwidthPaused()) {
                resumedAt = tick;
            }
        }
        System.out.printf("300 kbit/s after a pause: resumed %d ms after the link widened, estimate %d%n",
                (resumedAt - widened) * 10, bob.endpoint().allocator().estimate());
        assertThat(resumedAt).as("a probe finds room for the lowest layer").isPositive();
        int pausedTicks = 0;
        link.videoCarried = 0;
        for (int end = tick + 3000; tick < end; tick++) { // 30 s on that link, probed now and then for the next layer
            step(tick);
            link.carry(room.rtpReceived(bob));
            pausedTicks += consumer.isBandwidthPaused() ? 1 : 0;
        }
        System.out.printf("30 s more: paused %d ms of it, layer %d, estimate %d%n", pausedTicks * 10,
                consumer.targetLayer(), bob.endpoint().allocator().estimate());
        assertThat(pausedTicks).as("the link carries it: never paused again").isZero();
        assertThat(consumer.targetLayer()).isZero();
        assertThat(link.videoCarried).as("video flows").isPositive();
        assertThat(events.pausedVideo()).containsExactly(List.of(consumer.mid()), List.of());
    }

    @Test
    void probesForAPausedVideoAimAtItsUsualCostNotAtAJumpOfItsLowestLayer() {
        // SimulcastBrowserTest on a busy machine: Ada's Chromium sent its lowest layer at three to four times its
        // usual rate for a second at a time while Linus's video of her was paused. Probes aimed at those seconds
        // (850 kbit/s on a 400 kbit/s link) overshot the link so far that its queue read as overuse, which refuses
        // what a probe proved: three probes in a row failed and the video came back after 32 s.
        voice = true;
        Link link = bobReceivesThreeLayers();
        Peer bob = link.subscriber;
        Consumer consumer = link.consumer;
        int tick = pausedOn(link, 150_000, () -> link.narrowLikeTheBrowserTest(150_000));
        int[] jumped = {752, 625, 1200}; // the lowest layer at four times its usual 150 kbit/s
        for (int end = tick + 300; tick < end; tick++) { // 3 s, the jumps begin
            step(tick, (tick / 100) % 5 != 4 ? jumped : DEFAULT_SIZES); // four seconds of every five
            link.carry(room.rtpReceived(bob));
        }
        assertThat(consumer.isBandwidthPaused()).as("still paused at 150 kbit/s").isTrue();
        link.narrowLikeTheBrowserTest(400_000);
        int widened = tick;
        int clustersBefore = link.probeClusters;
        int resumedAt = -1;
        for (; tick < widened + 4000 && resumedAt < 0; tick++) { // 40 s at most
            step(tick, (tick / 100) % 5 != 4 ? jumped : DEFAULT_SIZES);
            if (consumer.isBandwidthPaused()) {
                link.carry(room.rtpReceived(bob));
            } else {
                resumedAt = tick; // what this tick sends is for the next layer up
            }
        }
        List<Long> rates = link.paddingRates(clustersBefore);
        System.out.printf("400 kbit/s after a pause, the lowest layer at four times its rate four seconds in five:"
                + " resumed %d ms after the link widened; probe padding at %s bit/s%n", (resumedAt - widened) * 10,
                rates);
        assertThat(resumedAt).as("a probe finds room for its usual rate").isPositive();
        assertThat((resumedAt - widened) * 10).as("at the first probes, in ms").isLessThan(10_000);
        // The lowest layer at its usual rate and the voice, with the resume and probe margins, come to about
        // 320 kbit/s, of which the voice sends some 55: padding of about 270 kbit/s. At the jump's rate it would be
        // over 750 (and over the link).
        assertThat(rates).as("probes aimed at what the video needs at its usual rate")
                .isNotEmpty().allSatisfy(rate -> assertThat(rate).isLessThan(320_000));
    }

    @Test
    void aPausedVideosReturnIsJudgedOnItsLowestLayersLowestRecentCost() {
        // A publisher's encoder on a busy machine drops its top layer now and then and, for a second, sends three
        // times as much on its lowest (Chromium did, in SimulcastBrowserTest): a probe aimed at such a second fails
        // and keeps the video away for another 8 s.
        Link link = bobReceivesThreeLayers();
        Consumer consumer = link.consumer;
        consumer.setBandwidthPaused(true);
        assertThat(consumer.pausedCost(0, 150_000)).isEqualTo(150_000);
        assertThat(consumer.pausedCost(0, 450_000)).as("a jump is not taken at once").isEqualTo(157_500);
        assertThat(consumer.pausedCost(0, 450_000)).as("but followed, a twentieth at a time").isEqualTo(165_375);
        assertThat(consumer.pausedCost(0, 120_000)).as("a lower measure at once").isEqualTo(120_000);
        assertThat(consumer.pausedCost(1, 500_000)).as("another layer, lowest now, from what it measures")
                .isEqualTo(500_000);
        consumer.setBandwidthPaused(false);
        consumer.setBandwidthPaused(true);
        assertThat(consumer.pausedCost(0, 450_000)).as("a new pause starts from what it measures").isEqualTo(450_000);
    }

    @Test
    void aPausedVideoHiddenAndShownAgainOnTheSameNarrowLinkStaysPaused() {
        Link link = bobReceivesThreeLayers();
        Peer bob = link.subscriber;
        Consumer consumer = link.consumer;
        RecordingListener events = room.events(bob);
        int tick = pausedOn(link, 100_000);

        bob.endpoint().setTileSizes(Map.of(consumer.mid(), new int[] {0, 0}), -1, room.ctx); // scrolled away
        tick = carry(link, tick, 100);
        assertThat(events.pausedVideo()).as("a hidden tile's pause is no news to the page")
                .containsExactly(List.of(consumer.mid()), List.of());
        bob.endpoint().setTileSizes(Map.of(consumer.mid(), new int[] {1280, 720}), -1, room.ctx);
        link.videoCarried = 0;
        tick = carry(link, tick, 150);
        assertThat(link.videoCarried).as("shown again, it does not flood the narrow link before a new pause").isZero();
        assertThat(consumer.isBandwidthPaused()).isTrue();
        assertThat(events.pausedVideo()).as("and the page hears it is paused again")
                .containsExactly(List.of(consumer.mid()), List.of(), List.of(consumer.mid()));
        assertThat(bob.transport().counters().videoPauses()).as("one pause all along").isEqualTo(1);
    }

    @Test
    void aReceiverThatGetsEverythingLateKeepsItsVideo() {
        // A receiver whose core is starved reads its socket in bursts: what it reports arriving comes late and
        // bunched, so the delay-based estimate falls as on a full link, but everything sent still arrives.
        Link link = bobReceivesThreeLayers();
        Peer bob = link.subscriber;
        Consumer consumer = link.consumer;
        int tick = climbToTheTopLayer(link, DEFAULT_SIZES);

        link.starved = true;
        long lowestEstimate = Long.MAX_VALUE;
        int pausedTicks = 0;
        int shortTicks = 0;
        int longestShort = 0;
        for (int end = tick + 2000; tick < end; tick++) { // 20 s
            step(tick);
            link.carry(room.rtpReceived(bob));
            long estimate = bob.endpoint().allocator().estimate();
            lowestEstimate = Math.min(lowestEstimate, estimate);
            shortTicks = estimate < LayerAllocator.cost(consumer.producer(), 0, room.ctx.nowNanos())
                    ? shortTicks + 1 : 0;
            longestShort = Math.max(longestShort, shortTicks);
            pausedTicks += consumer.isBandwidthPaused() ? 1 : 0;
        }
        long lowestLayer = LayerAllocator.cost(consumer.producer(), 0, room.ctx.nowNanos());
        System.out.printf("20 s of starved reads: estimate down to %d, the lowest layer costs %d, below it for %d ms"
                + " on end; layer now %d%n", lowestEstimate, lowestLayer, longestShort * 10, consumer.targetLayer());
        assertThat(longestShort * 10L).as("the late reads kept the estimate below the lowest layer long enough to"
                + " pause it, in ms").isGreaterThanOrEqualTo(LayerAllocator.PAUSE_AFTER_NANOS / 1_000_000);
        assertThat(pausedTicks).as("but the link carried what was sent: the video is never paused").isZero();
        assertThat(room.events(bob).pausedVideo()).isEmpty();
    }

    /** Alice publishes three layers; Bob, who negotiated transport-wide feedback, receives them over a 5 Mbit/s link. */
    private Link bobReceivesThreeLayers() {
        alice = room.browser("alice");
        Peer bob = room.browser("bob");
        if (voice) {
            room.publishAudio(alice, AUDIO);
        }
        Producer video = room.publishSimulcast(alice, "l", "m", "h");
        bob.endpoint().enableTransportCc(room.ctx);
        room.negotiate();
        return new Link(bob, RoomHarness.consumerOf(bob, video), 5_000_000);
    }

    /** Runs {@code ticks} steps of 10 ms from {@code tick} over the link; returns the next tick. */
    private int carry(Link link, int tick, int ticks) {
        for (int end = tick + ticks; tick < end; tick++) {
            step(tick);
            link.carry(room.rtpReceived(link.subscriber));
        }
        return tick;
    }

    /** Climbs to the top layer, then narrows the link to {@code capacity} until the video is paused; the next tick. */
    private int pausedOn(Link link, long capacity) {
        return pausedOn(link, capacity, () -> link.capacity = capacity);
    }

    /** As above, the link narrowed (to {@code capacity}) by {@code narrow}. */
    private int pausedOn(Link link, long capacity, Runnable narrow) {
        int tick = climbToTheTopLayer(link, DEFAULT_SIZES);
        narrow.run();
        for (int end = tick + 1000; tick < end && !link.consumer.isBandwidthPaused(); tick++) { // 10 s at most
            step(tick);
            link.carry(room.rtpReceived(link.subscriber));
        }
        assertThat(link.consumer.isBandwidthPaused()).as("paused at %d bit/s", capacity).isTrue();
        return tick;
    }

    /** Runs until the link's consumer is on the top layer (10 s at most); returns the next tick. */
    private int climbToTheTopLayer(Link link, int[] sizes) {
        int tick = 0;
        for (; tick < 1000 && link.consumer.targetLayer() != 2; tick++) {
            step(tick, sizes);
            link.carry(room.rtpReceived(link.subscriber));
        }
        assertThat(link.consumer.targetLayer()).as("the top layer on a wide link").isEqualTo(2);
        return tick;
    }

    /** 10 ms of three layers (about 150 k, 500 k and 1 M, a key frame of each every 500 ms); the loop ticks every 20. */
    private void step(int tick) {
        step(tick, DEFAULT_SIZES);
    }

    /** 10 ms of three layers of these payload sizes. */
    private void step(int tick, int[] sizes) {
        room.advanceMillis(10);
        int[] ssrcs = {LOW, MID, HIGH};
        String[] rids = {"l", "m", "h"};
        for (int layer = 0; layer < 3; layer++) {
            byte[] payload = new byte[sizes[layer]];
            byte[] frame = vp8(tick % 50 == 0, tick + 1, 5, 320 << layer, 180 << layer);
            System.arraycopy(frame, 0, payload, 0, frame.length);
            int seq = 1000 * (layer + 1) + tick;
            room.send(alice, tick == 0
                    ? rtpWithExtension(96, seq, 900L * tick, ssrcs[layer], Layer.RID_EXTENSION_ID,
                            rids[layer].getBytes(StandardCharsets.US_ASCII), payload)
                    : rtp(96, seq, 900L * tick, ssrcs[layer], payload));
        }
        if (voice && tick % 2 == 0) {
            room.send(alice, rtp(111, 5000 + tick / 2, 480L * tick, AUDIO, new byte[90]));
        }
        if (tick % 2 == 0) {
            room.tick();
        }
    }

    /**
     * A bottleneck of {@code capacity} bit/s with a queue between the relay and the subscriber: each packet arrives
     * when the ones before it have drained, or is dropped if the queue is full. The subscriber sends transport-wide
     * feedback on what has arrived (or is missing) every 50 ms, or as often as the test sets, as browsers do.
     */
    private final class Link {
        private static final long DROPPED = 1;
        private final Peer subscriber;
        private final Consumer consumer;
        long capacity;
        /**
         * The receiver's core is starved: of every second, it reads for 600 ms at four fifths of the rate packets come
         * (150 ms behind at the end), then catches up within 200 ms, and reads them as they come for the rest.
         */
        boolean starved;
        int probesCarried;
        /** Packets that are not probe padding. */
        int videoCarried;
        /** Runs of probe padding with at least 100 ms between them. */
        int probeClusters;
        /** When each of those began, in microseconds. */
        final List<Long> clusterStarts = new ArrayList<>();
        /** Each of those: its first and last padding packet's time in microseconds, and its padding bytes. */
        private final List<long[]> clusterPadding = new ArrayList<>();
        private long lastProbeMicros = Long.MIN_VALUE / 2;
        private long lastArrivalMicros;
        private long lastFeedbackNanos;
        private int feedbackCount;
        /** Chromium sends feedback every 50 to 250 ms, less often at low bitrates (5 % of its estimate for it). */
        long feedbackIntervalMillis = 50;
        /** A drop-tail queue of this many packets, as a router's; 0 for an unbounded one. */
        int queueLimit;
        int dropped;
        private final Deque<long[]> inFlight = new ArrayDeque<>(); // {sequence, arrival micros, DROPPED or 0}

        Link(Peer subscriber, Consumer consumer, long capacity) {
            this.subscriber = subscriber;
            this.consumer = consumer;
            this.capacity = capacity;
        }

        void carry(List<byte[]> packets) {
            long nowMicros = room.ctx.nowNanos() / 1000;
            for (byte[] packet : packets) {
                RtpPacket view = parse(packet);
                int sequence = TransportSequenceNumber.read(view, TWCC);
                assertThat(sequence).as("everything sent is numbered").isGreaterThanOrEqualTo(0);
                if (view.hasPadding() && view.payloadLength() == 0) {
                    probesCarried++;
                    if (nowMicros - lastProbeMicros > 100_000) {
                        probeClusters++;
                        clusterStarts.add(nowMicros);
                        clusterPadding.add(new long[] {nowMicros, nowMicros, 0});
                    }
                    lastProbeMicros = nowMicros;
                    long[] cluster = clusterPadding.get(clusterPadding.size() - 1);
                    cluster[1] = nowMicros;
                    cluster[2] += packet.length;
                } else {
                    videoCarried++;
                }
                if (queueLimit > 0 && queued(nowMicros) >= queueLimit) {
                    inFlight.add(new long[] {sequence, nowMicros, DROPPED});
                    dropped++;
                    continue;
                }
                long serialisation = (packet.length + 28) * 8L * 1_000_000 / capacity;
                lastArrivalMicros = Math.max(nowMicros, lastArrivalMicros) + serialisation;
                inFlight.add(new long[] {sequence, read(lastArrivalMicros), 0});
            }
            if (room.ctx.nowNanos() - lastFeedbackNanos >= feedbackIntervalMillis * 1_000_000L) {
                lastFeedbackNanos = room.ctx.nowNanos();
                sendFeedback(nowMicros);
            }
        }

        /**
         * The rate of the probe padding of each cluster since the {@code from}th, bit/s: its bytes over the time from
         * its first packet to one loop tick (20 ms) after its last, as the loop sends a tick's padding at once.
         */
        List<Long> paddingRates(int from) {
            List<Long> rates = new ArrayList<>();
            for (long[] cluster : clusterPadding.subList(from, clusterPadding.size())) {
                rates.add(cluster[2] * 8 * 1_000_000 / (cluster[1] - cluster[0] + 20_000));
            }
            return rates;
        }

        /**
         * This capacity behind a queue of 30 packets, with feedback every 250 ms: the browser test's htb class, and
         * Chromium's feedback at a few hundred kbit/s.
         */
        void narrowLikeTheBrowserTest(long value) {
            capacity = value;
            queueLimit = 30;
            feedbackIntervalMillis = 250;
        }

        /** Packets still waiting in the queue, or on the wire, at this moment. */
        private int queued(long nowMicros) {
            int queued = 0;
            for (long[] packet : inFlight) {
                if (packet[2] != DROPPED && packet[1] > nowMicros) {
                    queued++;
                }
            }
            return queued;
        }

        /** When the receiver reads a packet that arrived at {@code arrivalMicros}. */
        private long read(long arrivalMicros) {
            if (!starved) {
                return arrivalMicros;
            }
            long phase = arrivalMicros % 1_000_000;
            long behind = phase < 600_000 ? phase / 4
                    : phase < 800_000 ? 150_000 - (phase - 600_000) * 3 / 4 : 0;
            return arrivalMicros + behind;
        }

        private void sendFeedback(long nowMicros) {
            List<long[]> arrived = new ArrayList<>();
            while (!inFlight.isEmpty() && inFlight.peek()[1] <= nowMicros) {
                arrived.add(inFlight.poll());
            }
            if (arrived.isEmpty()) {
                return;
            }
            int base = (int) arrived.get(0)[0];
            long[] times = new long[arrived.size()];
            for (int i = 0; i < times.length; i++) {
                assertThat((int) arrived.get(i)[0]).isEqualTo((base + i) & 0xFFFF); // every number reported on
                times[i] = arrived.get(i)[2] == DROPPED ? TransportFeedback.NOT_RECEIVED : arrived.get(i)[1];
            }
            byte[] rtcp = new byte[2000];
            int len = TransportFeedback.write(rtcp, 0, 0x0B0B0B0B, 0, base, feedbackCount++ & 0xFF, times,
                    times.length);
            room.sendRtcp(subscriber, Arrays.copyOf(rtcp, len));
        }
    }
}
