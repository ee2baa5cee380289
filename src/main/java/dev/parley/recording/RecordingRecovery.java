package dev.parley.recording;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * What a crash (or a kill) left behind, dealt with at the next start: recordings still marked as running are ended as
 * interrupted; a track recorder that outlived Parley is asked to finish its file (SIGINT, as at a clean stop); every
 * file that was still being written is checked and, without its index, copied into a complete one
 * ({@link TrackFileRepair}) or marked damaged; then the composed file is made from what was saved. Compositions cut
 * short start again. Nothing is left half-written and unmarked.
 */
@Component
public class RecordingRecovery {

    private static final Logger log = LoggerFactory.getLogger(RecordingRecovery.class);

    private final RecordingRows rows;
    private final RecordingFiles files;
    private final RecordingTools tools;
    private final RecordingComposition composition;
    private final RecordingProperties properties;
    private final Recorder recorder;
    private final Clock clock;

    RecordingRecovery(RecordingRows rows, RecordingFiles files, RecordingTools tools,
                      RecordingComposition composition, RecordingProperties properties, Recorder recorder,
                      Clock clock) {
        this.rows = rows;
        this.files = files;
        this.tools = tools;
        this.composition = composition;
        this.properties = properties;
        this.recorder = recorder;
        this.clock = clock;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void recover() {
        for (Recording recording : rows.inState(Recording.State.RECORDING)) {
            if (recorder.find(recording.getId()).isPresent()) {
                continue; // running in this process: nothing was cut short
            }
            try {
                recoverInterrupted(recording);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.warn("Recording {} could not be recovered: {}", recording.getId(), e.toString());
                rows.failed(recording.getId(), "It was cut short by a crash and could not be recovered.");
            }
        }
        for (Recording recording : rows.inState(Recording.State.COMPOSING)) {
            composition.submit(recording.getId()); // a composition already queued here finds it READY and stops
        }
    }

    private void recoverInterrupted(Recording recording) throws InterruptedException {
        Instant lastWrite = recording.getStartedAt();
        int recovered = 0;
        int damaged = 0;
        for (RecordingTrack track : rows.tracks(recording.getId())) {
            if (track.getState() != RecordingTrack.State.RECORDING) {
                continue;
            }
            Path file = files.track(track);
            finishLeftover(track.getPid(), file);
            Instant modified = modified(file).orElse(recording.getStartedAt());
            lastWrite = modified.isAfter(lastWrite) ? modified : lastWrite;
            long endedMillis = Math.max(track.getStartedMillis(),
                    Duration.between(recording.getStartedAt(), modified).toMillis());
            RecordingTrack.State state = repair(file);
            rows.trackFinished(track.getId(), state, endedMillis, RecordingFiles.sizeOf(file));
            if (state == RecordingTrack.State.DAMAGED) {
                damaged++;
            } else {
                recovered++;
            }
        }
        Instant end = lastWrite.isAfter(clock.instant()) ? clock.instant() : lastWrite;
        rows.ended(recording.getId(), end, "interrupted", true);
        log.warn("Recording {} was cut short by a stop of Parley: {} track files recovered, {} damaged; its composed "
                + "file follows", recording.getId(), recovered, damaged);
        composition.submit(recording.getId());
    }

    /**
     * A recorder still running from before (Parley was killed, its children were not) finishes its file as at a clean
     * stop. Only a gst-launch process writing that very file is signalled: a pid may have been reused since.
     */
    private void finishLeftover(Long pid, Path file) throws InterruptedException {
        if (pid == null) {
            return;
        }
        Optional<ProcessHandle> handle = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().map(line -> line.contains("gst-launch")
                        && line.contains(file.toAbsolutePath().toString())).orElse(false));
        if (handle.isEmpty()) {
            return;
        }
        log.info("A recorder left running (pid {}) is asked to finish {}", pid, file.getFileName());
        TrackRecorder.interrupt(pid);
        try {
            handle.get().onExit().get(properties.stopGrace().toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            handle.get().destroyForcibly();
        }
    }

    private RecordingTrack.State repair(Path file) throws InterruptedException {
        if (!Files.isRegularFile(file) || RecordingFiles.sizeOf(file) == 0 || !tools.canCompose()) {
            return RecordingTrack.State.DAMAGED; // nothing written, or nothing here to check it with
        }
        RepairResult result = new TrackFileRepair(tools.tools()).repair(file);
        if (!result.recovered()) {
            log.warn("Track file {} could not be recovered: {}", file.getFileName(), result.reason());
        }
        return result.recovered() ? (result.rewritten() ? RecordingTrack.State.RECOVERED
                : RecordingTrack.State.COMPLETE) : RecordingTrack.State.DAMAGED;
    }

    private static Optional<Instant> modified(Path file) {
        try {
            return Optional.of(Files.getLastModifiedTime(file).toInstant());
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
