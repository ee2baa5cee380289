package dev.parley.recording;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Makes small media files with ffmpeg itself, in the shapes the track writers produce. */
final class TestMedia {

    private TestMedia() {
    }

    /** VP8 in WebM, like a camera track (320x240, or any size). */
    static Path vp8(Path dir, String name, double seconds, int width, int height) throws Exception {
        Path file = dir.resolve(name + ".webm");
        ffmpeg("-f", "lavfi", "-i", "testsrc2=s=" + width + "x" + height + ":r=30:d=" + seconds, "-c:v", "libvpx",
                "-deadline", "realtime", "-cpu-used", "8", "-b:v", "300k", file.toString());
        return file;
    }

    /** VP9 in WebM. */
    static Path vp9(Path dir, String name, double seconds, int width, int height) throws Exception {
        Path file = dir.resolve(name + ".webm");
        ffmpeg("-f", "lavfi", "-i", "testsrc2=s=" + width + "x" + height + ":r=30:d=" + seconds, "-c:v",
                "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "300k", file.toString());
        return file;
    }

    /** H.264 in Matroska, like a camera track from a browser that sends H.264. */
    static Path h264(Path dir, String name, double seconds, int width, int height) throws Exception {
        Path file = dir.resolve(name + ".mkv");
        ffmpeg("-f", "lavfi", "-i", "testsrc2=s=" + width + "x" + height + ":r=30:d=" + seconds, "-c:v", "libx264",
                "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-bf", "0", file.toString());
        return file;
    }

    /** Opus in WebM, like a microphone track: a tone. */
    static Path opus(Path dir, String name, double seconds, int frequency) throws Exception {
        Path file = dir.resolve(name + ".webm");
        ffmpeg("-f", "lavfi", "-i", "sine=f=" + frequency + ":d=" + seconds, "-c:a", "libopus", "-ar", "48000",
                file.toString());
        return file;
    }

    static void ffmpeg(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error",
                "-y"));
        command.addAll(List.of(arguments));
        String output = run(command);
        assertThat(output).as("ffmpeg %s", String.join(" ", arguments)).isEmpty();
    }

    /** Runs a command to its end and returns what it printed (stdout and stderr); fails the test on a non-zero exit. */
    static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String text = new String(output, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as("%s: %s", command, text).isZero();
        return text.strip();
    }

    /** The loudest sample (dB; -91 is digital silence) of the audio between two times. */
    static double maxVolume(Path media, double from, double seconds) throws Exception {
        String output = run(List.of("ffmpeg", "-hide_banner", "-nostdin", "-ss", String.valueOf(from), "-t",
                String.valueOf(seconds), "-i", media.toString(), "-map", "0:a", "-af", "volumedetect", "-f", "null",
                "-"));
        for (String line : output.split("\n")) {
            int at = line.indexOf("max_volume:");
            if (at >= 0) {
                return Double.parseDouble(line.substring(at + "max_volume:".length()).replace("dB", "").trim());
            }
        }
        throw new AssertionError("no max_volume in: " + output);
    }

    /** The mean brightness (Y, 16 = black) of one rectangle of the frame at the given time. */
    static double meanLuma(Path video, double seconds, GridLayout.Tile tile) throws Exception {
        String output = run(List.of("ffmpeg", "-hide_banner", "-nostdin", "-ss", String.valueOf(seconds), "-i",
                video.toString(), "-frames:v", "1", "-vf", "crop=" + tile.width() + ":" + tile.height() + ":"
                        + tile.x() + ":" + tile.y() + ",signalstats,metadata=print:key=lavfi.signalstats.YAVG",
                "-f", "null", "-"));
        for (String line : output.split("\n")) {
            int at = line.indexOf("lavfi.signalstats.YAVG=");
            if (at >= 0) {
                return Double.parseDouble(line.substring(at + "lavfi.signalstats.YAVG=".length()).trim());
            }
        }
        throw new AssertionError("no YAVG in: " + output);
    }
}
