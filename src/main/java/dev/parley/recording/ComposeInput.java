package dev.parley.recording;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One track file to compose.
 *
 * @param file the track file (read only; never changed)
 * @param kind what the file holds
 * @param tileKey the tile it is shown in: the same for all files of one participant (across leaving and rejoining);
 *     a screen share has a key of its own
 * @param offsetMillis when the file's timestamp 0 falls, from the start of the recording
 * @param label the name an empty tile shows (may be null or blank)
 */
public record ComposeInput(Path file, Kind kind, String tileKey, long offsetMillis, String label) {

    /** What a track file holds. */
    public enum Kind {
        AUDIO, VIDEO, SCREEN;

        boolean isVisual() {
            return this != AUDIO;
        }
    }

    public ComposeInput {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(tileKey, "tileKey");
        if (offsetMillis < 0) {
            throw new IllegalArgumentException("a track cannot start before its recording: " + offsetMillis + " ms");
        }
    }
}
