package dev.parley.relay.sdp;

/** The value syntax of each attribute this package gives a typed accessor; unknown attributes pass unchecked. */
final class AttributeSyntax {

    private AttributeSyntax() {
    }

    static void check(String name, String value) {
        try {
            switch (name) {
                case "rtpmap" -> RtpMap.parse(required(value));
                case "fmtp" -> Fmtp.parse(required(value));
                case "rtcp-fb" -> RtcpFeedbackLine.parse(required(value));
                case "extmap" -> HeaderExtension.parse(required(value));
                case "ssrc" -> SsrcAttribute.parse(required(value));
                case "ssrc-group" -> SsrcGroup.parse(required(value));
                case "msid" -> Msid.parse(required(value));
                case "msid-semantic" -> MsidSemantic.parse(required(value));
                case "group" -> Group.parse(required(value));
                case "fingerprint" -> Fingerprint.parse(required(value));
                case "setup" -> Setup.parse(required(value));
                case "mid", "ice-ufrag", "ice-pwd" -> singleWord(required(value));
                case "ice-options" -> IceOptions.parse(required(value));
                case "candidate" -> IceCandidate.parse(required(value));
                case "rid" -> Rid.parse(required(value));
                case "simulcast" -> Simulcast.parse(required(value));
                case "sctp-port" -> Syntax.parseInt(Syntax.trimSpaces(required(value)), 0, 65535, "sctp port");
                case "max-message-size" ->
                        Syntax.parseLong(Syntax.trimSpaces(required(value)), 0, Long.MAX_VALUE, "max message size");
                default -> {
                    // property attributes (rtcp-mux, ice-lite, sendrecv, ...) and unknown attributes
                }
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad a=" + name + ": " + e.getMessage(), e);
        }
    }

    static String singleWord(String value) {
        return Syntax.word(Syntax.trimSpaces(value), "value");
    }

    private static String required(String value) {
        if (value == null) {
            throw new IllegalArgumentException("a value is required");
        }
        return value;
    }
}
