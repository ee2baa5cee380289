package dev.parley.recording;

import java.nio.file.Path;
import java.util.List;

/**
 * A finished composition.
 *
 * @param output the MP4, complete (it was moved into place only once ffmpeg had finished it)
 * @param info what ffprobe says of it (duration, streams)
 * @param tiles how many tiles the grid has
 * @param used the inputs it shows or plays
 * @param skipped the inputs left out, each with why
 */
public record ComposeResult(Path output, MediaInfo info, int tiles, List<ComposeInput> used,
        List<SkippedInput> skipped) {

    public ComposeResult {
        used = List.copyOf(used);
        skipped = List.copyOf(skipped);
    }

    /** An input left out of the composition, and why in plain words. */
    public record SkippedInput(ComposeInput input, String reason) {
    }
}
