package dev.parley.relay.sdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ValueTypesTest {

    @Test
    void originNextVersionCountsBeyondLong() {
        assertThat(Origin.of(1, 2).nextVersion().sessionVersion()).isEqualTo("3");
        Origin big = new Origin("-", "1", "9223372036854775807", "IN", "IP4", "127.0.0.1");
        assertThat(big.nextVersion().sessionVersion()).isEqualTo("9223372036854775808");
        assertThat(Origin.of(-1L, 0).sessionId()).isEqualTo("18446744073709551615");
    }

    @Test
    void fingerprintOfDigestIsUpperCaseHexPairs() {
        Fingerprint fp = Fingerprint.of("sha-256", new byte[] {0x0a, (byte) 0xff, 0x10});
        assertThat(fp.value()).isEqualTo("0A:FF:10");
        assertThat(fp.digest()).containsExactly(0x0a, 0xff, 0x10);
        assertThat(Fingerprint.parse("sha-1 0a:ff:10").digest()).isEqualTo(fp.digest());
        assertThatThrownBy(() -> new Fingerprint("sha-256", "0A:FF:1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Fingerprint("sha-256", "\u0660\u0661")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void candidatePriorityFollowsRfc8445() {
        assertThat(IceCandidate.priority(126, 65535, 1)).isEqualTo(2130706431L);
        assertThat(IceCandidate.priority(0, 0, 256)).isZero();
        assertThatThrownBy(() -> IceCandidate.priority(127, 0, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void trickledCandidateForms() throws SdpParseException {
        String value = "842163049 1 udp 1677729535 198.51.100.7 61234 typ srflx raddr 0.0.0.0 rport 0 "
                + "generation 0 ufrag EsAw network-cost 999";
        IceCandidate c = SdpParser.parseCandidate("candidate:" + value);

        assertThat(SdpParser.parseCandidate("a=candidate:" + value)).isEqualTo(c);
        assertThat(SdpParser.parseCandidate(value)).isEqualTo(c);
        assertThat(c.extensions()).containsExactly(Map.entry("generation", "0"), Map.entry("ufrag", "EsAw"),
                Map.entry("network-cost", "999"));
        assertThat(c.format()).isEqualTo(value);
        assertThatThrownBy(() -> SdpParser.parseCandidate("")).isInstanceOf(SdpParseException.class)
                .hasMessageContaining("candidate needs at least 8 fields");
        assertThatThrownBy(() -> SdpParser.parseCandidate(null)).isInstanceOf(SdpParseException.class);
        assertThatThrownBy(() -> SdpParser.parseCandidate("candidate:1 1 udp 1 a\nb 5 typ host"))
                .isInstanceOf(SdpParseException.class);
    }

    @Test
    void ridParametersParseAndFormat() {
        Rid rid = Rid.parse("f send pt=96,97;max-width=1280;max-height=720;max-fps=30");
        assertThat(rid.id()).isEqualTo("f");
        assertThat(rid.direction()).isEqualTo(RidDirection.SEND);
        assertThat(rid.payloadTypes()).containsExactly(96, 97);
        assertThat(rid.restrictions()).containsExactly(Map.entry("max-width", "1280"), Map.entry("max-height", "720"),
                Map.entry("max-fps", "30"));
        assertThat(rid.format()).isEqualTo("f send pt=96,97;max-width=1280;max-height=720;max-fps=30");
        assertThat(Rid.parse("q recv").format()).isEqualTo("q recv");
        assertThatThrownBy(() -> new Rid("q", RidDirection.SEND, List.of(), Map.of("a", "b;c")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void simulcastWithAlternativesPausedStreamsAndBothDirections() {
        Simulcast s = Simulcast.parse("send 1,2;~3 recv c");
        assertThat(s.send()).containsExactly(
                List.of(new SimulcastStream("1", false), new SimulcastStream("2", false)),
                List.of(new SimulcastStream("3", true)));
        assertThat(s.sendRids()).containsExactly("1", "3");
        assertThat(s.recvRids()).containsExactly("c");
        assertThat(s.format()).isEqualTo("send 1,2;~3 recv c");
        assertThat(Simulcast.parse("recv h;m").format()).isEqualTo("recv h;m");
        assertThat(Simulcast.parse(" recv c send a ").reverse().format()).isEqualTo("send c recv a");
    }

    @Test
    void ssrcAttributeForms() {
        assertThat(SsrcAttribute.parse("1 cname:a:b")).isEqualTo(new SsrcAttribute(1, "cname", "a:b"));
        assertThat(SsrcAttribute.parse("1 msid:s t")).isEqualTo(new SsrcAttribute(1, "msid", "s t"));
        assertThat(SsrcAttribute.parse("2")).isEqualTo(new SsrcAttribute(2, null, null));
        assertThat(SsrcAttribute.parse("3 x-flag")).isEqualTo(new SsrcAttribute(3, "x-flag", null));
        assertThat(new SsrcAttribute(3, "x-flag", null).format()).isEqualTo("3 x-flag");
    }

    @Test
    void bareSsrcAndValuelessSsrcAttributeGroup() throws SdpParseException {
        MediaDescription m = SdpParser.parse("v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nt=0 0\nm=audio 9 RTP/AVP 0\n"
                + "a=ssrc:5\na=ssrc:5 x-flag\na=ssrc:5 cname:one\na=ssrc:5 cname:two\n").media().get(0);
        assertThat(m.ssrcs()).containsExactly(new Ssrc(5, Map.of("x-flag", "", "cname", "one")));
        assertThat(m.ssrcs().get(0).attributes().keySet()).containsExactly("x-flag", "cname");
    }

    @Test
    void codecBuilders() {
        RtpCodec opus = RtpCodec.of(111, "opus", 48000).withChannels(2)
                .withParameters(new java.util.LinkedHashMap<>(Map.of("minptime", "10")))
                .plusFeedback(RtcpFeedback.TRANSPORT_CC);
        assertThat(opus.rtpmapValue()).isEqualTo("111 opus/48000/2");
        assertThat(opus.fmtp()).isEqualTo("minptime=10");
        assertThat(opus.withParameters(Map.of()).fmtp()).isNull();
        assertThat(opus.withPayloadType(109).payloadType()).isEqualTo(109);
        assertThat(opus.hasFeedback(RtcpFeedback.TRANSPORT_CC)).isTrue();
        assertThat(RtpCodec.of(97, "rtx", 90000).withFmtp("apt=x").apt()).isEmpty();
        assertThatThrownBy(() -> RtpCodec.of(128, "x", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RtpCodec.of(96, "a/b", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> opus.withFmtp("a\r\nb")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void settersRejectValuesThatWouldCorruptTheText() {
        MediaDescription m = new MediaDescription("audio", 9, MediaDescription.UDP_TLS_RTP_SAVPF);
        assertThatThrownBy(() -> m.setMid("a b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> m.setIceCredentials("ok", "bad\npwd")).isInstanceOf(IllegalArgumentException.class);
        assertThat(m.iceUfrag()).isEmpty();
        assertThatThrownBy(() -> m.addFormat("webrtc-datachannel")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> m.setPort(65536)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> m.attributes().add("extmap", "0 urn:x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> m.addUnknownLine("a=foo")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HeaderExtension(0, null, "urn:x", null)).isInstanceOf(IllegalArgumentException.class);
        m.addFormat("111");
        assertThatThrownBy(() -> m.setProtocol("UDP/DTLS/SCTP x")).isInstanceOf(IllegalArgumentException.class);
        assertThat(m.protocol()).isEqualTo(MediaDescription.UDP_TLS_RTP_SAVPF);
        MediaDescription data = new MediaDescription("application", 9, MediaDescription.UDP_DTLS_SCTP);
        assertThatThrownBy(() -> data.addCodec(RtpCodec.of(96, "VP8", 90000))).isInstanceOf(IllegalStateException.class);
        SessionDescription s = new SessionDescription(Origin.of(1, 1));
        assertThatThrownBy(() -> s.setSessionName("x\ny")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> s.setTimings(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void settersReplaceInPlace() throws SdpParseException {
        SessionDescription s = SdpParser.parse(SdpSamples.OBS_WHIP_OFFER);
        s.setBundle(List.of("1"));
        assertThat(s.attributes().asList().get(0)).isEqualTo(new Attribute("group", "BUNDLE 1"));
        assertThat(s.groups()).hasSize(2);
        s.setIceOptions(List.of("trickle"));
        assertThat(s.attributes().value("ice-options")).contains("trickle");
        s.setIceOptions(List.of());
        assertThat(s.attributes().has("ice-options")).isFalse();

        MediaDescription video = s.media().get(1);
        int setupAt = video.attributes().asList().indexOf(new Attribute("setup", "actpass"));
        video.setSetup(Setup.PASSIVE);
        assertThat(video.attributes().asList().get(setupAt)).isEqualTo(new Attribute("setup", "passive"));
        video.setRtcpMux(true);
        assertThat(video.attributes().values("rtcp-mux")).isEmpty();
        assertThat(video.attributes().asList().stream().filter(a -> a.name().equals("rtcp-mux")).count()).isEqualTo(1);

        video.removeCodec(96);
        assertThat(video.formats()).isEmpty();
        assertThat(video.codecs()).isEmpty();
        assertThat(video.attributes().has("rtpmap") || video.attributes().has("fmtp") || video.attributes().has("rtcp-fb"))
                .isFalse();
        assertThat(video.attributes().has("ssrc")).isTrue();
    }

    @Test
    void rejectedSectionsAndBundleOnly() throws SdpParseException {
        SessionDescription s = SdpParser.parse("v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nt=0 0\n"
                + "m=video 0 UDP/TLS/RTP/SAVPF 96\na=mid:0\n"
                + "m=video 0 UDP/TLS/RTP/SAVPF 96\na=mid:1\na=bundle-only\n"
                + "m=audio 9/2 RTP/AVP 0\n");
        assertThat(s.media().get(0).isRejected()).isTrue();
        assertThat(s.media().get(1).isRejected()).isFalse();
        assertThat(s.media().get(1).bundleOnly()).isTrue();
        assertThat(s.media().get(2).numberOfPorts()).hasValue(2);
        assertThat(SdpWriter.write(s)).contains("m=audio 9/2 RTP/AVP 0\r\n");
    }
}
