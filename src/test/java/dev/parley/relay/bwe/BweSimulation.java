package dev.parley.relay.bwe;

import dev.parley.relay.rtcp.TransportFeedback;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.LongUnaryOperator;

/**
 * A sender, a bottleneck and a receiver in simulated time, all deterministic. The sender sends 1200-byte packets
 * paced at the estimator's estimate (and, on each 20 ms tick, the probe padding it asks for), numbered with a 16-bit
 * transport-wide sequence number that wraps. The path drops a packet at random with the configured probability, then
 * queues it behind a bottleneck of the configured capacity with a drop-tail buffer, then delays it by a fixed
 * propagation delay. The receiver, on a clock of its own, sends transport-wide feedback every 50 to 100 ms on the
 * packets that arrived since the last one (and those that did not, below the highest arrived), written with
 * {@link TransportFeedback#write} and parsed back, and the feedback reaches the sender one propagation delay later.
 */
final class BweSimulation {

    static final int PACKET_SIZE = 1200;
    /** The relay's padding packets: RTX headers and 224 bytes of padding, with the transport-wide extension. */
    static final int PADDING_SIZE = 250;
    static final long MS = 1_000_000;
    static final long SECOND = 1_000 * MS;
    private static final long STEP = MS / 4;
    private static final long TICK = 20 * MS;
    /** Receiver clock: microseconds, starting 10 s before the 24-bit reference time wraps. */
    private static final long RECEIVER_CLOCK_START_MICROS = (1L << 24) * 64_000 - 10_000_000;

    final BandwidthEstimator estimator;
    private final SplittableRandom random;
    private LongUnaryOperator capacity = t -> 1_000_000;
    private double lossRate;
    private long feedbackStopsAt = Long.MAX_VALUE;
    private final long oneWayDelay = 30 * MS;
    private long bufferBytes = 64 * 1024;

    private long now;
    private long nextMediaSend;
    private long nextTick;
    /** Transport-wide sequence numbers unwrapped; the 16-bit value wraps a few hundred packets in. */
    private long nextSequence = 65_000;
    private long bottleneckFreeAt;

    /** Packets on the way, in arrival order (the path is FIFO): unwrapped sequence and arrival, or lost. */
    private final ArrayDeque<long[]> inFlight = new ArrayDeque<>();
    private final List<long[]> arrivedSinceFeedback = new ArrayList<>();
    private long nextFeedback;
    private int feedbackCount;
    private final ArrayDeque<Object[]> feedbackInFlight = new ArrayDeque<>();
    private final byte[] feedbackBuffer = new byte[70_000];
    private final TransportFeedback parsed = new TransportFeedback();

    private final List<long[]> samples = new ArrayList<>();
    long sentBytes;
    long probeBytes;

    BweSimulation(BandwidthEstimator estimator, long seed) {
        this.estimator = estimator;
        this.random = new SplittableRandom(seed);
        nextFeedback = 50 * MS;
    }

    BweSimulation capacity(LongUnaryOperator bitsPerSecondAt) {
        this.capacity = bitsPerSecondAt;
        return this;
    }

    BweSimulation buffer(long bytes) {
        this.bufferBytes = bytes;
        return this;
    }

    BweSimulation loss(double rate) {
        this.lossRate = rate;
        return this;
    }

    BweSimulation feedbackStopsAt(long nanos) {
        this.feedbackStopsAt = nanos;
        return this;
    }

    long now() {
        return now;
    }

    /** Runs until {@code until}, sampling the estimate every 100 ms. */
    BweSimulation runUntil(long until) {
        while (now < until) {
            if (now >= nextTick) {
                nextTick += TICK;
                sendProbePadding();
                if (now % (100 * MS) == 0) {
                    samples.add(new long[] {now, estimator.estimate()});
                }
            }
            while (nextMediaSend <= now) {
                send(PACKET_SIZE, false);
                nextMediaSend += PACKET_SIZE * 8 * SECOND / Math.max(estimator.estimate(), 1);
            }
            deliverArrivals();
            if (now >= nextFeedback) {
                sendFeedback();
                nextFeedback = now + 50 * MS + random.nextLong(0, 51) * MS;
            }
            while (!feedbackInFlight.isEmpty() && (long) feedbackInFlight.peekFirst()[0] <= now) {
                byte[] bytes = (byte[]) feedbackInFlight.pollFirst()[1];
                if (!parsed.wrap(bytes, 0, bytes.length)) {
                    throw new AssertionError("written feedback does not parse");
                }
                estimator.onFeedback(parsed, now);
            }
            now += STEP;
        }
        return this;
    }

