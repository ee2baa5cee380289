package dev.parley.api;

import dev.parley.recording.Recording;
import dev.parley.recording.RecordingView;
import java.time.Duration;
import java.time.Instant;

/**
 * A recording as the API shows it. {@code progress} is the composition's, 0 to 100; {@code durationSeconds} is null
 * until the recording ended; {@code downloadUrl} (the composed MP4) is null until it is {@code READY}.
 */
public record RecordingJson(String id, long roomId, Recording.State state, int progress, String startedBy,
                            Instant startedAt, Instant endedAt, Long durationSeconds, boolean interrupted,
                            String stopReason, String error, long composedBytes, long trackBytes, int tracks,
                            String downloadUrl) {

    static RecordingJson of(RecordingView view, String base) {
        Recording r = view.recording();
        Duration duration = r.getDuration();
        return new RecordingJson(r.getId(), r.getRoomId(), r.getState(), r.getComposeProgress(), r.getStartedBy(),
                r.getStartedAt(), r.getEndedAt(), duration == null ? null : duration.toSeconds(), r.isInterrupted(),
                r.getStopReason(), r.getError(), view.composedBytes(), view.trackBytes(), view.tracks().size(),
                view.composedAvailable() ? base + ApiAccess.BASE + "/recordings/" + r.getId() + "/download" : null);
    }
}
