package dev.parley.relay.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CodecAssemblyTest {

    private static MediaDescription firstMedia(String body) throws SdpParseException {
        return SdpParser.parse("v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nt=0 0\n" + body).media().get(0);
    }

    @Test
    void staticPayloadTypesWithoutRtpmapComeFromRfc3551() throws SdpParseException {
        MediaDescription m = firstMedia("""
                m=audio 49170 RTP/AVP 0 8 9 18 3 101
                a=rtpmap:101 telephone-event/8000
                a=fmtp:101 0-16
                """);

        assertThat(m.codecs()).extracting(RtpCodec::encodingName)
                .containsExactly("PCMU", "PCMA", "G722", "G729", "GSM", "telephone-event");
        assertThat(m.codec(0)).contains(new RtpCodec(0, "PCMU", 8000, 1, null, List.of()));
        assertThat(m.codec(9).orElseThrow().clockRate()).isEqualTo(8000);
        assertThat(m.codec(101).orElseThrow().parameters()).containsExactly(Map.entry("0-16", ""));
    }

    @Test
    void anRtpmapOverridesTheStaticTable() throws SdpParseException {
        MediaDescription m = firstMedia("m=audio 9 RTP/AVP 0\na=rtpmap:0 PCMU/16000\n");

        assertThat(m.codec(0).orElseThrow().clockRate()).isEqualTo(16000);
        assertThat(m.codec(0).orElseThrow().channels()).isNull();
    }

    @Test
    void dynamicPayloadTypeWithoutRtpmapIsListedButHasNoCodec() throws SdpParseException {
        MediaDescription m = firstMedia("m=video 9 RTP/AVPF 96 97 2\na=rtpmap:97 VP8/90000\na=fmtp:96 x=1\n");

        assertThat(m.payloadTypes()).containsExactly(96, 97, 2);
        assertThat(m.codecs()).extracting(RtpCodec::payloadType).containsExactly(97);
    }

    @Test
    void wildcardFeedbackAppliesToEveryPayloadTypeInLineOrder() throws SdpParseException {
        MediaDescription m = firstMedia("""
                m=video 9 UDP/TLS/RTP/SAVPF 96 98
                a=rtcp-fb:* nack
                a=rtpmap:96 VP8/90000
                a=rtcp-fb:96 ccm fir
                a=rtpmap:98 VP9/90000
                a=rtcp-fb:* trr-int 100
                a=rtcp-fb:98 ccm tmmbr smaxpr=120
                """);

        assertThat(m.codec(96).orElseThrow().feedback()).containsExactly(RtcpFeedback.NACK, RtcpFeedback.CCM_FIR,
                new RtcpFeedback("trr-int", "100"));
        assertThat(m.codec(98).orElseThrow().feedback()).containsExactly(RtcpFeedback.NACK,
                new RtcpFeedback("trr-int", "100"), new RtcpFeedback("ccm", "tmmbr smaxpr=120"));
    }

    @Test
    void severalFmtpLinesForOnePayloadTypeAreJoined() throws SdpParseException {
        MediaDescription m = firstMedia("m=video 9 RTP/AVPF 96\na=rtpmap:96 H264/90000\n"
                + "a=fmtp:96 profile-level-id=42e01f\na=fmtp:96 packetization-mode=1 ; level-asymmetry-allowed=1\n");

        assertThat(m.codec(96).orElseThrow().parameters()).containsExactly(Map.entry("profile-level-id", "42e01f"),
                Map.entry("packetization-mode", "1"), Map.entry("level-asymmetry-allowed", "1"));
    }

    @Test
    void repeatedPayloadTypeInTheMLineYieldsOneCodec() throws SdpParseException {
        MediaDescription m = firstMedia("m=audio 9 RTP/AVP 0 0\n");

        assertThat(m.payloadTypes()).containsExactly(0, 0);
        assertThat(m.codecs()).hasSize(1);
    }

    @Test
    void rtpmapForAPayloadTypeNotInTheMLineIsIgnored() throws SdpParseException {
        MediaDescription m = firstMedia("m=audio 9 RTP/AVP 111\na=rtpmap:111 opus/48000/2\na=rtpmap:112 x/1\n");

        assertThat(m.codecs()).extracting(RtpCodec::payloadType).containsExactly(111);
    }
}