    /** As the relay sends it: packets of padding until the cluster owes nothing more this tick. */
    private void sendProbePadding() {
        for (int rounds = 0; rounds < 1000 && estimator.probePaddingBytes(now) > 0; rounds++) {
            send(PADDING_SIZE, true);
            probeBytes += PADDING_SIZE;
        }
    }

    private void send(int size, boolean probe) {
        long unwrapped = nextSequence++;
        estimator.onPacketSent((int) unwrapped & 0xFFFF, size, now, probe);
        sentBytes += size;
        long c = capacity.applyAsLong(now);
        long queueNanos = Math.max(0, bottleneckFreeAt - now);
        long queuedBytes = queueNanos * c / 8 / SECOND;
        boolean dropped = random.nextDouble() < lossRate || queuedBytes + size > bufferBytes;
        if (dropped) {
            inFlight.addLast(new long[] {unwrapped, -1});
            return;
        }
        long start = Math.max(now, bottleneckFreeAt);
        bottleneckFreeAt = start + size * 8 * SECOND / c;
        inFlight.addLast(new long[] {unwrapped, bottleneckFreeAt + oneWayDelay});
    }

    /** Moves packets that have arrived by now (and losses before them) to the receiver. */
    private void deliverArrivals() {
        while (!inFlight.isEmpty()) {
            long[] head = inFlight.peekFirst();
            if (head[1] >= 0 && head[1] > now) {
                // a loss behind an undelivered packet is only known once a later packet arrives
                return;
            }
            inFlight.pollFirst();
            arrivedSinceFeedback.add(head);
        }
    }

    private void sendFeedback() {
        // report up to the highest packet that arrived; trailing losses wait for a later arrival
        int last = arrivedSinceFeedback.size() - 1;
        while (last >= 0 && arrivedSinceFeedback.get(last)[1] < 0) {
            last--;
        }
        if (last < 0) {
            return;
        }
        int count = last + 1;
        long[] times = new long[count];
        for (int i = 0; i < count; i++) {
            long arrival = arrivedSinceFeedback.get(i)[1];
            times[i] = arrival < 0 ? TransportFeedback.NOT_RECEIVED : RECEIVER_CLOCK_START_MICROS + arrival / 1000;
        }
        long base = arrivedSinceFeedback.get(0)[0];
        int len = TransportFeedback.write(feedbackBuffer, 0, 1, 2, (int) base & 0xFFFF, feedbackCount++, times, count);
        if (len < 0) {
            throw new AssertionError("feedback does not fit");
        }
        arrivedSinceFeedback.subList(0, count).clear();
        if (now < feedbackStopsAt) {
            byte[] copy = Arrays.copyOf(feedbackBuffer, len);
            feedbackInFlight.addLast(new Object[] {now + oneWayDelay, copy});
        }
    }

    /** Estimates sampled (every 100 ms) from {@code from} to {@code to}. */
    long[] estimates(long from, long to) {
        return samples.stream().filter(s -> s[0] >= from && s[0] < to).mapToLong(s -> s[1]).toArray();
    }

    long estimateAt(long time) {
        long value = -1;
        for (long[] s : samples) {
            if (s[0] <= time) {
                value = s[1];
            }
        }
        return value;
    }

    /** The first sample time from which every sample up to {@code to} lies in [{@code low}, {@code high}], or -1. */
    long settlesWithin(long low, long high, long to) {
        long since = -1;
        for (long[] s : samples) {
            if (s[0] >= to) {
                break;
            }
            if (s[1] >= low && s[1] <= high) {
                if (since < 0) {
                    since = s[0];
                }
            } else {
                since = -1;
            }
        }
        return since;
    }
}
