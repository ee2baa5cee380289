package dev.parley.recording;

/**
 * A track to record, as the meeting names it.
 *
 * @param trackId the relay's id of the track
 * @param kind audio or video
 * @param source microphone, camera or screen
 */
public record TrackSpec(String trackId, String participantId, String participantName, String kind, String source,
                        TrackFormat format) {
}
