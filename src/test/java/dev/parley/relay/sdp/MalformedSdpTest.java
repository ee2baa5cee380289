package dev.parley.relay.sdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MalformedSdpTest {

    private static final String HEAD = "v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nt=0 0\n";
    private static final String AUDIO = "m=audio 9 UDP/TLS/RTP/SAVPF 111\n";

    static Stream<Arguments> cases() {
        return Stream.of(
                // structure
                Arguments.of("", 1, "SDP ends before its v=0 line"),
                Arguments.of("\r\n\n", 1, "SDP ends before its v=0 line"),
                Arguments.of("o=- 1 1 IN IP4 0.0.0.0\ns=-\nt=0 0\n", 1, "SDP must start with v=0"),
                Arguments.of("v=1\n", 1, "unsupported SDP version '1'"),
                Arguments.of("v=0\ns=-\nt=0 0\n", 2, "expected the o= line after v=0"),
                Arguments.of("v=0\no=- 1 1 IN IP4 0.0.0.0\nt=0 0\n", 3, "expected the s= line after o="),
                Arguments.of("v=0\n", 2, "SDP ends before its o= line"),
                Arguments.of("v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\n", 4, "SDP has no t= line"),
                Arguments.of("v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\n" + AUDIO, 4, "no t= line before the first m= line"),
                Arguments.of(HEAD + "v=0\n", 5, "duplicate v= line"),
                Arguments.of(HEAD + "c=IN IP4 0.0.0.0\nc=IN IP4 0.0.0.0\n", 6, "duplicate c= line"),
                Arguments.of(HEAD + AUDIO + "c=IN IP4 0.0.0.0\nc=IN IP4 1.2.3.4\n", 7, "duplicate c= line"),
                Arguments.of(HEAD + AUDIO + "o=- 1 1 IN IP4 0.0.0.0\n", 6, "o= line is not allowed in a media section"),
                Arguments.of(HEAD + AUDIO + "t=0 0\n", 6, "t= line is not allowed in a media section"),
                Arguments.of("v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nr=604800 3600 0 90000\nt=0 0\n", 4,
                        "r= line before any t= line"),
                Arguments.of(HEAD + "\na=ice-lite\n", 5, "empty line"),
                Arguments.of(HEAD + "A=foo\n", 5, "line type 'A' is not a lower-case letter"),
                Arguments.of(HEAD + "a=ice-lite\rb=AS:30\n", 5, "carriage return inside a line"),
                Arguments.of(HEAD + "a=x\u0000y\n", 5, "NUL character inside a line"),
                // garbage and truncated lines
                Arguments.of("hello world", 1, "expected <type>=<value>"),
                Arguments.of("\u0001\u0002\u00ff", 1, "expected <type>=<value>"),
                Arguments.of("<html><body>502 Bad Gateway</body></html>", 1, "expected <type>=<value>"),
                Arguments.of(HEAD + "m", 5, "expected <type>=<value>"),
                Arguments.of("v=0\no=- 1", 2, "o= line needs 6 fields"),
                Arguments.of("v=0\no=- x 1 IN IP4 0.0.0.0\ns=-\nt=0 0\n", 2, "origin session id 'x' is not a number"),
                Arguments.of("v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nt=0\n", 4, "t= line needs 2 fields"),
                Arguments.of(HEAD + "b=AS\n", 5, "b= line needs <type>:<bandwidth>"),
                Arguments.of(HEAD + "b=AS:fast\n", 5, "bandwidth 'fast' is not a number"),
                Arguments.of(HEAD + "c=IN IP4\n", 5, "c= line needs 3 fields"),
                // m= lines
                Arguments.of(HEAD + "m=audio\n", 5, "bad m= line: m= line needs <media> <port> <proto>"),
                Arguments.of(HEAD + "m=audio 9\n", 5, "bad m= line: m= line needs"),
                Arguments.of(HEAD + "m=audio abc UDP/TLS/RTP/SAVPF 111\n", 5, "bad m= line: port 'abc' is not a number"),
                Arguments.of(HEAD + "m=audio -1 UDP/TLS/RTP/SAVPF 111\n", 5, "port '-1' is not a number"),
                Arguments.of(HEAD + "m=audio 70000 UDP/TLS/RTP/SAVPF 111\n", 5, "port 70000 is out of range 0..65535"),
                Arguments.of(HEAD + "m=audio 99999999999999999999 RTP/AVP 0\n", 5, "is out of range 0..65535"),
                Arguments.of(HEAD + "m=audio 9/0 RTP/AVP 0\n", 5, "number of ports 0 is out of range"),
                Arguments.of(HEAD + "m=audio 9 UDP/TLS/RTP/SAVPF 128\n", 5, "payload type 128 is out of range 0..127"),
                Arguments.of(HEAD + "m=audio 9 UDP/TLS/RTP/SAVPF opus\n", 5, "payload type 'opus' is not a number"),
                // attributes
                Arguments.of(HEAD + AUDIO + "a=rtpmap:111 opus\n", 6,
                        "bad a=rtpmap: rtpmap encoding 'opus' is not <encoding name>/<clock rate>"),
                Arguments.of(HEAD + AUDIO + "a=rtpmap:111\n", 6, "bad a=rtpmap: rtpmap needs"),
                Arguments.of(HEAD + AUDIO + "a=rtpmap:abc opus/48000/2\n", 6, "rtpmap payload type 'abc' is not a number"),
                Arguments.of(HEAD + AUDIO + "a=rtpmap:200 opus/48000/2\n", 6, "rtpmap payload type 200 is out of range"),
                Arguments.of(HEAD + AUDIO + "a=rtpmap:111 opus/fast/2\n", 6, "rtpmap clock rate 'fast' is not a number"),
                Arguments.of(HEAD + AUDIO + "a=rtpmap:111 opus/48000/0\n", 6, "rtpmap channels 0 is out of range"),
                Arguments.of(HEAD + AUDIO + "a=rtpmap\n", 6, "bad a=rtpmap: a value is required"),
                Arguments.of(HEAD + AUDIO + "a=extmap:0 urn:ietf:params:rtp-hdrext:sdes:mid\n", 6,
                        "bad a=extmap: extmap id 0 is out of range 1..255"),
                Arguments.of(HEAD + AUDIO + "a=extmap:256 urn:x\n", 6, "extmap id 256 is out of range 1..255"),
                Arguments.of(HEAD + AUDIO + "a=extmap:1/sideways urn:x\n", 6, "unknown direction 'sideways'"),
                Arguments.of(HEAD + AUDIO + "a=extmap:1\n", 6, "extmap needs <id>[/<direction>] <uri>"),
                Arguments.of(HEAD + AUDIO + "a=rtcp-fb:111\n", 6, "rtcp-fb needs <payload type> <type>"),
                Arguments.of(HEAD + AUDIO + "a=rtcp-fb:x nack\n", 6, "rtcp-fb payload type 'x' is not a number"),
                Arguments.of(HEAD + AUDIO + "a=fmtp:\n", 6, "bad a=fmtp: fmtp format is missing"),
                Arguments.of(HEAD + AUDIO + "a=ssrc:4294967296 cname:x\n", 6, "ssrc 4294967296 is out of range"),
                Arguments.of(HEAD + AUDIO + "a=ssrc:12 c name:x\n", 6, "ssrc attribute name 'c name' contains"),
                Arguments.of(HEAD + AUDIO + "a=ssrc-group:FID 1 x\n", 6, "ssrc-group ssrc 'x' is not a number"),
                Arguments.of(HEAD + AUDIO + "a=setup:sideways\n", 6, "bad a=setup: unknown setup role 'sideways'"),
                Arguments.of(HEAD + AUDIO + "a=fingerprint:sha-256\n", 6, "fingerprint needs <hash-func> <fingerprint>"),
                Arguments.of(HEAD + AUDIO + "a=fingerprint:sha-256 AB:CD:E\n", 6, "is not hex pairs separated by ':'"),
                Arguments.of(HEAD + AUDIO + "a=fingerprint:sha-256 AB:CG\n", 6, "is not hex pairs"),
                Arguments.of(HEAD + AUDIO + "a=mid\n", 6, "bad a=mid: a value is required"),
                Arguments.of(HEAD + AUDIO + "a=mid:a b\n", 6, "bad a=mid: value 'a b' contains a space"),
                Arguments.of(HEAD + AUDIO + "a=msid:a b c\n", 6, "msid needs <stream id> [<track id>]"),
                Arguments.of(HEAD + AUDIO + "a=candidate:1 1 udp 2122260223 192.168.0.1\n", 6,
                        "candidate needs at least 8 fields"),
                Arguments.of(HEAD + AUDIO + "a=candidate:1 1 udp 2122260223 192.168.0.1 5000 type host\n", 6,
                        "candidate field 7 must be 'typ'"),
                Arguments.of(HEAD + AUDIO + "a=candidate:1 1 udp 1 10.0.0.1 65536 typ host\n", 6,
                        "candidate port 65536 is out of range"),
                Arguments.of(HEAD + AUDIO + "a=candidate:1 0 udp 1 10.0.0.1 5 typ host\n", 6,
                        "candidate component 0 is out of range"),
                Arguments.of(HEAD + AUDIO + "a=candidate:1 1 udp 4294967296 10.0.0.1 5 typ host\n", 6,
                        "candidate priority 4294967296 is out of range"),
                Arguments.of(HEAD + AUDIO + "a=candidate:1 1 udp 1 10.0.0.1 5 typ srflx raddr\n", 6,
                        "candidate extension 'raddr' has no value"),
                Arguments.of(HEAD + AUDIO + "a=candidate:1 1 udp 1 10.0.0.1 5 typ srflx rport x\n", 6,
                        "candidate rport 'x' is not a number"),
                Arguments.of(HEAD + AUDIO + "a=rid:h sideways\n", 6, "rid direction 'sideways' is neither send nor recv"),
                Arguments.of(HEAD + AUDIO + "a=rid:h send pt=x\n", 6, "rid payload type 'x' is not a number"),
                Arguments.of(HEAD + AUDIO + "a=rid:h.1 send\n", 6, "rid id 'h.1' may hold only letters"),
                Arguments.of(HEAD + AUDIO + "a=simulcast:send\n", 6, "simulcast needs send|recv"),
                Arguments.of(HEAD + AUDIO + "a=simulcast:send a;;b\n", 6, "rid id is missing"),
                Arguments.of(HEAD + AUDIO + "a=simulcast:send a send b\n", 6, "simulcast has two send lists"),
                Arguments.of(HEAD + AUDIO + "a=group:\n", 5 + 1, "group needs a semantics"),
                Arguments.of(HEAD + "a=msid-semantic: \n", 5, "msid-semantic needs a semantic"),
                Arguments.of(HEAD + AUDIO + "a=ice-options: \n", 6, "ice-options has no option"),
                Arguments.of(HEAD + AUDIO + "a=sctp-port:99999\n", 6, "sctp port 99999 is out of range"),
                Arguments.of(HEAD + AUDIO + "a=max-message-size:-1\n", 6, "max message size '-1' is not a number"),
                Arguments.of(HEAD + AUDIO + "a=:foo\n", 6, "attribute name is missing"),
                Arguments.of(HEAD + AUDIO + "a=bad name\n", 6, "attribute name 'bad name' contains an invalid character"));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void rejectedWithLineNumberAndReason(String sdp, int line, String reason) {
        assertThatThrownBy(() -> SdpParser.parse(sdp))
                .isInstanceOf(SdpParseException.class)
                .hasMessageStartingWith("line " + line + ": ")
                .hasMessageContaining(reason)
                .satisfies(e -> assertThat(((SdpParseException) e).lineNumber()).isEqualTo(line));
    }

    @Test
    void nullIsRejectedWithoutALineNumber() {
        assertThatThrownBy(() -> SdpParser.parse(null))
                .isInstanceOf(SdpParseException.class)
                .hasMessage("no SDP text (null)")
                .satisfies(e -> assertThat(((SdpParseException) e).lineNumber()).isZero());
    }

    @Test
    void messageQuotesTheOffendingLineWithControlCharactersEscaped() {
        assertThatThrownBy(() -> SdpParser.parse(HEAD + "a=x\u0000y\n"))
                .hasMessage("line 5: NUL character inside a line [a=x\\x00y]");
        assertThatThrownBy(() -> SdpParser.parse(HEAD + AUDIO + "a=rtpmap:111 opus\n"))
                .hasMessageEndingWith("[a=rtpmap:111 opus]")
                .satisfies(e -> assertThat(((SdpParseException) e).reason())
                        .isEqualTo("bad a=rtpmap: rtpmap encoding 'opus' is not <encoding name>/<clock rate>[/<channels>]"));
    }

    @Test
    void longLinesAreShortenedInTheMessage() {
        String longLine = "a=fingerprint:sha-256 " + "AB:".repeat(100) + "X";
        assertThatThrownBy(() -> SdpParser.parse(HEAD + longLine))
                .hasMessageEndingWith("...]");
    }

    @Test
    void truncatedSampleIsRejectedAtTheCutLine() {
        String chrome = SdpSamples.CHROME_OFFER;
        String cut = chrome.substring(0, chrome.indexOf("a=candidate:1467250027") + "a=candidate:1467250027 1 udp".length());
        assertThatThrownBy(() -> SdpParser.parse(cut))
                .isInstanceOf(SdpParseException.class)
                .hasMessageStartingWith("line 12: bad a=candidate: candidate needs at least 8 fields");
    }
}
