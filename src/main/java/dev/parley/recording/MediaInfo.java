package dev.parley.recording;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What ffprobe says about one media file.
 *
 * @param formatName the container as ffprobe names it, for example "matroska,webm" or "mov,mp4,m4a,3gp,3g2,mj2"
 * @param duration the container's duration, or null when it does not say (a track file whose writer died)
 * @param startTime the first timestamp in the file (zero when unknown)
 * @param streams the streams in file order
 */
public record MediaInfo(String formatName, Duration duration, Duration startTime, List<Stream> streams) {

    public MediaInfo {
        streams = List.copyOf(streams);
    }

    /**
     * One stream of the file.
     *
     * @param type "video", "audio", "subtitle", "data", ...
     * @param codecName for example "h264", "vp8", "opus", "aac"; null when ffprobe does not know it
     * @param width pixels, 0 for anything but video
     * @param height pixels, 0 for anything but video
     */
    public record Stream(int index, String type, String codecName, int width, int height) {

        public boolean isVideo() {
            return "video".equals(type);
        }

        public boolean isAudio() {
            return "audio".equals(type);
        }
    }

    public boolean hasDuration() {
        return duration != null;
    }

    public Optional<Stream> firstVideo() {
        return streams.stream().filter(Stream::isVideo).findFirst();
    }

    public Optional<Stream> firstAudio() {
        return streams.stream().filter(Stream::isAudio).findFirst();
    }
}
