package dev.parley.relay.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ChromeOfferTest {

    private SessionDescription sdp;
    private MediaDescription audio;
    private MediaDescription video;
    private MediaDescription data;

    @BeforeEach
    void parse() throws SdpParseException {
        sdp = SdpParser.parse(SdpSamples.crlf(SdpSamples.CHROME_OFFER));
        audio = sdp.media().get(0);
        video = sdp.media().get(1);
        data = sdp.media().get(2);
    }

    @Test
    void sessionLevel() {
        assertThat(sdp.version()).isZero();
        assertThat(sdp.origin()).isEqualTo(
                new Origin("-", "6823517931435474383", "2", "IN", "IP4", "127.0.0.1"));
        assertThat(sdp.sessionName()).isEqualTo("-");
        assertThat(sdp.timings()).containsExactly(Timing.UNBOUNDED);
        assertThat(sdp.bundleMids()).containsExactly("0", "1", "2");
        assertThat(sdp.extmapAllowMixed()).isTrue();
        assertThat(sdp.msidSemantic()).contains(
                new MsidSemantic("WMS", List.of("5f1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d")));
        assertThat(sdp.iceLite()).isFalse();
        assertThat(sdp.fingerprint()).isEmpty();
        assertThat(sdp.attributes().asList()).extracting(Attribute::name)
                .containsExactly("group", "extmap-allow-mixed", "msid-semantic");
        assertThat(sdp.media()).extracting(MediaDescription::media).containsExactly("audio", "video", "application");
    }

    @Test
    void audioTransport() {
        assertThat(audio.port()).isEqualTo(54400);
        assertThat(audio.protocol()).isEqualTo(MediaDescription.UDP_TLS_RTP_SAVPF);
        assertThat(audio.isRtp()).isTrue();
        assertThat(audio.connection()).contains(new Connection("IN", "IP4", "203.0.113.7"));
        assertThat(audio.mid()).contains("0");
        assertThat(audio.direction()).isEqualTo(Direction.SENDRECV);
        assertThat(audio.iceUfrag()).contains("Hf2V");
        assertThat(audio.icePwd()).contains("k4E9Cw7R2dwbUuc/b3AGjCZ3");
        assertThat(audio.iceOptions()).containsExactly("trickle");
        assertThat(audio.setup()).contains(Setup.ACTPASS);
        assertThat(audio.rtcpMux()).isTrue();
        assertThat(audio.rtcpRsize()).isFalse();
        assertThat(audio.attributes().value("rtcp")).contains("9 IN IP4 0.0.0.0");

        Fingerprint fp = audio.fingerprint().orElseThrow();
        assertThat(fp.algorithm()).isEqualTo("sha-256");
        assertThat(fp.isAlgorithm("SHA-256")).isTrue();
        byte[] digest = fp.digest();
        assertThat(digest).hasSize(32);
        assertThat(digest[0]).isEqualTo((byte) 0xA5);
        assertThat(digest[31]).isEqualTo((byte) 0x5C);
        assertThat(Fingerprint.of("sha-256", digest)).isEqualTo(fp);
    }

    @Test
    void audioCodecsInPreferenceOrder() {
        assertThat(audio.payloadTypes()).containsExactly(111, 63, 9, 0, 8, 13, 110, 126);
        List<RtpCodec> codecs = audio.codecs();
        assertThat(codecs).extracting(RtpCodec::payloadType).containsExactly(111, 63, 9, 0, 8, 13, 110, 126);
        assertThat(codecs).extracting(RtpCodec::encodingName)
                .containsExactly("opus", "red", "G722", "PCMU", "PCMA", "CN", "telephone-event", "telephone-event");

        RtpCodec opus = codecs.get(0);
        assertThat(opus.clockRate()).isEqualTo(48000);
        assertThat(opus.channels()).isEqualTo(2);
        assertThat(opus.fmtp()).isEqualTo("minptime=10;useinbandfec=1");
        assertThat(opus.parameters()).containsExactly(Map.entry("minptime", "10"), Map.entry("useinbandfec", "1"));
        assertThat(opus.feedback()).containsExactly(RtcpFeedback.TRANSPORT_CC);

        RtpCodec red = codecs.get(1);
        assertThat(red.parameters()).containsExactly(Map.entry("111/111", ""));
        assertThat(codecs.get(3).channels()).isNull();
        assertThat(codecs.get(3).fmtp()).isNull();
        assertThat(codecs.get(3).parameters()).isEmpty();
        assertThat(codecs.get(6).clockRate()).isEqualTo(48000);
    }

    @Test
    void audioHeaderExtensions() {
        assertThat(audio.extmaps()).containsExactly(
                HeaderExtension.of(1, HeaderExtension.SSRC_AUDIO_LEVEL),
                HeaderExtension.of(2, HeaderExtension.ABS_SEND_TIME),
                HeaderExtension.of(3, HeaderExtension.TRANSPORT_WIDE_CC),
                HeaderExtension.of(4, HeaderExtension.SDES_MID));
    }

    @Test
    void audioCandidates() {
        List<IceCandidate> candidates = audio.candidates();
        assertThat(candidates).hasSize(4);

        IceCandidate mdns = candidates.get(0);
        assertThat(mdns.foundation()).isEqualTo("3350409123");
        assertThat(mdns.component()).isEqualTo(1);
        assertThat(mdns.isUdp()).isTrue();
        assertThat(mdns.priority()).isEqualTo(2122262783L);
        assertThat(mdns.address()).isEqualTo("7f3c0a65-1b2b-4a5c-9d3e-2f6c1e7a9b10.local");
        assertThat(mdns.isMdns()).isTrue();
        assertThat(mdns.port()).isEqualTo(54400);
        assertThat(mdns.type()).isEqualTo(IceCandidate.HOST);
        assertThat(mdns.extensions()).containsExactly(Map.entry("generation", "0"), Map.entry("network-id", "2"));

        IceCandidate srflx = candidates.get(2);
        assertThat(srflx.type()).isEqualTo(IceCandidate.SRFLX);
        assertThat(srflx.raddr()).isEqualTo("192.168.0.196");
        assertThat(srflx.rport()).isEqualTo(46243);
        assertThat(srflx.isMdns()).isFalse();

        IceCandidate tcp = candidates.get(3);
        assertThat(tcp.isTcp()).isTrue();
        assertThat(tcp.port()).isEqualTo(9);
        assertThat(tcp.tcpType()).isEqualTo("active");
        assertThat(tcp.raddr()).isNull();
        assertThat(tcp.extensions()).containsKeys("generation", "network-id", "network-cost");

        assertThat(audio.endOfCandidates()).isFalse();
        assertThat(video.candidates()).isEmpty();
    }

    @Test
    void audioStreams() {
        assertThat(audio.msid()).contains(
                new Msid("5f1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", "0b7e4f21-9c3a-4d58-b6e2-7a1f0c9d8e35"));
        List<Ssrc> ssrcs = audio.ssrcs();
        assertThat(ssrcs).hasSize(1);
        assertThat(ssrcs.get(0).id()).isEqualTo(3735928559L);
        assertThat(ssrcs.get(0).cname()).contains("Xq3Tn0fGm5q3bC9H");
        assertThat(ssrcs.get(0).msid()).isEqualTo(audio.msid());
        assertThat(audio.ssrcGroups()).isEmpty();
        assertThat(audio.rids()).isEmpty();
        assertThat(audio.simulcast()).isEmpty();
    }

    @Test
    void videoCodecsWithRtxRedAndUlpfec() {
        List<RtpCodec> codecs = video.codecs();
        assertThat(codecs).extracting(RtpCodec::encodingName)
                .containsExactly("VP8", "rtx", "VP9", "rtx", "H264", "rtx", "red", "rtx", "ulpfec");

        RtpCodec vp8 = codecs.get(0);
        assertThat(vp8.clockRate()).isEqualTo(90000);
        assertThat(vp8.feedback()).containsExactly(RtcpFeedback.GOOG_REMB, RtcpFeedback.TRANSPORT_CC,
                RtcpFeedback.CCM_FIR, RtcpFeedback.NACK, RtcpFeedback.NACK_PLI);
        assertThat(vp8.isRtx()).isFalse();
        assertThat(vp8.apt()).isEmpty();

        RtpCodec rtx = codecs.get(1);
        assertThat(rtx.isRtx()).isTrue();
        assertThat(rtx.apt()).hasValue(96);
        assertThat(rtx.feedback()).isEmpty();

        assertThat(codecs.get(2).parameter("profile-id")).contains("0");
        RtpCodec h264 = video.codec(102).orElseThrow();
        assertThat(h264.parameters()).containsExactly(Map.entry("level-asymmetry-allowed", "1"),
                Map.entry("packetization-mode", "1"), Map.entry("profile-level-id", "42001f"));
        assertThat(video.codec(103).orElseThrow().apt()).hasValue(102);
        assertThat(video.codec(121).orElseThrow().apt()).hasValue(127);
        assertThat(video.codec(125).orElseThrow().feedback()).isEmpty();
        assertThat(video.codec(111)).isEmpty();
    }

    @Test
    void videoExtensionsAndRtcp() {
        assertThat(video.rtcpRsize()).isTrue();
        assertThat(video.extmaps()).hasSize(11);
        assertThat(video.extmaps().get(0)).isEqualTo(HeaderExtension.of(14, "urn:ietf:params:rtp-hdrext:toffset"));
        assertThat(video.extmap(HeaderExtension.SDES_MID)).contains(HeaderExtension.of(4, HeaderExtension.SDES_MID));
        assertThat(video.extmap(HeaderExtension.SDES_RTP_STREAM_ID).orElseThrow().id()).isEqualTo(10);
        assertThat(video.extmap(HeaderExtension.SDES_REPAIRED_RTP_STREAM_ID).orElseThrow().id()).isEqualTo(11);
        assertThat(video.extmap("urn:example:absent")).isEmpty();
    }

    @Test
    void videoSsrcsGroupedWithFid() {
        assertThat(video.ssrcGroups()).containsExactly(
                new SsrcGroup(SsrcGroup.FID, List.of(2231627014L, 632943048L)));
        List<Ssrc> ssrcs = video.ssrcs();
        assertThat(ssrcs).extracting(Ssrc::id).containsExactly(2231627014L, 632943048L);
        assertThat(ssrcs.get(1).attributes()).containsOnlyKeys("cname", "msid");
        assertThat(ssrcs.get(1).msid().orElseThrow().trackId()).isEqualTo("9a8b7c6d-5e4f-4321-8fed-cba987654321");
        assertThat(video.ssrcAttributes()).hasSize(4);
    }

    @Test
    void dataChannel() {
        assertThat(data.isApplication()).isTrue();
        assertThat(data.isRtp()).isFalse();
        assertThat(data.protocol()).isEqualTo(MediaDescription.UDP_DTLS_SCTP);
        assertThat(data.formats()).containsExactly("webrtc-datachannel");
        assertThat(data.payloadTypes()).isEmpty();
        assertThat(data.codecs()).isEmpty();
        assertThat(data.mid()).contains("2");
        assertThat(data.sctpPort()).hasValue(5000);
        assertThat(data.maxMessageSize()).hasValue(262144);
        assertThat(data.direction()).isEqualTo(Direction.SENDRECV);
        assertThat(data.directionAttribute()).isEmpty();
    }

    @Test
    void effectiveValuesAreTheMediaLevelOnes() {
        EffectiveMedia eff = sdp.effective(video);
        assertThat(eff.iceUfrag()).isEqualTo(video.iceUfrag());
        assertThat(eff.icePwd()).isEqualTo(video.icePwd());
        assertThat(eff.fingerprints()).isEqualTo(video.fingerprints());
        assertThat(eff.setup()).contains(Setup.ACTPASS);
        assertThat(eff.connection()).contains(Connection.UNSPECIFIED_IP4);
        assertThat(eff.extmaps()).isEqualTo(video.extmaps());
        assertThat(eff.extmapAllowMixed()).isTrue();
        assertThat(sdp.mediaByMid("1")).containsSame(video);
        assertThat(sdp.mediaByMid("9")).isEmpty();
    }
}
