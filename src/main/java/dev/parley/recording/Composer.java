package dev.parley.recording;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleConsumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes one MP4 (H.264 yuv420p and AAC, fast start) of a recording from its track files: a grid with one tile per
 * participant or screen share, every audio track mixed, exactly as long as the recording. Runs one ffmpeg process in
 * the calling thread; interrupting that thread kills it. The output appears only when it is complete.
 */
public final class Composer {

    private static final Logger log = LoggerFactory.getLogger(Composer.class);
    private static final int MAX_LABEL_CODE_POINTS = 40;
    /** Progress reported while ffmpeg runs stops short of 1, which means "the file is in place". */
    private static final double RUNNING_PROGRESS_CAP = 0.99;

    private final MediaTools tools;
    private final MediaProbe probe;
    private final ComposeSettings settings;

    public Composer(MediaTools tools) {
        this(tools, ComposeSettings.defaults());
    }

    public Composer(MediaTools tools, ComposeSettings settings) {
        if (!tools.canCompose()) {
            throw new IllegalStateException("cannot compose recordings: " + tools.reason());
        }
        this.tools = tools;
        this.probe = new MediaProbe(tools);
        this.settings = settings;
    }

    /**
     * Composes the inputs into {@code output} (replaced if it exists).
     *
     * @param inputs the track files; those without a readable stream of their kind are skipped (and logged)
     * @param durationMillis the recording's length, which the output has exactly
     * @param progress called with values rising from 0 to 1 (1 once the output is in place), on another thread
     * @throws IllegalArgumentException when there are no inputs, the duration is not positive, or the output is one
     *     of the inputs
     * @throws MediaToolException when no input is usable, or ffmpeg fails or takes longer than the time limit
     * @throws InterruptedException when the thread is interrupted; ffmpeg is then killed and nothing is left behind
     */
    public ComposeResult compose(List<ComposeInput> inputs, long durationMillis, Path output, DoubleConsumer progress)
            throws InterruptedException {
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("nothing to compose: no track files");
        }
        if (durationMillis <= 0) {
            throw new IllegalArgumentException("a recording's duration must be positive: " + durationMillis + " ms");
        }
        Path target = output.toAbsolutePath().normalize();
        for (ComposeInput input : inputs) {
            if (input.file().toAbsolutePath().normalize().equals(target)) {
                throw new IllegalArgumentException("the output would overwrite the track file " + input.file());
            }
        }

        List<Usable> usable = new ArrayList<>();
        List<ComposeResult.SkippedInput> skipped = new ArrayList<>();
        for (ComposeInput input : inputs) {
            String problem = null;
            MediaInfo info = null;
            try {
                info = probe.probe(input.file());
                boolean hasIt = input.kind().isVisual() ? info.firstVideo().isPresent() : info.firstAudio().isPresent();
                if (!hasIt) {
                    problem = "it has no " + (input.kind().isVisual() ? "video" : "audio") + " stream";
                }
            } catch (MediaToolException e) {
                problem = e.getMessage();
            }
            if (problem == null) {
                usable.add(new Usable(input, info));
            } else {
                log.warn("Leaving {} out of {}: {}", input.file(), target.getFileName(), problem);
                skipped.add(new ComposeResult.SkippedInput(input, problem));
            }
        }
        if (usable.isEmpty()) {
            throw new MediaToolException("none of the " + inputs.size() + " track files for " + target.getFileName()
                    + " can be read: " + skipped.get(0).reason());
        }

        Map<String, String> tiles = tiles(usable);
        List<GridLayout.Tile> rects = GridLayout.tiles(tiles.size(), settings.width(), settings.height());
        List<String> keys = new ArrayList<>(tiles.keySet());

