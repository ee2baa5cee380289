package dev.parley.relay.negotiation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.parley.relay.router.Endpoint;
import dev.parley.relay.router.LoopFixture;
import dev.parley.relay.router.LoopFixture.Peer;
import dev.parley.relay.router.MediaKind;
import dev.parley.relay.router.MediaSection;
import dev.parley.relay.router.Producer;
import dev.parley.relay.router.RecordingListener;
import dev.parley.relay.router.Router;
import dev.parley.relay.router.RtpCodecSpec;
import dev.parley.relay.router.TrackSource;
import dev.parley.relay.sdp.Direction;
import dev.parley.relay.sdp.HeaderExtension;
import dev.parley.relay.sdp.IceCandidate;
import dev.parley.relay.sdp.MediaDescription;
import dev.parley.relay.sdp.Msid;
import dev.parley.relay.sdp.RtcpFeedback;
import dev.parley.relay.sdp.RtpCodec;
import dev.parley.relay.sdp.SessionDescription;
import dev.parley.relay.sdp.Setup;
import dev.parley.relay.sdp.Ssrc;
import dev.parley.relay.sdp.SsrcGroup;
import dev.parley.relay.srtp.SrtpProfile;
import dev.parley.relay.transport.LoopContext;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Browser offers written from an endpoint's m-sections, and answers turned into producers and live consumers. */
class NegotiatorTest {

    private static final long ALICE_AUDIO = 1_204_394_887L;
    private static final long ALICE_VIDEO = 3_571_094_425L;
    private static final long ALICE_RTX = 2_869_310_742L;

    private final LoopFixture fixture = new LoopFixture((buf, off, len, to) -> true, SrtpProfile.AEAD_AES_128_GCM);
    private final LoopContext ctx = fixture.context();
    private final Router router = new Router("room-1");
    private int nextSsrc = 0x30000001;
    private final Negotiator negotiator = new Negotiator(BrowserAnswer.FINGERPRINT,
            List.of(IceCandidate.host("1", 1, "udp", IceCandidate.priority(126, 65535, 1), "192.0.2.10", 10000)),
            List.of(RtpCodecSpec.VP8, RtpCodecSpec.H264), () -> nextSsrc++, 42L);
    private final Map<Peer, OfferState> offers = new HashMap<>();
    private final Map<Peer, RecordingListener> listeners = new HashMap<>();

    /** A browser joins as the relay has it join: publish sections first, then into the router. */
    private Peer join(String participantId) {
        RecordingListener listener = new RecordingListener();
        Peer peer = fixture.connectedPeer(participantId, Endpoint.Kind.BROWSER, router, listener);
        negotiator.preparePublishSections(peer.endpoint());
        router.addEndpoint(peer.endpoint(), ctx);
        offers.put(peer, new OfferState());
        listeners.put(peer, listener);
        return peer;
    }

    private TransportOffer offer(Peer peer) {
        offers.get(peer).requireOffer();
        return negotiator.offer(peer.endpoint(), offers.get(peer));
    }

    private static SessionDescription parsed(TransportOffer offer) throws NegotiationException {
        return Negotiator.parse(offer.sdp());
    }

    private void answer(Peer peer, BrowserAnswer answer) throws NegotiationException {
        assertThat(offers.get(peer).isAwaitingAnswer(offers.get(peer).version())).isTrue();
        negotiator.applyAnswer(peer.endpoint(), Negotiator.parse(answer.sdp()), ctx);
        offers.get(peer).answerApplied();
    }

    /** Alice is in the room publishing audio and VP8 video with RTX. */
    private Peer alicePublishing() throws NegotiationException {
        Peer alice = join("alice");
        offer(alice);
        answer(alice, new BrowserAnswer().audio("0", "sendonly", ALICE_AUDIO)
                .video("1", "sendonly", ALICE_VIDEO, ALICE_RTX));
        return alice;
    }

    private static Producer producer(Peer peer, MediaKind kind) {
        return peer.endpoint().producers().stream().filter(p -> p.kind() == kind).findFirst().orElseThrow();
    }

    private static MediaSection section(Peer peer, String mid) {
        return peer.endpoint().sections().stream().filter(s -> s.mid().equals(mid)).findFirst().orElseThrow();
    }

    // ---------------------------------------------------------------- offers

