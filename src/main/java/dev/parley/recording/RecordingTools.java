package dev.parley.recording;

import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Whether this machine has what recording needs ({@link MediaTools}: GStreamer's gst-launch-1.0 with its elements,
 * FFmpeg with its encoders and filters, ffprobe), checked once and said plainly in the log at start when not:
 * recording is then off, and everything else works.
 */
@Component
public class RecordingTools {

    private static final Logger log = LoggerFactory.getLogger(RecordingTools.class);

    private final RecordingProperties properties;
    private volatile MediaTools tools;

    RecordingTools(RecordingProperties properties) {
        this.properties = properties;
    }

    /** Everything recording needs is here: the track writers and the composer. */
    public boolean isAvailable() {
        return tools().available();
    }

    /** The composed file can be made (FFmpeg with what it needs). */
    public boolean canCompose() {
        return tools().canCompose();
    }

    /** What is missing, in plain words naming the Debian packages; empty when nothing is. */
    public String missing() {
        return tools().reason();
    }

    MediaTools tools() {
        MediaTools current = tools;
        if (current == null) {
            synchronized (this) {
                if (tools == null) {
                    tools = detect();
                }
                current = tools;
            }
        }
        return current;
    }

    private MediaTools detect() {
        Path gstLaunch = properties.gstLaunch();
        // gst-inspect-1.0 lives beside gst-launch-1.0 (or on the PATH when gst-launch is a bare name).
        String gstInspect = gstLaunch.getParent() == null ? "gst-inspect-1.0"
                : gstLaunch.resolveSibling("gst-inspect-1.0").toString();
        try {
            return MediaTools.detect(new MediaToolPaths(properties.ffmpeg().toString(),
                    properties.ffprobe().toString(), gstLaunch.toString(), gstInspect), Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking the recording tools", e);
        }
    }

    @EventListener(ApplicationReadyEvent.class)
    void report() {
        if (!properties.enabled()) {
            log.info("Recording is turned off (PARLEY_RECORDING_ENABLED=false)");
        } else if (isAvailable()) {
            log.info("Recording is available; recordings are kept in {}",
                    properties.directory().toAbsolutePath().normalize());
        } else {
            log.warn("Recording is unavailable: {}. Everything else works.", missing());
        }
    }
}
