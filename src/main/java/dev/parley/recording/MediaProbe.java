package dev.parley.recording;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Reads media files with ffprobe (what they hold) and ffmpeg (whether they decode cleanly). */
public final class MediaProbe {

    /** The default bound on one ffprobe run. */
    public static final Duration DEFAULT_PROBE_TIMEOUT = Duration.ofSeconds(30);

    /** At most this many error lines are kept from a decode; a badly broken file can print one per frame. */
    static final int MAX_DECODE_ERRORS = 200;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path ffprobe;
    private final Path ffmpeg;
    private final Duration probeTimeout;

    public MediaProbe(MediaTools tools) {
        this(tools.ffprobe(), tools.ffmpeg(), DEFAULT_PROBE_TIMEOUT);
    }

    public MediaProbe(Path ffprobe, Path ffmpeg, Duration probeTimeout) {
        this.ffprobe = ffprobe;
        this.ffmpeg = ffmpeg;
        this.probeTimeout = probeTimeout;
    }

    /** The container's duration and streams; a {@link MediaToolException} when ffprobe cannot read the file. */
    public MediaInfo probe(Path file) throws InterruptedException {
        if (!Files.isRegularFile(file)) {
            throw new MediaToolException("no such file: " + file);
        }
        ToolProcess.Output out = ToolProcess.capture(List.of(ffprobe.toString(), "-hide_banner", "-v", "error",
                "-print_format", "json", "-show_format", "-show_streams", file.toString()), probeTimeout);
        if (!out.result().succeeded()) {
            String timedOut = out.result().timedOut() ? " (timed out)" : "";
            throw new MediaToolException("ffprobe cannot read " + file + timedOut, out.result().stderrTail());
        }
        try {
            return parse(String.join("\n", out.stdout()));
        } catch (IOException | RuntimeException e) {
            throw new MediaToolException("ffprobe's description of " + file + " is not understood: " + e.getMessage());
        }
    }

    /**
     * Decodes every stream of the file and returns the errors ffmpeg reports (empty for a clean file), at most
     * {@value #MAX_DECODE_ERRORS} lines. Takes about as long as decoding the file; bounded by a time limit made from
     * the file's duration.
     */
    public List<String> decodeErrors(Path file) throws InterruptedException {
        MediaInfo info = probe(file);
        Duration timeout = info.hasDuration()
                ? Duration.ofSeconds(60).plus(info.duration().multipliedBy(2))
                : Duration.ofMinutes(30);
        List<String> errors = new ArrayList<>();
        ToolProcess.Result result = ToolProcess.run(List.of(ffmpeg.toString(), "-hide_banner", "-nostdin", "-v",
                "error", "-i", file.toString(),
                // the decoded frames keep the file's own timestamps: a variable frame rate (a browser's camera) then
                // draws no warnings about frames the null muxer would have to drop or shift
                "-fps_mode", "passthrough", "-enc_time_base", "-1", "-f", "null", "-"), timeout, line -> { }, line -> {
                    synchronized (errors) {
                        if (errors.size() < MAX_DECODE_ERRORS) {
                            errors.add(line);
                        }
                    }
                });
        synchronized (errors) {
            if (result.timedOut()) {
                errors.add("decoding did not finish within " + timeout.toSeconds() + " s");
            } else if (result.exitCode() != 0 && errors.isEmpty()) {
                errors.add("ffmpeg exited with status " + result.exitCode());
            }
            return List.copyOf(errors);
        }
    }

    static MediaInfo parse(String json) throws IOException {
        JsonNode root = JSON.readTree(json);
        JsonNode format = root.path("format");
        List<MediaInfo.Stream> streams = new ArrayList<>();
        for (JsonNode s : root.path("streams")) {
            streams.add(new MediaInfo.Stream(s.path("index").asInt(), s.path("codec_type").asText(""),
                    s.hasNonNull("codec_name") ? s.get("codec_name").asText() : null, s.path("width").asInt(0),
                    s.path("height").asInt(0)));
        }
        Duration duration = seconds(format.path("duration"));
        Duration start = seconds(format.path("start_time"));
        return new MediaInfo(format.path("format_name").asText(""), duration, start == null ? Duration.ZERO : start,
                streams);
    }

    /** ffprobe writes seconds as a decimal string, or "N/A", or leaves the field out. */
    private static Duration seconds(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        try {
            BigDecimal seconds = new BigDecimal(node.asText().trim());
            return Duration.ofNanos(seconds.movePointRight(9).longValue());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
