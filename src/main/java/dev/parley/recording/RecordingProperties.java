package dev.parley.recording;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Recording on the server (environment: PARLEY_RECORDING_*).
 *
 * @param enabled off turns recording off altogether (the controls are hidden)
 * @param directory where recordings are written, one folder each, under the data folder by default
 * @param gstLaunch GStreamer's gst-launch-1.0, which writes each track
 * @param ffmpeg FFmpeg, which composes the recording after the meeting
 * @param ffprobe FFmpeg's ffprobe, which checks files
 * @param minFreeDisk recording stops (and does not start) when the disk holding {@code directory} has less free
 * @param stopGrace how long a track's recorder has to finish its file once stopped, before it is stopped by force
 */
@ConfigurationProperties(prefix = "parley.recording")
public record RecordingProperties(@DefaultValue("true") boolean enabled,
                                  @DefaultValue("./data/recordings") Path directory,
                                  @DefaultValue("gst-launch-1.0") Path gstLaunch,
                                  @DefaultValue("ffmpeg") Path ffmpeg,
                                  @DefaultValue("ffprobe") Path ffprobe,
                                  @DefaultValue("1GB") DataSize minFreeDisk,
                                  @DefaultValue("10s") Duration stopGrace) {

    public RecordingProperties {
        if (minFreeDisk.isNegative()) {
            throw new IllegalArgumentException("parley.recording.min-free-disk cannot be negative");
        }
        if (stopGrace.isNegative() || stopGrace.isZero() || stopGrace.toMinutes() > 10) {
            throw new IllegalArgumentException("parley.recording.stop-grace must be from 1ms to 10 minutes");
        }
    }
}
