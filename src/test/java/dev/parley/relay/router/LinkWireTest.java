package dev.parley.relay.router;

import static dev.parley.relay.router.Packets.VP8_DELTA;
import static dev.parley.relay.router.Packets.VP8_KEYFRAME;
import static dev.parley.relay.router.Packets.rtp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.relay.LinkEvents;
import dev.parley.relay.LinkHandle;
import dev.parley.relay.LinkKey;
import dev.parley.relay.LinkTrack;
import dev.parley.relay.Relay;
import dev.parley.relay.RelayConfig;
import dev.parley.relay.TrafficTotals;
import dev.parley.relay.TransportEvents;
import dev.parley.relay.client.OfferOptions;
import dev.parley.relay.client.OutboundStream;
import dev.parley.relay.client.PacedSender;
import dev.parley.relay.client.Transceiver;
import dev.parley.relay.client.WebRtcEndpoint;
import dev.parley.relay.rtcp.GenericNack;
import dev.parley.relay.srtp.PacketBuffer;
import dev.parley.relay.srtp.SrtpKeyingMaterial;
import dev.parley.relay.srtp.SrtpProfile;
import dev.parley.relay.srtp.SrtpSession;
import dev.parley.relay.srtp.SrtpStatus;
import dev.parley.relay.transport.LinkTransport;
import dev.parley.relay.util.Bytes;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The relay link on the wire, against a real relay, with the test playing the far relay from a UDP socket: what it
 * sends reaches a WHEP player, and the relay's key-frame requests and NACKs come back to it in the link's framing;
 * the far side's NACKs are answered from the relay's cache and its key-frame requests reach the publisher; malformed
 * or foreign link datagrams are dropped and counted, and the link goes on working.
 */
class LinkWireTest {

    private static final int FAR_TAG = 0x7A7A7A7A;
    private static final int TRACK = 5;
    /** The SSRC of zoe's video, the far relay's track {@link #TRACK}, on the link. */
    private static final int ZOE_VIDEO = LinkTransport.ssrc(TRACK, 0);

    private Relay relay;
    private DatagramSocket far;
    private LinkHandle link;
    private final List<List<LinkTrack>> tracksSent = new CopyOnWriteArrayList<>();

