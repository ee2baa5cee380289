package dev.parley.relay.router;

public enum MediaKind {
    AUDIO("audio"),
    VIDEO("video");

    private final String sdpName;

    MediaKind(String sdpName) {
        this.sdpName = sdpName;
    }

    public String sdpName() {
        return sdpName;
    }

    public static MediaKind fromSdp(String media) {
        return switch (media) {
            case "audio" -> AUDIO;
            case "video" -> VIDEO;
            default -> null;
        };
    }
}
