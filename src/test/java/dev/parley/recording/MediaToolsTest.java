package dev.parley.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The start-up check of the media tools, against the real tools of this machine and against missing ones. */
class MediaToolsTest {

    @Test
    void everythingRecordingNeedsIsFoundOnThePath() throws Exception {
        MediaTools tools = MediaTools.detect();

        assertThat(tools.missing()).as(tools.reason()).isEmpty();
        assertThat(tools.available()).isTrue();
        assertThat(tools.canCompose()).isTrue();
        assertThat(tools.reason()).isEmpty();
        assertThat(tools.ffmpeg()).isAbsolute().endsWith(Path.of("ffmpeg"));
        assertThat(tools.ffprobe().getFileName()).hasToString("ffprobe");
        assertThat(tools.gstLaunch().getFileName()).hasToString("gst-launch-1.0");
        assertThat(tools.gstInspect().getFileName()).hasToString("gst-inspect-1.0");
    }

    @Test
    void missingToolsAreNamedWithTheDebianPackagesThatProvideThem() throws Exception {
        MediaTools tools = MediaTools.detect(new MediaToolPaths("/nonexistent/ffmpeg", "parley-no-such-ffprobe",
                "parley-no-such-gst-launch", "/nonexistent/gst-inspect-1.0"), Duration.ofSeconds(5));

        assertThat(tools.available()).isFalse();
        assertThat(tools.canCompose()).isFalse();
        assertThat(tools.labels()).isFalse();
        assertThat(tools.missing()).extracting(MissingTool::toString).containsExactly(
                "/nonexistent/ffmpeg (not found at /nonexistent/ffmpeg) (Debian package ffmpeg)",
                "parley-no-such-ffprobe (not found on the PATH) (Debian package ffmpeg)",
                "parley-no-such-gst-launch (not found on the PATH) (Debian package gstreamer1.0-tools)",
                "/nonexistent/gst-inspect-1.0 (not found at /nonexistent/gst-inspect-1.0) "
                        + "(Debian package gstreamer1.0-tools)");
        assertThat(tools.packagesToInstall()).containsExactly("ffmpeg", "gstreamer1.0-tools");
        assertThat(tools.reason()).endsWith(". Install: apt-get install ffmpeg gstreamer1.0-tools");
        assertThatThrownBy(tools::ffmpeg).isInstanceOf(IllegalStateException.class)
                .hasMessage("ffmpeg was not found (Debian package ffmpeg)");
        assertThatThrownBy(() -> new Composer(tools)).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("cannot compose recordings: /nonexistent/ffmpeg");
    }

    @Test
    void toolsThatRunButLackEncodersFiltersOrElementsAreReportedOneByOne() throws Exception {
        // /bin/true runs, succeeds and lists nothing: no encoder, no filter, no GStreamer element.
        MediaTools tools = MediaTools.detect(new MediaToolPaths("/bin/true", "ffprobe", "gst-launch-1.0",
                "/bin/true"), Duration.ofSeconds(5));

        assertThat(tools.available()).isFalse();
        assertThat(tools.canCompose()).isFalse();
        assertThat(tools.reason()).contains("the libx264 encoder in /bin/true (Debian package ffmpeg)",
                "the aac encoder in /bin/true (Debian package ffmpeg)",
                "the overlay filter in /bin/true (Debian package ffmpeg)",
                "the amix filter in /bin/true (Debian package ffmpeg)",
                "the adelay filter in /bin/true (Debian package ffmpeg)",
                "the GStreamer element udpsrc (Debian package gstreamer1.0-plugins-good)",
                "the GStreamer element rtpvp9depay (Debian package gstreamer1.0-plugins-good)",
                "the GStreamer element h264parse (Debian package gstreamer1.0-plugins-bad)",
                "the GStreamer element opusparse (Debian package gstreamer1.0-plugins-bad)",
                "the GStreamer element filesink (Debian package libgstreamer1.0-0)");
        assertThat(tools.packagesToInstall()).containsExactly("ffmpeg", "gstreamer1.0-plugins-good",
                "gstreamer1.0-plugins-bad", "libgstreamer1.0-0");
    }

    @Test
    void aBareNameIsLookedUpOnThePathAndAPathIsTakenAsItIs(@TempDir Path dir) throws Exception {
        Path notExecutable = Files.writeString(dir.resolve("ffmpeg"), "#!/bin/sh\n");
        assertThat(MediaTools.find("ffmpeg")).isNotNull().isAbsolute();
        assertThat(MediaTools.find("/bin/true")).hasToString("/bin/true");
        assertThat(MediaTools.find(notExecutable.toString())).as("not executable").isNull();
        assertThat(MediaTools.find(dir.toString())).as("a directory").isNull();
        assertThat(MediaTools.find("parley-no-such-tool")).isNull();
    }
}
