package dev.parley.relay.router;

import java.util.List;

/**
 * Decides a room's dominant speaker from the audio levels its publishers report (RFC 6464, client-to-mixer, under the
 * relay's canonical extension id {@link #AUDIO_LEVEL_ID}).
 *
 * <p>Each audio {@link Producer} sums, packet by packet and without allocating, how far each packet is louder than
 * {@link #SPEECH_LEVEL} (-60 dBov). Every {@link #INTERVAL_NANOS} this detector turns that sum into the interval's
 * mean loudness per packet and folds it into the producer's score, a moving average that decays by
 * {@link #DECAY} per interval. Someone becomes the speaker when nobody speaks and their score reaches
 * {@link #SPEAKING_SCORE}; another takes over only after leading the speaker's score by {@link #SWITCH_RATIO} for
 * {@link #SWITCH_INTERVALS} evaluations in a row, so a cough or a short "yes" does not steal the highlight. When every
 * score falls below the threshold, or the speaker's track is gone, nobody speaks. Loop thread only.
 */
public final class SpeakerDetector {

    /** The relay's canonical id of the ssrc-audio-level extension, in every audio m-section it negotiates. */
    public static final int AUDIO_LEVEL_ID = 1;
    /** A level (in -dBov, 0 the loudest, 127 silence) below this counts as speech. */
    static final int SPEECH_LEVEL = 60;
    static final long INTERVAL_NANOS = 300_000_000L;
    static final double DECAY = 0.6;
    static final double SPEAKING_SCORE = 5.0;
    static final double SWITCH_RATIO = 1.5;
    static final int SWITCH_INTERVALS = 3;

    private long lastEvaluationNanos = Long.MIN_VALUE / 2;
    private Producer speaker;
    private Producer challenger;
    private int challengerLead;

    /**
     * Evaluates the producers' levels if an interval has passed since the last time.
     *
     * @return true when the dominant speaker changed (see {@link #speakerId})
     */
    boolean evaluate(List<Producer> producers, long nowNanos) {
        if (nowNanos - lastEvaluationNanos < INTERVAL_NANOS) {
            return false;
        }
        lastEvaluationNanos = nowNanos;
        Producer loudest = null;
        boolean speakerPresent = false;
        for (Producer producer : producers) {
            if (producer.kind() != MediaKind.AUDIO || producer.isClosed()) {
                continue;
            }
            producer.speech().fold(DECAY);
            if (producer == speaker) {
                speakerPresent = true;
            }
            if (loudest == null || producer.speech().score() > loudest.speech().score()) {
                loudest = producer;
            }
        }
        Producer before = speaker;
        if (!speakerPresent) {
            speaker = null;
        }
        if (loudest == null || loudest.speech().score() < SPEAKING_SCORE) {
            speaker = null;
            challenger = null;
            challengerLead = 0;
        } else if (speaker == null) {
            speaker = loudest;
            challenger = null;
            challengerLead = 0;
        } else if (loudest != speaker && loudest.speech().score() > speaker.speech().score() * SWITCH_RATIO) {
            challengerLead = loudest == challenger ? challengerLead + 1 : 1;
            challenger = loudest;
            if (challengerLead >= SWITCH_INTERVALS) {
                speaker = loudest;
                challenger = null;
                challengerLead = 0;
            }
        } else {
            challenger = null;
            challengerLead = 0;
        }
        return speaker != before && !sameParticipant(speaker, before);
    }

    private static boolean sameParticipant(Producer a, Producer b) {
        return a != null && b != null && a.participantId().equals(b.participantId());
    }

    /** The dominant speaker's participant id, or null when nobody speaks. */
    public String speakerId() {
        return speaker == null ? null : speaker.participantId();
    }
}
