package dev.parley.recording;

/**
 * A recording that cannot start or go on, by a code the meeting page words: disabled (turned off by the operator),
 * unavailable (GStreamer or FFmpeg missing), disk-full (below the free-space floor or over the admins' quota),
 * already-recording, or failed.
 */
public class RecordingRefusedException extends Exception {

    private final String code;

    public RecordingRefusedException(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