        Path work = createWorkDirectory();
        Path partial = target.resolveSibling("." + target.getFileName() + ".part");
        try {
            FilterGraphBuilder graph = new FilterGraphBuilder(settings.width(), settings.height(),
                    settings.frameRate(), durationMillis);
            if (settings.labels() && tools.labels()) {
                graph.labelFont(settings.labelFont());
                for (int i = 0; i < keys.size(); i++) {
                    String text = labelText(tiles.get(keys.get(i)));
                    if (!text.isEmpty()) {
                        Path file = work.resolve("label-" + i + ".txt");
                        Files.writeString(file, text, StandardCharsets.UTF_8);
                        graph.label(rects.get(i), file);
                    }
                }
            }
            List<String> command = new ArrayList<>(List.of(tools.ffmpeg().toString(), "-hide_banner", "-nostdin",
                    "-loglevel", "error", "-y"));
            for (int i = 0; i < usable.size(); i++) {
                Usable u = usable.get(i);
                // ffmpeg moves each input's first timestamp to 0; the file's own start puts it back in place.
                long offset = Math.max(0, u.input().offsetMillis() + u.info().startTime().toMillis());
                if (u.input().kind().isVisual()) {
                    // A resolution change mid-file must not rebuild the whole graph (which would restart the canvas);
                    // the scale filter takes it frame by frame.
                    command.addAll(List.of("-reinit_filter", "0"));
                    graph.video(i, rects.get(keys.indexOf(u.input().tileKey())), offset);
                } else {
                    graph.audio(i, offset);
                }
                command.addAll(List.of("-i", u.input().file().toString()));
            }
            Path script = work.resolve("graph.txt");
            Files.writeString(script, graph.build(), StandardCharsets.UTF_8);
            command.addAll(tools.filterGraphFileOption(script));
            command.addAll(List.of("-map", FilterGraphBuilder.VIDEO_OUT, "-map", FilterGraphBuilder.AUDIO_OUT,
                    "-c:v", "libx264", "-preset", settings.x264Preset(), "-crf", String.valueOf(settings.crf()),
                    "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", settings.audioBitrateKbps() + "k", "-ar", "48000",
                    "-t", FilterGraphBuilder.seconds(durationMillis), "-movflags", "+faststart"));
            if (settings.threads() > 0) {
                command.addAll(List.of("-threads", String.valueOf(settings.threads()), "-filter_complex_threads",
                        String.valueOf(settings.threads())));
            }
            command.addAll(List.of("-progress", "pipe:1", "-nostats", "-f", "mp4", partial.toString()));

            Duration timeout = settings.timeoutFor(durationMillis);
            log.info("Composing {} from {} track files into {} tiles ({} s of media, limit {} s)", target,
                    usable.size(), tiles.size(), durationMillis / 1000, timeout.toSeconds());
            ProgressReader reader = new ProgressReader(durationMillis, progress);
            ToolProcess.Result result = ToolProcess.run(command, timeout, reader::line, line -> { });
            if (result.timedOut()) {
                throw new MediaToolException("composing " + target.getFileName() + " took longer than its limit of "
                        + FilterGraphBuilder.seconds(timeout.toMillis()) + " s, so ffmpeg was stopped",
                        result.stderrTail());
            }
            if (result.exitCode() != 0) {
                throw new MediaToolException("ffmpeg failed composing " + target.getFileName() + " (exit status "
                        + result.exitCode() + ")", result.stderrTail());
            }
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            MediaInfo info = probe.probe(target);
            reader.finished();
            return new ComposeResult(target, info, tiles.size(), usable.stream().map(Usable::input).toList(),
                    skipped);
        } catch (IOException e) {
            throw new MediaToolException("composing " + target.getFileName() + " failed: " + e);
        } finally {
            deleteQuietly(partial);
            deleteRecursively(work);
        }
    }

    /** The tiles in order of first appearance (by offset), each with its label (the first non-blank one). */
    private static Map<String, String> tiles(List<Usable> usable) {
        List<Usable> byOffset = new ArrayList<>(usable);
        byOffset.sort(Comparator.comparingLong(u -> u.input().offsetMillis()));
        Map<String, String> tiles = new LinkedHashMap<>();
        for (Usable u : byOffset) {
            String label = u.input().label() == null ? "" : u.input().label().strip();
            tiles.merge(u.input().tileKey(), label, (old, next) -> old.isEmpty() ? next : old);
        }
        return tiles;
    }

    /** A name fit to draw: no control characters, at most a line's worth. */
    static String labelText(String label) {
        StringBuilder text = new StringBuilder();
        label.codePoints().filter(c -> !Character.isISOControl(c)).limit(MAX_LABEL_CODE_POINTS)
                .forEach(text::appendCodePoint);
        return text.toString().strip();
    }

    private record Usable(ComposeInput input, MediaInfo info) {
    }

    /** Turns ffmpeg's "-progress" key=value lines into a rising fraction of the recording's length. */
    private static final class ProgressReader {

        private final long durationMicros;
        private final DoubleConsumer progress;
        private final AtomicLong lastReportedPermille = new AtomicLong(-1);
        private final AtomicBoolean warned = new AtomicBoolean();

        ProgressReader(long durationMillis, DoubleConsumer progress) {
            this.durationMicros = durationMillis * 1000;
            this.progress = progress;
        }

        void line(String line) {
            if (!line.startsWith("out_time_us=")) {
                return;
            }
            long micros;
            try {
                micros = Long.parseLong(line.substring("out_time_us=".length()).trim());
            } catch (NumberFormatException e) {
                return; // "N/A" before the first frame
            }
            double fraction = Math.min(RUNNING_PROGRESS_CAP, Math.max(0, (double) micros / durationMicros));
            report(Math.round(fraction * 1000));
        }

        void finished() {
            report(1000);
        }

        private void report(long permille) {
            long last = lastReportedPermille.get();
            if (permille > last && lastReportedPermille.compareAndSet(last, permille)) {
                try {
                    progress.accept(permille / 1000.0);
                } catch (RuntimeException e) {
                    if (warned.compareAndSet(false, true)) {
                        log.warn("A compose progress listener failed", e);
                    }
                }
            }
        }
    }

    private static Path createWorkDirectory() {
        try {
            return Files.createTempDirectory("parley-compose-");
        } catch (IOException e) {
            throw new MediaToolException("cannot create a temporary directory for ffmpeg's filter graph: " + e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("Could not delete {}: {}", file, e.toString());
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(Composer::deleteQuietly);
        } catch (IOException e) {
            log.warn("Could not delete {}: {}", dir, e.toString());
        }
    }
}
