package dev.parley.relay.router;

import dev.parley.relay.rtp.Vp8Payload;
import dev.parley.relay.rtp.Vp9Payload;
import dev.parley.relay.util.Bytes;

/**
 * Makes the layers of a simulcast producer one continuous stream for one subscriber: sequence numbers, timestamps and
 * (VP8, VP9) picture ids and TL0PICIDX continue across a switch as if one encoder had sent them all. Each switch starts
 * a segment with its own offsets; the last few are kept so a NACK for a packet sent before a switch still finds the
 * layer and sequence number it came from. Offsets start at zero, so a producer with one layer passes through
 * unchanged. Loop thread only.
 */
final class StreamRewriter {

    /** Switches remembered for NACKs: far more than can happen within a packet cache's span. */
    private static final int HISTORY = 8;
    private static final long MAX_ALIGNMENT_JUMP = 10L * 90_000; // ten seconds at 90 kHz

    private boolean started;
    private int layer = -1;
    /** The newest publisher's sequence number of this segment, and how far it is past the first (saturating). */
    private int highestInSequence;
    private int advanced;
    private int sequenceDelta;
    private long timestampDelta;
    private int pictureIdDelta;
    private int tl0Delta;
    private int highestOutSequence;
    private long lastOutTimestamp;
    private int lastOutPictureId = -1;
    private int lastOutTl0 = -1;
    private long lastOutNanos;

    private final int[] segmentStart = new int[HISTORY];
    private final int[] segmentLayer = new int[HISTORY];
    private final int[] segmentSequenceDelta = new int[HISTORY];
    private final long[] segmentTimestampDelta = new long[HISTORY];
    private final int[] segmentPictureIdDelta = new int[HISTORY];
    private final int[] segmentTl0Delta = new int[HISTORY];
    private int segments;

    /**
     * Starts forwarding {@code newLayer} from this packet (a key frame's first). The first segment keeps the
     * publisher's numbers; later ones continue right after the last packet sent.
     *
     * @param alignedTimestampDelta the timestamp offset that keeps the new layer in time with the old one (from both
     *     layers' sender reports), or {@link Long#MIN_VALUE} when not known; it is used only if it moves time forward
     */
    void begin(int newLayer, byte[] packet, int off, int payloadOffset, int payloadLength, boolean pictureIds,
               boolean vp9, long alignedTimestampDelta, int clockRate, long nowNanos) {
        int inSequence = Bytes.uint16(packet, off + 2);
        long inTimestamp = Bytes.uint32(packet, off + 4);
        if (started) {
            int outSequence = (highestOutSequence + 1) & 0xFFFF;
            sequenceDelta = (outSequence - inSequence) & 0xFFFF;
            long outTimestamp = -1;
            if (alignedTimestampDelta != Long.MIN_VALUE) {
                long aligned = (inTimestamp + alignedTimestampDelta) & 0xFFFFFFFFL;
                int step = (int) (aligned - lastOutTimestamp);
                if (step > 0 && step < MAX_ALIGNMENT_JUMP) {
                    outTimestamp = aligned;
                }
            }
            if (outTimestamp < 0) {
                long elapsed = Math.max(1, (nowNanos - lastOutNanos) * clockRate / 1_000_000_000L);
                outTimestamp = (lastOutTimestamp + Math.min(elapsed, MAX_ALIGNMENT_JUMP)) & 0xFFFFFFFFL;
            }
            timestampDelta = (outTimestamp - inTimestamp) & 0xFFFFFFFFL;
            pictureIdDelta = 0;
            tl0Delta = 0;
            if (pictureIds) {
                int inPicture = vp9 ? Vp9Payload.pictureId(packet, payloadOffset, payloadLength)
                        : Vp8Payload.pictureId(packet, payloadOffset, payloadLength);
                if (inPicture >= 0 && lastOutPictureId >= 0) {
                    pictureIdDelta = lastOutPictureId + 1 - inPicture;
                }
                int inTl0 = vp9 ? Vp9Payload.tl0PicIdx(packet, payloadOffset, payloadLength)
                        : Vp8Payload.tl0PicIdx(packet, payloadOffset, payloadLength);
                if (inTl0 >= 0 && lastOutTl0 >= 0) {
                    tl0Delta = lastOutTl0 + 1 - inTl0;
                }
            }
        }
        started = true;
        layer = newLayer;
        highestInSequence = inSequence;
        advanced = 0;
        int slot = segments++ % HISTORY;
        segmentStart[slot] = (inSequence + sequenceDelta) & 0xFFFF;
        segmentLayer[slot] = newLayer;
        segmentSequenceDelta[slot] = sequenceDelta;
        segmentTimestampDelta[slot] = timestampDelta;
        segmentPictureIdDelta[slot] = pictureIdDelta;
        segmentTl0Delta[slot] = tl0Delta;
        highestOutSequence = (inSequence + sequenceDelta - 1) & 0xFFFF;
    }

