package dev.parley.relay.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ChromeAnswerTest {

    private SessionDescription sdp;

    @BeforeEach
    void parse() throws SdpParseException {
        sdp = SdpParser.parse(SdpSamples.CHROME_ANSWER);
    }

    @Test
    void publishesOnTheFirstTwoAndReceivesOnTheOthers() {
        assertThat(sdp.media()).extracting(MediaDescription::direction)
                .containsExactly(Direction.SENDONLY, Direction.SENDONLY, Direction.RECVONLY, Direction.RECVONLY);
        assertThat(sdp.media()).extracting(m -> m.mid().orElseThrow()).containsExactly("0", "1", "2", "3");
        assertThat(sdp.bundleMids()).containsExactly("0", "1", "2", "3");
        assertThat(Direction.SENDONLY.reverse()).isEqualTo(Direction.RECVONLY);
        assertThat(Direction.RECVONLY.sends()).isFalse();
        assertThat(Direction.SENDONLY.sends()).isTrue();
    }

    @Test
    void answersAsDtlsClient() {
        for (MediaDescription m : sdp.media()) {
            assertThat(m.setup()).contains(Setup.ACTIVE);
            assertThat(m.iceUfrag()).contains("wW4r");
            assertThat(m.candidates()).isEmpty();
            assertThat(m.endOfCandidates()).isFalse();
            assertThat(m.fingerprints()).hasSize(1);
        }
    }

    @Test
    void sendingSectionsAnnounceTheirStreams() {
        MediaDescription audio = sdp.media().get(0);
        MediaDescription video = sdp.media().get(1);
        assertThat(audio.msid().orElseThrow().trackId()).isEqualTo("7d2e8f1a-6b3c-4d9e-a5f7-0c1b2a3d4e5f");
        assertThat(audio.ssrcs()).extracting(Ssrc::id).containsExactly(1204394887L);
        assertThat(video.ssrcGroups()).containsExactly(new SsrcGroup("FID", List.of(3571094425L, 2869310742L)));
        assertThat(video.ssrcs()).allSatisfy(s -> assertThat(s.cname()).contains("pQ7rS2tU9vW4xY1z"));
        assertThat(video.codecs()).extracting(RtpCodec::payloadType).containsExactly(96, 97);
        assertThat(video.codec(96).orElseThrow().feedback()).doesNotContain(RtcpFeedback.GOOG_REMB);
        assertThat(video.extmaps()).extracting(HeaderExtension::id).containsExactly(2, 3, 4);
    }

    @Test
    void receivingSectionsHaveNoStreams() {
        for (MediaDescription m : sdp.media().subList(2, 4)) {
            assertThat(m.msids()).isEmpty();
            assertThat(m.ssrcs()).isEmpty();
            assertThat(m.ssrcGroups()).isEmpty();
            assertThat(m.codecs()).isNotEmpty();
        }
        assertThat(sdp.media().get(3).rtcpRsize()).isTrue();
        assertThat(sdp.media().get(2).rtcpRsize()).isFalse();
    }
}