    @BeforeEach
    void linkToAFarRelay() throws Exception {
        relay = Relay.start(RelayConfig.loopback());
        far = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        far.setSoTimeout(100);
        link = relay.openLink("room", "far", new LinkEvents() {
            @Override
            public void onTracks(List<LinkTrack> tracks) {
                tracksSent.add(tracks);
            }
        }).get(10, TimeUnit.SECONDS);
        relay.connectLink(link, (InetSocketAddress) far.getLocalSocketAddress(), FAR_TAG).get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void close() {
        relay.close();
        far.close();
    }

    @Test
    void theFarRelaysTrackReachesAPlayerAndTheRelayAsksItForKeyFramesAndLostPackets() throws Exception {
        relay.setLinkTracks(link, List.of(new LinkTrack(TRACK, "zoe", "zoe-video", "video", "camera", "VP8", "", true,
                List.of()))).get(10, TimeUnit.SECONDS);
        try (WebRtcEndpoint player = WebRtcEndpoint.open()) {
            CompletableFuture<Void> relayConnected = new CompletableFuture<>();
            Relay.Session whep = relay.openWhep("room", "zoe", false, "viewer", player.createOffer(OfferOptions.whep()),
                    new TransportEvents() {
                        @Override
                        public void onConnected() {
                            relayConnected.complete(null);
                        }
                    }).get(10, TimeUnit.SECONDS);
            player.applyAnswer(whep.answer());
            player.connect(Duration.ofSeconds(15));
            // The player may finish DTLS before the relay does, and the relay forwards nothing to it until then: the
            // five packets below are all there is, so they go once the relay has the player's consumer running.
            relayConnected.get(10, TimeUnit.SECONDS);
            String video = player.transceivers().stream().filter(t -> t.receiving()).map(Transceiver::mid)
                    .findFirst().orElseThrow();

            // A key frame, then deltas with 103 missing: the relay NACKs 103 over the link, in the far relay's terms.
            sendFromFar(rtp(96, 100, 9000, ZOE_VIDEO, VP8_KEYFRAME));
            for (int sequence : new int[] {101, 102, 104, 105}) {
                sendFromFar(rtp(96, sequence, 9000L + sequence * 3000L, ZOE_VIDEO, VP8_DELTA));
            }
            byte[] nack = receiveAtFar(d -> isLinkRtcp(d) && d[LINK + 1] == (byte) 205, Duration.ofSeconds(5));
            assertThat(nack).as("a NACK for the gap crosses the link").isNotNull();
            assertThat(Bytes.int32(nack, LINK + 8)).as("naming the link's SSRC of zoe's video").isEqualTo(ZOE_VIDEO);
            GenericNack view = new GenericNack();
            assertThat(view.wrap(nack, LINK, nack.length - LINK)).isTrue();
            int[] lost = new int[16];
            assertThat(Arrays.copyOf(lost, view.lostSequenceNumbers(lost, 0))).containsExactly(103);

            boolean played = player.awaitPackets(video, 5, Duration.ofSeconds(10));
            assertThat(played).as("the far relay's video plays here: %d of 5 packets came; the link's totals: %s",
                    player.receivedPackets(video), totals()).isTrue();
            assertThat(player.receivedKeyframes(video)).isPositive();

            // The player loses its picture: the relay asks the far relay for a key frame of zoe's stream.
            long playerSsrc = player.inboundStreams(video).get(0).ssrc() & 0xFFFFFFFFL;
            byte[] pli = null;
            for (int attempt = 0; attempt < 20 && pli == null; attempt++) {
                player.requestKeyframe(playerSsrc);
                pli = receiveAtFar(d -> isLinkRtcp(d) && d[LINK + 1] == (byte) 206 && (d[LINK] & 0x1F) == 1,
                        Duration.ofMillis(500));
            }
            assertThat(pli).as("a PLI crosses the link").isNotNull();
            assertThat(Bytes.int32(pli, LINK + 8)).isEqualTo(ZOE_VIDEO);
            assertThat(Bytes.int32(pli, 4)).as("addressed to the far relay's tag").isEqualTo(FAR_TAG);
        }
    }

    @Test
    void malformedOrForeignLinkDatagramsAreDroppedAndCountedAndTheLinkGoesOn() throws Exception {
        relay.setLinkTracks(link, List.of(new LinkTrack(TRACK, "zoe", "zoe-video", "video", "camera", "VP8", "", true,
                List.of()))).get(10, TimeUnit.SECONDS);
        int tag = link.tag();
        byte[] good = rtp(96, 1, 0, ZOE_VIDEO, VP8_KEYFRAME);
        sendFromFar(linkDatagram(8, tag, TRACK, good));
        await().atMost(Duration.ofSeconds(5)).until(() -> totals().packetsIn() == 1);
        assertThat(totals().totalDrops()).isZero();

        try (DatagramSocket stranger = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            send(stranger, linkDatagram(8, tag, TRACK, rtp(96, 2, 0, ZOE_VIDEO, VP8_DELTA))); // not the far relay
        }
        sendFromFar(linkDatagram(8, tag + 1, TRACK, good)); // a tag naming no link
        sendFromFar(Arrays.copyOf(linkDatagram(8, tag, TRACK, good), 15)); // RTP cut short
        sendFromFar(linkDatagram(8, tag, 99, rtp(96, 3, 0, ZOE_VIDEO, VP8_DELTA))); // a track the link does not take
        sendFromFar(linkDatagram(8, tag, TRACK, rtp(96, 4, 0, 0x0BADBAD, VP8_DELTA))); // not the layer's SSRC
        sendFromFar(linkDatagram(9, tag, 0, new byte[] {(byte) 0x80, (byte) 200, 0, 50, 1, 2, 3, 4})); // RTCP too long
        sendFromFar(Arrays.copyOf(linkDatagram(8, tag, TRACK, good), 11)); // shorter than the link header

        await().atMost(Duration.ofSeconds(5)).until(() -> totals().drops("malformed_rtcp") == 1);
        TrafficTotals onLink = totals();
        assertThat(onLink.drops("link_rejected")).as("from a stranger").isEqualTo(1);
        assertThat(onLink.drops("malformed_rtp")).isEqualTo(1);
        assertThat(onLink.drops("unknown_ssrc")).as("unknown track, foreign SSRC").isEqualTo(2);
        TrafficTotals relayWide = relay.totals();
        assertThat(relayWide.drops("link_rejected")).as("the stranger, and the tag of no link").isEqualTo(2);
        assertThat(relayWide.drops("unknown_protocol")).as("shorter than a link header").isEqualTo(1);

        sendFromFar(linkDatagram(8, tag, TRACK, rtp(96, 5, 3000, ZOE_VIDEO, VP8_DELTA)));
        await().atMost(Duration.ofSeconds(5)).until(() -> producerPackets("zoe") == 2);
    }

    @Test
    void theFarRelaysNacksAreAnsweredFromTheCacheAndItsKeyFrameRequestsReachThePublisher() throws Exception {
        try (WebRtcEndpoint ada = WebRtcEndpoint.open()) {
            Relay.Session whip = relay.openWhip("room", "ada", ada.createOffer(OfferOptions.whip()),
                    new TransportEvents() { }).get(10, TimeUnit.SECONDS);
            ada.applyAnswer(whip.answer());
            ada.connect(Duration.ofSeconds(15));
            PacedSender sending = ada.startPacedSending(PacedSender.Options.defaults(Duration.ofSeconds(30)));

            await().atMost(Duration.ofSeconds(5)).until(() -> !tracksSent.isEmpty()
                    && tracksSent.get(tracksSent.size() - 1).size() == 2);
            LinkTrack video = tracksSent.get(tracksSent.size() - 1).stream().filter(t -> t.kind().equals("video"))
                    .findFirst().orElseThrow();
            assertThat(video.participantId()).isEqualTo("ada");
            assertThat(video.codec()).isEqualTo("VP8");

            // Ada's video arrives at the far relay under its track number, with the link's SSRC for it, not hers.
            byte[] first = receiveAtFar(d -> isLinkRtp(d, video.number()), Duration.ofSeconds(5));
            assertThat(first).isNotNull();
            int ssrc = Bytes.int32(first, LINK + 8);
            assertThat(ssrc).isEqualTo(LinkTransport.ssrc(video.number(), 0)).isNotEqualTo(ada.videoStream().ssrc());
            int sequence = Bytes.uint16(first, LINK + 2);

            // The far relay lost it: asked for it, the relay sends it again, the same packet.
            sendFromFar(linkDatagram(9, link.tag(), 0, Packets.nack(0x0FA50FA5, ssrc, sequence, 0)));
            byte[] again = receiveAtFar(d -> isLinkRtp(d, video.number()) && Bytes.uint16(d, LINK + 2) == sequence,
                    Duration.ofSeconds(5));
            assertThat(again).as("the cached packet crosses again").isNotNull();
            assertThat(Arrays.copyOfRange(again, LINK, again.length))
                    .isEqualTo(Arrays.copyOfRange(first, LINK, first.length));

            // The far relay's PLI becomes the relay's own request to ada.
            OutboundStream published = ada.videoStream();
            long before = published.keyframeRequests();
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(350)).until(() -> {
                sendFromFar(linkDatagram(9, link.tag(), 0, Packets.pli(0x0FA50FA5, ssrc)));
                return published.keyframeRequests() > before;
            });
            sending.stop();
        }
    }

