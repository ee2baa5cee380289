package dev.parley.relay.router;

/**
 * What a participant's track comes from, so that receivers can tell a screen share from a camera (signalling's track
 * description says it) and the relay can treat it differently: a screen share is sent as one stream, is never left
 * out by last-N and comes first in each subscriber's allocation ({@link LayerAllocator}).
 */
public enum TrackSource {
    MICROPHONE("microphone"),
    CAMERA("camera"),
    SCREEN("screen");

    private final String signalName;

    TrackSource(String signalName) {
        this.signalName = signalName;
    }

    /** The name in signalling ("microphone", "camera", "screen"). */
    public String signalName() {
        return signalName;
    }

    /** A participant's main track of that kind: its microphone, or its camera. */
    public static TrackSource defaultFor(MediaKind kind) {
        return kind == MediaKind.AUDIO ? MICROPHONE : CAMERA;
    }
}
