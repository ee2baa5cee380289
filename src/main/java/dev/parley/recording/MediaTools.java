package dev.parley.recording;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Placeholder until the composer branch lands (replaced by its MediaTools). */
final class MediaTools {

    record Check(boolean available, String reason) {
    }

    static Check check(Path gstLaunch, Path ffmpeg, Path ffprobe) {
        for (Path tool : new Path[] {gstLaunch, ffmpeg, ffprobe}) {
            try {
                Process p = new ProcessBuilder(tool.toString(), tool.toString().contains("ff") ? "-version" : "--version").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    return new Check(false, tool + " does not run");
                }
            } catch (Exception e) {
                return new Check(false, tool + " is missing");
            }
        }
        return new Check(true, "");
    }
}
