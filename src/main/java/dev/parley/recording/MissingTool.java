package dev.parley.recording;

/**
 * One thing recording needs that this machine lacks, in plain words, and the Debian package that provides it.
 *
 * @param what for example "ffmpeg (not found on the PATH)" or "the GStreamer element h264parse"
 * @param debianPackage for example "gstreamer1.0-plugins-bad"
 */
public record MissingTool(String what, String debianPackage) {

    @Override
    public String toString() {
        return what + " (Debian package " + debianPackage + ")";
    }
}
