package dev.parley.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.parley.recording.ComposeInput.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Composes real track files (made by ffmpeg here) with the real ffmpeg, and checks the result with ffprobe. */
class ComposerTest {

    /** Fast enough for a test; the default is veryfast. */
    private static final ComposeSettings FAST = ComposeSettings.defaults().withPreset("ultrafast");

    @TempDir
    static Path media;

    private static MediaTools tools;
    private static MediaProbe probe;
    private static Path annVideo;
    private static Path annAudio;
    private static Path benVideoFirst;
    private static Path benAudioFirst;
    private static Path benVideoAgain;
    private static Path benAudioAgain;

    @TempDir
    Path out;

    @BeforeAll
    static void makeTrackFiles() throws Exception {
        tools = MediaTools.detect();
        assertThat(tools.canCompose()).as("ffmpeg and ffprobe are needed: %s", tools.reason()).isTrue();
        probe = new MediaProbe(tools);
        annVideo = TestMedia.vp8(media, "ann-camera", 7, 320, 240);
        annAudio = TestMedia.opus(media, "ann-mic", 7, 440);
        benVideoFirst = TestMedia.h264(media, "ben-camera-1", 2, 320, 180);
        benAudioFirst = TestMedia.opus(media, "ben-mic-1", 2, 660);
        benVideoAgain = TestMedia.vp8(media, "ben-camera-2", 2, 240, 320);
        benAudioAgain = TestMedia.opus(media, "ben-mic-2", 2, 660);
    }

    @Test
    void twoParticipantsOneJoiningLateAndRejoiningMakeOneGridVideoOfTheRecordingsLength() throws Exception {
        // Ann from the start; Ben from 2 s to 4 s (H.264), then again from 5 s to 7 s (VP8, portrait).
        List<ComposeInput> inputs = List.of(
                new ComposeInput(annVideo, Kind.VIDEO, "ann", 0, "Ann"),
                new ComposeInput(annAudio, Kind.AUDIO, "ann", 0, "Ann"),
                new ComposeInput(benVideoFirst, Kind.VIDEO, "ben", 2_000, "Ben"),
                new ComposeInput(benAudioFirst, Kind.AUDIO, "ben", 2_000, "Ben"),
                new ComposeInput(benVideoAgain, Kind.VIDEO, "ben", 5_000, "Ben"),
                new ComposeInput(benAudioAgain, Kind.AUDIO, "ben", 5_000, "Ben"));
        byte[] trackBefore = Files.readAllBytes(benVideoFirst);
        List<Double> progress = new CopyOnWriteArrayList<>();
        Path output = out.resolve("meeting.mp4");

        ComposeResult result = new Composer(tools, FAST).compose(inputs, 7_000, output, progress::add);

        assertThat(result.output()).isEqualTo(output.toAbsolutePath());
        assertThat(result.tiles()).isEqualTo(2);
        assertThat(result.used()).hasSize(6);
        assertThat(result.skipped()).isEmpty();
        MediaInfo info = probe.probe(output);
        assertThat(info.streams()).extracting(MediaInfo.Stream::codecName).containsExactlyInAnyOrder("h264", "aac");
        assertThat(info.firstVideo().orElseThrow().width()).isEqualTo(1280);
        assertThat(info.firstVideo().orElseThrow().height()).isEqualTo(720);
        assertThat(info.duration().toMillis() / 1000.0).isCloseTo(7.0, within(0.3));
        assertThat(result.info().duration()).isEqualTo(info.duration());
        assertThat(probe.decodeErrors(output)).isEmpty();
        assertThat(progress).isNotEmpty().isSorted().doesNotHaveDuplicates();
        assertThat(progress.get(0)).isGreaterThanOrEqualTo(0.0);
        assertThat(progress.get(progress.size() - 1)).isEqualTo(1.0);
        assertThat(Files.readAllBytes(benVideoFirst)).isEqualTo(trackBefore);
        assertThat(Stream.of(out.toFile().list())).containsExactly("meeting.mp4");

        // Ben's tile (the right half) shows his video only while he is there: dark before, between and after.
        GridLayout.Tile ann = GridLayout.tiles(2, 1280, 720).get(0);
        GridLayout.Tile ben = GridLayout.tiles(2, 1280, 720).get(1);
        assertThat(TestMedia.meanLuma(output, 1.0, ann)).isGreaterThan(40);
        assertThat(TestMedia.meanLuma(output, 1.0, ben)).isLessThan(30);
        assertThat(TestMedia.meanLuma(output, 3.0, ben)).isGreaterThan(40);
        assertThat(TestMedia.meanLuma(output, 4.5, ben)).isLessThan(30);
        assertThat(TestMedia.meanLuma(output, 6.0, ben)).isGreaterThan(40);
    }

