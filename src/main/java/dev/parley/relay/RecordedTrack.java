package dev.parley.relay;

/**
 * A track a recording can take: who publishes it and what a recorder must be told to read its plain RTP (the codec's
 * name as SDP spells it, payload type, clock rate, channels for audio). The payload type and SSRC stay the same for
 * the whole track, whatever simulcast layer is written.
 *
 * @param trackId the relay's id of the track, for {@link Relay#recordTrack}
 * @param source {@code microphone}, {@code camera} or {@code screen}
 */
public record RecordedTrack(String trackId, String participantId, String kind, String source, String codec,
                            int payloadType, int clockRate, int channels) {

    public boolean isAudio() {
        return "audio".equals(kind);
    }
}
