package dev.parley.relay;

/**
 * Hears of the tracks of a room being recorded (see {@link Relay#startRecording}): those there at the start, then each
 * one that starts or ends. Called on the relay loop thread: implementations hand the work to another thread and return
 * at once.
 */
public interface RecordingListener {

    /** A track to record: start a recorder, then hand its address to {@link Relay#recordTrack}. */
    void onTrack(String roomId, RecordedTrack track);

    /** The track ended (its publisher left, stopped it, or renegotiated it away): its recorder may finish. */
    void onTrackEnded(String roomId, RecordedTrack track);
}
