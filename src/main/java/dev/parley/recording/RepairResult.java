package dev.parley.recording;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What {@link TrackFileRepair} did with one track file.
 *
 * @param file the track file
 * @param recovered true when the file now has its index and duration (it was rewritten, or needed nothing)
 * @param rewritten true when the file was replaced by a remuxed copy
 * @param duration its duration afterwards, or null when not recovered
 * @param reason plain words on why it was not recovered, or what was done
 */
public record RepairResult(Path file, boolean recovered, boolean rewritten, Duration duration, String reason) {
}
