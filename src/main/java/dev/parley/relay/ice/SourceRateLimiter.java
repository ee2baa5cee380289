package dev.parley.relay.ice;

import dev.parley.relay.util.TokenBucket;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Per source IP address token buckets for the two things on the media port that cost the relay work before a peer is
 * proven: STUN binding requests (parsing, HMAC, a response) and DTLS ClientHellos (a handshake on the DTLS pool).
 * SRTP and SRTCP never come here. Owned by the relay loop; not thread-safe.
 *
 * <p>A known source costs one hash lookup and no allocation. The table holds at most {@link Limits#maxSources()}
 * addresses; sources silent for {@link Limits#idleNanos()} are forgotten by {@link #expire(long)}, which the loop calls
 * on its tick. While the table is full, new sources share one overflow bucket pair, so a spray of (spoofed) addresses
 * neither grows memory nor gets more than one source's budget.
 */
public final class SourceRateLimiter {

    /**
     * @param stunBurst binding requests a source may send at once
     * @param stunPerSecond binding requests a source may send per second in the long run
     * @param dtlsBurst DTLS ClientHellos a source may send at once
     * @param dtlsPerSecond DTLS ClientHellos a source may send per second in the long run
     * @param maxSources how many source addresses the table tracks at most
     * @param idleNanos how long a silent source is remembered
     */
    public record Limits(int stunBurst, double stunPerSecond, int dtlsBurst, double dtlsPerSecond, int maxSources,
                         long idleNanos) {

        public Limits {
            if (stunBurst < 1 || dtlsBurst < 1 || !(stunPerSecond > 0) || !(dtlsPerSecond > 0) || maxSources < 1
                    || idleNanos <= 0) {
                throw new IllegalArgumentException("source rate limits must be positive");
            }
        }
    }

    private static final long SWEEP_INTERVAL_NANOS = 1_000_000_000L;

    private final class Source {
        final TokenBucket stun;
        final TokenBucket dtls;
        long lastSeenNanos;

        Source(long nowNanos) {
            stun = new TokenBucket(limits.stunBurst(), limits.stunPerSecond(), nowNanos);
            dtls = new TokenBucket(limits.dtlsBurst(), limits.dtlsPerSecond(), nowNanos);
            lastSeenNanos = nowNanos;
        }
    }

    private final Limits limits;
    private final Map<InetAddress, Source> sources = new HashMap<>();
    private final Source overflow;
    private long nextSweepNanos;

    public SourceRateLimiter(Limits limits, long nowNanos) {
        this.limits = limits;
        this.overflow = new Source(nowNanos);
        this.nextSweepNanos = nowNanos + SWEEP_INTERVAL_NANOS;
    }

    /** Whether a STUN binding request from this address may be handled now (takes a token if so). */
    public boolean allowStun(InetAddress address, long nowNanos) {
        return source(address, nowNanos).stun.tryTake(nowNanos);
    }

    /** Whether a DTLS ClientHello from this address may be handled now (takes a token if so). */
    public boolean allowClientHello(InetAddress address, long nowNanos) {
        return source(address, nowNanos).dtls.tryTake(nowNanos);
    }

    private Source source(InetAddress address, long nowNanos) {
        Source source = sources.get(address);
        if (source == null) {
            if (sources.size() >= limits.maxSources()) {
                source = overflow;
            } else {
                source = new Source(nowNanos);
                sources.put(address, source);
            }
        }
        source.lastSeenNanos = nowNanos;
        return source;
    }

    /** Forgets sources silent for the idle time; cheap to call often (sweeps at most once a second). */
    public void expire(long nowNanos) {
        if (nowNanos - nextSweepNanos < 0) {
            return;
        }
        nextSweepNanos = nowNanos + SWEEP_INTERVAL_NANOS;
        for (Iterator<Source> it = sources.values().iterator(); it.hasNext(); ) {
            if (nowNanos - it.next().lastSeenNanos > limits.idleNanos()) {
                it.remove();
            }
        }
    }

    /** Source addresses tracked now. */
    public int size() {
        return sources.size();
    }

    /**
     * Whether a datagram is a DTLS handshake record of epoch 0 carrying (the start of) a ClientHello: content type 22,
     * epoch 0, handshake type 1 right after the 13-byte record header (RFC 6347 §4.1, §4.2.2).
     */
    public static boolean isClientHello(byte[] buf, int off, int len) {
        return len > 13 && buf[off] == 22 && buf[off + 3] == 0 && buf[off + 4] == 0 && buf[off + 13] == 1;
    }
}