    @Test
    void aSecureLinkTakesOnlyWhatTheFarRelaysKeyProtected() throws Exception {
        SecureLink made = secureLink("secure-room", "far", far, false);
        LinkHandle secure = made.handle();
        SrtpSession farSession = made.far();
        assertThat(secure.key()).as("a key made for what the relay sends").isNotNull();
        assertThat(secure.toString()).doesNotContain(secure.key().encoded());
        relay.setLinkTracks(secure, List.of(new LinkTrack(TRACK, "zoe", "zoe-video", "video", "camera", "VP8", "",
                true, List.of()), new LinkTrack(TRACK + 1, "zoe", "zoe-screen", "video", "screen", "VP8", "", true,
                List.of()))).get(10, TimeUnit.SECONDS);

        byte[] plain = linkDatagram(8, secure.tag(), TRACK, rtp(96, 1, 0, ZOE_VIDEO, VP8_KEYFRAME));
        send(far, plain);
        await().atMost(Duration.ofSeconds(5)).until(() -> linkTotals(secure).drops("srtp_auth") == 1);

        byte[] protectedOne = protect(farSession, secure.tag(), rtp(96, 2, 0, ZOE_VIDEO, VP8_KEYFRAME));
        send(far, protectedOne);
        byte[] tampered = protect(farSession, secure.tag(), rtp(96, 3, 0, ZOE_VIDEO, VP8_DELTA));
        tampered[tampered.length - 20] ^= 1;
        send(far, tampered);
        send(far, protectedOne); // again: a replay
        await().atMost(Duration.ofSeconds(5)).until(() -> linkTotals(secure).drops("srtp_auth") == 2);
        await().atMost(Duration.ofSeconds(5)).until(() -> linkTotals(secure).drops("srtp_replay") == 1);
        assertThat(producerPackets("zoe")).as("only the packet protected with the far relay's key").isEqualTo(1);

        // The link header is outside SRTP: an authentic packet whose header names another track is not taken there.
        byte[] moved = protect(farSession, secure.tag(), rtp(96, 9, 0, ZOE_VIDEO, VP8_KEYFRAME));
        Bytes.putInt32(moved, 8, TRACK + 1);
        send(far, moved);
        await().atMost(Duration.ofSeconds(5)).until(() -> linkTotals(secure).drops("unknown_ssrc") == 1);
        assertThat(producerPackets("zoe")).isEqualTo(1);

        // A gap (3 and 4 never came whole): the relay's NACK goes back protected with its own key.
        send(far, protect(farSession, secure.tag(), rtp(96, 5, 3000, ZOE_VIDEO, VP8_DELTA)));
        byte[] nack = receiveAtFar(d -> d.length > LINK && d[0] == 9 && Bytes.int32(d, 4) == FAR_TAG,
                Duration.ofSeconds(5));
        assertThat(nack).as("RTCP from the relay").isNotNull();
        PacketBuffer in = new PacketBuffer(nack, LINK, nack.length - LINK);
        assertThat(farSession.unprotectRtcp(in)).isEqualTo(SrtpStatus.OK);
        GenericNack view = new GenericNack();
        assertThat(view.wrap(in.buffer(), in.offset(), in.length())).isTrue();
        int[] lost = new int[16];
        assertThat(Arrays.copyOf(lost, view.lostSequenceNumbers(lost, 0))).containsExactly(3, 4);
        assertThat(producerPackets("zoe")).isEqualTo(2);
        farSession.close();
    }

