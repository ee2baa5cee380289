package dev.parley.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A track recorder (a gst-launch-1.0 pipeline) fed plain RTP on loopback by an independent sender, FFmpeg, and its
 * file checked with ffprobe: the codec as sent, a duration close to the span sent, and decoding without errors. Stopped
 * with SIGINT, it finishes the file by itself.
 */
class TrackRecorderTest {

    private static final Path GST_LAUNCH = Path.of("gst-launch-1.0");
    private static final Duration READY = Duration.ofSeconds(10);
    private static final MediaProbe PROBE = new MediaProbe(Path.of("/usr/bin/ffprobe"), Path.of("/usr/bin/ffmpeg"),
            MediaProbe.DEFAULT_PROBE_TIMEOUT);

    @TempDir
    Path folder;

    @Test
    void vp8VideoSentAsRtpIsWrittenToACompleteWebmFile() throws Exception {
        Path file = folder.resolve("video.webm");
        TrackRecorder recorder = TrackRecorder.start(GST_LAUNCH, new TrackFormat("VP8", 96, 90000, 0), file, READY);

        send(recorder.address(), "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25", "-t", "4", "-c:v", "libvpx",
                "-deadline", "realtime", "-b:v", "300k", "-g", "25", "-payload_type", "96");

        assertThat(recorder.stop(Duration.ofSeconds(10))).as("finished by end-of-stream").isTrue();
        MediaInfo info = PROBE.probe(file);
        assertThat(info.streams()).extracting(MediaInfo.Stream::codecName).containsExactly("vp8");
        assertThat(info.duration().toMillis() / 1000.0).isCloseTo(4.0, offset(1.0));
        assertThat(PROBE.decodeErrors(file)).isEmpty();
    }

    @Test
    void opusAudioSentAsRtpIsWrittenToACompleteWebmFile() throws Exception {
        Path file = folder.resolve("audio.webm");
        TrackRecorder recorder = TrackRecorder.start(GST_LAUNCH, new TrackFormat("opus", 111, 48000, 2), file, READY);

        send(recorder.address(), "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", "3",
                "-c:a", "libopus", "-ac", "2", "-payload_type", "111");

        assertThat(recorder.stop(Duration.ofSeconds(10))).isTrue();
        MediaInfo info = PROBE.probe(file);
        assertThat(info.streams()).extracting(MediaInfo.Stream::codecName).containsExactly("opus");
        assertThat(info.duration().toMillis() / 1000.0).isCloseTo(3.0, offset(1.0));
        assertThat(PROBE.decodeErrors(file)).isEmpty();
    }

    @Test
    void aRecorderReadsFromAPortItsOwnProcessHolds() throws Exception {
        TrackRecorder recorder = TrackRecorder.start(GST_LAUNCH, new TrackFormat("opus", 111, 48000, 2),
                folder.resolve("own.webm"), READY);
        try {
            String sockets = run(List.of("ss", "-H", "-u", "-a", "-n", "-p"), 10);
            assertThat(sockets.lines().filter(line -> line.contains(":" + recorder.address().getPort() + " ")))
                    .as("the UDP socket on the recorder's port, per ss")
                    .singleElement().asString().contains("pid=" + recorder.pid() + ",");
        } finally {
            recorder.stop(Duration.ofSeconds(10));
        }
    }

    @Test
    void withoutProcTheRecorderBindsAPortChosenForItAndWritesItsFile() throws Exception {
        Path file = folder.resolve("chosen.webm");
        TrackRecorder recorder = TrackRecorder.start(GST_LAUNCH, new TrackFormat("opus", 111, 48000, 2), file, READY,
                false);

        send(recorder.address(), "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", "2",
                "-c:a", "libopus", "-ac", "2", "-payload_type", "111");

        assertThat(recorder.stop(Duration.ofSeconds(10))).isTrue();
        assertThat(PROBE.probe(file).duration().toMillis() / 1000.0).isCloseTo(2.0, offset(1.0));
    }

    @Test
    void aRecorderThatCannotStartSaysSo() {
        Path file = folder.resolve("missing-dir").resolve("x.webm");
        assertThatThrownBy(() -> TrackRecorder.start(GST_LAUNCH,
                new TrackFormat("VP8", 96, 90000, 0), file, READY)).isInstanceOf(IOException.class);
    }

    /** What makes a start on a port chosen here worth another try: gst-launch's word that the port was taken. */
    @Test
    void aRecorderWhosePortIsTakenSaysSo() throws Exception {
        Path file = folder.resolve("taken.webm");
        try (DatagramSocket holder = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            Process process = TrackRecorder.processBuilder(GST_LAUNCH, new TrackFormat("opus", 111, 48000, 2),
                    InetAddress.getLoopbackAddress(), holder.getLocalPort(), file).start();
            assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).isNotZero();
        }
        assertThat(TrackRecorder.reason(TrackRecorder.logOf(file))).contains("Address already in use");
    }

    @Test
    void aRecorderThatExitsAtStartSaysWhy() throws Exception {
        Path file = Files.createDirectory(folder.resolve("a-directory.webm")); // no file can be written there
        for (boolean portFromKernel : List.of(true, false)) {
            assertThatThrownBy(() -> TrackRecorder.start(GST_LAUNCH, new TrackFormat("opus", 111, 48000, 2), file,
                    READY, portFromKernel)).isInstanceOf(IOException.class)
                    .hasMessageStartingWith("the recorder for a-directory.webm exited at start (code ")
                    .hasMessageContaining("Could not open file").hasMessageContaining("Is a directory");
            assertThat(TrackRecorder.logOf(file)).as("its log, read for the reason, is gone").doesNotExist();
        }
    }

    @Test
    void aRecorderThatDoesNotStartInTimeLeavesNothingInTheFolder() throws Exception {
        Path file = folder.resolve("late.webm");
        for (boolean portFromKernel : List.of(true, false)) {
            assertThatThrownBy(() -> TrackRecorder.start(GST_LAUNCH, new TrackFormat("VP8", 96, 90000, 0), file,
                    Duration.ZERO, portFromKernel)).isInstanceOf(IOException.class)
                    .hasMessage("the recorder for late.webm did not start in time");
            try (Stream<Path> left = Files.list(folder)) {
                assertThat(left).as("left in the folder").isEmpty();
            }
        }
    }

    /** FFmpeg sends a few seconds of media, in real time, as RTP to the recorder. */
    static void send(InetSocketAddress to, String... input) throws Exception {
        List<String> command = new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-re"));
        command.addAll(List.of(input));
        command.addAll(List.of("-f", "rtp", "rtp://127.0.0.1:" + to.getPort() + "?pkt_size=1200"));
        run(command, 30);
    }

    private static String run(List<String> command, int timeoutSeconds) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(timeoutSeconds, TimeUnit.SECONDS)).as("%s finished", command.get(0)).isTrue();
        String text = new String(output, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as("%s: %s", command, text).isZero();
        return text;
    }
}
