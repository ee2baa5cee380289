package dev.parley.recording;

/**
 * A track to record, as the meeting names it.
 *
 * @param trackId the relay's id of the track
 * @param personKey the same for the tracks of one person across leaving and rejoining (the composed video's tile)
 * @param kind audio or video
 * @param source microphone, camera or screen
 */
public record TrackSpec(String trackId, String participantId, String personKey, String participantName, String kind,
                        String source, TrackFormat format) {
}
