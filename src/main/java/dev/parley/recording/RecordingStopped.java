package dev.parley.recording;

/**
 * A recording stopped, whoever stopped it (published after its files were finished): the meeting tells its
 * participants, and with a reason other than {@code stopped} or {@code meeting-ended} it was Parley's own doing
 * ({@code disk-full}, {@code failed}, {@code shutdown}).
 */
public record RecordingStopped(long roomId, String recordingId, String reason) {
}