    /**
     * Whether a packet of the current layer belongs to this segment: not from before its first packet (those would
     * collide with the previous segment's numbers). Judged from the newest packet back, so it holds however long the
     * segment runs (sequence numbers wrap every 65,536 packets).
     */
    boolean accepts(int inSequence) {
        int ahead = (short) (inSequence - highestInSequence);
        return ahead > 0 || -ahead <= advanced;
    }

    /**
     * Rewrites a packet of the current layer in place. {@code pictureIds}: the payload carries VP8 or VP9 picture ids
     * to rewrite (producers with more than one layer).
     */
    void rewrite(byte[] b, int off, int payloadOffset, int payloadLength, boolean pictureIds, boolean vp9,
                 long nowNanos) {
        int inSequence = Bytes.uint16(b, off + 2);
        int ahead = (short) (inSequence - highestInSequence);
        if (ahead > 0) {
            highestInSequence = inSequence;
            advanced = Math.min(Short.MAX_VALUE, advanced + ahead);
        }
        int outSequence = (inSequence + sequenceDelta) & 0xFFFF;
        long outTimestamp = (Bytes.uint32(b, off + 4) + timestampDelta) & 0xFFFFFFFFL;
        Bytes.putUint16(b, off + 2, outSequence);
        Bytes.putInt32(b, off + 4, (int) outTimestamp);
        boolean newest = (short) (outSequence - highestOutSequence) > 0;
        if (newest) {
            highestOutSequence = outSequence;
            lastOutTimestamp = outTimestamp;
            lastOutNanos = nowNanos;
        }
        if (pictureIds) {
            int picture = rewritePictureIds(b, payloadOffset, payloadLength, vp9, pictureIdDelta, tl0Delta);
            if (newest && picture >= 0) {
                lastOutPictureId = picture;
                lastOutTl0 = vp9 ? Vp9Payload.tl0PicIdx(b, payloadOffset, payloadLength)
                        : Vp8Payload.tl0PicIdx(b, payloadOffset, payloadLength);
            }
        }
    }

    /** Rewrites a retransmitted packet's timestamp and payload with the offsets of the segment it was sent in. */
    void rewriteRetransmission(int segment, byte[] b, int off, int payloadOffset, int payloadLength,
                               boolean pictureIds, boolean vp9) {
        Bytes.putInt32(b, off + 4, (int) (Bytes.uint32(b, off + 4) + segmentTimestampDelta[segment]));
        if (pictureIds) {
            rewritePictureIds(b, payloadOffset, payloadLength, vp9, segmentPictureIdDelta[segment],
                    segmentTl0Delta[segment]);
        }
    }

