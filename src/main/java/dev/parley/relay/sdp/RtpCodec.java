package dev.parley.relay.sdp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One payload type of an RTP m-line, assembled from its a=rtpmap, a=fmtp and a=rtcp-fb lines (including
 * {@code a=rtcp-fb:*}), or from the RFC 3551 static table when a static payload type has no rtpmap.
 *
 * @param channels the encoding parameters of the rtpmap (audio channels), or null when absent
 * @param fmtp     the raw format parameters of the a=fmtp line, or null when there is none
 * @param feedback RTCP feedback in the order the lines appear
 */
public record RtpCodec(int payloadType, String encodingName, int clockRate, Integer channels, String fmtp,
                       List<RtcpFeedback> feedback) {

    public RtpCodec {
        if (payloadType < 0 || payloadType > 127) {
            throw new IllegalArgumentException("payload type " + payloadType + " is out of range 0..127");
        }
        Syntax.word(encodingName, "encoding name");
        if (encodingName.indexOf('/') >= 0) {
            throw new IllegalArgumentException("encoding name '" + encodingName + "' contains '/'");
        }
        if (clockRate <= 0) {
            throw new IllegalArgumentException("clock rate " + clockRate + " is not positive");
        }
        if (channels != null && (channels < 1 || channels > 255)) {
            throw new IllegalArgumentException("channels " + channels + " is out of range 1..255");
        }
        if (fmtp != null) {
            Syntax.text(fmtp, "fmtp parameters");
            fmtp = Syntax.trimSpaces(fmtp);
        }
        feedback = List.copyOf(feedback);
    }

    public static RtpCodec of(int payloadType, String encodingName, int clockRate) {
        return new RtpCodec(payloadType, encodingName, clockRate, null, null, List.of());
    }

    public RtpCodec withPayloadType(int pt) {
        return new RtpCodec(pt, encodingName, clockRate, channels, fmtp, feedback);
    }

    public RtpCodec withChannels(Integer count) {
        return new RtpCodec(payloadType, encodingName, clockRate, count, fmtp, feedback);
    }

    public RtpCodec withFmtp(String rawParameters) {
        return new RtpCodec(payloadType, encodingName, clockRate, channels, rawParameters, feedback);
    }

    /** Replaces the format parameters, written as {@code name=value;name=value} in map order. */
    public RtpCodec withParameters(Map<String, String> parameters) {
        return withFmtp(parameters.isEmpty() ? null : Fmtp.formatParameters(parameters));
    }

    public RtpCodec withFeedback(List<RtcpFeedback> list) {
        return new RtpCodec(payloadType, encodingName, clockRate, channels, fmtp, list);
    }

    public RtpCodec withFeedback(RtcpFeedback... list) {
        return withFeedback(Arrays.asList(list));
    }

    public RtpCodec plusFeedback(RtcpFeedback fb) {
        List<RtcpFeedback> more = new ArrayList<>(feedback);
        more.add(fb);
        return withFeedback(more);
    }

    /** The fmtp parameters as an ordered, unmodifiable map (empty when there is no fmtp). */
    public Map<String, String> parameters() {
        return Fmtp.parameterMap(fmtp);
    }

    public Optional<String> parameter(String name) {
        return Optional.ofNullable(parameters().get(name));
    }

    /** Encoding name compared case-insensitively, as RFC 4855 media subtype names are. */
    public boolean is(String name) {
        return encodingName.equalsIgnoreCase(name);
    }

    public boolean isRtx() {
        return is("rtx");
    }

    /** For an RTX payload type (RFC 4588): the associated payload type from {@code apt=}. */
    public OptionalInt apt() {
        String apt = parameters().get("apt");
        if (apt == null) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(Syntax.parseInt(apt, 0, 127, "apt"));
        } catch (IllegalArgumentException notANumber) {
            return OptionalInt.empty();
        }
    }

    public boolean hasFeedback(RtcpFeedback fb) {
        return feedback.contains(fb);
    }

    /** The a=rtpmap value, e.g. {@code 111 opus/48000/2}. */
    String rtpmapValue() {
        String s = payloadType + " " + encodingName + '/' + clockRate;
        return channels == null ? s : s + '/' + channels;
    }
}