    /**
     * Track numbers are never reused on a link, so neither are its SSRCs, and a secure link forgets a track's SRTP
     * contexts when the track ends. Five rounds of 1,024 audio tracks come in over one secure link and go on over
     * another (the relay is a hub): 5,120 tracks each way over each link's life, past the 4,096 SSRCs a secure link
     * holds at once. Sender reports cross under the track's link SSRC too, and a late one of an ended track is dropped
     * before SRTP.
     */
    @Test
    void aSecureLinkCarriesMoreTracksOverItsLifeThanItHoldsContextsAtOnce() throws Exception {
        int rounds = 5;
        int batch = 64;
        try (DatagramSocket spoke = farSocket(); DatagramSocket otherSpoke = farSocket()) {
            SecureLink in = secureLink("webinar", "spoke", spoke, false);
            SecureLink out = secureLink("webinar", "other-spoke", otherSpoke, true);
            Map<Integer, Integer> sentOnAs = new HashMap<>(); // the track number the relay gave it, by the incoming one
            for (int round = 0; round < rounds; round++) {
                int firstTrack = round * LinkTrack.MAX_TRACKS + 1;
                List<LinkTrack> tracks = new ArrayList<>();
                for (int track = firstTrack; track < firstTrack + LinkTrack.MAX_TRACKS; track++) {
                    tracks.add(new LinkTrack(track, "p" + track, "a" + track, "audio", "microphone", "opus", "", false,
                            List.of()));
                }
                relay.setLinkTracks(in.handle(), tracks).get(10, TimeUnit.SECONDS); // the round before ends
                for (int from = firstTrack; from < firstTrack + LinkTrack.MAX_TRACKS; from += batch) {
                    for (int track = from; track < from + batch; track++) {
                        // The RTP timestamp names the incoming track, as the relay passes it on unchanged.
                        byte[] rtp = rtp(111, 1, track, LinkTransport.ssrc(track, 0), new byte[] {1, 2, 3});
                        send(spoke, protectedRtp(in, track, rtp));
                    }
                    for (int i = 0; i < batch; i++) {
                        byte[] d = receive(otherSpoke, x -> x[0] == 8, Duration.ofSeconds(5));
                        assertThat(d).as("round %d: packet %d of %d sent on", round, i + 1, batch).isNotNull();
                        int onward = Bytes.int32(d, 8);
                        PacketBuffer packet = new PacketBuffer(d, LINK, d.length - LINK);
                        assertThat(out.far().unprotectRtp(packet)).isEqualTo(SrtpStatus.OK);
                        assertThat(Bytes.int32(d, LINK + 8)).isEqualTo(LinkTransport.ssrc(onward, 0));
                        sentOnAs.put(Bytes.int32(d, LINK + 4), onward);
                    }
                }
                // A sender report for the round's first track is passed on under the onward track's link SSRC.
                send(spoke, protectedRtcp(in, senderReport(LinkTransport.ssrc(firstTrack, 0), round)));
                byte[] report = receive(otherSpoke, x -> x[0] == 9 && Bytes.int32(x, LINK + 4)
                        != LinkTransport.RTCP_SSRC, Duration.ofSeconds(5));
                assertThat(report).as("round %d: the sender report passed on", round).isNotNull();
                PacketBuffer compound = new PacketBuffer(report, LINK, report.length - LINK);
                assertThat(out.far().unprotectRtcp(compound)).isEqualTo(SrtpStatus.OK);
                assertThat(compound.buffer()[compound.offset() + 1] & 0xFF).isEqualTo(200);
                assertThat(Bytes.int32(compound.buffer(), compound.offset() + 4))
                        .isEqualTo(LinkTransport.ssrc(sentOnAs.get(firstTrack), 0));
            }
            assertThat(new HashSet<>(sentOnAs.values())).as("a track number, so an SSRC, never reused")
                    .hasSize(rounds * LinkTrack.MAX_TRACKS);
            assertThat(linkTotals(in.handle()).totalDrops()).isZero();
            assertThat(linkTotals(out.handle()).totalDrops()).isZero();

            // A sender report of a track that ended rounds ago (delayed, or replayed) makes no context.
            send(spoke, protectedRtcp(in, senderReport(LinkTransport.ssrc(1, 0), rounds)));
            await().atMost(Duration.ofSeconds(5)).until(() -> linkTotals(in.handle()).drops("unknown_ssrc") == 1);
            assertThat(linkTotals(in.handle()).totalDrops()).as("dropped before SRTP").isEqualTo(1);
        }
    }

