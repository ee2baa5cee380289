package dev.parley.recording;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.accounts.Role;
import dev.parley.common.SecretTokens;
import dev.parley.testing.Fixtures;
import dev.parley.testing.ParleyWebTest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * What a crash leaves, recovered at the next start ({@link RecordingRecovery#recover}, as at start-up): a recording
 * still marked as running, one track recorder that outlived Parley (asked to finish its file, which is then complete),
 * one killed outright mid-write (its file copied into a complete one), one whose file never came (marked damaged); the
 * recording ends as interrupted and its composed file is made from what was saved.
 */
@ParleyWebTest
class RecordingRecoveryTest {

    private static final Path GST_LAUNCH = Path.of("gst-launch-1.0");

    @Autowired
    Fixtures fixtures;

    @Autowired
    RecordingRows rows;

    @Autowired
    RecordingFiles files;

    @Autowired
    RecordingRecovery recovery;

    @Test
    void aCrashedRecordingIsFinishedRepairedMarkedAndComposed() throws Exception {
        long roomId = fixtures.signedIn(Role.HOST).scheduleRoom("Crashed", 0);
        String id = SecretTokens.random(18);
        Path folder = files.createFolder(id);
        rows.create(id, roomId, "Host", Instant.now());
        TrackFormat vp8 = new TrackFormat("VP8", 96, 90000, 0);
        TrackRecorder survivor = TrackRecorder.start(GST_LAUNCH, vp8, folder.resolve("survivor.webm"),
                Duration.ofSeconds(10));
        TrackRecorder killed = TrackRecorder.start(GST_LAUNCH, vp8, folder.resolve("killed.webm"),
                Duration.ofSeconds(10));
        CompletableFuture<Void> a = CompletableFuture.runAsync(() -> feed(survivor));
        CompletableFuture<Void> b = CompletableFuture.runAsync(() -> feed(killed));
        a.get();
        b.get();
        ProcessHandle.of(killed.pid()).ifPresent(ProcessHandle::destroyForcibly); // SIGKILL: no end-of-stream
        ProcessHandle.of(killed.pid()).ifPresent(p -> p.onExit().join());
        rows.addTrack(new RecordingTrack("t-survivor", id, "p-ann", null, "Ann", "video", "camera", "VP8", "survivor.webm",
                0, survivor.pid()));
        rows.addTrack(new RecordingTrack("t-killed", id, "p-ben", null, "Ben", "video", "camera", "VP8", "killed.webm",
                500, killed.pid()));
        rows.addTrack(new RecordingTrack("t-missing", id, "p-cy", null, "Cy", "audio", "microphone", "OPUS",
                "missing.webm", 0, 1L));

        recovery.recover();

        assertThat(survivor.isAlive()).as("the leftover recorder was asked to finish").isFalse();
        Map<String, RecordingTrack.State> states = rows.tracks(id).stream()
                .collect(Collectors.toMap(RecordingTrack::getId, RecordingTrack::getState));
        assertThat(states).containsEntry("t-survivor", RecordingTrack.State.COMPLETE)
                .containsEntry("t-killed", RecordingTrack.State.RECOVERED)
                .containsEntry("t-missing", RecordingTrack.State.DAMAGED);
        assertThat(rows.tracks(id)).allSatisfy(t -> assertThat(t.getPid()).isNull());
        Recording recording = awaitComposed(id);
        assertThat(recording.isInterrupted()).isTrue();
        assertThat(recording.getStopReason()).isEqualTo("interrupted");
        assertThat(recording.getState()).as("%s", recording.getError()).isEqualTo(Recording.State.READY);
        MediaProbe probe = new MediaProbe(Path.of("/usr/bin/ffprobe"), Path.of("/usr/bin/ffmpeg"),
                MediaProbe.DEFAULT_PROBE_TIMEOUT);
        MediaInfo composed = probe.probe(files.composed(recording));
        assertThat(composed.streams()).extracting(MediaInfo.Stream::codecName).contains("h264", "aac");
        assertThat(probe.probe(folder.resolve("killed.webm")).hasDuration()).as("repaired in place").isTrue();
    }

    private static void feed(TrackRecorder recorder) {
        try {
            TrackRecorderTest.send(recorder.address(), "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25", "-t",
                    "3", "-c:v", "libvpx", "-deadline", "realtime", "-b:v", "300k", "-g", "25", "-payload_type", "96");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Recording awaitComposed(String id) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            Recording recording = rows.find(id).orElseThrow();
            if (recording.getState() == Recording.State.READY || recording.getState() == Recording.State.FAILED) {
                return recording;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the composition did not finish");
    }
}
