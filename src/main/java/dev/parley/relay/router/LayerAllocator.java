package dev.parley.relay.router;

import dev.parley.relay.transport.LoopContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses, for one subscriber, the layer of every video track it receives, twice a second: each tile gets the
 * smallest layer that fills it, as far as the subscriber's bandwidth allows. Audio is served first (its bitrate is
 * set aside before any video), then every shown video gets its lowest layer in priority order, then they are raised
 * toward what their tiles need in the same order. The order: screen shares first (the larger tile first among
 * several), then the active speaker's camera, then the other cameras, larger tiles first. Video that last-N leaves
 * out (see {@link Router}) is paused like a hidden tile; last-N never leaves out a screen share.
 *
 * <p>So when bandwidth is short, screen shares keep their detail and cameras give way: a browser sends its share as
 * one stream at full resolution (no simulcast), which the first pass takes whole, before any camera is raised above
 * its lowest layer; cameras get what is left. Should a share ever come in layers, it is raised before any camera.
 *
 * <p>The bandwidth is the send-side estimate from the subscriber's transport-wide feedback ({@link CongestionControl})
 * when it sends some. That estimate only grows a little above what is actually sent, so a raise it cannot pay for is
 * first tried with a probe: padding at the bitrate the raise needs, and the raise follows at the next allocation if
 * the path carried it. A failed probe is not repeated at once (the wait doubles, up to half a minute).
 *
 * <p>Without transport-wide feedback, the bandwidth is the subscriber's REMB. A receiver's REMB is only an upper
 * bound that follows what it receives (about one and a half times it while nothing queues, and it starts low), so
 * neither a high nor a low REMB says how much room there is. It is read as a congestion signal only: when it falls
 * well below what the relay actually sent this subscriber in the last interval, the link is queueing; the allocation
 * drops to it and that becomes a ceiling, raised a step at a time while no congestion follows. For the same reason
 * REMB never pauses a video outright.
 *
 * <p>What is dropped first under congestion is the upper layers. Every shown tile keeps at least its lowest layer
 * (about 150 kbit/s) as long as the link carries what is sent: a delay-based estimate also dips when the subscriber's
 * CPU is starved, not only when its link is full. A link that cannot carry audio and the lowest layers, though, would
 * lose audio with the video. So when the send-side estimate has not paid for a video's lowest layer (after audio and
 * the videos before it) for {@link #PAUSE_AFTER_NANOS}, and over the last two seconds the subscriber acknowledged
 * clearly less than was sent or lost a tenth of it, that video is paused for bandwidth: the subscriber is told (its
 * page shows a note on the tile instead of a frozen frame), probes test the path for its lowest layer (the wait
 * doubling after each failure, up to {@link #PAUSED_MAX_PROBE_BACKOFF_NANOS}), and it comes back once the estimate
 * pays for it with {@link #RESUME_MARGIN} to spare. REMB never pauses a video.
 */
public final class LayerAllocator {

    private static final Logger log = LoggerFactory.getLogger(LayerAllocator.class);

    static final long INTERVAL_NANOS = 500_000_000L;
    /** REMB below this share of the allocation means the subscriber's link is queueing. */
    static final double CONGESTED_SHARE = 0.85;
    /** How long a ceiling holds before the next step up is tried, and how big a step is. */
    static final long CEILING_HOLD_NANOS = 8_000_000_000L;
    static final double CEILING_STEP = 1.3;
    /** A subscriber's first REMBs follow its estimator's start, not its link; they are not read as congestion. */
    static final long START_GRACE_NANOS = 4_000_000_000L;
    /** Audio set aside per track before its bitrate is measured, and once for the next voice: Opus at its default. */
    static final long AUDIO_RESERVE = 40_000;
    /** A tile is filled by a layer at least this share of its height (a little upscaling does not show). */
    static final double FILL_SHARE = 0.8;
    /** A probe aims this far above what the raise needs, so the estimate it proves leaves a margin. */
    static final double PROBE_MARGIN = 1.15;
    /** The wait after a failed probe, doubled for each further failure up to the maximum. */
    static final long PROBE_BACKOFF_NANOS = 2_000_000_000L;
    static final long MAX_PROBE_BACKOFF_NANOS = 30_000_000_000L;
    /** A paused video comes back once the budget pays for this much more than its lowest layer. */
    static final double RESUME_MARGIN = 1.15;
    /** The longest wait while a video is paused for bandwidth: a paused video costs its viewer more than a layer. */
    static final long PAUSED_MAX_PROBE_BACKOFF_NANOS = 8_000_000_000L;
    /** How long the budget must miss a video's lowest layer, on a link that is overloaded, before it is paused. */
    static final long PAUSE_AFTER_NANOS = 2_000_000_000L;
    /**
     * The link is overloaded when, over the last {@link #CARRIED_SAMPLES} intervals, the subscriber acknowledged less
     * than this share of what was sent...
     */
    static final double CARRIED_SHARE = 0.8;
    static final int CARRIED_SAMPLES = 4;
    /** ...or reports losing at least this share of it. */
    static final double OVERLOAD_LOSS = 0.10;

    private final Endpoint endpoint;
    private long remb = -1;
    private long ceiling = Long.MAX_VALUE;
    private long ceilingSinceNanos;
    private long startNanos = Long.MIN_VALUE;
    private long nextNanos;
    private long lastBytesOut;
    private long lastNumberedBytes;
    /** What was numbered for transport-wide feedback over the last interval, bit/s, as acknowledgements count it. */
    private long numberedBitrate;
    private long lastSampleNanos;
    private long sentBitrate;
    /** What the last allocation chose, audio included, bit/s. */
    private long allocated;
    private long audioSetAside;
    /** Whether the last allocation raised a video above its lowest layer: only then can it come down. */
    private boolean raised;
    private long allocations;
    private long estimate = -1;
    private boolean transportWide;
    private long probeTarget = -1;
    private long nextProbeNanos;
    private long probeJudgedNanos;
    private int failedProbes;
    /** What was sent and what the subscriber acknowledged, bit/s, at each of the last intervals (a ring). */
    private final long[] sentSamples = new long[CARRIED_SAMPLES];
    private final long[] acknowledgedSamples = new long[CARRIED_SAMPLES];
    /** How many of those hold samples taken in a row (none since a moment with nothing acknowledged). */
    private int carriedSamples;
    private int nextSample;
    /**
     * The mids of the shown videos paused for bandwidth (probed for, and told to the page), as last told to the
     * endpoint's listener.
     */
    private List<String> toldPaused = List.of();

    LayerAllocator(Endpoint endpoint) {
        this.endpoint = endpoint;
    }

    void onRemb(long bitrate, long nowNanos) {
        remb = bitrate;
        if (bitrate < sentBitrate * CONGESTED_SHARE && nowNanos - startNanos > START_GRACE_NANOS) {
            nextNanos = 0; // react now, not at the next interval
        }
    }

    /**
     * A new send-side estimate: reallocate now if it no longer carries what is allocated and the allocation can come
     * down. On a link narrower than the lowest layers every feedback says so, and nothing would change.
     */
    void onEstimate(long estimate) {
        if (estimate < allocated * CONGESTED_SHARE && raised) {
            nextNanos = 0;
        }
    }

    /** Tile sizes changed: reallocate at the next tick. */
    void allocateSoon() {
        nextNanos = 0;
    }

    void maybeAllocate(LoopContext ctx) {
        long now = ctx.nowNanos();
        if (startNanos == Long.MIN_VALUE) {
            startNanos = now;
        }
        if (now < nextNanos) {
            return;
        }
        nextNanos = now + INTERVAL_NANOS;
        allocate(ctx);
    }

    private void allocate(LoopContext ctx) {
        long now = ctx.nowNanos();
        CongestionControl congestion = endpoint.congestion();
        if (measureSent(now)) {
            sampleCarried(congestion);
        }
        // While a video is paused for bandwidth, its own feedback may have stopped with it (nothing else was sent):
        // the send-side estimate, and the probes that test it, still decide when it comes back.
        boolean sendSide = congestion.governs(now) || (congestion.isNegotiated() && !toldPaused.isEmpty());
        judgeProbe(congestion, now);
        long budget;
        if (sendSide) {
            budget = congestion.estimate();
        } else {
            updateCeiling(now);
            budget = ceiling;
        }
        transportWide = sendSide;
        estimate = budget == Long.MAX_VALUE ? -1 : budget;
        endpoint.transport().counters().setReceiveEstimate(estimate);
        List<Consumer> video = new ArrayList<>();
        long audio = 0;
        long quietest = Long.MAX_VALUE;
        List<Consumer> consumers = endpoint.consumers();
        for (Consumer consumer : consumers) {
            if (consumer.producer().kind() == MediaKind.AUDIO) {
                long cost = audioCost(consumer.producer().layer(0), now);
                audio += cost;
                quietest = Math.min(quietest, cost);
            } else {
                boolean forwarded = consumer.producer().isScreen()
                        || endpoint.router().forwardsVideoOf(consumer.producer().participantId());
                consumer.setDesiredLayer(forwarded ? desiredLayer(consumer, now) : -1);
                video.add(consumer);
            }
        }
        // Room for one more voice: someone who unmutes or starts to speak is measured as silence for a second or two.
        audio += quietest < AUDIO_RESERVE ? AUDIO_RESERVE - quietest : 0;
        audioSetAside = audio;
        long total = audio;
        budget = budget == Long.MAX_VALUE ? budget : budget - audio;
        String speaker = endpoint.router().activeSpeaker();
        video.sort(priority(speaker));
        int[] choice = new int[video.size()];
        long wanted = -1; // what the first raise the budget could not pay for adds, bit/s; -1 while none was refused
        boolean overloaded = sendSide && overloaded(congestion);
        for (int i = 0; i < video.size(); i++) {
            Consumer consumer = video.get(i);
            choice[i] = -1;
            int lowest = nextActive(consumer.producer(), -1, now);
            if (consumer.desiredLayer() < 0 || lowest < 0) {
                // A hidden tile (or one whose layers all stopped) keeps its pause: shown again on a link that still
                // cannot carry it, it must not flood that link for 2 s before it is paused again.
                choice[i] = consumer.desiredLayer() < 0 ? -1 : consumer.targetLayer();
                consumer.notShort();
                continue;
            }
            long cost = cost(consumer.producer(), lowest, now);
            // A paused video comes back only with room to spare, or on a link at its edge it would be paused again
            // 2 s later, every time a probe found that edge.
            long needed = consumer.isBandwidthPaused()
                    ? (long) (consumer.pausedCost(lowest, cost) * RESUME_MARGIN) : cost;
            if (sendSide && needed > budget) {
                // Once a video is paused, the link is known to be too narrow: another that the budget misses (a tile
                // shown again, a newcomer's camera) is paused at once.
                boolean pause = consumer.isBandwidthPaused() || !toldPaused.isEmpty()
                        || (consumer.shortFor(now) >= PAUSE_AFTER_NANOS && overloaded);
                if (pause) {
                    // What it needs to come back, which its probes aim at: a jump of its lowest layer's measure
                    // would have them overshoot a link that carries its usual rate, and fail on the overuse that
                    // causes.
                    long comeback = consumer.isBandwidthPaused() ? needed : (long) (cost * RESUME_MARGIN);
                    if (!consumer.isBandwidthPaused()) {
                        endpoint.transport().counters().videoPaused();
                    }
                    consumer.setBandwidthPaused(true);
                    wanted = wanted < 0 ? comeback : wanted;
                    continue;
                }
            } else {
                consumer.notShort();
                consumer.setBandwidthPaused(false);
            }
            choice[i] = lowest;
            budget -= cost;
            total += cost;
        }
        boolean anyRaised = false;
        for (int i = 0; i < video.size(); i++) {
            Consumer consumer = video.get(i);
            Producer producer = consumer.producer();
            while (choice[i] >= 0 && choice[i] < consumer.desiredLayer()) {
                int next = nextActive(producer, choice[i], now);
                if (next < 0 || next > consumer.desiredLayer()) {
                    break;
                }
                // Never less than nothing: two layers' measured rates move apart for a while (a key frame on the
                // lower one, a starved encoder on the upper one), and a raise that seemed to save bandwidth was
                // refused over a budget already short, with no probe to test the path (a browser stayed on its lowest
                // layer for 20 s).
                long extra = Math.max(0, cost(producer, next, now) - cost(producer, choice[i], now));
                if (extra > budget) {
                    wanted = wanted < 0 ? extra : wanted;
                    break;
                }
                choice[i] = next;
                anyRaised = true;
                budget -= extra;
                total += extra;
            }
        }
        for (int i = 0; i < video.size(); i++) {
            Consumer consumer = video.get(i);
            if (consumer.targetLayer() != choice[i] && log.isDebugEnabled()) {
                log.debug("{}: {} layer {} -> {} (budget {} bit/s, {}, sent {} bit/s)", endpoint, consumer.mid(),
                        consumer.targetLayer(), choice[i], estimate, sendSide ? "transport-cc" : "remb", sentBitrate);
            }
            consumer.setTargetLayer(choice[i], ctx);
        }
        allocated = total;
        raised = anyRaised;
        allocations++;
        tellPaused(consumers);
        if (sendSide && wanted >= 0) {
            maybeProbe(congestion, (long) ((total + wanted) * PROBE_MARGIN), now);
        }
    }

    private void sampleCarried(CongestionControl congestion) {
        long acknowledged = congestion.acknowledgedBitrate();
        if (acknowledged < 0 || numberedBitrate <= 0) {
            carriedSamples = 0;
            return;
        }
        sentSamples[nextSample] = numberedBitrate;
        acknowledgedSamples[nextSample] = acknowledged;
        nextSample = (nextSample + 1) % CARRIED_SAMPLES;
        carriedSamples = Math.min(carriedSamples + 1, CARRIED_SAMPLES);
    }

    /**
     * Whether the subscriber's link fails to carry what is sent: over the last two seconds it acknowledged clearly
     * less than the relay sent, or it loses a tenth. A receiver whose core is starved reports arrivals late and in
     * bursts, and its delay-based estimate falls as on a full link, but over a few seconds it still acknowledges what
     * was sent: that alone pauses nothing.
     */
    private boolean overloaded(CongestionControl congestion) {
        if (congestion.lossFraction() >= OVERLOAD_LOSS) {
            return true;
        }
        if (carriedSamples < CARRIED_SAMPLES) {
            return false;
        }
        long sent = 0;
        long acknowledged = 0;
        for (int i = 0; i < CARRIED_SAMPLES; i++) {
            sent += sentSamples[i];
            acknowledged += acknowledgedSamples[i];
        }
        return acknowledged < sent * CARRIED_SHARE;
    }

    /**
     * Tells the endpoint's listener which shown videos are paused for bandwidth, in m-section order, when that
     * changed (a hidden tile's pause is kept but is no news to the page).
     */
    private void tellPaused(List<Consumer> consumers) {
        List<String> mids = List.of();
        for (Consumer consumer : consumers) {
            if (consumer.isBandwidthPaused() && consumer.desiredLayer() >= 0) {
                if (mids.isEmpty()) {
                    mids = new ArrayList<>();
                }
                mids.add(consumer.mid());
            }
        }
        if (!mids.equals(toldPaused)) {
            toldPaused = List.copyOf(mids);
            log.debug("{}: paused for bandwidth: {} (estimate {} bit/s, sent {} bit/s)", endpoint, toldPaused,
                    estimate, sentBitrate);
            endpoint.pausedVideoChanged(toldPaused);
        }
    }

    /**
     * What an audio track takes: its bitrate as measured over the last second; {@link #AUDIO_RESERVE} while it sends
     * but is not measured yet; nothing while it is quiet. A muted browser still sends silence, a small part of the
     * reserve: setting the whole reserve aside for each of 25 muted people took 1 Mbit/s from a receiver's video. The
     * allocation adds room for one voice on top (the reserve less the quietest track's cost), for the next one to
     * speak while its measure still says silence.
     */
    static long audioCost(Layer layer, long now) {
        long measured = layer.bitrate(now);
        if (measured > 0) {
            return measured;
        }
        return layer.isActive(now) ? AUDIO_RESERVE : 0;
    }

    /** Screen shares first, then the active speaker's camera, then larger tiles first. */
    static Comparator<Consumer> priority(String speaker) {
        return Comparator.comparing((Consumer c) -> !c.producer().isScreen())
                .thenComparing(c -> c.producer().isScreen()
                        || !c.producer().participantId().equals(speaker))
                .thenComparing(c -> -(long) Math.max(0, c.tileWidth()) * Math.max(0, c.tileHeight()));
    }

    /** Probes toward {@code target} unless a probe runs or the last failure's wait is not over. */
    private void maybeProbe(CongestionControl congestion, long target, long now) {
        long due = toldPaused.isEmpty() ? nextProbeNanos
                : Math.min(nextProbeNanos, probeJudgedNanos + PAUSED_MAX_PROBE_BACKOFF_NANOS);
        if (probeTarget >= 0 || now < due) {
            return;
        }
        if (congestion.startProbe(target, now)) {
            probeTarget = target;
            log.debug("{}: probe toward {} bit/s started; estimate {}", endpoint, target, congestion.estimate());
        }
    }

    /** Reads the outcome of the probe started last, once it is known. */
    private void judgeProbe(CongestionControl congestion, long now) {
        if (probeTarget < 0 || congestion.isProbing()) {
            return;
        }
        long result = congestion.lastProbeResult();
        log.debug("{}: probe toward {} bit/s proved {}; estimate {}", endpoint, probeTarget, result,
                congestion.estimate());
        if (result >= probeTarget / PROBE_MARGIN) {
            failedProbes = 0;
            nextProbeNanos = 0;
        } else {
            failedProbes = Math.min(failedProbes + 1, 8);
            nextProbeNanos = now + Math.min(MAX_PROBE_BACKOFF_NANOS, PROBE_BACKOFF_NANOS << (failedProbes - 1));
        }
        probeTarget = -1;
        probeJudgedNanos = now;
    }

    /**
     * What the relay sent this subscriber over the last interval of at least {@link #INTERVAL_NANOS}, bit/s; true when
     * this measured a new interval.
     */
    private boolean measureSent(long now) {
        long bytesOut = endpoint.transport().counters().bytesOut();
        long numbered = endpoint.congestion().numberedBytesSent();
        long elapsed = now - lastSampleNanos;
        if (lastSampleNanos == 0 || elapsed >= INTERVAL_NANOS) {
            boolean measured = lastSampleNanos != 0;
            if (measured) {
                sentBitrate = (bytesOut - lastBytesOut) * 8 * 1_000_000_000L / elapsed;
                numberedBitrate = (numbered - lastNumberedBytes) * 8 * 1_000_000_000L / elapsed;
            }
            lastBytesOut = bytesOut;
            lastNumberedBytes = numbered;
            lastSampleNanos = now;
            return measured;
        }
        return false;
    }

    private void updateCeiling(long now) {
        if (remb >= 0 && sentBitrate > 0 && remb < sentBitrate * CONGESTED_SHARE
                && now - startNanos > START_GRACE_NANOS) {
            ceiling = remb;
            ceilingSinceNanos = now;
        } else if (ceiling != Long.MAX_VALUE && now - ceilingSinceNanos > CEILING_HOLD_NANOS) {
            ceiling = (long) (ceiling * CEILING_STEP);
            ceilingSinceNanos = now;
        }
    }

    /** The smallest active layer whose height fills the tile; the highest active one if none does. */
    static int desiredLayer(Consumer consumer, long now) {
        Producer producer = consumer.producer();
        if (consumer.tileWidth() == 0 || consumer.tileHeight() == 0) {
            return -1;
        }
        int top = producer.layerCount() - 1;
        int highestActive = -1;
        for (int i = top; i >= 0; i--) {
            if (producer.layer(i).isActive(now)) {
                highestActive = i;
                break;
            }
        }
        if (consumer.tileHeight() < 0 || highestActive < 0) {
            return highestActive < 0 ? top : highestActive;
        }
        for (int i = 0; i <= highestActive; i++) {
            Layer layer = producer.layer(i);
            if (layer.isActive(now) && height(producer, i) >= consumer.tileHeight() * FILL_SHARE) {
                return i;
            }
        }
        return highestActive;
    }

    /** A layer's height from its key frames, or else its place below the top layer (each half the one above). */
    private static int height(Producer producer, int index) {
        Layer layer = producer.layer(index);
        if (layer.height() > 0) {
            return layer.height();
        }
        int top = producer.layerCount() - 1;
        int topHeight = producer.layer(top).height() > 0 ? producer.layer(top).height() : 720;
        return topHeight >> (top - index);
    }

    private static int nextActive(Producer producer, int after, long now) {
        for (int i = after + 1; i < producer.layerCount(); i++) {
            if (producer.layer(i).isActive(now)) {
                return i;
            }
        }
        return -1;
    }

    /** A layer's measured bitrate, or its nominal one until measured. */
    static long cost(Producer producer, int index, long now) {
        long measured = producer.layer(index).bitrate(now);
        return measured > 0 ? measured : nominalBitrate(index, producer.layerCount());
    }

    /** What the meeting page asks each encoding for (its maxBitrate), lowest layer first. */
    static long nominalBitrate(int index, int layerCount) {
        long[] nominal = {150_000, 500_000, 1_500_000};
        return nominal[Math.max(0, nominal.length - layerCount + index)];
    }

    /** What the last allocation set aside for audio before any video, bit/s. */
    long audioSetAside() {
        return audioSetAside;
    }

    /** How many times the layers were chosen. */
    public long allocations() {
        return allocations;
    }

    /** The subscriber's last REMB, bit/s, or -1 before the first. */
    public long remb() {
        return remb;
    }

    /**
     * The bandwidth the last allocation worked with, bit/s: the send-side estimate, or the REMB ceiling; -1 when
     * nothing limits it.
     */
    public long estimate() {
        return estimate;
    }

    /** Whether the last allocation followed the send-side estimate from transport-wide feedback, not REMB. */
    public boolean isTransportWide() {
        return transportWide;
    }

    /** The bitrate the allocation is held under since the subscriber's link last queued; -1 when not held. */
    public long ceiling() {
        return ceiling == Long.MAX_VALUE ? -1 : ceiling;
    }
}
