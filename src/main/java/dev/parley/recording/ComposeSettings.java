package dev.parley.recording;

import java.time.Duration;

/**
 * How the composed file is made.
 *
 * @param width canvas width in pixels (even)
 * @param height canvas height in pixels (even)
 * @param frameRate frames per second of the composed video
 * @param x264Preset libx264's speed/size trade-off, for example "veryfast"
 * @param crf libx264's constant quality (lower is better and bigger; 23 is its default)
 * @param audioBitrateKbps AAC bitrate
 * @param threads ffmpeg's threads for filtering and encoding; 0 lets ffmpeg choose (all cores)
 * @param labels draw each tile's name under its video, when ffmpeg can ({@link MediaTools#labels()})
 * @param labelFont the fontconfig family for names, for example "Noto Sans CJK SC" (Chinese names need a font that
 *     has them; the default, "Sans", is usually DejaVu, which has not); null for fontconfig's default
 * @param timeoutBase the fixed part of the time limit
 * @param timeoutPerSecond the part of the time limit per second of recording
 */
public record ComposeSettings(int width, int height, int frameRate, String x264Preset, int crf, int audioBitrateKbps,
        int threads, boolean labels, String labelFont, Duration timeoutBase, Duration timeoutPerSecond) {

    public ComposeSettings {
        if (width < 64 || height < 64 || width % 2 != 0 || height % 2 != 0) {
            throw new IllegalArgumentException("the canvas must be even and at least 64x64: " + width + "x" + height);
        }
        if (frameRate < 1 || frameRate > 60) {
            throw new IllegalArgumentException("frame rate out of 1..60: " + frameRate);
        }
        if (crf < 0 || crf > 51 || audioBitrateKbps < 32 || threads < 0) {
            throw new IllegalArgumentException("crf 0..51, audio at least 32 kbit/s, threads 0 or more");
        }
    }

    /**
     * 1280x720 at 30 frames per second, veryfast CRF 23, AAC 128 kbit/s, names, a limit of 1 min + 8x the length (a
     * two-minute meeting of four took 0.6x its length on two busy cores: the limit only catches a stuck ffmpeg).
     */
    public static ComposeSettings defaults() {
        return new ComposeSettings(1280, 720, 30, "veryfast", 23, 128, 0, true, null, Duration.ofMinutes(1),
                Duration.ofSeconds(8));
    }

    public ComposeSettings withSize(int width, int height) {
        return new ComposeSettings(width, height, frameRate, x264Preset, crf, audioBitrateKbps, threads, labels,
                labelFont, timeoutBase, timeoutPerSecond);
    }

    public ComposeSettings withPreset(String preset) {
        return new ComposeSettings(width, height, frameRate, preset, crf, audioBitrateKbps, threads, labels,
                labelFont, timeoutBase, timeoutPerSecond);
    }

    public ComposeSettings withTimeout(Duration base, Duration perSecond) {
        return new ComposeSettings(width, height, frameRate, x264Preset, crf, audioBitrateKbps, threads, labels,
                labelFont, base, perSecond);
    }

    public ComposeSettings withLabelFont(String family) {
        return new ComposeSettings(width, height, frameRate, x264Preset, crf, audioBitrateKbps, threads, labels, family,
                timeoutBase, timeoutPerSecond);
    }

    public ComposeSettings withThreads(int count) {
        return new ComposeSettings(width, height, frameRate, x264Preset, crf, audioBitrateKbps, count, labels,
                labelFont, timeoutBase, timeoutPerSecond);
    }

    /** The time limit for composing a recording of this length. */
    public Duration timeoutFor(long durationMillis) {
        return timeoutBase.plus(timeoutPerSecond.multipliedBy(durationMillis).dividedBy(1000));
    }
}
