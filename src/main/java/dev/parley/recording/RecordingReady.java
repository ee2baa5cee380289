package dev.parley.recording;

import java.time.Instant;

/**
 * A recording's composed file is done and may be downloaded ({@link Recordings#announceReady}); the webhooks tell
 * integrations ({@code recording.ready}).
 *
 * @param durationMillis the recorded span, null when unknown
 * @param sizeBytes the composed file's size
 * @param at when it became ready
 */
public record RecordingReady(long roomId, String recordingId, Long durationMillis, long sizeBytes, Instant at) {
}
