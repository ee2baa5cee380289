package dev.parley.relay.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.parley.relay.dtls.DtlsCertificate;
import dev.parley.relay.router.MediaKind;
import dev.parley.relay.rtcp.FullIntraRequest;
import dev.parley.relay.rtcp.PictureLossIndication;
import dev.parley.relay.rtcp.ReceiverReport;
import dev.parley.relay.rtcp.ReportBlock;
import dev.parley.relay.rtcp.RtcpCompoundIterator;
import dev.parley.relay.rtcp.RtcpHeader;
import dev.parley.relay.rtcp.SenderReport;
import dev.parley.relay.rtp.HeaderExtensions;
import dev.parley.relay.rtp.RtpHeaderWriter;
import dev.parley.relay.rtp.RtpPacket;
import dev.parley.relay.rtp.Vp8Payload;
import dev.parley.relay.sdp.Direction;
import dev.parley.relay.sdp.MediaDescription;
import dev.parley.relay.sdp.SdpParser;
import dev.parley.relay.sdp.SessionDescription;
import dev.parley.relay.srtp.SrtpKeyingMaterial;
import dev.parley.relay.srtp.SrtpProfile;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The endpoint against {@link TestLiteRelay} on 127.0.0.1: ICE, DTLS, SRTP both ways, RTCP, renegotiation. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WebRtcEndpointTest {

    /** Generous: the build machine is shared, and nothing here asserts timing. */
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final long AUDIO_SSRC = 0xA0D10001L;
    private static final long VIDEO_SSRC = 0xB1DE0002L;

    private static DtlsCertificate clientCertificate;
    private TestLiteRelay relay;
    private final List<WebRtcEndpoint> endpoints = new ArrayList<>();

    @BeforeAll
    static void certificate() {
        WebRtcEndpoint.warmUp();
        clientCertificate = DtlsCertificate.generate();
    }

    @BeforeEach
    void startRelay() throws Exception {
        relay = new TestLiteRelay();
    }

    @AfterEach
    void stop() throws Exception {
        endpoints.forEach(WebRtcEndpoint::close);
        relay.close();
    }

    private EndpointConfig.Builder config() {
        return EndpointConfig.builder().certificate(clientCertificate).rtcpInterval(Duration.ofMillis(200));
    }

    private WebRtcEndpoint open(EndpointConfig config) throws Exception {
        WebRtcEndpoint endpoint = WebRtcEndpoint.open(config);
        endpoints.add(endpoint);
        return endpoint;
    }

    /** WHIP-style: the endpoint offers sendonly audio and video, the relay answers. */
    private TestLiteRelay.Peer publish(WebRtcEndpoint endpoint) throws Exception {
        TestLiteRelay.Peer peer = relay.newPeer();
        endpoint.applyAnswer(relay.answer(peer, endpoint.createOffer(OfferOptions.whip()), Map.of()));
        endpoint.connect(WAIT);
        peer.keys.get(15, TimeUnit.SECONDS);
        return peer;
    }

    /** WHEP-style: the endpoint offers recvonly, the relay answers with its SSRCs. */
    private TestLiteRelay.Peer subscribe(WebRtcEndpoint endpoint) throws Exception {
        TestLiteRelay.Peer peer = relay.newPeer();
        endpoint.applyAnswer(relay.answer(peer, endpoint.createOffer(OfferOptions.whep()),
                TestLiteRelay.ssrcs("0", AUDIO_SSRC, "1", VIDEO_SSRC)));
        endpoint.connect(WAIT);
        peer.keys.get(15, TimeUnit.SECONDS);
        return peer;
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void publishesOverVerifiedIceAndDtlsWithMatchingKeys(SrtpProfile profile) throws Exception {
        WebRtcEndpoint endpoint = open(config().srtpProfiles(profile).build());
        TestLiteRelay.Peer peer = publish(endpoint);

        assertThat(endpoint.state()).isEqualTo(WebRtcEndpoint.State.CONNECTED);
        assertThat(peer.useCandidateRequests.get()).as("USE-CANDIDATE seen by the lite agent").isPositive();
        IceStats ice = endpoint.iceStats();
        assertThat(ice.successResponses()).isPositive();
        assertThat(ice.integrityFailures()).isZero();
        assertThat(ice.selected()).isEqualTo(relay.address()).isEqualTo(endpoint.remoteAddress());
        assertThat(ice.mappedAddress()).isEqualTo(endpoint.localAddress());

        SrtpKeyingMaterial relayKeys = peer.keys.get();
        assertThat(endpoint.srtpProfile()).isEqualTo(profile);
        assertThat(relayKeys.profile()).isEqualTo(profile);
        assertThat(endpoint.keyingMaterial()).isEqualTo(relayKeys.reversed());

        // what the client sends, the relay's SrtpSession unprotects
        OutboundStream audio = endpoint.audioStream();
        OutboundStream video = endpoint.videoStream();
        assertThat(peer.clientSsrcs.get("0")).containsExactly(audio.ssrc() & 0xFFFFFFFFL);
        assertThat(peer.clientSsrcs.get("1")).containsExactly(video.ssrc() & 0xFFFFFFFFL);
        for (int i = 0; i < 20; i++) {
            assertThat(audio.sendAudio(120)).isTrue();
        }
        int keyframePackets = video.sendVideoFrame(3000, true);
        int deltaPackets = video.sendVideoFrame(800, false);
        assertThat(keyframePackets).isEqualTo(3);
        assertThat(deltaPackets).isEqualTo(1);

        List<RtpPacket> audioPackets = new ArrayList<>();
        List<RtpPacket> videoPackets = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            byte[] plain = peer.nextRtp(15_000);
            assertThat(plain).as("packet %d reached the relay", i).isNotNull();
            RtpPacket rtp = new RtpPacket();
            assertThat(rtp.wrap(plain, 0, plain.length)).isTrue();
            (rtp.ssrc() == audio.ssrc() ? audioPackets : videoPackets).add(rtp);
        }
        assertThat(peer.srtpFailures.get()).isZero();
        assertThat(audioPackets).hasSize(20);
        for (int i = 0; i < 20; i++) {
            RtpPacket rtp = audioPackets.get(i);
            assertThat(rtp.payloadType()).isEqualTo(111);
            assertThat(rtp.sequenceNumber()).isEqualTo((audioPackets.get(0).sequenceNumber() + i) & 0xFFFF);
            assertThat(rtp.payloadLength()).isEqualTo(120);
            assertThat(midOf(rtp)).isEqualTo("0");
            assertThat(ProbePayload.isProbe(rtp.buffer(), rtp.payloadOffset(), rtp.payloadLength())).isTrue();
            assertThat(ProbePayload.sequence(rtp.buffer(), rtp.payloadOffset())).isEqualTo(i);
        }
        assertThat(videoPackets).hasSize(4);
        assertThat(videoPackets).allSatisfy(rtp -> {
            assertThat(rtp.payloadType()).isEqualTo(96);
            assertThat(midOf(rtp)).isEqualTo("1");
        });
        assertThat(videoPackets).extracting(RtpPacket::marker).containsExactly(false, false, true, true);
        assertThat(videoPackets).extracting(this::isKeyframe).containsExactly(true, false, false, false);
        assertThat(videoPackets.get(0).timestamp()).isEqualTo(videoPackets.get(2).timestamp());
        assertThat(videoPackets).extracting(rtp -> ProbePayload.locate(rtp.buffer(), rtp.payloadOffset(),
                rtp.payloadLength(), true)).allMatch(at -> at >= 0);
    }

    @Test
    void receivesRelayMediaWithLatencyDecodedAndReportsIt() throws Exception {
        WebRtcEndpoint endpoint = open(config().build());
        TestLiteRelay.Peer peer = subscribe(endpoint);
        assertThat(endpoint.outboundStreams()).isEmpty();

        byte[] packet = new byte[1500];
        for (int i = 0; i < 40; i++) {
            int h = RtpHeaderWriter.writeFixedHeader(packet, 0, 111, false, 1000 + i, 960L * i, (int) AUDIO_SSRC);
            int n = SyntheticMedia.writeAudio(packet, h, 80, System.nanoTime(), i);
            peer.sendRtp(packet, h + n);
        }
        for (int frame = 0; frame < 3; frame++) {
            int h = RtpHeaderWriter.writeFixedHeader(packet, 0, 96, true, 500 + frame, 3000L * frame,
                    (int) VIDEO_SSRC);
            int n = SyntheticMedia.writeVp8(packet, h, 600, true, frame == 0, frame, System.nanoTime(), frame);
            peer.sendRtp(packet, h + n);
        }

        assertThat(endpoint.awaitPackets("0", 40, WAIT)).isTrue();
        assertThat(endpoint.awaitPackets("1", 3, WAIT)).isTrue();
        InboundStream audio = endpoint.inboundStream(AUDIO_SSRC);
        assertThat(audio.mid()).isEqualTo("0");
        assertThat(audio.kind()).isEqualTo(MediaKind.AUDIO);
        assertThat(audio.payloadType()).isEqualTo(111);
        assertThat(audio.packets()).isEqualTo(40);
        assertThat(audio.bytes()).isEqualTo(40 * 80);
        assertThat(audio.probes()).isEqualTo(40);
        assertThat(audio.probesLost()).isZero();
        assertThat(audio.probesReordered()).isZero();
        assertThat(audio.latency().count()).isEqualTo(40);
        assertThat(audio.latency().negativeCount()).isZero();
        InboundStream video = endpoint.inboundStream(VIDEO_SSRC);
        assertThat(video.mid()).isEqualTo("1");
        assertThat(video.kind()).isEqualTo(MediaKind.VIDEO);
        assertThat(video.keyframes()).isEqualTo(1);
        assertThat(video.probes()).isEqualTo(3);
        assertThat(endpoint.receivedKeyframes("1")).isEqualTo(1);
        assertThat(endpoint.latency().count()).isEqualTo(43);
        assertThat(endpoint.counters().srtpFailures()).isZero();

        // the endpoint's receiver reports describe both streams
        ReportBlock audioBlock = awaitReportBlock(peer, AUDIO_SSRC);
        assertThat(audioBlock.extendedHighestSequenceNumber() & 0xFFFF).isEqualTo(1039);
        assertThat(audioBlock.cumulativeLost()).isZero();
        assertThat(awaitReportBlock(peer, VIDEO_SSRC)).isNotNull();
    }

    @Test
    void endpointsSharingOneReceiveLoopEachGetTheirOwnMediaAndLeaveItCleanly() throws Exception {
        try (ReceiveLoop loop = ReceiveLoop.start("test-receive")) {
            List<WebRtcEndpoint> shared = new ArrayList<>();
            List<TestLiteRelay.Peer> peers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                WebRtcEndpoint endpoint = open(config().name("shared-" + i).receiveLoop(loop).build());
                shared.add(endpoint);
                peers.add(subscribe(endpoint));
            }
            assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
                    .noneMatch(name -> name.startsWith("webrtc-shared-") && name.endsWith("-receive"));

            for (TestLiteRelay.Peer peer : peers) {
                sendAudioFromRelay(peer, AUDIO_SSRC, 111, 0, 30);
            }
            for (WebRtcEndpoint endpoint : shared) {
                assertThat(endpoint.awaitPackets("0", 30, WAIT)).isTrue();
            }

            InetSocketAddress firstLocal = shared.get(0).localAddress();
            shared.get(0).close();
            try (DatagramChannel again = DatagramChannel.open()) {
                again.bind(firstLocal);
            }
            for (TestLiteRelay.Peer peer : peers.subList(1, 3)) {
                sendAudioFromRelay(peer, AUDIO_SSRC, 111, 30, 20);
            }
            for (WebRtcEndpoint endpoint : shared.subList(1, 3)) {
                assertThat(endpoint.awaitPackets("0", 50, WAIT)).isTrue();
                assertThat(endpoint.inboundStream(AUDIO_SSRC).packets()).isEqualTo(50);
                assertThat(endpoint.inboundStream(AUDIO_SSRC).probesLost()).isZero();
                assertThat(endpoint.counters().srtpFailures()).isZero();
            }
        }
    }

    @Test
    void pictureLossAndFullIntraRequestFromTheRelayMakeTheNextFrameAKeyframe() throws Exception {
        WebRtcEndpoint endpoint = open(config().build());
        TestLiteRelay.Peer peer = publish(endpoint);
        OutboundStream video = endpoint.videoStream();

        video.sendVideoFrame(500, true);
        video.sendVideoFrame(500, false);
        assertThat(isKeyframe(nextVideo(peer, video))).isTrue();
        assertThat(isKeyframe(nextVideo(peer, video))).isFalse();

        byte[] pli = new byte[PictureLossIndication.LENGTH];
        PictureLossIndication.write(pli, 0, 0x11111111, video.ssrc());
        peer.sendRtcp(pli, pli.length);
        awaitTrue(() -> video.keyframeRequests() == 1, "PLI reached the stream");
        assertThat(video.keyframePending()).isTrue();
        video.sendVideoFrame(500, false);
        assertThat(isKeyframe(nextVideo(peer, video))).as("frame after PLI").isTrue();
        video.sendVideoFrame(500, false);
        assertThat(isKeyframe(nextVideo(peer, video))).isFalse();

        byte[] fir = new byte[64];
        int firLength = FullIntraRequest.write(fir, 0, 0x11111111, video.ssrc(), 1);
        peer.sendRtcp(fir, firLength);
        awaitTrue(() -> video.keyframeRequests() == 2, "FIR reached the stream");
        video.sendVideoFrame(500, false);
        assertThat(isKeyframe(nextVideo(peer, video))).as("frame after FIR").isTrue();
        assertThat(video.keyframesSent()).isEqualTo(3);
        assertThat(endpoint.counters().pictureLossIndications()).isEqualTo(1);
        assertThat(endpoint.counters().fullIntraRequests()).isEqualTo(1);
    }

    @Test
    void sendsSenderReportsForWhatItSends() throws Exception {
        WebRtcEndpoint endpoint = open(config().build());
        TestLiteRelay.Peer peer = publish(endpoint);
        OutboundStream audio = endpoint.audioStream();
        for (int i = 0; i < 10; i++) {
            audio.sendAudio(100);
        }
        SenderReport sr = await("an SR for the audio SSRC").atMost(WAIT).pollInterval(Duration.ofMillis(1))
                .until(() -> nextSenderReport(peer, audio.ssrc()), Objects::nonNull);
        assertThat(sr.packetCount()).isEqualTo(10);
        assertThat(sr.octetCount()).isEqualTo(1000);
        long ntpSeconds = sr.ntpTimestamp() >>> 32;
        long unixSeconds = ntpSeconds - RtcpReporter.NTP_UNIX_OFFSET_SECONDS;
        assertThat(unixSeconds).isBetween(System.currentTimeMillis() / 1000 - 60,
                System.currentTimeMillis() / 1000 + 60);
    }

    @Test
    void renegotiatesByRemoteOffersOnTheSameDtlsSession() throws Exception {
        WebRtcEndpoint endpoint = open(config().build());
        TestLiteRelay.Peer peer = relay.newPeer();
        List<TestLiteRelay.OfferedSection> sections = new ArrayList<>(List.of(
                TestLiteRelay.OfferedSection.publish("0", MediaKind.AUDIO),
                TestLiteRelay.OfferedSection.publish("1", MediaKind.VIDEO),
                TestLiteRelay.OfferedSection.track("2", MediaKind.VIDEO, 3333)));

        endpoint.applyOffer(relay.offer(peer, 1, sections));
        String answer1 = endpoint.createAnswer();
        peer.applyAnswer(answer1);
        SessionDescription a1 = SdpParser.parse(answer1);
        assertThat(a1.media()).extracting(m -> a1.effective(m).direction())
                .containsExactly(Direction.SENDONLY, Direction.SENDONLY, Direction.RECVONLY);
        assertThat(a1.media().get(0).payloadTypes()).containsExactly(TestLiteRelay.OFFER_OPUS_PT);
        assertThat(a1.media().get(1).payloadTypes()).containsExactly(TestLiteRelay.OFFER_VP8_PT);

        endpoint.connect(WAIT);
        peer.keys.get(15, TimeUnit.SECONDS);
        SrtpKeyingMaterial keysBefore = endpoint.keyingMaterial();
        long checksAfterConnect = endpoint.iceStats().checksSent();

        OutboundStream audio = endpoint.outboundStream("0");
        OutboundStream video = endpoint.outboundStream("1");
        assertThat(audio.payloadType()).isEqualTo(TestLiteRelay.OFFER_OPUS_PT);
        assertThat(video.payloadType()).isEqualTo(TestLiteRelay.OFFER_VP8_PT);
        audio.sendAudio(100);
        video.sendVideoFrame(500, true);
        RtpPacket first = wrap(peer.nextRtp(15_000));
        RtpPacket second = wrap(peer.nextRtp(15_000));
        assertThat(List.of(first.payloadType(), second.payloadType()))
                .containsExactlyInAnyOrder(TestLiteRelay.OFFER_OPUS_PT, TestLiteRelay.OFFER_VP8_PT);
        assertThat(peer.clientSsrcs.get("0")).containsExactly(audio.ssrc() & 0xFFFFFFFFL);
        assertThat(midOf(first, TestLiteRelay.OFFER_MID_EXTENSION_ID)).isIn("0", "1");

        sendAudioFromRelay(peer, 3333, TestLiteRelay.OFFER_VP8_PT, 0, 5);
        assertThat(endpoint.awaitPackets("2", 5, WAIT)).isTrue();

        // version 2: someone else's audio joins as a new section
        sections.add(TestLiteRelay.OfferedSection.track("3", MediaKind.AUDIO, 4444));
        endpoint.applyOffer(relay.offer(peer, 2, sections));
        String answer2 = endpoint.createAnswer();
        peer.applyAnswer(answer2);
        SessionDescription a2 = SdpParser.parse(answer2);
        assertThat(a2.media()).extracting(m -> m.mid().orElseThrow()).containsExactly("0", "1", "2", "3");
        assertThat(a2.effective(a2.media().get(3)).direction()).isEqualTo(Direction.RECVONLY);
        assertThat(a2.media().get(0).ssrcs().get(0).id()).isEqualTo(audio.ssrc() & 0xFFFFFFFFL);
        assertThat(a2.media().get(0).iceUfrag()).isEqualTo(a1.media().get(0).iceUfrag());

        sendAudioFromRelay(peer, 4444, TestLiteRelay.OFFER_OPUS_PT, 0, 7);
        assertThat(endpoint.awaitPackets("3", 7, WAIT)).isTrue();
        assertThat(endpoint.inboundStream(4444).kind()).isEqualTo(MediaKind.AUDIO);

        // version 3: the video track leaves (port 0) and the new audio goes inactive
        sections.set(2, sections.get(2).removed());
        sections.set(3, sections.get(3).inactive());
        endpoint.applyOffer(relay.offer(peer, 3, sections));
        String answer3 = endpoint.createAnswer();
        peer.applyAnswer(answer3);
        SessionDescription a3 = SdpParser.parse(answer3);
        MediaDescription removed = a3.media().get(2);
        assertThat(removed.port()).isZero();
        assertThat(removed.direction()).isEqualTo(Direction.INACTIVE);
        assertThat(a3.media().get(3).port()).isNotZero();
        assertThat(a3.media().get(3).direction()).isEqualTo(Direction.INACTIVE);
        assertThat(a3.bundleMids()).containsExactly("0", "1", "3");

        // still the same ICE and DTLS session, and our own media still flows
        audio.sendAudio(100);
        assertThat(wrap(peer.nextRtp(15_000)).ssrc()).isEqualTo(audio.ssrc());
        assertThat(relay.dtlsSessionsCreated.get()).isEqualTo(1);
        assertThat(peer.keys.get().reversed()).isEqualTo(keysBefore);
        assertThat(endpoint.keyingMaterial()).isSameAs(keysBefore);
        assertThat(endpoint.state()).isEqualTo(WebRtcEndpoint.State.CONNECTED);
        assertThat(endpoint.iceStats().checksSent()).as("no new ICE checks after renegotiation")
                .isEqualTo(checksAfterConnect);
    }

    @Test
    void retransmitsChecksAndIgnoresResponsesThatFailIntegrity() throws Exception {
        WebRtcEndpoint endpoint = open(config().iceCheckInterval(Duration.ofMillis(50)).build());
        relay.dropBindingRequests.set(3);
        relay.badIntegrityResponses.set(2);
        publish(endpoint);
        IceStats ice = endpoint.iceStats();
        assertThat(ice.checksSent()).isGreaterThanOrEqualTo(6);
        assertThat(ice.integrityFailures()).isEqualTo(2);
        assertThat(ice.successResponses()).as("answers to retransmissions may arrive after the first")
                .isPositive();
    }

    @Test
    void giveUpWhenNoCandidateAnswers() throws Exception {
        WebRtcEndpoint endpoint = open(config().iceCheckInterval(Duration.ofMillis(50))
                .iceTimeout(Duration.ofMillis(500)).build());
        relay.dropBindingRequests.set(Integer.MAX_VALUE);
        TestLiteRelay.Peer peer = relay.newPeer();
        endpoint.applyAnswer(relay.answer(peer, endpoint.createOffer(OfferOptions.whip()), Map.of()));
        assertThatThrownBy(() -> endpoint.connect(WAIT)).isInstanceOfSatisfying(WebRtcException.class,
                e -> assertThat(e.stage()).isEqualTo(WebRtcException.Stage.ICE));
        assertThat(endpoint.state()).isEqualTo(WebRtcEndpoint.State.FAILED);
        assertThat(endpoint.iceStats().checksSent()).isGreaterThan(1);
        assertThat(endpoint.audioStream().sendAudio(100)).isFalse();
    }

    @Test
    void refusesAServerWhoseCertificateDoesNotMatchItsFingerprint() throws Exception {
        WebRtcEndpoint endpoint = open(config().build());
        relay.announceWrongFingerprint = true;
        TestLiteRelay.Peer peer = relay.newPeer();
        endpoint.applyAnswer(relay.answer(peer, endpoint.createOffer(OfferOptions.whip()), Map.of()));
        assertThatThrownBy(() -> endpoint.connect(WAIT)).isInstanceOfSatisfying(WebRtcException.class, e -> {
            assertThat(e.stage()).isEqualTo(WebRtcException.Stage.DTLS);
            assertThat(e.getMessage()).contains("fingerprint");
        });
        assertThat(peer.keys).isNotCompleted();
    }

    @Test
    void keepsConsentFreshAndFailsWhenTheRelayStopsAnswering() throws Exception {
        WebRtcEndpoint endpoint = open(config().consentInterval(Duration.ofMillis(100))
                .consentTimeout(Duration.ofSeconds(3)).build());
        publish(endpoint);
        awaitTrue(() -> endpoint.iceStats().consentResponses() >= 2, "consent answered");
        relay.dropBindingRequests.set(Integer.MAX_VALUE);
        awaitTrue(() -> endpoint.state() == WebRtcEndpoint.State.FAILED, "consent expired");
        assertThat(endpoint.failureReason()).contains("consent");
        assertThat(endpoint.audioStream().sendAudio(100)).as("RFC 7675: stop sending").isFalse();
    }

    @Test
    void closeSendsCloseNotifyAndReleasesTheSocket() throws Exception {
        WebRtcEndpoint endpoint = open(config().build());
        TestLiteRelay.Peer peer = publish(endpoint);
        InetSocketAddress local = endpoint.localAddress();
        endpoint.close();
        assertThat(peer.closed.get(15, TimeUnit.SECONDS)).contains("close_notify");
        assertThat(endpoint.state()).isEqualTo(WebRtcEndpoint.State.CLOSED);
        try (DatagramChannel again = DatagramChannel.open()) {
            again.bind(local);
        }
        endpoint.close(); // idempotent
    }

    @Test
    void relayCloseNotifyFailsTheEndpoint() throws Exception {
        WebRtcEndpoint endpoint = open(config().build());
        TestLiteRelay.Peer peer = publish(endpoint);
        peer.dtls.close();
        awaitTrue(() -> endpoint.state() == WebRtcEndpoint.State.FAILED, "close_notify processed");
        assertThat(endpoint.failureReason()).contains("close_notify");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void pacedSenderSendsBoundedAudioAndVideoWithPeriodicKeyframes(boolean spreadFrames) throws Exception {
        WebRtcEndpoint endpoint = open(config().build());
        TestLiteRelay.Peer peer = publish(endpoint);
        PacedSender sender = endpoint.startPacedSending(PacedSender.Options.defaults(Duration.ofMillis(900))
                .withVideoRate(200_000, 20).withKeyframes(Duration.ofMillis(300), 3).withSpreadFrames(spreadFrames));
        assertThat(sender.awaitFinished(WAIT)).isTrue();
        long sent = sender.packetsSent();
        assertThat(sent).isPositive();
        long audioSent = endpoint.audioStream().packetsSent();
        long videoSent = endpoint.videoStream().packetsSent();
        assertThat(audioSent + videoSent).isEqualTo(sent);
        assertThat(audioSent).isPositive();
        assertThat(endpoint.videoStream().keyframesSent()).isGreaterThanOrEqualTo(2);

        List<byte[]> received = new ArrayList<>();
        while (received.size() < sent) {
            byte[] plain = peer.nextRtp(15_000);
            assertThat(plain).as("all %d packets arrive", sent).isNotNull();
            received.add(plain);
        }
        long keyframes = received.stream().map(this::wrap)
                .filter(rtp -> rtp.ssrc() == endpoint.videoStream().ssrc()).filter(this::isKeyframe).count();
        assertThat(keyframes).isEqualTo(endpoint.videoStream().keyframesSent());
        Thread.sleep(50);
        assertThat(sender.packetsSent()).as("stopped after its duration").isEqualTo(sent);
    }

    // ---------------------------------------------------------------- helpers

    /** Audio packets with sequence numbers and probes {@code first} to {@code first + count - 1}. */
    private static void sendAudioFromRelay(TestLiteRelay.Peer peer, long ssrc, int payloadType, int first, int count)
            throws Exception {
        byte[] packet = new byte[200];
        for (int i = first; i < first + count; i++) {
            int h = RtpHeaderWriter.writeFixedHeader(packet, 0, payloadType, false, i, 960L * i, (int) ssrc);
            peer.sendRtp(packet, h + SyntheticMedia.writeAudio(packet, h, 50, System.nanoTime(), i));
        }
    }

    private RtpPacket nextVideo(TestLiteRelay.Peer peer, OutboundStream video) throws InterruptedException {
        while (true) {
            byte[] plain = peer.nextRtp(15_000);
            assertThat(plain).as("a video packet").isNotNull();
            RtpPacket rtp = wrap(plain);
            if (rtp.ssrc() == video.ssrc()) {
                return rtp;
            }
        }
    }

    private RtpPacket wrap(byte[] plain) {
        assertThat(plain).isNotNull();
        RtpPacket rtp = new RtpPacket();
        assertThat(rtp.wrap(plain, 0, plain.length)).isTrue();
        return rtp;
    }

    private boolean isKeyframe(RtpPacket rtp) {
        return Vp8Payload.isKeyframe(rtp.buffer(), rtp.payloadOffset(), rtp.payloadLength());
    }

    private static String midOf(RtpPacket rtp) {
        return midOf(rtp, SdpNegotiator.OFFER_MID_EXTENSION_ID);
    }

    private static String midOf(RtpPacket rtp, int id) {
        long found = rtp.findExtension(id);
        assertThat(found).as("MID header extension").isNotEqualTo(HeaderExtensions.NOT_FOUND);
        return new String(rtp.buffer(), HeaderExtensions.valueOffset(found), HeaderExtensions.valueLength(found),
                StandardCharsets.UTF_8);
    }

    private static ReportBlock awaitReportBlock(TestLiteRelay.Peer peer, long ssrc) {
        return await("a receiver report block for " + ssrc).atMost(WAIT).pollInterval(Duration.ofMillis(1))
                .until(() -> nextReportBlock(peer, ssrc), Objects::nonNull);
    }

    /** The block about {@code ssrc} in the next RTCP packet the peer got within 100 ms, or null. */
    private static ReportBlock nextReportBlock(TestLiteRelay.Peer peer, long ssrc) throws InterruptedException {
        ReceiverReport rr = new ReceiverReport();
        return nextRtcp(peer, (rtcp, it) -> {
            if (it.packetType() == RtcpHeader.RR && rr.wrap(rtcp, it.offset(), it.length())) {
                for (int i = 0; i < rr.reportCount(); i++) {
                    ReportBlock block = rr.reportBlock(i, new ReportBlock());
                    if ((block.ssrc() & 0xFFFFFFFFL) == ssrc) {
                        return block;
                    }
                }
            }
            return null;
        });
    }

    /** The sender report from {@code ssrc} in the next RTCP packet the peer got within 100 ms, or null. */
    private static SenderReport nextSenderReport(TestLiteRelay.Peer peer, int ssrc) throws InterruptedException {
        SenderReport sr = new SenderReport();
        return nextRtcp(peer, (rtcp, it) -> it.packetType() == RtcpHeader.SR
                && sr.wrap(rtcp, it.offset(), it.length()) && sr.senderSsrc() == ssrc ? sr : null);
    }

    /** What one packet of a compound yields, or null. */
    private interface RtcpReader<T> {
        T read(byte[] rtcp, RtcpCompoundIterator it);
    }

    /** The first thing the reader finds in the next RTCP compound packet the peer got within 100 ms, or null. */
    private static <T> T nextRtcp(TestLiteRelay.Peer peer, RtcpReader<T> reader) throws InterruptedException {
        byte[] rtcp = peer.rtcp.poll(100, TimeUnit.MILLISECONDS);
        if (rtcp == null) {
            return null;
        }
        RtcpCompoundIterator it = new RtcpCompoundIterator();
        it.reset(rtcp, 0, rtcp.length);
        while (it.next()) {
            T found = reader.read(rtcp, it);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private static void awaitTrue(BooleanSupplier condition, String what) {
        await(what).atMost(WAIT).pollInterval(Duration.ofMillis(5)).until(condition::getAsBoolean);
    }
}
