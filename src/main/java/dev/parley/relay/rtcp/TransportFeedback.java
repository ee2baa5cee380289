package dev.parley.relay.rtcp;

import dev.parley.relay.util.Bytes;

/**
 * Transport-wide congestion control feedback, RTPFB FMT 15 (draft-holmer-rmcat-transport-wide-cc-extensions-01
 * section 3.1): which packets of a transport, numbered by the transport-wide sequence number header extension, the
 * receiver got and when. After the common feedback header the FCI is:
 *
 * <pre>
 * |      base sequence number     |      packet status count      |
 * |                 reference time                | fb pkt. count |
 * |          packet chunk         |         packet chunk          |  ...
 * |         packet chunk          |  recv delta   |  recv delta   |  ...
 * </pre>
 *
 * <p>Each packet's status is a 2-bit symbol: 0 not received, 1 received with a 1-byte unsigned delta, 2 received with
 * a 2-byte signed delta, 3 reserved. Chunks carry the symbols: run length {@code |0|S(2)|length(13)|}, or a status
 * vector of 14 one-bit symbols {@code |1|0|...|} (1 means received with a small delta) or 7 two-bit symbols
 * {@code |1|1|...|}. The receive deltas follow, one per received packet, in units of 250 µs: the first from the
 * reference time (24 bits, units of 64 ms), each further one from the previous received packet.
 *
 * <p>{@link #wrap} checks the whole structure once (every chunk and delta inside the packet, no reserved symbol, at
 * least one status) and refuses anything else; bytes after the last delta are ignored, as libwebrtc does. The getters
 * and {@link #packets} then read without further checks and without allocating. The draft's text swaps the meaning of
 * the 1-bit symbols; its examples, libwebrtc and every implementation use 1 for "received", as here. Symbol 3, which
 * one of the draft's examples calls "received without delta", is reserved in its symbol list and refused by libwebrtc
 * whenever deltas are present; it is refused here.
 */
public final class TransportFeedback extends FeedbackMessage {

    /** Receive time of a packet reported as not received. */
    public static final long NOT_RECEIVED = Long.MIN_VALUE;
    public static final int DELTA_TICK_MICROS = 250;
    public static final int REFERENCE_TIME_TICK_MICROS = 64_000;
    public static final int MAX_STATUS_COUNT = 0xFFFF;

    static final int FIXED_FCI_LENGTH = 8;
    static final int SYMBOL_NOT_RECEIVED = 0;
    static final int SYMBOL_SMALL_DELTA = 1;
    static final int SYMBOL_LARGE_DELTA = 2;
    static final int SYMBOL_RESERVED = 3;

    private static final int MAX_RUN_LENGTH = 0x1FFF;
    private static final int ONE_BIT_CAPACITY = 14;
    private static final int TWO_BIT_CAPACITY = 7;
    private static final int TICKS_PER_REFERENCE_TICK = REFERENCE_TIME_TICK_MICROS / DELTA_TICK_MICROS;

    private int receivedCount;
    private int deltasOffset;

    public boolean wrap(byte[] buf, int off, int len) {
        if (!wrapFeedback(buf, off, len, RtcpHeader.RTPFB, RtcpHeader.FMT_TRANSPORT_CC)) {
            return false;
        }
        if (!checkStructure()) {
            this.buf = null;
            return false;
        }
        return true;
    }

    public int baseSequenceNumber() {
        return Bytes.uint16(buf, fciOffset());
    }

    /** Number of consecutive sequence numbers, from the base, that this feedback reports on (1..65535). */
    public int packetStatusCount() {
        return Bytes.uint16(buf, fciOffset() + 2);
    }

    /**
     * The 24-bit reference time as sent, 0..2^24-1, in units of 64 ms. The draft calls it signed, newer libwebrtc
     * reads it unsigned; only differences between feedbacks (modulo 2^24) mean anything, so the raw bits are given.
     */
    public int referenceTime() {
        return Bytes.uint24(buf, fciOffset() + 4);
    }

