package dev.parley.relay.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Builds the descriptions an ICE-lite SFU sends, the way the integrator will, and reads them back. */
class AnswerBuildingTest {

    private static final Fingerprint SERVER_FP = Fingerprint.of("sha-256", new byte[] {
        (byte) 0xD4, 0x1D, (byte) 0x8C, (byte) 0xD9, (byte) 0x8F, 0x00, (byte) 0xB2, 0x04,
        (byte) 0xE9, (byte) 0x80, 0x09, (byte) 0x98, (byte) 0xEC, (byte) 0xF8, 0x42, 0x7E,
        0x01, 0x23, 0x45, 0x67, (byte) 0x89, (byte) 0xAB, (byte) 0xCD, (byte) 0xEF,
        0x10, 0x32, 0x54, 0x76, (byte) 0x98, (byte) 0xBA, (byte) 0xDC, (byte) 0xFE});
    private static final IceCandidate SERVER_CANDIDATE = IceCandidate.host("1", 1, "udp",
            IceCandidate.priority(126, 65535, 1), "203.0.113.10", 40000);

    @Test
    void answerToChromeOffer() throws SdpParseException {
        SessionDescription offer = SdpParser.parse(SdpSamples.CHROME_OFFER);
        SessionDescription answer = new SessionDescription(Origin.of(7_000_000_000_000_000_001L, 1));
        answer.setIceLite(true);
        answer.setMsidSemantic(MsidSemantic.wmsAll());
        if (offer.extmapAllowMixed()) {
            answer.setExtmapAllowMixed(true);
        }
        List<String> mids = new ArrayList<>();
        for (MediaDescription offered : offer.media()) {
            EffectiveMedia eff = offer.effective(offered);
            MediaDescription m = new MediaDescription(offered.media(), 9, offered.protocol());
            m.setConnection(Connection.UNSPECIFIED_IP4);
            m.setIceCredentials("srv1", "0123456789abcdefghijkl");
            m.setFingerprint(SERVER_FP);
            m.setSetup(Setup.PASSIVE);
            m.setMid(offered.mid().orElseThrow());
            mids.add(offered.mid().orElseThrow());
            if (offered.isApplication()) {
                m.setFormats(offered.formats());
                m.setSctpPort(5000);
                m.setMaxMessageSize(262144);
            } else {
                for (HeaderExtension e : offered.extmaps()) {
                    if (e.uri().equals(HeaderExtension.SDES_MID) || e.uri().equals(HeaderExtension.TRANSPORT_WIDE_CC)) {
                        m.addExtmap(e);
                    }
                }
                m.setDirection(eff.direction() == Direction.SENDRECV ? Direction.RECVONLY : eff.direction().reverse());
                m.setRtcpMux(true);
                m.setRtcpRsize(offered.isVideo());
                for (RtpCodec c : offered.codecs()) {
                    boolean wanted = c.is("opus") || c.is("VP8")
                            || (c.isRtx() && offered.codec(c.apt().orElse(-1)).filter(o -> o.is("VP8")).isPresent());
                    if (wanted) {
                        m.addCodec(c.withFeedback(c.feedback().stream()
                                .filter(fb -> !fb.equals(RtcpFeedback.GOOG_REMB)).toList()));
                    }
                }
            }
            if (answer.media().isEmpty()) {
                m.addCandidate(SERVER_CANDIDATE);
                m.setEndOfCandidates(true);
            }
            answer.addMedia(m);
        }
        answer.setBundle(mids);

        String text = SdpWriter.write(answer);

        assertThat(text).startsWith("v=0\r\no=- 7000000000000000001 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
                + "a=ice-lite\r\na=msid-semantic:WMS *\r\na=extmap-allow-mixed\r\na=group:BUNDLE 0 1 2\r\n"
                + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\n");
        assertThat(text).contains("a=candidate:1 1 udp 2130706431 203.0.113.10 40000 typ host\r\n"
                + "a=end-of-candidates\r\n");
        assertThat(text).contains("m=video 9 UDP/TLS/RTP/SAVPF 96 97\r\n");
        assertThat(text).contains("a=rtpmap:96 VP8/90000\r\na=rtcp-fb:96 transport-cc\r\na=rtcp-fb:96 ccm fir\r\n"
                + "a=rtcp-fb:96 nack\r\na=rtcp-fb:96 nack pli\r\na=rtpmap:97 rtx/90000\r\na=fmtp:97 apt=96\r\n");
        assertThat(text).contains("a=fingerprint:sha-256 D4:1D:8C:D9:8F:00:B2:04:E9:80:09:98:EC:F8:42:7E:"
                + "01:23:45:67:89:AB:CD:EF:10:32:54:76:98:BA:DC:FE\r\n");
        assertThat(text).endsWith("m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\n"
                + "a=ice-ufrag:srv1\r\na=ice-pwd:0123456789abcdefghijkl\r\n"
                + "a=fingerprint:sha-256 " + SERVER_FP.value() + "\r\na=setup:passive\r\na=mid:2\r\n"
                + "a=sctp-port:5000\r\na=max-message-size:262144\r\n");

        SessionDescription back = SdpParser.parse(text);
        assertThat(SdpWriter.write(back)).isEqualTo(text);
        assertThat(back.iceLite()).isTrue();
        assertThat(back.bundleMids()).containsExactly("0", "1", "2");
        MediaDescription audio = back.media().get(0);
        assertThat(audio.codecs()).containsExactly(offer.media().get(0).codec(111).orElseThrow());
        assertThat(audio.direction()).isEqualTo(Direction.RECVONLY);
        assertThat(audio.extmaps()).extracting(HeaderExtension::id).containsExactly(3, 4);
        assertThat(audio.candidates()).containsExactly(SERVER_CANDIDATE);
        assertThat(audio.fingerprint().orElseThrow().digest()).isEqualTo(SERVER_FP.digest());
        MediaDescription video = back.media().get(1);
        assertThat(video.rtcpRsize()).isTrue();
        assertThat(video.codec(97).orElseThrow().apt()).hasValue(96);
        assertThat(video.codec(96).orElseThrow().feedback()).doesNotContain(RtcpFeedback.GOOG_REMB).hasSize(4);
        assertThat(back.media().get(2).sctpPort()).hasValue(5000);
    }

    @Test
    void serverOfferForOnePublishedAndOneSubscribedTrack() throws SdpParseException {
        SessionDescription offer = new SessionDescription(Origin.of(42, 2));
        offer.setIceLite(true);
        offer.setMsidSemantic(MsidSemantic.wmsAll());
        offer.setBundle(List.of("0", "1"));

        MediaDescription publish = new MediaDescription("video", 9, MediaDescription.UDP_TLS_RTP_SAVPF);
        MediaDescription subscribe = new MediaDescription("video", 9, MediaDescription.UDP_TLS_RTP_SAVPF);
        RtpCodec vp8 = RtpCodec.of(96, "VP8", 90000).withFeedback(RtcpFeedback.NACK, RtcpFeedback.NACK_PLI,
                RtcpFeedback.CCM_FIR, RtcpFeedback.TRANSPORT_CC);
        RtpCodec rtx = RtpCodec.of(97, "rtx", 90000).withParameters(java.util.Map.of("apt", "96"));
        for (MediaDescription m : List.of(publish, subscribe)) {
            m.setConnection(Connection.UNSPECIFIED_IP4);
            m.setIceCredentials("srv1", "0123456789abcdefghijkl");
            m.setFingerprint(SERVER_FP);
            m.setSetup(Setup.ACTPASS);
            m.setRtcpMux(true);
            m.setRtcpRsize(true);
            m.addExtmap(HeaderExtension.of(4, HeaderExtension.SDES_MID));
            m.addCodec(vp8);
            m.addCodec(rtx);
            offer.addMedia(m);
        }
        publish.setMid("0");
        publish.setDirection(Direction.RECVONLY);
        publish.addExtmap(HeaderExtension.of(10, HeaderExtension.SDES_RTP_STREAM_ID));
        publish.addRid(new Rid("h", RidDirection.RECV, List.of(96), java.util.Map.of("max-width", "1280")));
        publish.addRid(new Rid("l", RidDirection.RECV, List.of(), java.util.Map.of()));
        publish.setSimulcast(Simulcast.of(RidDirection.RECV, List.of("h", "l")));
        subscribe.setMid("1");
        subscribe.setDirection(Direction.SENDONLY);
        subscribe.addMsid(new Msid("alice", "alice-camera"));
        subscribe.addSsrcGroup(new SsrcGroup(SsrcGroup.FID, List.of(1111L, 2222L)));
        subscribe.addSsrc(1111, "parley-alice");
        subscribe.addSsrcAttribute(new SsrcAttribute(1111, "msid", "alice alice-camera"));
        subscribe.addSsrc(2222, "parley-alice");
        subscribe.addCandidate(SERVER_CANDIDATE);

        String text = SdpWriter.write(offer);
        assertThat(text).contains("m=video 9 UDP/TLS/RTP/SAVPF 96 97\r\n")
                .contains("a=rid:h recv pt=96;max-width=1280\r\na=rid:l recv\r\na=simulcast:recv h;l\r\n")
                .contains("a=msid:alice alice-camera\r\na=ssrc-group:FID 1111 2222\r\na=ssrc:1111 cname:parley-alice\r\n"
                        + "a=ssrc:1111 msid:alice alice-camera\r\na=ssrc:2222 cname:parley-alice\r\n");

        SessionDescription back = SdpParser.parse(text);
        MediaDescription p = back.mediaByMid("0").orElseThrow();
        MediaDescription s = back.mediaByMid("1").orElseThrow();
        assertThat(p.direction()).isEqualTo(Direction.RECVONLY);
        assertThat(p.rids()).extracting(Rid::id).containsExactly("h", "l");
        assertThat(p.rids().get(0).payloadTypes()).containsExactly(96);
        assertThat(p.rids().get(0).restrictions()).containsEntry("max-width", "1280");
        assertThat(p.simulcast().orElseThrow().recvRids()).containsExactly("h", "l");
        assertThat(s.codecs()).containsExactly(vp8, rtx.withFmtp("apt=96"));
        assertThat(s.ssrcs()).extracting(Ssrc::id).containsExactly(1111L, 2222L);
        assertThat(s.ssrcs().get(0).msid()).contains(new Msid("alice", "alice-camera"));
        assertThat(s.ssrcGroups().get(0).ssrcs()).containsExactly(1111L, 2222L);
        assertThat(back.effective(s).setup()).contains(Setup.ACTPASS);
    }

    @Test
    void renegotiationReusesAnInactiveSectionAndBumpsTheVersion() throws SdpParseException {
        SessionDescription sdp = SdpParser.parse(SdpSamples.CHROME_ANSWER);
        MediaDescription leaving = sdp.media().get(3);
        leaving.setDirection(Direction.INACTIVE);
        sdp.setOrigin(sdp.origin().nextVersion());

        SessionDescription back = SdpParser.parse(SdpWriter.write(sdp));
        assertThat(back.origin().sessionVersion()).isEqualTo("3");
        assertThat(back.media().get(3).direction()).isEqualTo(Direction.INACTIVE);
        // the direction attribute stays where it was, between the extmaps and rtcp-mux
        List<String> names = back.media().get(3).attributes().asList().stream().map(Attribute::name).toList();
        assertThat(names.indexOf("inactive")).isEqualTo(names.indexOf("rtcp-mux") - 1);
        assertThat(names).doesNotContain("recvonly");
    }
}
