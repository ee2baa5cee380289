package dev.parley.relay.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.relay.dtls.DtlsFingerprint;
import dev.parley.relay.sdp.Direction;
import dev.parley.relay.sdp.HeaderExtension;
import dev.parley.relay.sdp.MediaDescription;
import dev.parley.relay.sdp.RtcpFeedback;
import dev.parley.relay.sdp.RtpCodec;
import dev.parley.relay.sdp.SdpParseException;
import dev.parley.relay.sdp.SdpParser;
import dev.parley.relay.sdp.SessionDescription;
import dev.parley.relay.sdp.Setup;
import dev.parley.relay.sdp.Ssrc;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Offer/answer without the network: what we write, what we accept, what we refuse. */
class SdpNegotiatorTest {

    private static final DtlsFingerprint OUR_FINGERPRINT = DtlsFingerprint.parse("sha-256 "
            + "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99");
    private static final String SERVER_FINGERPRINT = "sha-256 "
            + "D4:1D:8C:D9:8F:00:B2:04:E9:80:09:98:EC:F8:42:7E:01:23:45:67:89:AB:CD:EF:10:32:54:76:98:BA:DC:FE";

    private final SdpNegotiator negotiator = new SdpNegotiator("ufrA", "passwordpasswordpassword", OUR_FINGERPRINT,
            "cname-1", "stream-1", new SecureRandom());

    /** A server offer the way Parley's relay writes one: its own payload types and extmap ids. */
    private static String serverOffer(String version, String... sections) {
        StringBuilder sdp = new StringBuilder("v=0\r\no=- 88 " + version + " IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
                + "a=ice-lite\r\na=group:BUNDLE");
        for (int i = 0; i < sections.length; i++) {
            sdp.append(' ').append(i);
        }
        sdp.append("\r\na=msid-semantic:WMS *\r\n");
        for (int i = 0; i < sections.length; i++) {
            sdp.append(sections[i].replace("$MID", Integer.toString(i)));
        }
        return sdp.toString();
    }

    private static String transport(String setup) {
        return "c=IN IP4 0.0.0.0\r\na=ice-ufrag:srv1\r\na=ice-pwd:0123456789abcdefghijkl\r\n"
                + "a=fingerprint:" + SERVER_FINGERPRINT + "\r\na=setup:" + setup + "\r\na=mid:$MID\r\n"
                + "a=extmap:3 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time\r\n"
                + "a=extmap:9 urn:ietf:params:rtp-hdrext:sdes:mid\r\n";
    }

    private static String audio(String direction, String extra) {
        return "m=audio 9 UDP/TLS/RTP/SAVPF 109 0\r\n" + transport("actpass") + "a=" + direction + "\r\n"
                + "a=rtcp-mux\r\na=rtpmap:109 opus/48000/2\r\na=fmtp:109 minptime=10;useinbandfec=1\r\n"
                + "a=rtpmap:0 PCMU/8000\r\n" + extra;
    }

    private static String video(String direction, String extra) {
        return "m=video 9 UDP/TLS/RTP/SAVPF 98 100 101\r\n" + transport("actpass") + "a=" + direction + "\r\n"
                + "a=rtcp-mux\r\na=rtcp-rsize\r\na=rtpmap:98 H264/90000\r\na=rtpmap:100 VP8/90000\r\n"
                + "a=rtcp-fb:100 goog-remb\r\na=rtcp-fb:100 transport-cc\r\na=rtcp-fb:100 ccm fir\r\n"
                + "a=rtcp-fb:100 nack\r\na=rtcp-fb:100 nack pli\r\na=rtpmap:101 rtx/90000\r\na=fmtp:101 apt=100\r\n"
                + extra;
    }

    private static final String CANDIDATES = "a=candidate:2 1 udp 2130706431 relay.local 40000 typ host\r\n"
            + "a=candidate:3 1 tcp 2105524479 127.0.0.1 40001 typ host tcptype passive\r\n"
            + "a=candidate:1 1 udp 2130706175 127.0.0.1 40000 typ host\r\n"
            + "a=candidate:4 1 udp 2130706000 ::1 40002 typ host\r\na=end-of-candidates\r\n";