    /** A sender report (RFC 3550 6.4.1) without report blocks. */
    private static byte[] senderReport(int ssrc, int instant) {
        return ByteBuffer.allocate(28).put((byte) 0x80).put((byte) 200).putShort((short) 6).putInt(ssrc)
                .putLong(0xE000_0000_0000_0000L + instant).putInt(instant).putInt(1).putInt(3).array();
    }

    /** A secure link of the relay's to a far relay played on {@code socket}, and the far relay's SRTP session. */
    private record SecureLink(LinkHandle handle, SrtpSession far) {
    }

    private SecureLink secureLink(String room, String farNode, DatagramSocket socket, boolean hub) throws Exception {
        byte[] farKey = new byte[28];
        new SecureRandom().nextBytes(farKey);
        LinkHandle handle = relay.openLink(room, farNode, hub, true, new LinkEvents() { }).get(10, TimeUnit.SECONDS);
        relay.connectLink(handle, (InetSocketAddress) socket.getLocalSocketAddress(), FAR_TAG,
                LinkKey.decode(Base64.getEncoder().encodeToString(farKey))).get(10, TimeUnit.SECONDS);
        byte[] relayKey = Base64.getDecoder().decode(handle.key().encoded());
        // The far relay protects with its own key and unprotects with the relay's; the test's side keeps every context.
        SrtpSession session = new SrtpSession(new SrtpKeyingMaterial(SrtpProfile.AEAD_AES_128_GCM,
                Arrays.copyOf(farKey, 16), Arrays.copyOfRange(farKey, 16, 28),
                Arrays.copyOf(relayKey, 16), Arrays.copyOfRange(relayKey, 16, 28)), 8192);
        return new SecureLink(handle, session);
    }

