package dev.parley.relay.sdp;

/**
 * One RTCP feedback capability of a codec (RFC 4585 a=rtcp-fb), e.g. {@code nack}, {@code nack pli},
 * {@code ccm fir}, {@code transport-cc}, {@code goog-remb}.
 *
 * @param parameter the rest after the type (e.g. {@code pli}), or null when absent
 */
public record RtcpFeedback(String type, String parameter) {

    public static final RtcpFeedback NACK = new RtcpFeedback("nack", null);
    public static final RtcpFeedback NACK_PLI = new RtcpFeedback("nack", "pli");
    public static final RtcpFeedback CCM_FIR = new RtcpFeedback("ccm", "fir");
    public static final RtcpFeedback TRANSPORT_CC = new RtcpFeedback("transport-cc", null);
    public static final RtcpFeedback GOOG_REMB = new RtcpFeedback("goog-remb", null);

    public RtcpFeedback {
        Syntax.word(type, "rtcp-fb type");
        if (parameter != null) {
            Syntax.text(parameter, "rtcp-fb parameter");
            if (parameter.isBlank() || !parameter.equals(Syntax.trimSpaces(parameter))) {
                throw new IllegalArgumentException("rtcp-fb parameter '" + parameter + "' is blank or padded");
            }
        }
    }

    String format() {
        return parameter == null ? type : type + ' ' + parameter;
    }
}
