package dev.parley.relay;

import dev.parley.relay.router.RtpCodecSpec;
import dev.parley.relay.transport.LinkTransport;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One track a relay sends over a relay link, as the far relay must know it to take it: what {@link LinkEvents#onTracks}
 * gives on one side and {@link Relay#setLinkTracks} takes on the other, through the nodes' control plane. Its packets
 * carry the track's number, its layer's index and the link's SSRC for the two ({@code LinkTransport.ssrc}), in the
 * codec's canonical payload type.
 *
 * @param number the sending relay's number for the track on this link, positive
 * @param participantId whose track it is
 * @param trackId the track's id in signalling
 * @param kind {@code audio} or {@code video}
 * @param source {@code microphone}, {@code camera} or {@code screen}
 * @param codec the codec's name as SDP spells it (opus, VP8, VP9, H264)
 * @param fmtp the codec's format parameters ("" for none)
 * @param rtx whether subscribers may be sent retransmissions of it (the publisher negotiated RTX)
 * @param layers the simulcast layers' RIDs, lowest first; empty for one stream
 */
public record LinkTrack(int number, String participantId, String trackId, String kind, String source, String codec,
                        String fmtp, boolean rtx, List<String> layers) {

    /** The most tracks one update may name: more than any meeting publishes on one node. */
    public static final int MAX_TRACKS = 1024;
    /** The most simulcast layers a track has. */
    public static final int MAX_LAYERS = 3;
    private static final Pattern ID = Pattern.compile("[!-~]{1,128}");
    private static final Pattern FMTP = Pattern.compile("[ -~]{0,256}");

    public LinkTrack {
        layers = layers == null ? List.of() : List.copyOf(layers);
    }

    /** Why the far relay cannot take this description, or null when it can. */
    String problem() {
        if (number <= 0 || number > LinkTransport.MAX_TRACK) {
            return "a track number must be 1-" + LinkTransport.MAX_TRACK;
        }
        if (participantId == null || !ID.matcher(participantId).matches() || trackId == null
                || !ID.matcher(trackId).matches()) {
            return "participant and track ids are 1-128 printable ASCII characters";
        }
        if (!"audio".equals(kind) && !"video".equals(kind)) {
            return "the kind is audio or video";
        }
        if (!List.of("microphone", "camera", "screen").contains(source)) {
            return "the source is microphone, camera or screen";
        }
        RtpCodecSpec spec = codec == null ? null : RtpCodecSpec.canonical(codec);
        if (spec == null || !spec.kind().sdpName().equals(kind)) {
            return "the relay has no " + kind + " codec by that name";
        }
        if (fmtp == null || !FMTP.matcher(fmtp).matches()) {
            return "the codec's format parameters are missing or too long";
        }
        if ("audio".equals(kind) && !layers.isEmpty()) {
            return "audio has no simulcast layers";
        }
        if (layers.size() > MAX_LAYERS || layers.size() == 1
                || layers.stream().anyMatch(rid -> rid == null || !ID.matcher(rid).matches())) {
            return "a track has no layers, or 2-" + MAX_LAYERS + " named ones";
        }
        return null;
    }
}
