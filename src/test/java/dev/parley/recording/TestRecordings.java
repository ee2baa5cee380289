package dev.parley.recording;

import dev.parley.common.SecretTokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.springframework.stereotype.Component;

/**
 * Recordings made for tests the way the recorder and the composition leave them (rows through {@link RecordingRows},
 * files in the recording's folder through {@link RecordingFiles}), without a meeting or GStreamer: the pages, the
 * downloads, the API and the retention only read rows and files. The bytes are random, not real video.
 */
@Component
public class TestRecordings {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final RecordingRows rows;
    private final RecordingFiles files;

    TestRecordings(RecordingRows rows, RecordingFiles files) {
        this.rows = rows;
        this.files = files;
    }

    /** A recording and its one camera track, with the bytes of each file. */
    public record Made(String id, String trackId, byte[] composed, byte[] track) {
    }

    /** Recorded from {@code startedAt} for {@code duration} by Ada's camera, and composed: READY. */
    public Made ready(long roomId, Instant startedAt, Duration duration) {
        Made made = recorded(roomId, startedAt, duration);
        byte[] composed = write(files.composed(rows.find(made.id()).orElseThrow()), 96 * 1024 + 17);
        rows.composed(made.id(), composed.length);
        return new Made(made.id(), made.trackId(), composed, made.track());
    }

    /** Recorded and handed to the composition, which has come this far (COMPOSING). */
    public Made composing(long roomId, int percent) {
        Made made = recorded(roomId, Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(65),
                Duration.ofSeconds(65));
        rows.progress(made.id(), percent);
        return made;
    }

    /** Being recorded now (RECORDING): a row and a track file growing, no end. */
    public Made recording(long roomId) {
        String id = SecretTokens.random(18);
        createFolder(id);
        rows.create(id, roomId, "Host of the test", Instant.now());
        return new Made(id, track(id, 0, null), null, null);
    }

    public void progress(String id, int percent) {
        rows.progress(id, percent);
    }

    /** The composition finished: the composed file written and the row READY. */
    public byte[] finishComposing(String id) {
        byte[] composed = write(files.composed(rows.find(id).orElseThrow()), 50 * 1024);
        rows.composed(id, composed.length);
        return composed;
    }

    public void fail(String id, String why) {
        rows.failed(id, why);
    }

    public void interrupted(String id) {
        Recording recording = rows.find(id).orElseThrow();
        rows.ended(id, recording.getEndedAt() == null ? Instant.now() : recording.getEndedAt(),
                recording.getStopReason(), true);
    }

    public Path folder(String id) {
        return files.folder(id);
    }

    /** A folder as a recording leaves it, but without a row (an orphan), last changed {@code age} ago. */
    public Path orphanFolder(Duration age) {
        String id = SecretTokens.random(18);
        Path folder = createFolder(id);
        write(folder.resolve("orphan.webm"), 1000);
        age(id, age);
        return folder;
    }

    /** Makes the recording's folder look last changed {@code age} ago (as the sweep reads it). */
    public void age(String id, Duration age) {
        try {
            Files.setLastModifiedTime(files.folder(id), FileTime.from(Instant.now().minus(age)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public boolean exists(String id) {
        return rows.find(id).isPresent();
    }

    private Made recorded(long roomId, Instant start, Duration duration) {
        // whole milliseconds, as the database keeps them (it would round finer ones)
        Instant startedAt = start.truncatedTo(ChronoUnit.MILLIS);
        String id = SecretTokens.random(18);
        createFolder(id);
        rows.create(id, roomId, "Host of the test", startedAt);
        byte[][] track = new byte[1][];
        String trackId = track(id, duration.toMillis(), track);
        rows.ended(id, startedAt.plus(duration), "stopped", false);
        return new Made(id, trackId, null, track[0]);
    }

    /** Ada's camera track; finished {@code endedMillis} in when not null (its bytes into {@code bytes}). */
    private String track(String id, long endedMillis, byte[][] bytes) {
        String trackId = SecretTokens.random(18);
        RecordingTrack track = new RecordingTrack(trackId, id, "p-0123456789abcdef", null, "Ada", "video", "camera", "VP8",
                trackId + ".webm", 0, 0);
        rows.addTrack(track);
        byte[] written = write(files.track(track), 40 * 1024 + 3);
        if (bytes != null) {
            bytes[0] = written;
            rows.trackFinished(trackId, RecordingTrack.State.COMPLETE, endedMillis, written.length);
        }
        return trackId;
    }

    private Path createFolder(String id) {
        try {
            return files.createFolder(id);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] write(Path file, int size) {
        byte[] bytes = new byte[size];
        RANDOM.nextBytes(bytes);
        try {
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes;
    }
}