    @Test
    void everyCodecTheTrackWritersProduceCanBeComposed() throws Exception {
        Path vp9 = TestMedia.vp9(out, "screen-vp9", 2, 320, 240);
        Path output = out.resolve("codecs.mp4");

        ComposeResult result = new Composer(tools, FAST.withSize(640, 360)).compose(List.of(
                new ComposeInput(vp9, Kind.SCREEN, "ann-screen", 0, "Ann's screen"),
                new ComposeInput(benVideoFirst, Kind.VIDEO, "ben", 0, "Ben"),
                new ComposeInput(annVideo, Kind.VIDEO, "ann", 0, "Ann"),
                new ComposeInput(annAudio, Kind.AUDIO, "ann", 0, "Ann")), 2_000, output, p -> { });

        assertThat(result.tiles()).isEqualTo(3);
        assertThat(result.skipped()).isEmpty();
        assertThat(probe.probe(output).duration().toMillis() / 1000.0).isCloseTo(2.0, within(0.3));
        assertThat(probe.decodeErrors(output)).isEmpty();
    }

    @Test
    void onlyAudioStillMakesAVideoWithATileForEachVoice() throws Exception {
        List<ComposeInput> inputs = List.of(
                new ComposeInput(annAudio, Kind.AUDIO, "ann", 0, "Ann"),
                new ComposeInput(benAudioFirst, Kind.AUDIO, "ben", 1_500, "Zoë's [team], 100%: {x}\n"));
        Path output = out.resolve("voices.mp4");

        ComposeResult result = new Composer(tools, FAST.withSize(640, 360).withLabelFont("DejaVu Sans"))
                .compose(inputs, 4_000, output, p -> { });

        assertThat(result.tiles()).isEqualTo(2);
        MediaInfo info = probe.probe(output);
        assertThat(info.streams()).extracting(MediaInfo.Stream::codecName).containsExactlyInAnyOrder("h264", "aac");
        assertThat(info.duration().toMillis() / 1000.0).isCloseTo(4.0, within(0.3));
        assertThat(probe.decodeErrors(output)).isEmpty();
    }

    @Test
    void withoutAudioTheVideoHasASilentSoundtrack() throws Exception {
        Path output = out.resolve("silent.mp4");
        new Composer(tools, FAST.withSize(640, 360)).compose(
                List.of(new ComposeInput(benVideoFirst, Kind.SCREEN, "ben-screen", 500, null)), 3_000, output,
                p -> { });

        MediaInfo info = probe.probe(output);
        assertThat(info.streams()).extracting(MediaInfo.Stream::codecName).containsExactlyInAnyOrder("h264", "aac");
        assertThat(info.duration().toMillis() / 1000.0).isCloseTo(3.0, within(0.3));
        assertThat(TestMedia.maxVolume(output, 0, 3)).isEqualTo(-91.0);
    }

    @Test
    void aGapInAnAudioTrackStaysSilentSoWhatFollowsStaysInPlace() throws Exception {
        // Like Opus DTX: packets for 0-1 s, none for 2 s, then packets again at 3-4 s.
        Path tone = TestMedia.opus(out, "tone", 2, 440);
        Path gappy = out.resolve("gappy.webm");
        TestMedia.ffmpeg("-i", tone.toString(), "-c", "copy", "-bsf:a",
                "setts=ts=if(gte(PTS\\,1000)\\,PTS+2000\\,PTS)", gappy.toString());
        Path output = out.resolve("gap.mp4");

        new Composer(tools, FAST.withSize(320, 180)).compose(
                List.of(new ComposeInput(gappy, Kind.AUDIO, "ann", 500, "Ann")), 5_000, output, p -> { });

        assertThat(TestMedia.maxVolume(output, 0.0, 0.4)).as("before the offset").isLessThan(-60);
        assertThat(TestMedia.maxVolume(output, 0.7, 0.6)).as("the first second").isGreaterThan(-30);
        assertThat(TestMedia.maxVolume(output, 1.8, 1.4)).as("the gap").isLessThan(-60);
        assertThat(TestMedia.maxVolume(output, 3.7, 0.6)).as("after the gap").isGreaterThan(-30);
        assertThat(TestMedia.maxVolume(output, 4.6, 0.4)).as("after the end").isLessThan(-60);
    }

