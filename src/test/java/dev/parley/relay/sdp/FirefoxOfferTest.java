package dev.parley.relay.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FirefoxOfferTest {

    private SessionDescription sdp;
    private MediaDescription audio;
    private MediaDescription video;

    @BeforeEach
    void parse() throws SdpParseException {
        sdp = SdpParser.parse(SdpSamples.FIREFOX_OFFER);
        audio = sdp.media().get(0);
        video = sdp.media().get(1);
    }

    @Test
    void sessionLevel() {
        assertThat(sdp.origin().username()).isEqualTo("mozilla...THIS_IS_SDPARTA-128.0");
        assertThat(sdp.origin().sessionVersion()).isEqualTo("0");
        assertThat(sdp.origin().address()).isEqualTo("0.0.0.0");
        assertThat(sdp.directionAttribute()).contains(Direction.SENDRECV);
        assertThat(sdp.extmapAllowMixed()).isTrue();
        assertThat(sdp.iceOptions()).containsExactly("trickle");
        assertThat(sdp.msidSemantic()).contains(MsidSemantic.wmsAll());
        assertThat(sdp.bundleMids()).containsExactly("0", "1");
    }

    @Test
    void fingerprintComesFromTheSessionLevel() {
        assertThat(video.fingerprints()).isEmpty();
        Fingerprint session = sdp.fingerprint().orElseThrow();
        assertThat(session.digest()[0]).isEqualTo((byte) 0x27);
        for (MediaDescription m : sdp.media()) {
            EffectiveMedia eff = sdp.effective(m);
            assertThat(eff.fingerprint()).contains(session);
            assertThat(eff.fingerprints()).containsExactly(session);
            assertThat(eff.iceUfrag()).contains("c3a91e7b");
            assertThat(eff.icePwd()).contains("4f9d2c8e1a7b3f6d5c0e9a8b7c6d5e4f");
            assertThat(eff.iceOptions()).containsExactly("trickle");
            assertThat(eff.setup()).contains(Setup.ACTPASS);
            assertThat(eff.extmapAllowMixed()).isTrue();
        }
    }

    @Test
    void iceCredentialsFallBackToTheSessionLevelWhenMediaHasNone() throws SdpParseException {
        // Not Firefox's own layout (it writes them per m-line), but a layout the spec allows.
        String moved = SdpSamples.FIREFOX_OFFER
                .replace("a=ice-pwd:4f9d2c8e1a7b3f6d5c0e9a8b7c6d5e4f\n", "")
                .replace("a=ice-ufrag:c3a91e7b\n", "")
                .replace("a=ice-options:trickle\n",
                        "a=ice-options:trickle\na=ice-ufrag:c3a91e7b\na=ice-pwd:4f9d2c8e1a7b3f6d5c0e9a8b7c6d5e4f\n");
        SessionDescription s = SdpParser.parse(moved);
        MediaDescription v = s.media().get(1);

        assertThat(v.iceUfrag()).isEmpty();
        assertThat(s.effective(v).iceUfrag()).contains("c3a91e7b");
        assertThat(s.effective(v).icePwd()).contains("4f9d2c8e1a7b3f6d5c0e9a8b7c6d5e4f");
    }

    @Test
    void directionFallsBackToTheSessionLevel() throws SdpParseException {
        SessionDescription s = SdpParser.parse(SdpSamples.FIREFOX_OFFER.replace("c=IN IP4 0.0.0.0\na=sendrecv\n",
                "c=IN IP4 0.0.0.0\n").replace("a=sendrecv\na=extmap-allow-mixed", "a=recvonly\na=extmap-allow-mixed"));
        MediaDescription v = s.media().get(1);

        assertThat(v.directionAttribute()).isEmpty();
        assertThat(v.direction()).isEqualTo(Direction.SENDRECV);
        assertThat(s.effective(v).direction()).isEqualTo(Direction.RECVONLY);
    }

    @Test
    void audioCodecs() {
        List<RtpCodec> codecs = audio.codecs();
        assertThat(codecs).extracting(RtpCodec::encodingName)
                .containsExactly("opus", "G722", "PCMU", "PCMA", "telephone-event");
        assertThat(codecs.get(0).parameters()).containsExactly(Map.entry("maxplaybackrate", "48000"),
                Map.entry("stereo", "1"), Map.entry("useinbandfec", "1"));
        assertThat(codecs.get(1).channels()).isEqualTo(1);
        assertThat(codecs.get(2).channels()).isNull();
        assertThat(codecs.get(4).parameters()).containsExactly(Map.entry("0-15", ""));
        assertThat(audio.extmaps().get(1)).isEqualTo(new HeaderExtension(2, Direction.RECVONLY,
                "urn:ietf:params:rtp-hdrext:csrc-audio-level", null));
        assertThat(audio.ssrcs()).extracting(Ssrc::cname)
                .containsExactly(java.util.Optional.of("{7c2a9f4e-3b1d-4e8a-9f6c-2d5e8a1b4c7f}"));
    }

    @Test
    void videoCodecsFollowTheMLineOrderNotTheAttributeOrder() {
        assertThat(video.codecs()).extracting(RtpCodec::payloadType)
                .containsExactly(120, 124, 121, 125, 126, 127, 97, 98);
        RtpCodec vp8 = video.codec(120).orElseThrow();
        assertThat(vp8.parameters()).containsExactly(Map.entry("max-fs", "12288"), Map.entry("max-fr", "60"));
        assertThat(vp8.feedback()).containsExactly(RtcpFeedback.NACK, RtcpFeedback.NACK_PLI, RtcpFeedback.CCM_FIR,
                RtcpFeedback.GOOG_REMB, RtcpFeedback.TRANSPORT_CC);
        assertThat(video.codec(124).orElseThrow().apt()).hasValue(120);
        assertThat(video.codec(126).orElseThrow().parameter("packetization-mode")).contains("1");
        assertThat(video.codec(97).orElseThrow().parameter("packetization-mode")).isEmpty();
        assertThat(video.extmaps().get(3).direction()).isEqualTo(Direction.RECVONLY);
    }

    @Test
    void simulcastWithRids() {
        assertThat(video.rids()).containsExactly(Rid.send("a"), Rid.send("b"), Rid.send("c"));
        Simulcast simulcast = video.simulcast().orElseThrow();
        assertThat(simulcast.sendRids()).containsExactly("a", "b", "c");
        assertThat(simulcast.recv()).isEmpty();
        assertThat(simulcast.reverse().recvRids()).containsExactly("a", "b", "c");
        assertThat(video.ssrcGroups()).hasSize(3).allSatisfy(g -> assertThat(g.semantics()).isEqualTo("FID"));
        assertThat(video.ssrcs()).hasSize(6);
        assertThat(video.msid().orElseThrow().streamId()).isEqualTo("{6f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0}");
    }
}