    @Test
    void theFirstOfferHasTheTwoPublishSectionsForTheBrowserToSendOn() throws NegotiationException {
        Peer alice = join("alice");

        TransportOffer offer = offer(alice);

        assertThat(offer.version()).isEqualTo(1);
        assertThat(offer.publishAudioMid()).isEqualTo("0");
        assertThat(offer.publishVideoMid()).isEqualTo("1");
        assertThat(offer.tracks()).isEmpty();
        SessionDescription sdp = parsed(offer);
        assertThat(sdp.iceLite()).isTrue();
        assertThat(sdp.origin().sessionVersion()).isEqualTo("1");
        assertThat(sdp.bundleMids()).containsExactly("0", "1");
        assertThat(sdp.media()).extracting(MediaDescription::media).containsExactly("audio", "video");
        for (MediaDescription m : sdp.media()) {
            assertThat(m.direction()).isEqualTo(Direction.RECVONLY);
            assertThat(m.setup()).contains(Setup.ACTPASS);
            assertThat(m.iceUfrag()).contains(alice.transport().localIce().ufrag());
            assertThat(m.candidates()).extracting(IceCandidate::address).containsExactly("192.0.2.10");
            assertThat(m.ssrcs()).isEmpty();
        }
        assertThat(sdp.media().get(0).codecs()).extracting(RtpCodec::payloadType, RtpCodec::encodingName)
                .containsExactly(tuple(111, "opus"));
        List<RtpCodec> video = sdp.media().get(1).codecs();
        assertThat(video).extracting(RtpCodec::payloadType).containsExactly(96, 97, 102, 103);
        assertThat(video.get(1).apt()).hasValue(96);
        assertThat(video.get(3).apt()).hasValue(102);
        assertThat(alice.endpoint().sections()).allMatch(MediaSection::isOffered);
    }

    @Test
    void aLaterBrowserGetsPublishSectionsFirstThenTheOthersTracksWithSsrcsAndMsid() throws NegotiationException {
        Peer alice = alicePublishing();
        Producer audio = producer(alice, MediaKind.AUDIO);
        Producer video = producer(alice, MediaKind.VIDEO);

        Peer bob = join("bob");
        TransportOffer offer = offer(bob);

        SessionDescription sdp = parsed(offer);
        assertThat(sdp.bundleMids()).containsExactly("0", "1", "2", "3");
        assertThat(sdp.media()).extracting(MediaDescription::direction)
                .containsExactly(Direction.RECVONLY, Direction.RECVONLY, Direction.SENDONLY, Direction.SENDONLY);
        assertThat(offer.publishAudioMid()).isEqualTo("0");
        assertThat(offer.publishVideoMid()).isEqualTo("1");
        assertThat(offer.tracks()).containsExactly(
                new TransportOffer.Track("2", "alice", MediaKind.AUDIO, TrackSource.MICROPHONE, true),
                new TransportOffer.Track("3", "alice", MediaKind.VIDEO, TrackSource.CAMERA, true));

        MediaDescription audioSection = sdp.media().get(2);
        assertThat(audioSection.msid()).contains(new Msid("alice", audio.trackId()));
        assertThat(audioSection.ssrcs()).extracting(Ssrc::id)
                .containsExactly(Integer.toUnsignedLong(audio.outSsrc()));
        assertThat(audioSection.ssrcs().get(0).cname()).contains("parley-alice");
        assertThat(audioSection.ssrcs().get(0).msid()).contains(new Msid("alice", audio.trackId()));

        MediaDescription videoSection = sdp.media().get(3);
        long primary = Integer.toUnsignedLong(video.outSsrc());
        long repair = Integer.toUnsignedLong(video.outRtxSsrc());
        assertThat(videoSection.ssrcGroups()).containsExactly(new SsrcGroup(SsrcGroup.FID, List.of(primary, repair)));
        assertThat(videoSection.ssrcs()).extracting(Ssrc::id).containsExactly(primary, repair);
        assertThat(videoSection.ssrcs()).allSatisfy(s -> assertThat(s.cname()).contains("parley-alice"));
        assertThat(videoSection.codecs()).extracting(RtpCodec::payloadType).as("only the producer's codec")
                .containsExactly(96, 97);
        assertThat(primary).isNotIn(ALICE_VIDEO, ALICE_RTX);
    }

    @Test
    void consumeSectionsOfferTransportWideCongestionControlAndAnAnswerThatKeepsItTurnsItOn()
            throws NegotiationException {
        alicePublishing();
        Peer bob = join("bob");

        SessionDescription sdp = parsed(offer(bob));

        for (MediaDescription consume : sdp.media().subList(2, 4)) {
            assertThat(consume.extmaps()).contains(HeaderExtension.of(5, HeaderExtension.TRANSPORT_WIDE_CC));
            assertThat(consume.codecs().get(0).feedback()).contains(RtcpFeedback.TRANSPORT_CC);
        }
        answer(bob, new BrowserAnswer().audio("0", "sendonly", 0).video("1", "sendonly", 0, 0)
                .audio("2", "recvonly", 0).extmap(5, HeaderExtension.TRANSPORT_WIDE_CC)
                .video("3", "recvonly", 0, 0).extmap(5, HeaderExtension.TRANSPORT_WIDE_CC));
        assertThat(bob.endpoint().receivesTransportCc()).isTrue();
    }