    @Test
    void whipOfferCarriesWhatARelayNeeds() throws SdpParseException {
        SessionDescription offer = SdpParser.parse(negotiator.createOffer(OfferOptions.whip()));
        assertThat(offer.bundleMids()).containsExactly("0", "1");
        assertThat(offer.media()).hasSize(2);
        for (MediaDescription m : offer.media()) {
            assertThat(m.port()).isEqualTo(9);
            assertThat(m.protocol()).isEqualTo("UDP/TLS/RTP/SAVPF");
            assertThat(m.direction()).isEqualTo(Direction.SENDONLY);
            assertThat(m.iceUfrag()).contains("ufrA");
            assertThat(m.icePwd()).contains("passwordpasswordpassword");
            assertThat(m.setup()).contains(Setup.ACTPASS);
            assertThat(m.fingerprint().orElseThrow().digest()).isEqualTo(OUR_FINGERPRINT.value());
            assertThat(m.rtcpMux()).isTrue();
            assertThat(m.rtcpRsize()).isTrue();
            assertThat(m.extmap(HeaderExtension.SDES_MID).orElseThrow().id())
                    .isEqualTo(SdpNegotiator.OFFER_MID_EXTENSION_ID);
            assertThat(m.candidates()).isEmpty();
            assertThat(m.msid().orElseThrow().streamId()).isEqualTo("stream-1");
            List<Ssrc> ssrcs = m.ssrcs();
            assertThat(ssrcs).hasSize(1);
            assertThat(ssrcs.get(0).cname()).contains("cname-1");
            assertThat(ssrcs.get(0).msid()).contains(m.msid().orElseThrow());
        }
        MediaDescription audio = offer.media().get(0);
        assertThat(audio.mid()).contains("0");
        assertThat(audio.codecs()).containsExactly(
                new RtpCodec(111, "opus", 48000, 2, "minptime=10;useinbandfec=1", List.of()));
        MediaDescription video = offer.media().get(1);
        assertThat(video.codecs()).containsExactly(RtpCodec.of(96, "VP8", 90000)
                .withFeedback(RtcpFeedback.NACK, RtcpFeedback.NACK_PLI, RtcpFeedback.CCM_FIR));
        assertThat(audio.ssrcs().get(0).id()).isNotEqualTo(video.ssrcs().get(0).id());
    }

    @Test
    void whepOfferOnlyReceivesAndAnnouncesNoSources() throws SdpParseException {
        SessionDescription offer = SdpParser.parse(negotiator.createOffer(OfferOptions.whep()));
        assertThat(offer.media()).extracting(MediaDescription::direction)
                .containsOnly(Direction.RECVONLY);
        assertThat(offer.media()).allSatisfy(m -> {
            assertThat(m.ssrcs()).isEmpty();
            assertThat(m.msids()).isEmpty();
        });
    }

    @Test
    void answerToOurOfferSetsTheTransportAndTheSections() {
        negotiator.createOffer(new OfferOptions(Direction.SENDONLY, Direction.RECVONLY));
        String answer = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=ice-lite\r\na=group:BUNDLE 0 1\r\n"
                + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n" + transport("passive").replace("$MID", "0")
                + "a=recvonly\r\na=rtcp-mux\r\na=rtpmap:111 opus/48000/2\r\n" + CANDIDATES
                + "m=video 9 UDP/TLS/RTP/SAVPF 96\r\n" + transport("passive").replace("$MID", "1")
                + "a=sendonly\r\na=rtcp-mux\r\na=rtpmap:96 VP8/90000\r\na=ssrc:2222 cname:relay\r\n";
        negotiator.applyAnswer(answer);

        List<Transceiver> t = negotiator.transceivers();
        assertThat(t).extracting(Transceiver::direction).containsExactly(Direction.SENDONLY, Direction.RECVONLY);
        assertThat(t.get(0).sending()).isTrue();
        assertThat(t.get(0).localSsrc()).isNotZero();
        assertThat(t.get(1).receiving()).isTrue();
        assertThat(t.get(1).remoteSsrcs()).containsExactly(2222L);
        assertThat(t.get(1).midExtensionId()).isEqualTo(9);
        RemoteTransport remote = negotiator.remoteTransport();
        assertThat(remote.iceUfrag()).isEqualTo("srv1");
        assertThat(remote.icePwd()).isEqualTo("0123456789abcdefghijkl");
        assertThat(remote.iceLite()).isTrue();
        assertThat(remote.fingerprints()).containsExactly(DtlsFingerprint.parse(SERVER_FINGERPRINT));
        // mDNS and TCP candidates are skipped; IP literals are taken by priority, never resolved
        assertThat(remote.candidates()).containsExactly(new InetSocketAddress("127.0.0.1", 40000),
                new InetSocketAddress("::1", 40002));
    }

    @Test
    void refusesAnswersItCannotUse() {
        String offer = negotiator.createOffer(OfferOptions.whip());
        String oneSection = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
                + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n" + transport("passive").replace("$MID", "0")
                + "a=recvonly\r\na=rtpmap:111 opus/48000/2\r\n";
        assertThatThrownBy(() -> negotiator.applyAnswer(oneSection)).isInstanceOf(OfferAnswerException.class)
                .hasMessageContaining("m-sections");
        String wantsToBeClient = oneSection.replace("a=setup:passive", "a=setup:active")
                + "m=video 9 UDP/TLS/RTP/SAVPF 96\r\n" + transport("active").replace("$MID", "1")
                + "a=recvonly\r\na=rtpmap:96 VP8/90000\r\n";
        assertThatThrownBy(() -> negotiator.applyAnswer(wantsToBeClient)).isInstanceOf(OfferAnswerException.class)
                .hasMessageContaining("DTLS client");
        assertThatThrownBy(() -> negotiator.applyAnswer("v=0\r\nnot sdp")).isInstanceOf(OfferAnswerException.class)
                .hasMessageContaining("unreadable");
        assertThat(offer).isNotEmpty();
        assertThat(negotiator.transceivers()).isEmpty();
    }

