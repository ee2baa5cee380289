package dev.parley.relay.client;

/**
 * Per-packet callbacks from the receive thread, for a load generator that aggregates on its own. Implementations must
 * be quick, must not block and should not allocate; every argument is a primitive.
 */
public interface MediaListener {

    /**
     * An RTP packet authenticated and decrypted.
     *
     * @param probeSequence the probe's sequence number, or -1 if the payload carried no probe
     * @param latencyNanos  receive time minus the probe's send time (same JVM clock), or -1 without a probe
     */
    void onRtp(int ssrc, int payloadType, int sequenceNumber, int payloadLength, boolean keyframe, long probeSequence,
            long latencyNanos);
}
