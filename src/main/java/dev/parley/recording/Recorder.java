package dev.parley.recording;

import dev.parley.common.SecretTokens;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

/**
 * Records meetings as they run: a folder and a row per recording, one {@link TrackRecorder} per track from when the
 * meeting hands it over until it ends, and a watch on the disk that stops recordings cleanly (files finished, the
 * meeting told) before it fills up. When a recording stops, {@link RecordingStopped} is published and the composition
 * starts. The meeting decides who may start and stop; this class only records.
 */
@Service
public class Recorder {

    private static final Logger log = LoggerFactory.getLogger(Recorder.class);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(10);

    private final RecordingProperties properties;
    private final RecordingFiles files;
    private final RecordingRows rows;
    private final RecordingSettingsService settings;
    private final RecordingTools tools;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final Map<String, LiveRecording> live = new ConcurrentHashMap<>();

    Recorder(RecordingProperties properties, RecordingFiles files, RecordingRows rows,
             RecordingSettingsService settings, RecordingTools tools, ApplicationEventPublisher events, Clock clock) {
        this.properties = properties;
        this.files = files;
        this.rows = rows;
        this.settings = settings;
        this.tools = tools;
        this.events = events;
        this.clock = clock;
    }

    /** Null when recording can start here; else the {@link RecordingRefusedException} code that says why not. */
    public String unavailableReason() {
        if (!properties.enabled()) {
            return "disabled";
        }
        if (!tools.isAvailable()) {
            return "unavailable";
        }
        return diskFull() ? "disk-full" : null;
    }

    /** Whether recording is offered at all: turned on, and the tools it needs are there. */
    public boolean isOffered() {
        return properties.enabled() && tools.isAvailable();
    }

    /**
     * Starts a recording of a room's meeting: its row and folder. Tracks follow with {@link #addTrack}.
     *
     * @throws RecordingRefusedException disabled, unavailable, disk-full or failed
     */
    public LiveRecording start(long roomId, String startedBy) throws RecordingRefusedException {
        String reason = unavailableReason();
        if (reason != null) {
            throw new RecordingRefusedException(reason, switch (reason) {
                case "disabled" -> "Recording is turned off on this server.";
                case "unavailable" -> "Recording needs " + tools.missing() + ", which this server lacks.";
                default -> "The disk for recordings is full.";
            });
        }
        String id = SecretTokens.random(18); // 24 characters: the id also names the recording's folder and downloads
        try {
            files.createFolder(id);
        } catch (IOException e) {
            log.warn("Could not create the folder of recording {}: {}", id, e.toString());
            throw new RecordingRefusedException("failed", "The recording's folder could not be created.");
        }
        Instant startedAt = clock.instant();
        rows.create(id, roomId, startedBy, startedAt);
        LiveRecording recording = new LiveRecording(id, roomId, startedBy, startedAt, System.nanoTime());
        live.put(id, recording);
        log.info("Recording {} of room {} started", id, roomId);
        return recording;
    }

    /**
     * Starts writing a track, in order after the recording's earlier work; {@code ready} then gets the loopback
     * address its recorder reads plain RTP from. A track whose recorder cannot start is logged and left out; the
     * recording goes on.
     */
    public void addTrack(LiveRecording recording, TrackSpec track, Consumer<InetSocketAddress> ready) {
        run(recording, () -> {
            if (recording.isStopped() || recording.running.containsKey(track.trackId())) {
                return;
            }
            String rowId = SecretTokens.random(18);
            String fileName = rowId + "." + track.format().extension();
            Path file = files.folder(recording.id()).resolve(fileName);
            TrackRecorder recorder;
            try {
                recorder = TrackRecorder.start(properties.gstLaunch(), track.format(), file, READY_TIMEOUT);
            } catch (IOException e) {
                log.warn("Recording {}: the {} {} of {} cannot be recorded: {}", recording.id(), track.source(),
                        track.kind(), track.participantId(), e.getMessage());
                return;
            }
            try {
                rows.addTrack(new RecordingTrack(rowId, recording.id(), track.participantId(), track.personKey(),
                        track.participantName(), track.kind(), track.source(), track.format().codec(), fileName,
                        recording.elapsedMillis(System.nanoTime()), recorder.pid()));
            } catch (RuntimeException e) {
                // No row would ever name it (its recording deleted with its room, the database gone): nothing would
                // stop it either, nor the recovery at the next start find it.
                recorder.discard();
                throw e;
            }
            recording.running.put(track.trackId(), new LiveRecording.Running(rowId, recorder, track));
            ready.accept(recorder.address());
        });
    }

    /** A track ended (its publisher left or stopped it): its file is finished. */
    public void endTrack(LiveRecording recording, String trackId) {
        run(recording, () -> {
            LiveRecording.Running running = recording.running.remove(trackId);
            if (running != null) {
                interruptAll(List.of(running));
                finish(recording, running);
            }
        });
    }

