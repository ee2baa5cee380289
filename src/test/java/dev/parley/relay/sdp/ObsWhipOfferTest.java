package dev.parley.relay.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ObsWhipOfferTest {

    private SessionDescription sdp;
    private MediaDescription audio;
    private MediaDescription video;

    @BeforeEach
    void parse() throws SdpParseException {
        sdp = SdpParser.parse(SdpSamples.crlf(SdpSamples.OBS_WHIP_OFFER));
        audio = sdp.media().get(0);
        video = sdp.media().get(1);
    }

    @Test
    void sessionLevel() {
        assertThat(sdp.origin().username()).isEqualTo("rtc");
        assertThat(sdp.groups()).containsExactly(new Group("BUNDLE", List.of("0", "1")),
                new Group("LS", List.of("0", "1")));
        assertThat(sdp.iceOptions()).containsExactly("ice2", "trickle");
        assertThat(sdp.fingerprint().orElseThrow().digest()).hasSize(32);
    }

    @Test
    void transportValuesResolveAcrossLevels() {
        for (MediaDescription m : sdp.media()) {
            EffectiveMedia eff = sdp.effective(m);
            assertThat(m.fingerprint()).isEmpty();
            assertThat(eff.fingerprint()).isEqualTo(sdp.fingerprint());
            assertThat(eff.iceUfrag()).contains("Hx8K");
            assertThat(eff.icePwd()).contains("WJvl3jKRTa2VoN8pgsz1Sm");
            assertThat(eff.iceOptions()).containsExactly("ice2", "trickle");
            assertThat(eff.setup()).contains(Setup.ACTPASS);
            assertThat(eff.connection()).contains(new Connection("IN", "IP4", "192.168.1.23"));
            assertThat(eff.direction()).isEqualTo(Direction.SENDONLY);
            assertThat(m.port()).isEqualTo(62537);
        }
    }

    @Test
    void opusAndH264() {
        RtpCodec opus = audio.codecs().get(0);
        assertThat(opus.payloadType()).isEqualTo(111);
        assertThat(opus.parameters()).containsEntry("maxaveragebitrate", "96000").containsEntry("stereo", "1");
        assertThat(opus.feedback()).isEmpty();

        RtpCodec h264 = video.codecs().get(0);
        assertThat(h264.is("h264")).isTrue();
        assertThat(h264.parameters()).containsExactly(Map.entry("profile-level-id", "42e01f"),
                Map.entry("packetization-mode", "1"), Map.entry("level-asymmetry-allowed", "1"));
        assertThat(h264.feedback()).containsExactly(RtcpFeedback.NACK, RtcpFeedback.NACK_PLI,
                RtcpFeedback.GOOG_REMB);
        assertThat(video.extmaps()).isEmpty();
    }

    @Test
    void candidatesInTheFirstSectionOnly() {
        assertThat(audio.candidates()).extracting(IceCandidate::address)
                .containsExactly("192.168.1.23", "fd00::4a2:9e1b:37c4:1", "198.51.100.23");
        IceCandidate srflx = audio.candidates().get(2);
        assertThat(srflx.raddr()).isEqualTo("0.0.0.0");
        assertThat(srflx.rport()).isZero();
        assertThat(audio.endOfCandidates()).isTrue();
        assertThat(video.candidates()).isEmpty();
        assertThat(video.endOfCandidates()).isFalse();
    }

    @Test
    void streams() {
        assertThat(audio.msid()).contains(new Msid("F8nY2wKq5cJ0bVxU", "F8nY2wKq5cJ0bVxU-audio"));
        assertThat(video.ssrcs()).extracting(Ssrc::id).containsExactly(1840926613L);
        assertThat(video.ssrcs().get(0).cname()).contains("h3Xk9sLmQ2pR7vTz");
    }
}
