package dev.parley.recording;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recovers a track file whose writer died before finishing it (no end of stream: Matroska/WebM without cues or
 * duration): ffmpeg copies its packets, without decoding, into a new file next to it, and that replaces the original
 * atomically only once it probes fine. Timestamps are kept as they were, so the file's offset in the recording stays
 * right. A file that cannot be recovered is left exactly as it was.
 */
public final class TrackFileRepair {

    private static final Logger log = LoggerFactory.getLogger(TrackFileRepair.class);

    private final Path ffmpeg;
    private final MediaProbe probe;
    private final Duration timeout;

    public TrackFileRepair(MediaTools tools) {
        this(tools, Duration.ofMinutes(10));
    }

    /** The timeout bounds the copy of one file (it runs at disk speed: minutes only for very long tracks). */
    public TrackFileRepair(MediaTools tools, Duration timeout) {
        this.ffmpeg = tools.ffmpeg();
        this.probe = new MediaProbe(tools);
        this.timeout = timeout;
    }

    /** True when the file cannot be read as it is or its container does not say how long it is. */
    public boolean needsRepair(Path file) throws InterruptedException {
        try {
            return !probe.probe(file).hasDuration();
        } catch (MediaToolException e) {
            return true;
        }
    }

    /** Rewrites the file if it needs it; see the class comment. */
    public RepairResult repair(Path file) throws InterruptedException {
        try {
            if (Files.size(file) == 0) {
                return notRecovered(file, "the file is empty: its writer never wrote to it");
            }
        } catch (IOException e) {
            return notRecovered(file, "the file cannot be read: " + e.getMessage());
        }
        try {
            MediaInfo info = probe.probe(file);
            if (info.hasDuration() && !info.streams().isEmpty()) {
                return new RepairResult(file, true, false, info.duration(), "the file was complete");
            }
        } catch (MediaToolException e) {
            log.info("{} does not probe ({}); trying to recover it", file, e.getMessage());
        }

        Path copy = file.resolveSibling("." + file.getFileName() + ".repair");
        try {
            ToolProcess.Result result = ToolProcess.run(List.of(ffmpeg.toString(), "-hide_banner", "-nostdin",
                    "-loglevel", "error", "-y", "-copyts", "-i", file.toString(), "-map", "0", "-c", "copy", "-f",
                    muxerFor(file), copy.toString()), timeout, line -> { }, line -> { });
            if (result.timedOut() || !Files.isRegularFile(copy)) {
                return notRecovered(file, "ffmpeg could not copy it" + (result.stderrTail().isEmpty() ? ""
                        : ": " + result.stderrTail().get(result.stderrTail().size() - 1)));
            }
            MediaInfo repaired;
            try {
                repaired = probe.probe(copy);
            } catch (MediaToolException e) {
                return notRecovered(file, "the copy does not probe either: " + e.getMessage());
            }
            if (!repaired.hasDuration() || repaired.duration().isZero() || repaired.streams().isEmpty()) {
                return notRecovered(file, "the copy holds no media");
            }
            Files.move(copy, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            log.info("Recovered {} ({} ms of media)", file, repaired.duration().toMillis());
            return new RepairResult(file, true, true, repaired.duration(), "rewritten with its index and duration");
        } catch (IOException e) {
            return notRecovered(file, "the copy could not replace it: " + e.getMessage());
        } finally {
            try {
                Files.deleteIfExists(copy);
            } catch (IOException e) {
                log.warn("Could not delete {}: {}", copy, e.toString());
            }
        }
    }

    private static RepairResult notRecovered(Path file, String reason) {
        log.warn("Could not recover {}: {}", file, reason);
        return new RepairResult(file, false, false, null, reason);
    }

    /** The muxer for the file's extension: ffmpeg cannot guess it from the temporary copy's name. */
    static String muxerFor(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".webm")) {
            return "webm";
        }
        if (name.endsWith(".mp4") || name.endsWith(".m4a")) {
            return "mp4";
        }
        return "matroska";
    }
}