    @Test
    void anAnswerWithoutTheExtensionLeavesTheSubscriberOnRemb() throws NegotiationException {
        alicePublishing();
        Peer bob = join("bob");
        offer(bob);

        answer(bob, new BrowserAnswer().audio("0", "sendonly", 0).video("1", "sendonly", 0, 0)
                .audio("2", "recvonly", 0).video("3", "recvonly", 0, 0).extmap(5, HeaderExtension.ABS_SEND_TIME));

        assertThat(bob.endpoint().receivesTransportCc()).isFalse();
        assertThat(section(bob, "3").consumer().isActive()).isTrue();
    }

    /** A WHEP player's offer (receives audio and VP8 with RTX), with {@code extra} lines in both sections. */
    private static String whepOffer(String... extra) {
        StringBuilder sdp = new StringBuilder("v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0 1\r\n");
        String[][] sections = {{"audio", "111", "a=rtpmap:111 opus/48000/2"},
                {"video", "96 97", "a=rtpmap:96 VP8/90000\r\na=rtcp-fb:96 nack pli\r\na=rtcp-fb:96 transport-cc\r\n"
                        + "a=rtpmap:97 rtx/90000\r\na=fmtp:97 apt=96"}};
        for (int i = 0; i < sections.length; i++) {
            sdp.append("m=").append(sections[i][0]).append(" 9 UDP/TLS/RTP/SAVPF ").append(sections[i][1]).append("\r\n")
                    .append("c=IN IP4 0.0.0.0\r\na=ice-ufrag:wW4r\r\na=ice-pwd:tS1mO9dPz4xK7cB2nQ8vL3jH\r\n")
                    .append("a=fingerprint:").append(BrowserAnswer.FINGERPRINT).append("\r\na=setup:actpass\r\n")
                    .append("a=mid:").append(i).append("\r\na=recvonly\r\na=rtcp-mux\r\n")
                    .append(sections[i][2]).append("\r\n");
            for (String line : extra) {
                sdp.append(line).append("\r\n");
            }
        }
        return sdp.toString();
    }

    private SessionDescription answerWhep(Peer player, Peer target, String offerText) throws NegotiationException {
        SessionDescription offer = Negotiator.parse(offerText);
        player.endpoint().setWhepTarget(target.endpoint().participantId());
        negotiator.prepareWhep(player.endpoint(), offer);
        negotiator.mapWhepPayloadTypes(player.endpoint(), offer, target.endpoint().producers(), ctx);
        router.addEndpoint(player.endpoint(), ctx);
        return negotiator.answerWhep(player.endpoint(), offer);
    }

    @Test
    void aWhepPlayerThatOffersTransportCcGetsItUnderItsOwnId() throws NegotiationException {
        Peer alice = alicePublishing();
        Peer player = fixture.connectedPeer("player", Endpoint.Kind.WHEP, router, new RecordingListener());

        SessionDescription answer = answerWhep(player, alice,
                whepOffer("a=extmap:7 " + HeaderExtension.TRANSPORT_WIDE_CC));

        MediaDescription video = answer.mediaByMid("1").orElseThrow();
        assertThat(video.extmaps()).containsExactly(HeaderExtension.of(7, HeaderExtension.TRANSPORT_WIDE_CC));
        assertThat(video.codecs().get(0).feedback()).contains(RtcpFeedback.TRANSPORT_CC);
        assertThat(answer.mediaByMid("0").orElseThrow().extmaps())
                .containsExactly(HeaderExtension.of(7, HeaderExtension.TRANSPORT_WIDE_CC));
        assertThat(player.endpoint().receivesTransportCc()).isTrue();
        assertThat(section(player, "1").consumerExtensionMap()[5]).as("canonical 5 goes out as 7").isEqualTo((byte) 7);
    }

    @Test
    void aWhepPlayerThatDoesNotOfferItGetsNone() throws NegotiationException {
        Peer alice = alicePublishing();
        Peer player = fixture.connectedPeer("player", Endpoint.Kind.WHEP, router, new RecordingListener());

        SessionDescription answer = answerWhep(player, alice, whepOffer());

        assertThat(answer.mediaByMid("1").orElseThrow().extmaps()).isEmpty();
        assertThat(answer.mediaByMid("1").orElseThrow().codecs().get(0).feedback())
                .doesNotContain(RtcpFeedback.TRANSPORT_CC);
        assertThat(player.endpoint().receivesTransportCc()).isFalse();
    }

