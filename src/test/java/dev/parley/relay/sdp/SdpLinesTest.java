package dev.parley.relay.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SdpLinesTest {

    private static final String RFC_EXAMPLE = """
            v=0
            o=jdoe 3724394400 3724394405 IN IP4 198.51.100.1
            s=Call to John Smith
            i=SDP Offer #1
            u=http://www.jdoe.example.com/home.html
            e=Jane Doe <jane@jdoe.example.com>
            p=+1 617 555-6011
            c=IN IP4 198.51.100.1
            b=AS:2000
            t=0 0
            r=604800 3600 0 90000
            z=2882844526 -1h 2898848070 0
            k=prompt
            x=an unknown line type
            a=recvonly
            m=audio 49170 RTP/AVP 0
            i=the audio
            c=IN IP6 2001:db8::2
            b=TIAS:64000
            k=clear:secret
            y=also unknown
            a=x-custom:anything goes here
            m=video 51372 RTP/AVP 99 90
            a=rtpmap:99 h263-1998/90000
            a=rtpmap:90 RTX/90000
            """;

    @Test
    void everyLineTypeIsReadAndWrittenBackInOrder() throws SdpParseException {
        SessionDescription s = SdpParser.parse(RFC_EXAMPLE);

        assertThat(s.origin()).isEqualTo(new Origin("jdoe", "3724394400", "3724394405", "IN", "IP4", "198.51.100.1"));
        assertThat(s.sessionName()).isEqualTo("Call to John Smith");
        assertThat(s.information()).contains("SDP Offer #1");
        assertThat(s.uri()).contains("http://www.jdoe.example.com/home.html");
        assertThat(s.emails()).containsExactly("Jane Doe <jane@jdoe.example.com>");
        assertThat(s.phones()).containsExactly("+1 617 555-6011");
        assertThat(s.connection()).contains(new Connection("IN", "IP4", "198.51.100.1"));
        assertThat(s.bandwidths()).containsExactly(new Bandwidth("AS", 2000));
        assertThat(s.timings()).containsExactly(new Timing(0, 0, List.of("604800 3600 0 90000")));
        assertThat(s.zoneAdjustments()).contains("2882844526 -1h 2898848070 0");
        assertThat(s.encryptionKey()).contains("prompt");
        assertThat(s.unknownLines()).containsExactly("x=an unknown line type");

        MediaDescription audio = s.media().get(0);
        assertThat(audio.information()).contains("the audio");
        assertThat(audio.connection()).contains(new Connection("IN", "IP6", "2001:db8::2"));
        assertThat(audio.bandwidths()).containsExactly(new Bandwidth("TIAS", 64000));
        assertThat(audio.encryptionKey()).contains("clear:secret");
        assertThat(audio.unknownLines()).containsExactly("y=also unknown");
        assertThat(audio.attributes().value("x-custom")).contains("anything goes here");
        assertThat(s.effective(audio).direction()).isEqualTo(Direction.RECVONLY);
        assertThat(s.effective(s.media().get(1)).connection()).contains(new Connection("IN", "IP4", "198.51.100.1"));

        assertThat(SdpWriter.write(s)).isEqualTo(SdpSamples.crlf(RFC_EXAMPLE));
    }

    @Test
    void sessionLinesOutOfOrderAreWrittenInCanonicalOrder() throws SdpParseException {
        String shuffled = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\na=ice-lite\r\nt=0 0\r\nb=AS:1\r\nx=y\r\n"
                + "m=audio 9 RTP/AVP 0\r\na=sendonly\r\nw=unknown in media\r\nb=AS:2\r\nc=IN IP4 0.0.0.0\r\n";
        String written = SdpWriter.write(SdpParser.parse(shuffled));

        assertThat(written).isEqualTo("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nb=AS:1\r\nt=0 0\r\nx=y\r\n"
                + "a=ice-lite\r\nm=audio 9 RTP/AVP 0\r\nc=IN IP4 0.0.0.0\r\nb=AS:2\r\nw=unknown in media\r\n"
                + "a=sendonly\r\n");
    }

    @Test
    void whitespaceInStructuredLinesIsNormalisedAndAttributeValuesAreKept() throws SdpParseException {
        String loose = "v=0\no=-  1   1 IN IP4 0.0.0.0 \ns=-\nt=0  0\nm=audio  9  RTP/AVP  0  8 \n"
                + "a=mid: a0 \na=x-raw:  keep  this  \n";
        SessionDescription s = SdpParser.parse(loose);

        assertThat(s.media().get(0).mid()).contains("a0");
        assertThat(s.media().get(0).attributes().value("x-raw")).contains("  keep  this  ");
        assertThat(SdpWriter.write(s)).isEqualTo("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n"
                + "m=audio 9 RTP/AVP 0 8\r\na=mid: a0 \r\na=x-raw:  keep  this  \r\n");
    }

    @Test
    void trailingBlankLinesAndAMissingFinalNewlineAreAccepted() throws SdpParseException {
        String sdp = SdpSamples.crlf(SdpSamples.GSTREAMER_OFFER);
        String expected = SdpWriter.write(SdpParser.parse(sdp));

        assertThat(SdpWriter.write(SdpParser.parse(sdp + "\r\n\r\n  \n"))).isEqualTo(expected);
        assertThat(SdpWriter.write(SdpParser.parse(sdp.substring(0, sdp.length() - 2)))).isEqualTo(expected);
        assertThat(SdpWriter.write(SdpParser.parse(sdp.replace("\r\n", "\n")))).isEqualTo(expected);
    }

    @Test
    void unknownAttributesKeepTheirPositionAndValue() throws SdpParseException {
        String sdp = SdpSamples.CHROME_OFFER.replace("a=rtcp-mux\n", "a=rtcp-mux\na=x-google-flag:conference\na=foo\n");
        SessionDescription s = SdpParser.parse(sdp);

        assertThat(s.media().get(0).attributes().value("x-google-flag")).contains("conference");
        assertThat(s.media().get(0).attributes().first("foo")).contains(Attribute.flag("foo"));
        assertThat(SdpWriter.write(s)).isEqualTo(SdpSamples.crlf(sdp));
    }

    @Test
    void tokenTableMatchesRfc8866() {
        for (char c = 0; c < 0xffff; c++) {
            boolean rfc = c == 0x21 || (c >= 0x23 && c <= 0x27) || c == 0x2a || c == 0x2b || c == 0x2d || c == 0x2e
                    || (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x5e && c <= 0x7e);
            String s = String.valueOf(c);
            boolean accepted;
            try {
                Syntax.token(s, "t");
                accepted = true;
            } catch (IllegalArgumentException e) {
                accepted = false;
            }
            assertThat(accepted).as("char 0x%04x", (int) c).isEqualTo(rfc);
        }
    }

    @Test
    void numbersAreDigitsOnly() {
        assertThat(Syntax.parseLong("000000000000000000000042", 0, 100, "n")).isEqualTo(42);
        for (String bad : new String[] {"+1", "-1", " 1", "1e3", "0x10", "\u0661", ""}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> Syntax.parseLong(bad, 0, 100, "n"))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void largeInputsStayLinear() throws SdpParseException {
        int n = 40_000;
        StringBuilder sb = new StringBuilder("v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nt=0 0\n");
        sb.append("r=1 1 0\n".repeat(n));
        sb.append("m=video 9 RTP/AVPF 96\na=rtpmap:96 VP8/90000\n");
        for (int i = 0; i < n; i++) {
            sb.append("a=fmtp:96 p").append(i).append("=1\n");
        }
        sb.append("a=ssrc:1 cname:x\n".repeat(n));
        SessionDescription s = SdpParser.parse(sb.toString());

        assertThat(s.timings().get(0).repeats()).hasSize(n);
        assertThat(s.media().get(0).codec(96).orElseThrow().parameters()).hasSize(n);
        assertThat(s.media().get(0).ssrcs()).hasSize(1);
        assertThat(SdpWriter.write(s)).hasSize(sb.length() + 3 * n + 6);
    }
}