    /** {@link #referenceTime()} in microseconds: the time base of {@link #packets}. */
    public long referenceTimeMicros() {
        return (long) referenceTime() * REFERENCE_TIME_TICK_MICROS;
    }

    /** The sender's 8-bit counter of feedback packets, to detect lost feedback. */
    public int feedbackPacketCount() {
        return Bytes.uint8(buf, fciOffset() + 7);
    }

    public int receivedCount() {
        return receivedCount;
    }

    /** Statuses "not received": lost, or not arrived yet when the feedback was sent. */
    public int notReceivedCount() {
        return packetStatusCount() - receivedCount;
    }

    /**
     * Decodes the statuses in sequence order: for the k-th packet, {@code sequenceNumbers[outOff + k]} is its 16-bit
     * sequence number and {@code receiveTimesMicros[outOff + k]} its receive time in microseconds on the receiver's
     * clock ({@link #referenceTimeMicros()} plus the deltas so far), or {@link #NOT_RECEIVED}. Stops when either array
     * is full; returns how many packets were written. Allocation-free.
     */
    public int packets(int[] sequenceNumbers, long[] receiveTimesMicros, int outOff) {
        int count = packetStatusCount();
        int room = Math.min(sequenceNumbers.length, receiveTimesMicros.length) - outOff;
        int limit = Math.min(count, Math.max(room, 0));
        int base = baseSequenceNumber();
        long time = referenceTimeMicros();
        int pos = fciOffset() + FIXED_FCI_LENGTH;
        int delta = deltasOffset;
        int done = 0;
        while (done < limit) {
            int chunk = Bytes.uint16(buf, pos);
            pos += 2;
            int n = Math.min(chunkSymbolCount(chunk), count - done);
            for (int i = 0; i < n && done < limit; i++) {
                int symbol = chunkSymbol(chunk, i);
                int at = outOff + done;
                sequenceNumbers[at] = (base + done) & 0xFFFF;
                if (symbol == SYMBOL_SMALL_DELTA) {
                    time += (long) Bytes.uint8(buf, delta) * DELTA_TICK_MICROS;
                    delta += 1;
                    receiveTimesMicros[at] = time;
                } else if (symbol == SYMBOL_LARGE_DELTA) {
                    time += (long) (short) Bytes.uint16(buf, delta) * DELTA_TICK_MICROS;
                    delta += 2;
                    receiveTimesMicros[at] = time;
                } else {
                    receiveTimesMicros[at] = NOT_RECEIVED;
                }
                done++;
            }
        }
        return done;
    }

    /** Walks every chunk and sizes the deltas: true if it all lies in the FCI and uses no reserved symbol. */
    private boolean checkStructure() {
        if (fciLength < FIXED_FCI_LENGTH) {
            return false;
        }
        int count = packetStatusCount();
        if (count == 0) {
            return false;
        }
        int end = fciOffset() + fciLength;
        int pos = fciOffset() + FIXED_FCI_LENGTH;
        int covered = 0;
        int received = 0;
        int deltaBytes = 0;
        while (covered < count) {
            if (end - pos < 2) {
                return false;
            }
            int chunk = Bytes.uint16(buf, pos);
            pos += 2;
            int n = Math.min(chunkSymbolCount(chunk), count - covered);
            if ((chunk & 0x8000) == 0) {
                int symbol = (chunk >> 13) & 3;
                if (symbol == SYMBOL_RESERVED && n > 0) {
                    return false;
                }
                if (symbol != SYMBOL_NOT_RECEIVED) {
                    received += n;
                    deltaBytes += n * symbol;
                }
            } else {
                for (int i = 0; i < n; i++) {
                    int symbol = chunkSymbol(chunk, i);
                    if (symbol == SYMBOL_RESERVED) {
                        return false;
                    }
                    if (symbol != SYMBOL_NOT_RECEIVED) {
                        received++;
                        deltaBytes += symbol;
                    }
                }
            }
            covered += n;
        }
        if (end - pos < deltaBytes) {
            return false;
        }
        receivedCount = received;
        deltasOffset = pos;
        return true;
    }