    @Test
    void anSsrcGroupSimulcastAnswerGivesALayerPerSsrcLowestFirst() throws NegotiationException {
        Peer alice = join("alice");
        offer(alice);

        answer(alice, new BrowserAnswer().audio("0", "sendonly", ALICE_AUDIO).videoSimulcastGroup("1", "sendonly",
                new long[][] {{1_000_001L, 2_000_001L}, {1_000_002L, 2_000_002L}, {3_000_000_003L, 2_000_003L}}));

        Producer video = producer(alice, MediaKind.VIDEO);
        assertThat(video.isSimulcast()).isTrue();
        assertThat(video.layerCount()).isEqualTo(3);
        assertThat(video.layer(0).ssrc()).isEqualTo(1_000_001);
        assertThat(video.layer(0).rtxSsrc()).isEqualTo(2_000_001);
        assertThat(video.layer(1).ssrc()).isEqualTo(1_000_002);
        assertThat(video.layer(2).ssrc()).isEqualTo((int) 3_000_000_003L);
        assertThat(video.layer(2).rtxSsrc()).isEqualTo(2_000_003);
    }

    @Test
    void answeringTheConsumeSectionsStartsTheConsumers() throws NegotiationException {
        alicePublishing();
        Peer bob = join("bob");
        offer(bob);
        assertThat(section(bob, "2").consumer().isActive()).isFalse();

        answer(bob, new BrowserAnswer().audio("0", "sendonly", 0).video("1", "sendonly", 0, 0)
                .audio("2", "recvonly", 0).video("3", "recvonly", 0, 0));

        assertThat(section(bob, "2").consumer().isActive()).isTrue();
        assertThat(section(bob, "3").consumer().isActive()).isTrue();
    }

    @Test
    void aConsumeSectionTheBrowserRejectsDoesNotStart() throws NegotiationException {
        alicePublishing();
        Peer bob = join("bob");
        offer(bob);

        answer(bob, new BrowserAnswer().audio("0", "inactive", 0).video("1", "inactive", 0, 0)
                .audio("2", "recvonly", 0).rejected("video", "3"));

        assertThat(section(bob, "2").consumer().isActive()).isTrue();
        assertThat(section(bob, "3").consumer().isActive()).isFalse();
        assertThat(bob.endpoint().producers()).isEmpty();
    }

    @Test
    void sectionsAddedWhileAnOfferIsOutWaitForTheNextOffer() throws NegotiationException {
        Peer bob = join("bob");
        offer(bob);
        int changes = listeners.get(bob).sectionsChanged();

        alicePublishing();
        assertThat(listeners.get(bob).sectionsChanged() - changes).isEqualTo(2);
        answer(bob, new BrowserAnswer().audio("0", "inactive", 0).video("1", "inactive", 0, 0));

        assertThat(section(bob, "2").isOffered()).isFalse();
        assertThat(section(bob, "2").consumer().isActive()).isFalse();
        TransportOffer next = offer(bob);
        assertThat(next.version()).isEqualTo(2);
        assertThat(parsed(next).bundleMids()).containsExactly("0", "1", "2", "3");
    }

    @Test
    void finishedConsumersAreOfferedInactiveAndKeepTheirMLine() throws NegotiationException {
        Peer alice = alicePublishing();
        Peer bob = join("bob");
        offer(bob);
        answer(bob, new BrowserAnswer().audio("0", "inactive", 0).video("1", "inactive", 0, 0)
                .audio("2", "recvonly", 0).video("3", "recvonly", 0, 0));

        alice.transport().close("left");
        TransportOffer offer = offer(bob);

        SessionDescription sdp = parsed(offer);
        assertThat(sdp.bundleMids()).containsExactly("0", "1", "2", "3");
        assertThat(sdp.media().subList(2, 4)).allSatisfy(m -> {
            assertThat(m.direction()).isEqualTo(Direction.INACTIVE);
            assertThat(m.ssrcs()).isEmpty();
            assertThat(m.msids()).isEmpty();
        });
        assertThat(offer.tracks()).extracting(TransportOffer.Track::active).containsExactly(false, false);
        assertThat(sdp.media().get(0).direction()).as("bob may still publish").isEqualTo(Direction.RECVONLY);
    }

    /** The browser publishes nothing and answers the sections 2 (audio) and 3 (video) in this direction. */
    private void answerReceiving(Peer peer, String direction) throws NegotiationException {
        answer(peer, new BrowserAnswer().audio("0", "inactive", 0).video("1", "inactive", 0, 0)
                .audio("2", direction, 0).video("3", direction, 0, 0));
    }