    private static byte[] protectedRtp(SecureLink link, int track, byte[] rtp) {
        PacketBuffer out = PacketBuffer.forPackets(1500);
        out.copyFrom(rtp, 0, rtp.length);
        assertThat(link.far().protectRtp(out)).isEqualTo(SrtpStatus.OK);
        return linkDatagram(8, link.handle().tag(), track,
                Arrays.copyOfRange(out.buffer(), out.offset(), out.offset() + out.length()));
    }

    private static byte[] protectedRtcp(SecureLink link, byte[] rtcp) {
        PacketBuffer out = PacketBuffer.forPackets(1500);
        out.copyFrom(rtcp, 0, rtcp.length);
        assertThat(link.far().protectRtcp(out)).isEqualTo(SrtpStatus.OK);
        return linkDatagram(9, link.handle().tag(), 0,
                Arrays.copyOfRange(out.buffer(), out.offset(), out.offset() + out.length()));
    }

    private static byte[] protect(SrtpSession session, int tag, byte[] rtp) {
        PacketBuffer out = PacketBuffer.forPackets(1500);
        out.copyFrom(rtp, 0, rtp.length);
        assertThat(session.protectRtp(out)).isEqualTo(SrtpStatus.OK);
        return linkDatagram(8, tag, TRACK, Arrays.copyOfRange(out.buffer(), out.offset(), out.offset() + out.length()));
    }

    private TrafficTotals linkTotals(LinkHandle handle) throws Exception {
        return relay.totals(handle).get(10, TimeUnit.SECONDS);
    }

    // ---------------------------------------------------------------- the far relay's side

    private static final int LINK = 12;

    private static byte[] linkDatagram(int type, int tag, int track, byte[] packet) {
        return ByteBuffer.allocate(LINK + packet.length).put((byte) type).put((byte) 0).putShort((short) 0)
                .putInt(tag).putInt(track).put(packet).array();
    }

    private void sendFromFar(byte[] packet) throws IOException {
        byte[] datagram = packet[0] == 8 || packet[0] == 9 ? packet : linkDatagram(8, link.tag(), TRACK, packet);
        send(far, datagram);
    }

    private void send(DatagramSocket from, byte[] datagram) throws IOException {
        from.send(new DatagramPacket(datagram, datagram.length, InetAddress.getLoopbackAddress(), relay.port()));
    }

    private static boolean isLinkRtcp(byte[] d) {
        return d.length > LINK + 8 && d[0] == 9 && Bytes.int32(d, 4) == FAR_TAG;
    }

    private static boolean isLinkRtp(byte[] d, int track) {
        return d.length > LINK + 12 && d[0] == 8 && Bytes.int32(d, 8) == track && Bytes.int32(d, 4) == FAR_TAG;
    }

    private static DatagramSocket farSocket() throws IOException {
        DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        socket.setSoTimeout(100);
        return socket;
    }

    /** The first datagram at the far relay that matches, or null when none comes in time. */
    private byte[] receiveAtFar(Predicate<byte[]> wanted, Duration timeout) throws IOException {
        return receive(far, wanted, timeout);
    }

    private static byte[] receive(DatagramSocket far, Predicate<byte[]> wanted, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] buf = new byte[2048];
        while (System.nanoTime() < deadline) {
            DatagramPacket packet = new DatagramPacket(buf, buf.length);
            try {
                far.receive(packet);
            } catch (SocketTimeoutException e) {
                continue;
            }
            byte[] datagram = Arrays.copyOf(buf, packet.getLength());
            if (wanted.test(datagram)) {
                return datagram;
            }
        }
        return null;
    }

    private TrafficTotals totals() throws Exception {
        return relay.totals(link).get(10, TimeUnit.SECONDS);
    }

    private long producerPackets(String participant) throws Exception {
        List<Long> packets = new ArrayList<>();
        relay.snapshot().get(10, TimeUnit.SECONDS).rooms().forEach(room -> room.transports().stream()
                .filter(t -> t.kind().equals("LINK"))
                .forEach(t -> t.producers().forEach(p -> packets.add(p.packets()))));
        return packets.stream().mapToLong(Long::longValue).sum();
    }
}
