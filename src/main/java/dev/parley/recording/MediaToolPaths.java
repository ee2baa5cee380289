package dev.parley.recording;

/**
 * Where the media tools are: a bare name is looked up on the PATH, anything with a slash is taken as the file itself.
 */
public record MediaToolPaths(String ffmpeg, String ffprobe, String gstLaunch, String gstInspect) {

    /** The usual names, looked up on the PATH. */
    public static MediaToolPaths onPath() {
        return new MediaToolPaths("ffmpeg", "ffprobe", "gst-launch-1.0", "gst-inspect-1.0");
    }
}
