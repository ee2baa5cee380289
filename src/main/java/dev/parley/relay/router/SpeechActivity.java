package dev.parley.relay.router;

import dev.parley.relay.rtp.HeaderExtensions;
import dev.parley.relay.rtp.RtpPacket;

/**
 * How much one audio producer has been speaking: each packet's RFC 6464 level (under {@link
 * SpeakerDetector#AUDIO_LEVEL_ID}) adds how far it is louder than {@link SpeakerDetector#SPEECH_LEVEL} to the current
 * interval, allocation-free; at each evaluation the interval's mean per packet is folded into a decaying score. Loop
 * thread only.
 */
final class SpeechActivity {

    private int packets;
    private int loudness;
    private double score;

    /** A packet arrived; one without a level counts as silence. */
    void onPacket(RtpPacket rtp) {
        packets++;
        long found = rtp.findExtension(SpeakerDetector.AUDIO_LEVEL_ID);
        if (found == HeaderExtensions.NOT_FOUND || HeaderExtensions.valueLength(found) < 1) {
            return;
        }
        int level = rtp.buffer()[HeaderExtensions.valueOffset(found)] & 0x7F;
        if (level < SpeakerDetector.SPEECH_LEVEL) {
            loudness += SpeakerDetector.SPEECH_LEVEL - level;
        }
    }

    /** Folds the interval's mean loudness per packet into the decaying score, and starts a new interval. */
    void fold(double decay) {
        double mean = packets == 0 ? 0 : (double) loudness / packets;
        score = score * decay + mean * (1 - decay);
        packets = 0;
        loudness = 0;
    }

    double score() {
        return score;
    }
}
