package dev.parley.recording;

import jakarta.annotation.PreDestroy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;

/**
 * Makes each stopped recording's composed file in the background, one at a time (FFmpeg takes what CPU it gets, and
 * the media relay must keep its share): every track file placed at its offset in a grid, the audio mixed
 * ({@link Composer}), progress written to the recording's row as it goes, and the row READY or FAILED at the end.
 * A composition cut short by a shutdown is started again at the next start ({@link RecordingRecovery}).
 */
@Service
public class RecordingComposition {

    private static final Logger log = LoggerFactory.getLogger(RecordingComposition.class);

    /**
     * Half the cores for FFmpeg: composing runs while other meetings go on, and the relay's loop must keep a core to
     * itself (a 4-person, 2-minute recording composes in about 0.6 of its length on two busy cores).
     */
    private static final ComposeSettings SETTINGS = ComposeSettings.defaults()
            .withThreads(Math.max(1, Runtime.getRuntime().availableProcessors() / 2));

    private final RecordingRows rows;
    private final RecordingFiles files;
    private final RecordingTools tools;
    private final Recordings recordings;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "parley-compose");
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
        return thread;
    });

    RecordingComposition(RecordingRows rows, RecordingFiles files, RecordingTools tools, Recordings recordings) {
        this.rows = rows;
        this.files = files;
        this.tools = tools;
        this.recordings = recordings;
    }

    @EventListener
    void onStopped(RecordingStopped stopped) {
        submit(stopped.recordingId());
    }

    /** Queues a recording's composition. */
    public void submit(String recordingId) {
        worker.execute(() -> compose(recordingId));
    }

    private void compose(String recordingId) {
        Recording recording = rows.find(recordingId).orElse(null);
        if (recording == null || recording.getState() != Recording.State.COMPOSING) {
            return;
        }
        List<RecordingTrack> tracks = rows.tracks(recordingId);
        Map<String, String> tiles = tiles(tracks);
        List<ComposeInput> inputs = new ArrayList<>();
        for (RecordingTrack track : tracks) {
            Path file = files.track(track);
            if (track.getState() == RecordingTrack.State.DAMAGED || !Files.isRegularFile(file)
                    || RecordingFiles.sizeOf(file) == 0) {
                continue;
            }
            ComposeInput.Kind kind = track.isAudio() ? ComposeInput.Kind.AUDIO
                    : track.isScreen() ? ComposeInput.Kind.SCREEN : ComposeInput.Kind.VIDEO;
            String tile = tiles.get(track.getParticipantId()) + (track.isScreen() ? "/screen" : "");
            inputs.add(new ComposeInput(file, kind, tile, track.getStartedMillis(), track.getParticipantName()));
        }
        Duration duration = recording.getDuration();
        if (inputs.isEmpty() || duration == null || duration.isZero()) {
            rows.failed(recordingId, "Nothing was recorded: nobody sent audio or video while it ran.");
            log.info("Recording {} has nothing to compose", recordingId);
            return;
        }
        if (!tools.canCompose()) {
            rows.failed(recordingId, "The composed file cannot be made here: " + tools.missing());
            return;
        }
        AtomicInteger written = new AtomicInteger(-1);
        try {
            long started = System.nanoTime();
            ComposeResult result = new Composer(tools.tools(), SETTINGS).compose(inputs, duration.toMillis(),
                    files.composed(recording), fraction -> {
                        int percent = (int) Math.floor(Math.min(1, Math.max(0, fraction)) * 99);
                        if (percent > written.get()) { // a row update per percent, not per progress line
                            written.set(percent);
                            rows.progress(recordingId, percent);
                        }
                    });
            rows.composed(recordingId, RecordingFiles.sizeOf(result.output()));
            recordings.announceReady(recordingId);
            log.info("Recording {} composed: {} tiles, {} inputs ({} left out), {} s of media in {} s",
                    recordingId, result.tiles(), result.used().size(), result.skipped().size(),
                    duration.toSeconds(), Duration.ofNanos(System.nanoTime() - started).toSeconds());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.info("Composition of recording {} cut short; it starts again at the next start", recordingId);
        } catch (RuntimeException e) { // MediaToolException and bad inputs: said in plain words, kept on the row
            log.warn("Composition of recording {} failed: {}", recordingId, e.getMessage());
            rows.failed(recordingId, "The composed file could not be made: " + e.getMessage());
        }
    }

    /**
     * Each participant's tile, by participant id: one person's stays one after the other (leaving and coming back)
     * share a tile; stays of one person at once (two tabs, two devices) each have their own, so that neither hides the
     * other.
     */
    static Map<String, String> tiles(List<RecordingTrack> tracks) {
        Map<String, long[]> spans = new LinkedHashMap<>(); // participant id -> {first start, last end}
        Map<String, String> owners = new HashMap<>();
        for (RecordingTrack track : tracks) {
            long end = track.getEndedMillis() == null ? Long.MAX_VALUE : track.getEndedMillis();
            spans.merge(track.getParticipantId(), new long[] {track.getStartedMillis(), end},
                    (a, b) -> new long[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
            owners.put(track.getParticipantId(), track.tileOwner());
        }
        List<String> byStart = new ArrayList<>(spans.keySet());
        byStart.sort(Comparator.comparingLong(id -> spans.get(id)[0]));
        Map<String, List<Long>> slotEnds = new HashMap<>(); // owner -> when each of its tiles is free again
        Map<String, String> tiles = new HashMap<>();
        for (String participant : byStart) {
            long[] span = spans.get(participant);
            List<Long> ends = slotEnds.computeIfAbsent(owners.get(participant), owner -> new ArrayList<>());
            int slot = 0;
            while (slot < ends.size() && ends.get(slot) > span[0]) {
                slot++;
            }
            if (slot == ends.size()) {
                ends.add(span[1]);
            } else {
                ends.set(slot, span[1]);
            }
            tiles.put(participant, owners.get(participant) + "#" + slot);
        }
        return tiles;
    }

    @PreDestroy
    void shutdown() {
        worker.shutdownNow();
    }
}
