package dev.parley.recording;

import java.util.List;

/**
 * A media tool (ffmpeg, ffprobe) could not do its job: it failed, timed out, or the input held nothing usable. The
 * message is one or a few plain lines, ending with the last lines the tool wrote to stderr, so that it can be logged as
 * it is; a page shows its own localised text instead of it.
 */
public class MediaToolException extends RuntimeException {

    private final List<String> stderrTail;

    public MediaToolException(String message) {
        this(message, List.of());
    }

    public MediaToolException(String message, List<String> stderrTail) {
        super(stderrTail.isEmpty() ? message : message + ": " + String.join(" | ", stderrTail));
        this.stderrTail = List.copyOf(stderrTail);
    }

    /** The last lines the tool wrote to stderr (empty when it wrote none or never ran). */
    public List<String> stderrTail() {
        return stderrTail;
    }
}
