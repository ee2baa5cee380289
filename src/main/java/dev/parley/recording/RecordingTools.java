package dev.parley.recording;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Whether this machine has what recording needs (GStreamer's gst-launch-1.0 with its elements, FFmpeg and ffprobe),
 * checked once at start and said plainly in the log when not: recording is then off, and everything else works.
 */
@Component
public class RecordingTools {

    private static final Logger log = LoggerFactory.getLogger(RecordingTools.class);

    private final RecordingProperties properties;
    private volatile MediaTools.Check check;

    RecordingTools(RecordingProperties properties) {
        this.properties = properties;
    }

    public boolean isAvailable() {
        return check().available();
    }

    /** What is missing, in plain words naming the Debian package; empty when nothing is. */
    public String missing() {
        return check().reason();
    }

    private MediaTools.Check check() {
        MediaTools.Check current = check;
        if (current == null) {
            current = MediaTools.check(properties.gstLaunch(), properties.ffmpeg(), properties.ffprobe());
            check = current;
        }
        return current;
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