    /** Statuses a chunk describes before the status count cuts it: its run length, 14, or 7. */
    static int chunkSymbolCount(int chunk) {
        if ((chunk & 0x8000) == 0) {
            return chunk & MAX_RUN_LENGTH;
        }
        return (chunk & 0x4000) == 0 ? ONE_BIT_CAPACITY : TWO_BIT_CAPACITY;
    }

    /** The {@code index}-th symbol of a chunk, as a 2-bit symbol (a one-bit 1 is {@link #SYMBOL_SMALL_DELTA}). */
    static int chunkSymbol(int chunk, int index) {
        if ((chunk & 0x8000) == 0) {
            return (chunk >> 13) & 3;
        }
        if ((chunk & 0x4000) == 0) {
            return (chunk >> (ONE_BIT_CAPACITY - 1 - index)) & 1;
        }
        return (chunk >> (2 * (TWO_BIT_CAPACITY - 1 - index))) & 3;
    }

    /**
     * Writes feedback on {@code count} consecutive packets from {@code baseSequenceNumber}: {@code
     * receiveTimesMicros[i]} is when packet {@code base + i} arrived, in microseconds on any clock, or
     * {@link #NOT_RECEIVED}. The reference time is the first arrival rounded down to 64 ms (modulo 2^24); times are
     * rounded down to 250 µs on that clock, so rounding does not add up over a long feedback. Chunks are chosen
     * greedily (a run when 14 or more statuses repeat, else a one-bit vector when no large delta is near, else a
     * shorter run or a two-bit vector); a final padding makes the length a multiple of 4 with P set, as libwebrtc
     * writes it.
     *
     * @return the length, or -1 if it does not fit in {@code buf} or in an RTCP packet, or if two consecutive received
     *     packets are further apart than a 16-bit delta reaches (-8192 ms to 8191.75 ms): split the feedback there
     */
    public static int write(byte[] buf, int off, int senderSsrc, int mediaSsrc, int baseSequenceNumber,
            int feedbackPacketCount, long[] receiveTimesMicros, int count) {
        if (count < 1 || count > MAX_STATUS_COUNT || count > receiveTimesMicros.length) {
            throw new IllegalArgumentException("transport feedback reports on 1..65535 packets");
        }
        int fci = off + FCI_OFFSET;
        if (!RtcpHeader.hasRoom(buf, off, FCI_OFFSET + FIXED_FCI_LENGTH)) {
            return -1;
        }
        long referenceTicks = 0;
        for (int i = 0; i < count; i++) {
            if (receiveTimesMicros[i] != NOT_RECEIVED) {
                referenceTicks = Math.floorDiv(receiveTimesMicros[i], REFERENCE_TIME_TICK_MICROS);
                break;
            }
        }
        long startTick = referenceTicks * TICKS_PER_REFERENCE_TICK;
        int pos = writeChunks(buf, fci + FIXED_FCI_LENGTH, receiveTimesMicros, count, startTick);
        if (pos < 0) {
            return -1;
        }
        pos = writeDeltas(buf, pos, receiveTimesMicros, count, startTick);
        if (pos < 0) {
            return -1;
        }
        int content = pos - off;
        int size = (content + 3) & ~3;
        if (size > RtcpHeader.MAX_SIZE || !Bytes.validRange(buf, off, size)) {
            return -1;
        }
        for (int i = pos; i < off + size; i++) {
            buf[i] = 0;
        }
        writeCommon(buf, off, RtcpHeader.FMT_TRANSPORT_CC, RtcpHeader.RTPFB, size, senderSsrc, mediaSsrc);
        if (size > content) {
            buf[off] |= 0x20;
            buf[off + size - 1] = (byte) (size - content);
        }
        Bytes.putUint16(buf, fci, baseSequenceNumber);
        Bytes.putUint16(buf, fci + 2, count);
        Bytes.putUint24(buf, fci + 4, (int) referenceTicks);
        buf[fci + 7] = (byte) feedbackPacketCount;
        return size;
    }