    /** Bob receives Alice's two tracks on mids 2 and 3, then Alice leaves and Bob answers them inactive. */
    private Peer bobAfterAliceLeft() throws NegotiationException {
        Peer alice = alicePublishing();
        Peer bob = join("bob");
        offer(bob);
        answerReceiving(bob, "recvonly");
        alice.transport().close("left");
        offer(bob);
        answerReceiving(bob, "inactive");
        return bob;
    }

    private Peer publishing(String participantId, long audioSsrc, long videoSsrc, long rtxSsrc)
            throws NegotiationException {
        Peer peer = join(participantId);
        offer(peer);
        answer(peer, new BrowserAnswer().audio("0", "sendonly", audioSsrc).video("1", "sendonly", videoSsrc, rtxSsrc));
        return peer;
    }

    @Test
    void aSectionTheBrowserAnsweredInactiveCarriesTheNextTrackOfItsKind() throws NegotiationException {
        Peer bob = bobAfterAliceLeft();

        publishing("carol", 11, 12, 13);
        TransportOffer offer = offer(bob);

        SessionDescription sdp = parsed(offer);
        assertThat(sdp.bundleMids()).as("no new m-section").containsExactly("0", "1", "2", "3");
        assertThat(offer.tracks()).extracting(TransportOffer.Track::mid, TransportOffer.Track::participantId,
                TransportOffer.Track::kind, TransportOffer.Track::active)
                .containsExactly(tuple("2", "carol", MediaKind.AUDIO, true), tuple("3", "carol", MediaKind.VIDEO, true));
        assertThat(sdp.media().subList(2, 4)).allSatisfy(m -> {
            assertThat(m.direction()).isEqualTo(Direction.SENDONLY);
            assertThat(m.msids()).extracting(Msid::streamId).containsExactly("carol");
            assertThat(m.ssrcs()).isNotEmpty();
        });
        assertThat(section(bob, "3").consumer().producer().participantId()).isEqualTo("carol");

        answerReceiving(bob, "recvonly");
        assertThat(section(bob, "2").consumer().isActive()).isTrue();
        assertThat(section(bob, "3").consumer().isActive()).isTrue();
    }

    @Test
    void aFinishedSectionIsNotTakenAgainBeforeTheBrowserAnsweredItInactive() throws NegotiationException {
        Peer alice = alicePublishing();
        Peer bob = join("bob");
        offer(bob);
        answerReceiving(bob, "recvonly");
        alice.transport().close("left");
        offer(bob); // 2 and 3 inactive: the browser has not answered yet

        publishing("carol", 11, 12, 13);
        answerReceiving(bob, "inactive");
        TransportOffer next = offer(bob);

        assertThat(parsed(next).bundleMids()).containsExactly("0", "1", "2", "3", "4", "5");
        assertThat(next.tracks()).extracting(TransportOffer.Track::mid, TransportOffer.Track::participantId,
                TransportOffer.Track::active)
                .containsExactly(tuple("2", "alice", false), tuple("3", "alice", false), tuple("4", "carol", true),
                        tuple("5", "carol", true));
    }

    @Test
    void aSectionIsTakenOnlyByATrackOfItsKind() throws NegotiationException {
        Peer bob = bobAfterAliceLeft();

        Peer dave = join("dave");
        offer(dave);
        answer(dave, new BrowserAnswer().audio("0", "inactive", 0).video("1", "sendonly", 21, 22));
        TransportOffer offer = offer(bob);

        assertThat(parsed(offer).bundleMids()).containsExactly("0", "1", "2", "3");
        assertThat(offer.tracks()).extracting(TransportOffer.Track::mid, TransportOffer.Track::participantId,
                TransportOffer.Track::active)
                .containsExactly(tuple("2", "alice", false), tuple("3", "dave", true));
    }

    @Test
    void aSectionTheBrowserRejectedIsNeverTakenAgain() throws NegotiationException {
        Peer alice = alicePublishing();
        Peer bob = join("bob");
        offer(bob);
        answer(bob, new BrowserAnswer().audio("0", "inactive", 0).video("1", "inactive", 0, 0)
                .audio("2", "recvonly", 0).rejected("video", "3"));
        alice.transport().close("left");
        offer(bob);
        answer(bob, new BrowserAnswer().audio("0", "inactive", 0).video("1", "inactive", 0, 0)
                .audio("2", "inactive", 0).rejected("video", "3"));

        publishing("carol", 11, 12, 13);
        TransportOffer offer = offer(bob);

        assertThat(parsed(offer).bundleMids()).as("a stopped transceiver's mid carries nothing again")
                .containsExactly("0", "1", "2", "3", "4");
        assertThat(offer.tracks()).extracting(TransportOffer.Track::mid, TransportOffer.Track::participantId,
                TransportOffer.Track::active)
                .containsExactly(tuple("2", "carol", true), tuple("3", "alice", false), tuple("4", "carol", true));
    }

