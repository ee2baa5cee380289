package dev.parley.relay.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GStreamerOfferTest {

    private SessionDescription sdp;
    private MediaDescription video;
    private MediaDescription audio;

    @BeforeEach
    void parse() throws SdpParseException {
        sdp = SdpParser.parse(SdpSamples.GSTREAMER_OFFER);
        video = sdp.media().get(0);
        audio = sdp.media().get(1);
    }

    @Test
    void midsAreNames() {
        assertThat(sdp.bundleMids()).containsExactly("video0", "audio1");
        assertThat(video.mid()).contains("video0");
        assertThat(audio.mid()).contains("audio1");
        assertThat(sdp.origin().sessionVersion()).isEqualTo("0");
    }

    @Test
    void iceOptionsOnlyAtSessionLevel() {
        assertThat(video.iceOptions()).isEmpty();
        assertThat(sdp.effective(video).iceOptions()).containsExactly("trickle");
        assertThat(video.iceUfrag()).contains("Ct4tD6sVmvOiVqQHSiqWK0Tu3oxbIKpt");
        assertThat(sdp.fingerprint()).isEmpty();
        assertThat(sdp.effective(audio).fingerprint()).isEqualTo(audio.fingerprint());
        assertThat(audio.fingerprint()).isPresent();
    }

    @Test
    void upperCaseOpusIsStillOpus() {
        RtpCodec opus = audio.codecs().get(0);
        assertThat(opus.encodingName()).isEqualTo("OPUS");
        assertThat(opus.is("opus")).isTrue();
        assertThat(opus.channels()).isEqualTo(2);
        assertThat(opus.parameter("sprop-stereo")).contains("0");
        assertThat(opus.feedback()).containsExactly(RtcpFeedback.TRANSPORT_CC);
    }

    @Test
    void videoWithRtx() {
        assertThat(video.codecs()).extracting(RtpCodec::encodingName).containsExactly("VP8", "rtx");
        assertThat(video.codec(97).orElseThrow().apt()).hasValue(96);
        assertThat(video.codec(96).orElseThrow().feedback()).containsExactly(RtcpFeedback.NACK,
                RtcpFeedback.NACK_PLI, RtcpFeedback.CCM_FIR, RtcpFeedback.TRANSPORT_CC);
        assertThat(video.extmaps()).containsExactly(HeaderExtension.of(1, HeaderExtension.TRANSPORT_WIDE_CC));
        assertThat(video.rtcpRsize()).isTrue();
    }

    @Test
    void streamsAreAnnouncedOnlyThroughSsrcAttributes() {
        assertThat(video.msids()).isEmpty();
        assertThat(video.ssrcs()).hasSize(2).allSatisfy(s -> {
            assertThat(s.cname()).contains("user3055548424@host-2f0c7f5d");
            assertThat(s.msid()).contains(new Msid("user3055548424@host-2f0c7f5d", "webrtctransceiver0"));
        });
        assertThat(video.ssrcGroups().get(0).ssrcs()).containsExactly(1431286380L, 3385962393L);
    }

    @Test
    void libniceCandidates() {
        assertThat(video.candidates()).hasSize(3);
        IceCandidate udp = video.candidates().get(0);
        assertThat(udp.transport()).isEqualTo("UDP");
        assertThat(udp.isUdp()).isTrue();
        assertThat(udp.extensions()).isEmpty();
        IceCandidate passive = video.candidates().get(2);
        assertThat(passive.tcpType()).isEqualTo("passive");
        assertThat(passive.port()).isEqualTo(54305);
        assertThat(audio.candidates()).isEmpty();
    }
}
