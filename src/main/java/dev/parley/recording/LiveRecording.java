package dev.parley.recording;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A recording while it runs: its row's id, when it began, and the recorder of each track being written. Its work
 * (starting and stopping recorders, which waits for processes) runs in order on a thread of its own, so a track's end
 * never overtakes its start and the meeting's threads never wait.
 */
public final class LiveRecording {

    private final String id;
    private final long roomId;
    private final Instant startedAt;
    private final long startedNanos;
    private final String startedBy;
    private final ExecutorService worker;
    /** Loop-of-this-recording only (its worker thread). */
    final Map<String, Running> running = new LinkedHashMap<>();
    private volatile boolean stopped;

    record Running(String rowId, TrackRecorder recorder, TrackSpec spec) {
    }

    LiveRecording(String id, long roomId, String startedBy, Instant startedAt, long startedNanos) {
        this.id = id;
        this.roomId = roomId;
        this.startedBy = startedBy;
        this.startedAt = startedAt;
        this.startedNanos = startedNanos;
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "parley-recording-" + id.substring(0, 6));
            thread.setDaemon(true);
            return thread;
        });
    }

    public String id() {
        return id;
    }

    public long roomId() {
        return roomId;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public String startedBy() {
        return startedBy;
    }

    public boolean isStopped() {
        return stopped;
    }

    /** Marks it stopped; true only for the first caller. */
    synchronized boolean markStopped() {
        if (stopped) {
            return false;
        }
        stopped = true;
        return true;
    }

    /** Milliseconds since the recording began. */
    long elapsedMillis(long nowNanos) {
        return Math.max(0, (nowNanos - startedNanos) / 1_000_000);
    }

    ExecutorService worker() {
        return worker;
    }
}
