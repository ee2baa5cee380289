package dev.parley.loadgen;

import java.io.IOException;
import java.util.Map;
import java.util.Set;

/**
 * Reads the relay from outside: its process's CPU time, its relay loop thread's CPU time and resident memory from
 * /proc (when its process id is known), the kernel's drops at its UDP socket, and its own meters from
 * /actuator/prometheus.
 */
final class RelayObserver {

    /** The relay's forwarding thread (dev.parley.relay.Relay names it so). */
    static final String LOOP_THREAD = "parley-relay-loop";

    /** One reading; fields are -1 or NaN when unknown. */
    record Sample(long nanos, long cpuNanos, long loopCpuNanos, long residentBytes, long socketDrops,
                  double packetsOut, double bytesOut, double packetsIn, double bytesIn, Map<String, Double> drops,
                  double heapUsedBytes, double gcPauseSeconds, double gcPauses, double gcPauseMaxSeconds) {
    }

    private final ParleyWeb web;
    private final ProcessStats process;
    private final UdpSockets sockets = new UdpSockets();

    RelayObserver(ParleyWeb web, Long pid) {
        this.web = web;
        this.process = pid == null ? null : new ProcessStats(pid);
    }

    boolean knowsProcess() {
        return process != null && process.available();
    }

    Long pid() {
        return process == null ? null : process.pid();
    }

    /** Resident memory now, or -1. */
    long residentBytes() {
        return knowsProcess() ? process.residentBytes() : -1;
    }

    Sample sample(Integer mediaPort) throws IOException {
        // /proc first and the scrape last: the scrape itself costs the relay process some CPU
        long cpu = knowsProcess() ? process.cpuNanos() : -1;
        long loop = knowsProcess() ? process.threadCpuNanos(LOOP_THREAD) : -1;
        long rss = knowsProcess() ? process.residentBytes() : -1;
        long drops = mediaPort == null ? -1 : sockets.read(Set.of(mediaPort)).drops();
        long now = System.nanoTime();
        PrometheusText metrics = PrometheusText.parse(web.prometheus());
        return new Sample(now, cpu, loop, rss, drops,
                metrics.sum("parley_relay_packets_total", Map.of("direction", "out")),
                metrics.sum("parley_relay_bytes_total", Map.of("direction", "out")),
                metrics.sum("parley_relay_packets_total", Map.of("direction", "in")),
                metrics.sum("parley_relay_bytes_total", Map.of("direction", "in")),
                metrics.byLabel("parley_relay_drops_total", "reason"),
                metrics.sum("jvm_memory_used_bytes", Map.of("area", "heap")),
                metrics.sum("jvm_gc_pause_seconds_sum"),
                metrics.sum("jvm_gc_pause_seconds_count"),
                metrics.max("jvm_gc_pause_seconds_max"));
    }
}