    /** Returns the rewritten picture id, or -1 when the payload has none. */
    private static int rewritePictureIds(byte[] b, int payloadOffset, int payloadLength, boolean vp9, int pictureDelta,
                                         int tl0PicDelta) {
        int picture = vp9 ? Vp9Payload.pictureId(b, payloadOffset, payloadLength)
                : Vp8Payload.pictureId(b, payloadOffset, payloadLength);
        if (picture >= 0 && pictureDelta != 0) {
            picture = (picture + pictureDelta) & 0x7FFF;
            if (vp9) {
                Vp9Payload.setPictureId(b, payloadOffset, payloadLength, picture);
            } else {
                Vp8Payload.setPictureId(b, payloadOffset, payloadLength, picture);
            }
        }
        if (tl0PicDelta != 0) {
            int tl0 = vp9 ? Vp9Payload.tl0PicIdx(b, payloadOffset, payloadLength)
                    : Vp8Payload.tl0PicIdx(b, payloadOffset, payloadLength);
            if (tl0 >= 0) {
                if (vp9) {
                    Vp9Payload.setTl0PicIdx(b, payloadOffset, payloadLength, (tl0 + tl0PicDelta) & 0xFF);
                } else {
                    Vp8Payload.setTl0PicIdx(b, payloadOffset, payloadLength, (tl0 + tl0PicDelta) & 0xFF);
                }
            }
        }
        if (picture < 0) {
            return -1;
        }
        boolean shortId = vp9 ? !Vp9Payload.hasLongPictureId(b, payloadOffset, payloadLength)
                : !Vp8Payload.hasLongPictureId(b, payloadOffset, payloadLength);
        return shortId ? picture & 0x7F : picture;
    }

    /**
     * The segment an outgoing sequence number was sent in, or -1 (before the remembered ones). A number a little
     * beyond the last one sent belongs to the current segment (the subscriber learnt of a loss the relay has not
     * seen yet); before anything was sent, the numbers are the publisher's own, of layer 0.
     */
    int segmentOf(int outSequence) {
        if (!started) {
            return 0;
        }
        int ahead = (short) (outSequence - highestOutSequence);
        if (ahead > 0) {
            return ahead <= PacketCache.SIZE ? (segments - 1) % HISTORY : -1;
        }
        if (-ahead > PacketCache.SIZE) {
            return -1; // no cache holds it any more
        }
        int current = (segments - 1) % HISTORY;
        if (-ahead <= advanced) {
            return current;
        }
        int remembered = Math.min(segments, HISTORY);
        for (int k = 1; k <= remembered; k++) {
            int slot = (segments - k) % HISTORY;
            if ((short) (outSequence - segmentStart[slot]) >= 0) {
                return slot;
            }
        }
        return -1;
    }

    /** How many segments began after this remembered one (0: the current segment). */
    int segmentAge(int segment) {
        return ((segments - 1) % HISTORY - segment + HISTORY) % HISTORY;
    }

    int segmentLayer(int segment) {
        return segmentLayer[segment];
    }

    /** The publisher's sequence number behind an outgoing one of that segment. */
    int inSequence(int segment, int outSequence) {
        return (outSequence - segmentSequenceDelta[segment]) & 0xFFFF;
    }

    /** The outgoing sequence number a packet of the current layer gets (or got). */
    int outSequence(int inSequence) {
        return (inSequence + sequenceDelta) & 0xFFFF;
    }

    /** Whether {@code outSequence} was already passed (sent, or lost on the way in). */
    boolean reached(int outSequence) {
        return started && (short) (outSequence - highestOutSequence) <= 0;
    }

    boolean isStarted() {
        return started;
    }

    int layer() {
        return layer;
    }

    /**
     * The timestamp offset that puts {@code next}'s frames on the outgoing timeline where the same instants of
     * {@code previous} went, from both layers' sender reports (RTP timestamp and NTP time of one instant each), or
     * {@link Long#MIN_VALUE} when not known; simulcast encodings start their timestamps at independent random values.
     */
    long alignedTimestampDelta(Layer previous, Layer next, int clockRate) {
        if (!previous.hasSenderReport() || !next.hasSenderReport()) {
            return Long.MIN_VALUE;
        }
        long ntpDiff = next.senderReportNtp() - previous.senderReportNtp(); // 32.32 fixed point seconds
        if (Math.abs(ntpDiff) > (100L << 32)) {
            return Long.MIN_VALUE;
        }
        long clockDiff = Math.multiplyHigh(ntpDiff, (long) clockRate << 32);
        return (timestampDelta + previous.senderReportRtp() - next.senderReportRtp() + clockDiff) & 0xFFFFFFFFL;
    }

    long timestampDelta() {
        return timestampDelta;
    }
}