    @Test
    void peopleComingAndGoingDoNotGrowTheDescription() throws NegotiationException {
        Peer bob = join("bob");
        offer(bob);
        answer(bob, new BrowserAnswer().audio("0", "inactive", 0).video("1", "inactive", 0, 0));
        int length = 0;
        for (int i = 0; i < 30; i++) {
            Peer guest = publishing("guest-" + i, 100 + 3L * i, 101 + 3L * i, 102 + 3L * i);
            TransportOffer withGuest = offer(bob);
            assertThat(withGuest.tracks()).extracting(TransportOffer.Track::participantId, TransportOffer.Track::active)
                    .containsExactly(tuple("guest-" + i, true), tuple("guest-" + i, true));
            answerReceiving(bob, "recvonly");
            assertThat(section(bob, "3").consumer().isActive()).isTrue();
            if (i == 0) {
                length = withGuest.sdp().length();
            }
            assertThat(withGuest.sdp().length()).as("guest %d", i).isBetween(length - 64, length + 64);
            guest.transport().close("left");
            offer(bob);
            answerReceiving(bob, "inactive");
        }
        assertThat(bob.endpoint().sections()).hasSize(4);
    }

    @Test
    void aSectionKnowsWhichOfferFirstCarriedItsConsumer() throws NegotiationException {
        Peer bob = bobAfterAliceLeft(); // offers 1 and 2: mid 3 carried Alice's video from offer 1

        publishing("carol", 11, 12, 13);
        assertThat(section(bob, "3").describesCurrentConsumer(2)).as("taken again, not yet offered").isFalse();
        TransportOffer offer = offer(bob);

        assertThat(offer.version()).isEqualTo(3);
        assertThat(section(bob, "3").describesCurrentConsumer(2)).as("what the browser read in offer 2").isFalse();
        assertThat(section(bob, "3").describesCurrentConsumer(3)).isTrue();
        assertThat(section(bob, "3").describesCurrentConsumer(4)).isTrue();
    }

    // ---------------------------------------------------------------- answers

    @Test
    void anAnswerThatSendsCreatesProducersWithTheAnnouncedSsrcs() throws NegotiationException {
        Peer alice = alicePublishing();

        Producer audio = producer(alice, MediaKind.AUDIO);
        Producer video = producer(alice, MediaKind.VIDEO);
        assertThat(audio.codec()).isEqualTo(RtpCodecSpec.OPUS);
        assertThat(Integer.toUnsignedLong(audio.ssrc())).isEqualTo(ALICE_AUDIO);
        assertThat(audio.outRtxSsrc()).isZero();
        assertThat(video.codec()).isEqualTo(RtpCodecSpec.VP8);
        assertThat(Integer.toUnsignedLong(video.ssrc())).isEqualTo(ALICE_VIDEO);
        assertThat(Integer.toUnsignedLong(video.rtxSsrc())).isEqualTo(ALICE_RTX);
        assertThat(List.of(audio.outSsrc(), video.outSsrc(), video.outRtxSsrc())).doesNotHaveDuplicates()
                .doesNotContain(0);
        assertThat(section(alice, "0").producer()).isSameAs(audio);
        assertThat(router.producers()).containsExactlyInAnyOrder(audio, video);
    }

    @Test
    void theAnsweredCodecDecidesTheProducersCodecAndRtx() throws NegotiationException {
        Peer alice = join("alice");
        offer(alice);

        answer(alice, new BrowserAnswer().audio("0", "inactive", 0).h264("1", "sendonly", 0));

        Producer video = producer(alice, MediaKind.VIDEO);
        assertThat(video.codec().name()).isEqualTo("H264");
        assertThat(video.codec().rtxPayloadType()).isEqualTo(103);
        assertThat(video.ssrc()).as("nothing announced: learnt from the first packet").isZero();
        assertThat(alice.endpoint().producers()).hasSize(1);
    }

