package dev.parley.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Track files whose writer was killed (SIGKILL, no end of stream) are rewritten whole; others are left alone. */
class TrackFileRepairTest {

    private static MediaTools tools;
    private static MediaProbe probe;

    @TempDir
    Path dir;

    @BeforeAll
    static void findTools() throws Exception {
        tools = MediaTools.detect();
        assertThat(tools.canCompose()).as(tools.reason()).isTrue();
        probe = new MediaProbe(tools);
    }

    @Test
    void aWebmWhoseFfmpegWriterWasKilledIsRecoveredWithItsTimestamps() throws Exception {
        Path file = dir.resolve("killed.webm");
        // Written in real time, clusters flushed as they close, timestamps from 0.5 s as if the track began late.
        killAfterTwoSeconds(List.of("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-re", "-f", "lavfi",
                "-i", "testsrc2=s=320x240:r=30", "-f", "lavfi", "-i", "sine=f=440", "-c:v", "libvpx", "-deadline",
                "realtime", "-cpu-used", "8", "-c:a", "libopus", "-output_ts_offset", "0.5", "-cluster_time_limit",
                "500", "-flush_packets", "1", file.toString()), file);
        assertThat(probe.probe(file).hasDuration()).isFalse();
        TrackFileRepair repair = new TrackFileRepair(tools);
        assertThat(repair.needsRepair(file)).isTrue();

        RepairResult result = repair.repair(file);

        assertThat(result.recovered()).as(result.reason()).isTrue();
        assertThat(result.rewritten()).isTrue();
        assertThat(repair.needsRepair(file)).isFalse();
        MediaInfo info = probe.probe(file);
        assertThat(info.streams()).extracting(MediaInfo.Stream::codecName).containsExactly("vp8", "opus");
        assertThat(info.startTime().toMillis() / 1000.0).isCloseTo(0.5, within(0.05));
        assertThat(info.duration()).isEqualTo(result.duration()).isPositive();
        assertThat(dir.toFile().list()).containsExactly("killed.webm");
    }

    @Test
    void aWebmWhoseGstreamerWriterWasKilledIsRecovered() throws Exception {
        Path file = dir.resolve("camera.webm");
        killAfterTwoSeconds(List.of("gst-launch-1.0", "-q", "videotestsrc", "is-live=true", "!",
                "video/x-raw,width=320,height=240,framerate=30/1", "!", "vp8enc", "deadline=1", "!", "webmmux", "!",
                "filesink", "location=" + file, "buffer-mode=unbuffered"), file);

        RepairResult result = new TrackFileRepair(tools).repair(file);

        assertThat(result.recovered()).as(result.reason()).isTrue();
        assertThat(probe.probe(file).firstVideo().orElseThrow().codecName()).isEqualTo("vp8");
        assertThat(probe.probe(file).duration()).isPositive();
    }

    @Test
    void aCompleteFileIsLeftAsItIs() throws Exception {
        Path file = TestMedia.opus(dir, "mic", 1, 440);
        byte[] before = Files.readAllBytes(file);

        RepairResult result = new TrackFileRepair(tools).repair(file);

        assertThat(result.recovered()).isTrue();
        assertThat(result.rewritten()).isFalse();
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
    }

    @Test
    void aFileBeyondRepairIsReportedAndLeftUntouched() throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.webm"));
        Path garbage = Files.writeString(dir.resolve("garbage.mkv"), "no media here");
        TrackFileRepair repair = new TrackFileRepair(tools);

        RepairResult emptyResult = repair.repair(empty);
        RepairResult garbageResult = repair.repair(garbage);

        assertThat(emptyResult.recovered()).isFalse();
        assertThat(emptyResult.reason()).isEqualTo("the file is empty: its writer never wrote to it");
        assertThat(garbageResult.recovered()).isFalse();
        assertThat(garbageResult.reason()).startsWith("ffmpeg could not copy it");
        assertThat(Files.readString(garbage)).isEqualTo("no media here");
        assertThat(dir.toFile().list()).containsExactlyInAnyOrder("empty.webm", "garbage.mkv");
    }

    /** Starts a writer, lets it write for two seconds and kills it with SIGKILL, as a crash would. */
    private static void killAfterTwoSeconds(List<String> command, Path file) throws Exception {
        Process writer = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            assertThat(writer.waitFor(2, TimeUnit.SECONDS)).as("the writer is still writing").isFalse();
        } finally {
            writer.destroyForcibly();
            assertThat(writer.waitFor(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(Files.size(file)).as("the writer wrote something before it died").isPositive();
    }
}