    @Test
    void answersAServerOfferReusingItsPayloadTypesAndExtensionIds() throws SdpParseException {
        String offer = serverOffer("1",
                audio("recvonly", CANDIDATES),
                video("recvonly", ""),
                video("sendonly", "a=msid:alice alice-cam\r\na=ssrc:3333 cname:relay\r\na=ssrc:3334 cname:relay\r\n"),
                "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n" + transport("actpass")
                        + "a=sctp-port:5000\r\n");
        negotiator.applyOffer(offer);
        SessionDescription answer = SdpParser.parse(negotiator.createAnswer());

        assertThat(answer.bundleMids()).containsExactly("0", "1", "2");
        assertThat(answer.media()).extracting(m -> m.mid().orElseThrow()).containsExactly("0", "1", "2", "3");
        MediaDescription audio = answer.media().get(0);
        assertThat(audio.direction()).isEqualTo(Direction.SENDONLY);
        assertThat(audio.payloadTypes()).containsExactly(109);
        assertThat(audio.setup()).contains(Setup.ACTIVE);
        assertThat(audio.extmaps()).extracting(HeaderExtension::id, HeaderExtension::uri)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(9, HeaderExtension.SDES_MID));
        assertThat(audio.ssrcs()).hasSize(1);
        assertThat(audio.candidates()).isEmpty();
        assertThat(audio.rtcpRsize()).isFalse(); // not offered for audio
        MediaDescription video = answer.media().get(1);
        assertThat(video.direction()).isEqualTo(Direction.SENDONLY);
        assertThat(video.payloadTypes()).containsExactly(100);
        assertThat(video.rtcpRsize()).isTrue();
        assertThat(video.codec(100).orElseThrow().feedback())
                .containsExactly(RtcpFeedback.CCM_FIR, RtcpFeedback.NACK, RtcpFeedback.NACK_PLI);
        MediaDescription track = answer.media().get(2);
        assertThat(track.direction()).isEqualTo(Direction.RECVONLY);
        assertThat(track.ssrcs()).isEmpty();
        assertThat(track.msids()).isEmpty();
        MediaDescription data = answer.media().get(3);
        assertThat(data.port()).isZero();
        assertThat(data.protocol()).isEqualTo("UDP/DTLS/SCTP");
        assertThat(data.formats()).containsExactly("webrtc-datachannel");

