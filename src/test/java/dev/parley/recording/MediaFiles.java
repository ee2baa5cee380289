package dev.parley.recording;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** ffprobe and ffmpeg on a media file, for tests. */
public final class MediaFiles {

    public record Info(List<String> codecs, double durationSeconds) {
    }

    private MediaFiles() {
    }

    public static Info probe(Path file) throws Exception {
        String codecs = run(List.of("ffprobe", "-v", "error", "-show_entries", "stream=codec_name", "-of",
                "default=nw=1:nk=1", file.toString()));
        String duration = run(List.of("ffprobe", "-v", "error", "-show_entries", "format=duration", "-of",
                "default=nw=1:nk=1", file.toString()));
        return new Info(Arrays.stream(codecs.strip().split("\\s+")).filter(s -> !s.isEmpty()).toList(),
                Double.parseDouble(duration.strip()));
    }

    public static String decodeErrors(Path file) throws Exception {
        return run(List.of("ffmpeg", "-v", "error", "-i", file.toString(), "-fps_mode", "passthrough",
                "-enc_time_base", "-1", "-f", "null", "-")).strip();
    }

    private static String run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not finish");
        }
        String text = new String(output, StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new AssertionError(command + " failed: " + text);
        }
        return text;
    }
}