    @Test
    void unreadableTrackFilesAreLeftOutAndNamed() throws Exception {
        Path garbage = Files.writeString(out.resolve("broken.webm"), "not a media file");
        Path output = out.resolve("partial.mp4");

        ComposeResult result = new Composer(tools, FAST.withSize(640, 360)).compose(List.of(
                new ComposeInput(garbage, Kind.VIDEO, "ann", 0, "Ann"),
                new ComposeInput(annAudio, Kind.VIDEO, "ann", 0, "Ann"),
                new ComposeInput(annAudio, Kind.AUDIO, "ann", 0, "Ann")), 2_000, output, p -> { });

        assertThat(result.used()).extracting(ComposeInput::file).containsExactly(annAudio);
        assertThat(result.skipped()).hasSize(2);
        assertThat(result.skipped().get(0).reason()).contains("ffprobe cannot read", "broken.webm");
        assertThat(result.skipped().get(1).reason()).isEqualTo("it has no video stream");
        assertThat(probe.probe(output).duration().toMillis() / 1000.0).isCloseTo(2.0, within(0.3));
    }

    @Test
    void badInputGivesAClearError() throws Exception {
        Composer composer = new Composer(tools, FAST.withSize(640, 360));
        Path garbage = Files.writeString(out.resolve("broken.webm"), "not a media file");

        assertThatThrownBy(() -> composer.compose(List.of(), 1_000, out.resolve("a.mp4"), p -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("nothing to compose: no track files");
        assertThatThrownBy(() -> composer.compose(List.of(new ComposeInput(garbage, Kind.VIDEO, "ann", 0, "Ann")),
                1_000, out.resolve("a.mp4"), p -> { }))
                .isInstanceOf(MediaToolException.class)
                .hasMessageStartingWith("none of the 1 track files for a.mp4 can be read: ffprobe cannot read")
                .hasMessageContaining("broken.webm");
        assertThatThrownBy(() -> composer.compose(List.of(new ComposeInput(annAudio, Kind.AUDIO, "ann", 0, "Ann")),
                1_000, annAudio, p -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("would overwrite the track file");
        assertThat(out.resolve("a.mp4")).doesNotExist();
    }

    @Test
    void aFailingFfmpegGivesItsOwnLastWords() throws Exception {
        Path nowhere = out.resolve("no-such-directory").resolve("meeting.mp4");

        assertThatThrownBy(() -> new Composer(tools, FAST.withSize(640, 360)).compose(
                List.of(new ComposeInput(annAudio, Kind.AUDIO, "ann", 0, "Ann")), 1_000, nowhere, p -> { }))
                .isInstanceOf(MediaToolException.class)
                .hasMessageStartingWith("ffmpeg failed composing meeting.mp4 (exit status ")
                .hasMessageContaining("No such file or directory")
                .satisfies(e -> assertThat(((MediaToolException) e).stderrTail()).isNotEmpty());
    }

    @Test
    void interruptingTheComposingThreadKillsFfmpegAndLeavesNothing() throws Exception {
        Path output = out.resolve("long.mp4");
        CountDownLatch started = new CountDownLatch(1);
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        Thread worker = new Thread(() -> {
            try {
                new Composer(tools, FAST.withSize(640, 360)).compose(
                        List.of(new ComposeInput(annVideo, Kind.VIDEO, "ann", 0, "Ann")), 3_600_000, output,
                        p -> started.countDown());
                outcome.set(new AssertionError("a one-hour composition finished"));
            } catch (Throwable e) {
                outcome.set(e);
            }
        });
        worker.start();
        assertThat(started.await(30, TimeUnit.SECONDS)).as("ffmpeg reported progress").isTrue();

        worker.interrupt();
        worker.join(TimeUnit.SECONDS.toMillis(30));

        assertThat(worker.isAlive()).isFalse();
        assertThat(outcome.get()).isInstanceOf(InterruptedException.class);
        assertThat(ProcessHandle.current().descendants().filter(p -> p.info().command().orElse("").endsWith("ffmpeg")))
                .isEmpty();
        assertThat(out.toFile().list()).isEmpty();
    }

    @Test
    void aCompositionOverItsTimeLimitIsStopped() throws Exception {
        ComposeSettings impatient = FAST.withSize(640, 360).withTimeout(Duration.ofMillis(500), Duration.ZERO);
        Path output = out.resolve("slow.mp4");

        assertThatThrownBy(() -> new Composer(tools, impatient).compose(
                List.of(new ComposeInput(annVideo, Kind.VIDEO, "ann", 0, "Ann")), 3_600_000, output, p -> { }))
                .isInstanceOf(MediaToolException.class)
                .hasMessageStartingWith(
                        "composing slow.mp4 took longer than its limit of 0.500 s, so ffmpeg was stopped");
        assertThat(out.toFile().list()).isEmpty();
    }
}
