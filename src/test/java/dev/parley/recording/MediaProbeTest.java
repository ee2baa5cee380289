package dev.parley.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MediaProbeTest {

    @TempDir
    static Path dir;

    private static MediaProbe probe;

    @BeforeAll
    static void findTools() throws Exception {
        MediaTools tools = MediaTools.detect();
        assertThat(tools.canCompose()).as(tools.reason()).isTrue();
        probe = new MediaProbe(tools);
    }

    @Test
    void readsDurationCodecsAndSizeOfEachKindOfTrackFile() throws Exception {
        MediaInfo vp8 = probe.probe(TestMedia.vp8(dir, "camera", 2, 320, 240));
        assertThat(vp8.formatName()).isEqualTo("matroska,webm");
        assertThat(vp8.duration().toMillis() / 1000.0).isCloseTo(2.0, within(0.1));
        assertThat(vp8.startTime()).isEqualTo(Duration.ZERO);
        assertThat(vp8.streams()).containsExactly(new MediaInfo.Stream(0, "video", "vp8", 320, 240));

        MediaInfo h264 = probe.probe(TestMedia.h264(dir, "camera", 1, 320, 180));
        assertThat(h264.firstVideo().orElseThrow()).isEqualTo(new MediaInfo.Stream(0, "video", "h264", 320, 180));
        assertThat(h264.firstAudio()).isEmpty();

        MediaInfo opus = probe.probe(TestMedia.opus(dir, "mic", 1.5, 440));
        assertThat(opus.firstAudio().orElseThrow().codecName()).isEqualTo("opus");
        assertThat(opus.firstAudio().orElseThrow().width()).isZero();
        assertThat(opus.duration().toMillis() / 1000.0).isCloseTo(1.5, within(0.1));
    }

    @Test
    void aFileThatIsNoMediaIsAClearError() throws Exception {
        Path text = Files.writeString(dir.resolve("notes.webm"), "hello");
        assertThatThrownBy(() -> probe.probe(text)).isInstanceOf(MediaToolException.class)
                .hasMessageStartingWith("ffprobe cannot read " + text + ": ")
                .hasMessageContaining("Invalid data found when processing input");
        assertThatThrownBy(() -> probe.probe(dir.resolve("missing.webm"))).isInstanceOf(MediaToolException.class)
                .hasMessage("no such file: " + dir.resolve("missing.webm"));
    }

    @Test
    void aCleanFileDecodesWithoutErrorsAndADamagedOneListsThem() throws Exception {
        Path clean = TestMedia.h264(dir, "clean", 2, 320, 180);
        assertThat(probe.decodeErrors(clean)).isEmpty();

        Path damaged = dir.resolve("damaged.mkv");
        byte[] bytes = Files.readAllBytes(clean);
        for (int i = bytes.length / 3; i < bytes.length / 3 + 4096; i++) {
            bytes[i] = (byte) (i * 31);
        }
        Files.write(damaged, bytes);
        assertThat(probe.decodeErrors(damaged)).isNotEmpty().hasSizeLessThanOrEqualTo(MediaProbe.MAX_DECODE_ERRORS);
    }

    @Test
    void ffprobeJsonWithoutDurationOrStartIsUnderstood() throws Exception {
        MediaInfo info = MediaProbe.parse("""
                {"streams": [{"index": 0, "codec_type": "video", "codec_name": "vp8", "width": 640, "height": 480}],
                 "format": {"format_name": "matroska,webm", "start_time": "0.480000", "duration": "N/A"}}
                """);
        assertThat(info.hasDuration()).isFalse();
        assertThat(info.startTime()).isEqualTo(Duration.ofMillis(480));
        assertThat(MediaProbe.parse("{\"streams\": [], \"format\": {}}").startTime()).isEqualTo(Duration.ZERO);
    }
}