    @Test
    void videoAnsweredWithoutRtxHasNoRtxSsrcAndIsOfferedWithoutAnFidGroup() throws NegotiationException {
        Peer alice = join("alice");
        offer(alice);
        answer(alice, new BrowserAnswer().audio("0", "inactive", 0).videoWithoutRtx("1", "sendonly", ALICE_VIDEO));
        Producer video = producer(alice, MediaKind.VIDEO);

        Peer bob = join("bob");
        MediaDescription offered = parsed(offer(bob)).media().get(2);

        assertThat(video.codec().hasRtx()).isFalse();
        assertThat(video.outRtxSsrc()).isZero();
        assertThat(offered.ssrcGroups()).isEmpty();
        assertThat(offered.ssrcs()).extracting(Ssrc::id).containsExactly(Integer.toUnsignedLong(video.outSsrc()));
        assertThat(offered.codecs()).extracting(RtpCodec::payloadType).containsExactly(96);
    }

    @Test
    void whenTheBrowserStopsSendingItsProducerIsRemovedAndSubscribersAreTold() throws NegotiationException {
        Peer alice = alicePublishing();
        Producer video = producer(alice, MediaKind.VIDEO);
        Peer bob = join("bob");
        int changes = listeners.get(bob).sectionsChanged();
        offer(alice);

        answer(alice, new BrowserAnswer().audio("0", "sendonly", ALICE_AUDIO).video("1", "inactive", 0, 0));

        assertThat(alice.endpoint().producers()).extracting(Producer::kind).containsExactly(MediaKind.AUDIO);
        assertThat(section(alice, "1").producer()).isNull();
        assertThat(video.isClosed()).isTrue();
        assertThat(router.producers()).extracting(Producer::kind).containsExactly(MediaKind.AUDIO);
        assertThat(listeners.get(bob).sectionsChanged() - changes).isEqualTo(1);
        assertThat(section(bob, "3").isFinished()).isTrue();
    }

    @Test
    void aShareTheServerAllowsGetsASectionOfItsOwnSentAsOneStreamAndTaggedForSubscribers()
            throws NegotiationException {
        Peer alice = alicePublishing();
        Peer bob = join("bob");
        offer(bob);
        int changes = listeners.get(alice).sectionsChanged();

        alice.endpoint().allowScreenShare(true);

        assertThat(listeners.get(alice).sectionsChanged()).as("an offer is due").isEqualTo(changes + 1);
        TransportOffer offer = offer(alice);
        assertThat(offer.publishScreenMid()).isEqualTo("2");
        assertThat(offer.publishVideoMid()).isEqualTo("1");
        MediaDescription screenSection = parsed(offer).mediaByMid("2").orElseThrow();
        assertThat(screenSection.direction()).isEqualTo(Direction.RECVONLY);
        assertThat(screenSection.simulcast()).as("a share is not asked for in layers").isEmpty();
        assertThat(screenSection.rids()).isEmpty();

        answer(alice, new BrowserAnswer().audio("0", "sendonly", ALICE_AUDIO)
                .video("1", "sendonly", ALICE_VIDEO, ALICE_RTX).video("2", "sendonly", 77_001L, 77_002L));

        Producer screen = alice.endpoint().screenSection().producer();
        assertThat(screen).isNotNull();
        assertThat(screen.source()).isEqualTo(TrackSource.SCREEN);
        assertThat(screen.trackId()).isEqualTo("alice-screen");
        assertThat(screen.ssrc()).isEqualTo((int) 77_001L);
        assertThat(producer(alice, MediaKind.VIDEO).source()).isEqualTo(TrackSource.CAMERA);
        answer(bob, new BrowserAnswer().audio("0", "inactive", 0).video("1", "inactive", 0, 0)
                .audio("2", "recvonly", 0).video("3", "recvonly", 0, 0));
        TransportOffer bobs = offer(bob);
        assertThat(bobs.publishScreenMid()).as("bob never shared").isNull();
        assertThat(bobs.tracks()).containsExactly(
                new TransportOffer.Track("2", "alice", MediaKind.AUDIO, TrackSource.MICROPHONE, true),
                new TransportOffer.Track("3", "alice", MediaKind.VIDEO, TrackSource.CAMERA, true),
                new TransportOffer.Track("4", "alice", MediaKind.VIDEO, TrackSource.SCREEN, true));
        assertThat(parsed(bobs).mediaByMid("4").orElseThrow().msid())
                .contains(new Msid("alice", "alice-screen"));
    }

    @Test
    void aShareTheServerDidNotAllowOrStoppedIsNotReceived() throws NegotiationException {
        Peer alice = alicePublishing();
        alice.endpoint().allowScreenShare(true);
        offer(alice);
        alice.endpoint().allowScreenShare(false);

        answer(alice, new BrowserAnswer().audio("0", "sendonly", ALICE_AUDIO)
                .video("1", "sendonly", ALICE_VIDEO, ALICE_RTX).video("2", "sendonly", 77_001L, 77_002L));

        assertThat(alice.endpoint().screenSection().producer()).as("the browser sends, but was told to stop").isNull();
        assertThat(router.producers()).extracting(Producer::source)
                .containsExactly(TrackSource.MICROPHONE, TrackSource.CAMERA);
        TransportOffer next = offer(alice);
        assertThat(next.publishScreenMid()).as("the section stays, for the browser to answer inactive").isEqualTo("2");
    }