    /**
     * Stops a recording: every track's file is finished, the row ends, {@link RecordingStopped} is published and the
     * composition follows. A second stop does nothing.
     *
     * @param reason stopped, meeting-ended, disk-full, failed or shutdown
     * @return completes once the files are finished
     */
    public CompletableFuture<Void> stop(LiveRecording recording, String reason) {
        if (!recording.markStopped()) {
            return CompletableFuture.completedFuture(null);
        }
        Instant stoppedAt = clock.instant(); // the recorded span ends now, not once the files are finished
        CompletableFuture<Void> done = new CompletableFuture<>();
        run(recording, () -> {
            try {
                List<LiveRecording.Running> all = new ArrayList<>(recording.running.values());
                recording.running.clear();
                interruptAll(all);
                for (LiveRecording.Running running : all) {
                    finish(recording, running);
                }
                rows.ended(recording.id(), stoppedAt, reason, false);
                live.remove(recording.id());
                log.info("Recording {} of room {} stopped ({})", recording.id(), recording.roomId(), reason);
                events.publishEvent(new RecordingStopped(recording.roomId(), recording.id(), reason));
            } finally {
                done.complete(null);
                recording.worker().shutdown();
            }
        });
        return done;
    }

    /** The recordings running now. */
    public List<LiveRecording> live() {
        return List.copyOf(live.values());
    }

    /** SIGINT to every recorder first, so they finish their files side by side rather than one after another. */
    private static void interruptAll(List<LiveRecording.Running> all) {
        for (LiveRecording.Running running : all) {
            running.recorder().interrupt();
        }
    }

    private void finish(LiveRecording recording, LiveRecording.Running running) {
        TrackRecorder recorder = running.recorder();
        boolean complete = recorder.stop(properties.stopGrace());
        Path file = recorder.file();
        RecordingTrack.State state = complete && RecordingFiles.sizeOf(file) > 0 ? RecordingTrack.State.COMPLETE
                : repair(file);
        long size = RecordingFiles.sizeOf(file);
        rows.trackFinished(running.rowId(), state, recording.elapsedMillis(recorder.interruptedNanos()), size);
        String messages = readAndRemove(recorder.log());
        if (state != RecordingTrack.State.COMPLETE) {
            log.warn("Recording {}: the {} of {} did not finish cleanly ({}){}", recording.id(),
                    running.spec().source(), running.spec().participantId(), state,
                    messages.isEmpty() ? "" : ": " + messages);
        } else if (!messages.isEmpty()) {
            log.info("Recording {}: the recorder of the {} of {} said: {}", recording.id(), running.spec().source(),
                    running.spec().participantId(), messages);
        }
    }

    /** A file whose recorder did not finish it (stopped by force): copied into a complete one, or marked damaged. */
    private RecordingTrack.State repair(Path file) {
        if (RecordingFiles.sizeOf(file) == 0) {
            return RecordingTrack.State.DAMAGED;
        }
        try {
            RepairResult result = new TrackFileRepair(tools.tools()).repair(file);
            return result.recovered() ? RecordingTrack.State.RECOVERED : RecordingTrack.State.DAMAGED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return RecordingTrack.State.DAMAGED;
        }
    }

    /** The recorder's messages, at most the last 500 characters, and its log file gone (downloads list files). */
    private static String readAndRemove(Path log) {
        try {
            String text = Files.exists(log) ? Files.readString(log).strip() : "";
            Files.deleteIfExists(log);
            return text.length() > 500 ? text.substring(text.length() - 500) : text;
        } catch (IOException e) {
            return "";
        }
    }

    private static void run(LiveRecording recording, Runnable work) {
        try {
            recording.worker().execute(() -> {
                try {
                    work.run();
                } catch (RuntimeException e) {
                    log.error("Recording {}: {}", recording.id(), e.toString(), e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            log.debug("Recording {} already stopped", recording.id());
        }
    }

    /** Stops recordings before the disk fills: below the free-space floor, or beyond the admins' quota. */
    @Scheduled(fixedDelayString = "PT5S", initialDelayString = "PT5S")
    public void watchDisk() {
        if (live.isEmpty() || !diskFull()) {
            return;
        }
        for (LiveRecording recording : live()) {
            log.warn("Recording {} stopped: the disk for recordings is full", recording.id());
            stop(recording, "disk-full");
        }
    }

    private boolean diskFull() {
        return files.freeBytes() < properties.minFreeDisk().toBytes()
                || files.usedBytes() >= settings.quotaBytes();
    }

    /** Parley stops: every recording is stopped and its files finished before the process goes. */
    @PreDestroy
    void shutdown() {
        List<CompletableFuture<Void>> stopping = new ArrayList<>();
        for (LiveRecording recording : live()) {
            stopping.add(stop(recording, "shutdown"));
        }
        try {
            CompletableFuture.allOf(stopping.toArray(CompletableFuture[]::new))
                    .get(properties.stopGrace().toMillis() + 5000, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            log.warn("Recordings did not all finish at shutdown: {}", e.toString());
        }
    }

    Optional<LiveRecording> find(String recordingId) {
        return Optional.ofNullable(live.get(recordingId));
    }
}