    /** Writes the chunks from {@code pos}; returns the position after them or -1 (no room, or a delta too large). */
    private static int writeChunks(byte[] buf, int pos, long[] times, int count, long startTick) {
        long tick = startTick;
        int i = 0;
        while (i < count) {
            int first = symbolOf(times[i], tick);
            if (first < 0) {
                return -1;
            }
            int run = 1;
            long runTick = advance(times[i], tick);
            while (i + run < count && run < MAX_RUN_LENGTH) {
                int s = symbolOf(times[i + run], runTick);
                if (s != first) {
                    break;
                }
                runTick = advance(times[i + run], runTick);
                run++;
            }
            int remaining = count - i;
            int chunk;
            int used;
            if (run >= ONE_BIT_CAPACITY || run == remaining) {
                chunk = (first << 13) | run;
                used = run;
            } else {
                int window = Math.min(ONE_BIT_CAPACITY, remaining);
                int bits = 0;
                boolean large = false;
                long t = tick;
                for (int k = 0; k < window; k++) {
                    int s = symbolOf(times[i + k], t);
                    if (s < 0) {
                        return -1;
                    }
                    large |= s == SYMBOL_LARGE_DELTA;
                    bits |= (s & 1) << (ONE_BIT_CAPACITY - 1 - k);
                    t = advance(times[i + k], t);
                }
                if (!large) {
                    chunk = 0x8000 | bits;
                    used = window;
                } else if (run >= TWO_BIT_CAPACITY) {
                    chunk = (first << 13) | run;
                    used = run;
                } else {
                    used = Math.min(TWO_BIT_CAPACITY, remaining);
                    chunk = 0xC000;
                    t = tick;
                    for (int k = 0; k < used; k++) {
                        chunk |= symbolOf(times[i + k], t) << (2 * (TWO_BIT_CAPACITY - 1 - k));
                        t = advance(times[i + k], t);
                    }
                }
            }
            if (!Bytes.validRange(buf, pos, 2)) {
                return -1;
            }
            Bytes.putUint16(buf, pos, chunk);
            pos += 2;
            for (int k = 0; k < used; k++) {
                tick = advance(times[i + k], tick);
            }
            i += used;
        }
        return pos;
    }

    private static int writeDeltas(byte[] buf, int pos, long[] times, int count, long startTick) {
        long tick = startTick;
        for (int i = 0; i < count; i++) {
            if (times[i] == NOT_RECEIVED) {
                continue;
            }
            long now = Math.floorDiv(times[i], DELTA_TICK_MICROS);
            long delta = now - tick;
            tick = now;
            if (delta >= 0 && delta <= 0xFF) {
                if (!Bytes.validRange(buf, pos, 1)) {
                    return -1;
                }
                buf[pos++] = (byte) delta;
            } else {
                if (!Bytes.validRange(buf, pos, 2)) {
                    return -1;
                }
                Bytes.putUint16(buf, pos, (int) delta);
                pos += 2;
            }
        }
        return pos;
    }

    /**
     * The symbol of a packet received at {@code time} (or not) when the previous received packet is at {@code tick};
     * -1 if the delta does not fit 16 bits.
     */
    private static int symbolOf(long time, long tick) {
        if (time == NOT_RECEIVED) {
            return SYMBOL_NOT_RECEIVED;
        }
        long delta = Math.floorDiv(time, DELTA_TICK_MICROS) - tick;
        if (delta >= 0 && delta <= 0xFF) {
            return SYMBOL_SMALL_DELTA;
        }
        return delta >= Short.MIN_VALUE && delta <= Short.MAX_VALUE ? SYMBOL_LARGE_DELTA : -1;
    }

    private static long advance(long time, long tick) {
        return time == NOT_RECEIVED ? tick : Math.floorDiv(time, DELTA_TICK_MICROS);
    }
}