    @Test
    void aBrowserThatStartsSendingAgainGetsANewProducer() throws NegotiationException {
        Peer alice = alicePublishing();
        Producer first = producer(alice, MediaKind.VIDEO);
        offer(alice);
        answer(alice, new BrowserAnswer().audio("0", "sendonly", ALICE_AUDIO).video("1", "inactive", 0, 0));
        offer(alice);

        answer(alice, new BrowserAnswer().audio("0", "sendonly", ALICE_AUDIO)
                .video("1", "sendonly", ALICE_VIDEO, ALICE_RTX));

        Producer second = producer(alice, MediaKind.VIDEO);
        assertThat(second).isNotSameAs(first);
        assertThat(Integer.toUnsignedLong(second.ssrc())).isEqualTo(ALICE_VIDEO);
        assertThat(producer(alice, MediaKind.AUDIO).ssrc()).isEqualTo((int) ALICE_AUDIO);
        assertThat(router.producers()).hasSize(2);
    }

    @Test
    void anAnswerMustTakeTheDtlsClientRole() throws NegotiationException {
        Peer alice = join("alice");
        offer(alice);
        SessionDescription passive = Negotiator.parse(new BrowserAnswer().setup("passive")
                .audio("0", "sendonly", ALICE_AUDIO).video("1", "sendonly", 0, 0).sdp());

        assertThatThrownBy(() -> negotiator.applyAnswer(alice.endpoint(), passive, ctx))
                .isInstanceOf(NegotiationException.class).extracting("code").isEqualTo("bad-sdp");
        assertThat(alice.endpoint().producers()).isEmpty();
    }

    @Test
    void anAnswerMissingAnOfferedSectionIsRejectedBeforeAnythingChanges() throws NegotiationException {
        Peer alice = join("alice");
        offer(alice);
        SessionDescription partial = Negotiator.parse(new BrowserAnswer().audio("0", "sendonly", ALICE_AUDIO).sdp());

        assertThatThrownBy(() -> negotiator.applyAnswer(alice.endpoint(), partial, ctx))
                .isInstanceOf(NegotiationException.class).hasMessageContaining("1");
        assertThat(alice.endpoint().producers()).isEmpty();
        assertThat(router.producers()).isEmpty();
    }

    @Test
    void anAnswerWithoutAUsableFingerprintIsRejected() throws NegotiationException {
        Peer alice = join("alice");
        offer(alice);
        SessionDescription md5 = Negotiator.parse(new BrowserAnswer()
                .fingerprint("md5 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B")
                .audio("0", "sendonly", ALICE_AUDIO).video("1", "sendonly", 0, 0).sdp());

        assertThatThrownBy(() -> negotiator.applyAnswer(alice.endpoint(), md5, ctx))
                .isInstanceOf(NegotiationException.class).hasMessageContaining("fingerprint");
    }

    @Test
    void anAnswerWithOnlyASha1FingerprintIsRejected() throws NegotiationException {
        Peer alice = join("alice");
        offer(alice);
        // FIPS 180-2 A.1's SHA-1("abc"): well-formed, but WebRTC requires SHA-256 or stronger (RFC 8827).
        SessionDescription sha1 = Negotiator.parse(new BrowserAnswer()
                .fingerprint("sha-1 A9:99:3E:36:47:06:81:6A:BA:3E:25:71:78:50:C2:6C:9C:D0:D8:9D")
                .audio("0", "sendonly", ALICE_AUDIO).video("1", "sendonly", 0, 0).sdp());

        assertThatThrownBy(() -> negotiator.applyAnswer(alice.endpoint(), sha1, ctx))
                .isInstanceOf(NegotiationException.class).hasMessageContaining("sha-256 or stronger");
    }

    @Test
    void parseRejectsEmptyOversizedAndMalformedSdpAsBadSdp() {
        for (String text : new String[] {"", "   ", "x".repeat(ClientSdp.MAX_SDP_LENGTH + 1), "v=0\r\nnonsense\r\n"}) {
            assertThatThrownBy(() -> Negotiator.parse(text)).isInstanceOf(NegotiationException.class)
                    .extracting("code").isEqualTo("bad-sdp");
        }
    }
}