        List<Transceiver> t = negotiator.transceivers();
        assertThat(t.get(0).payloadType()).isEqualTo(109);
        assertThat(t.get(0).localSsrc()).isEqualTo(audio.ssrcs().get(0).id());
        assertThat(t.get(1).localSsrc()).isEqualTo(video.ssrcs().get(0).id());
        assertThat(t.get(2).remoteSsrcs()).containsExactly(3333L, 3334L);
        assertThat(t.get(2).sending()).isFalse();
        assertThat(t.get(3).rejected()).isTrue();
        assertThat(t.get(3).kind()).isNull();
        assertThat(negotiator.remoteTransport().candidates()).containsExactly(
                new InetSocketAddress("127.0.0.1", 40000), new InetSocketAddress("::1", 40002));
    }

    @Test
    void renegotiationAppendsAndDisablesButKeepsWhatWasThere() throws SdpParseException {
        String published = audio("recvonly", CANDIDATES);
        negotiator.applyOffer(serverOffer("1", published, video("sendonly", "a=ssrc:3333 cname:relay\r\n")));
        SessionDescription first = SdpParser.parse(negotiator.createAnswer());
        long ourSsrc = first.media().get(0).ssrcs().get(0).id();

        negotiator.applyOffer(serverOffer("2", published, video("sendonly", "a=ssrc:3333 cname:relay\r\n"),
                audio("sendonly", "a=ssrc:4444 cname:relay\r\n")));
        SessionDescription second = SdpParser.parse(negotiator.createAnswer());
        assertThat(second.media()).hasSize(3);
        assertThat(second.media().get(0).ssrcs().get(0).id()).isEqualTo(ourSsrc);
        assertThat(second.media().get(2).direction()).isEqualTo(Direction.RECVONLY);
        assertThat(Long.parseLong(second.origin().sessionVersion()))
                .isGreaterThan(Long.parseLong(first.origin().sessionVersion()));
        assertThat(second.origin().sessionId()).isEqualTo(first.origin().sessionId());

        // the video leaves with port 0, the published audio is made inactive
        negotiator.applyOffer(serverOffer("3", published.replace("a=recvonly", "a=inactive"),
                video("inactive", "").replace("m=video 9", "m=video 0"),
                audio("sendonly", "a=ssrc:4444 cname:relay\r\n")));
        SessionDescription third = SdpParser.parse(negotiator.createAnswer());
        assertThat(third.media().get(0).port()).isEqualTo(9);
        assertThat(third.media().get(0).direction()).isEqualTo(Direction.INACTIVE);
        assertThat(third.media().get(1).port()).isZero();
        assertThat(third.bundleMids()).containsExactly("0", "2");
        assertThat(negotiator.transceivers().get(0).sending()).isFalse();
        assertThat(negotiator.transceivers().get(0).localSsrc()).isEqualTo(ourSsrc);

        // and back: the published section is active again with the same SSRC
        negotiator.applyOffer(serverOffer("4", published, video("inactive", "").replace("m=video 9", "m=video 0"),
                audio("sendonly", "a=ssrc:4444 cname:relay\r\n")));
        SessionDescription fourth = SdpParser.parse(negotiator.createAnswer());
        assertThat(fourth.media().get(0).ssrcs().get(0).id()).isEqualTo(ourSsrc);
    }

    @Test
    void aReceiveOnlyParticipantDeclinesThePublishSections() throws SdpParseException {
        String offer = serverOffer("1", audio("recvonly", CANDIDATES), video("recvonly", ""),
                video("sendonly", "a=ssrc:3333 cname:relay\r\n"));
        negotiator.applyOffer(offer, java.util.Set.of("0", "1"));
        SessionDescription answer = SdpParser.parse(negotiator.createAnswer());

        assertThat(answer.media()).extracting(MediaDescription::direction)
                .containsExactly(Direction.INACTIVE, Direction.INACTIVE, Direction.RECVONLY);
        assertThat(answer.media()).extracting(MediaDescription::port).containsExactly(9, 9, 9);
        assertThat(answer.bundleMids()).containsExactly("0", "1", "2");
        assertThat(answer.media().get(0).ssrcs()).isEmpty();
        assertThat(answer.media().get(1).ssrcs()).isEmpty();
        assertThat(answer.media().get(1).payloadTypes()).containsExactly(100);
        assertThat(negotiator.transceivers()).extracting(Transceiver::sending).containsExactly(false, false, false);
        assertThat(negotiator.transceivers().get(2).receiving()).isTrue();

        // the next offer, applied without declining, publishes on the same sections
        negotiator.applyOffer(serverOffer("2", audio("recvonly", CANDIDATES), video("recvonly", ""),
                video("sendonly", "a=ssrc:3333 cname:relay\r\n")));
        SessionDescription publishing = SdpParser.parse(negotiator.createAnswer());
        assertThat(publishing.media().get(0).direction()).isEqualTo(Direction.SENDONLY);
        assertThat(publishing.media().get(0).ssrcs()).hasSize(1);
    }

    @Test
    void refusesOffersThatReorderRemoveOrRestart() {
        String published = audio("recvonly", CANDIDATES);
        String track = video("sendonly", "a=ssrc:3333 cname:relay\r\n");
        negotiator.applyOffer(serverOffer("1", published, track));
        negotiator.createAnswer();

        assertThatThrownBy(() -> negotiator.applyOffer(serverOffer("2", published)))
                .isInstanceOf(OfferAnswerException.class).hasMessageContaining("never removed");
        String swapped = serverOffer("2", published.replace("$MID", "1"), track.replace("$MID", "0"));
        assertThatThrownBy(() -> negotiator.applyOffer(swapped))
                .isInstanceOf(OfferAnswerException.class).hasMessageContaining("mid");
        String restarted = serverOffer("2", published, track).replace("a=ice-pwd:0123456789abcdefghijkl",
                "a=ice-pwd:another-password-entirely");
        assertThatThrownBy(() -> negotiator.applyOffer(restarted))
                .isInstanceOf(OfferAnswerException.class).hasMessageContaining("ICE restart");
        String wantsToBeClient = serverOffer("2", published, track).replace("a=setup:actpass", "a=setup:active");
        assertThatThrownBy(() -> negotiator.applyOffer(wantsToBeClient))
                .isInstanceOf(OfferAnswerException.class).hasMessageContaining("DTLS client");

        assertThatThrownBy(negotiator::createAnswer).isInstanceOf(OfferAnswerException.class);
        assertThatThrownBy(() -> negotiator.createOffer(OfferOptions.whip())).isInstanceOf(OfferAnswerException.class);
        assertThat(negotiator.transceivers()).hasSize(2);
    }
}
