package dev.parley.loadgen;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * Reads the relays from outside, one per node: each process's CPU time, its relay loop thread's CPU time and resident
 * memory from /proc (when its process id is known), the kernel's drops at the media ports, and each node's own meters
 * from /actuator/prometheus. A sample is the sum over the nodes, with each node's share beside it.
 */
final class RelayObserver {

    /** The relay's forwarding thread (dev.parley.relay.Relay names it so). */
    static final String LOOP_THREAD = "parley-relay-loop";

    /**
     * A node to read.
     *
     * @param web signed in on that node
     * @param pid its process id, or null when unknown
     * @param mediaPort its media port, or null until a participant's media shows it
     */
    record Node(ParleyWeb web, Long pid, Integer mediaPort) {
    }

    /** One reading, summed over the nodes; fields are -1 or NaN when unknown (on any node). */
    record Sample(long nanos, long cpuNanos, long loopCpuNanos, long residentBytes, long socketDrops,
                  double packetsOut, double bytesOut, double packetsIn, double bytesIn, Map<String, Double> drops,
                  double heapUsedBytes, double gcPauseSeconds, double gcPauses, double gcPauseMaxSeconds,
                  List<NodeSample> nodes) {
    }

    /** One node's share of a reading. */
    record NodeSample(long cpuNanos, long loopCpuNanos, double packetsOut) {
    }

    private static final Duration LINKS_CLOSING = Duration.ofSeconds(1);

    private final List<Node> nodes;
    private final List<ProcessStats> processes = new ArrayList<>();
    private final Set<Integer> mediaPorts = ConcurrentHashMap.newKeySet();
    private final UdpSockets sockets = new UdpSockets();

    RelayObserver(List<Node> nodes) {
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("no node to observe");
        }
        this.nodes = List.copyOf(nodes);
        for (Node node : nodes) {
            processes.add(node.pid() == null ? null : new ProcessStats(node.pid()));
            if (node.mediaPort() != null) {
                mediaPorts.add(node.mediaPort());
            }
        }
    }

    int nodeCount() {
        return nodes.size();
    }

    /** Whether every node's process can be read (CPU and memory are only summed over all of them). */
    boolean knowsProcess() {
        return processes.stream().allMatch(p -> p != null && p.available());
    }

    /** A media port a participant's media goes to (how the port of a Parley started elsewhere is learned). */
    void mediaPortSeen(int port) {
        mediaPorts.add(port);
    }

    /** The relays' media ports known so far. */
    Set<Integer> mediaPorts() {
        return Set.copyOf(mediaPorts);
    }

    /** Resident memory of all nodes now, or -1. */
    long residentBytes() {
        return knowsProcess() ? sum(processes.stream().mapToLong(ProcessStats::residentBytes).toArray()) : -1;
    }

    Sample sample() throws IOException {
        // /proc first and the scrapes last: a scrape itself costs the relay process some CPU
        boolean known = knowsProcess();
        long[] cpu = new long[nodes.size()];
        long[] loop = new long[nodes.size()];
        long[] rss = new long[nodes.size()];
        for (int i = 0; i < nodes.size(); i++) {
            cpu[i] = known ? processes.get(i).cpuNanos() : -1;
            loop[i] = known ? processes.get(i).threadCpuNanos(LOOP_THREAD) : -1;
            rss[i] = known ? processes.get(i).residentBytes() : -1;
        }
        Set<Integer> ports = mediaPorts();
        long drops = ports.isEmpty() ? -1 : sockets.read(ports).drops();
        long now = System.nanoTime();
        List<PrometheusText> metrics = new ArrayList<>();
        for (Node node : nodes) {
            metrics.add(PrometheusText.parse(node.web().prometheus()));
        }
        List<NodeSample> shares = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            shares.add(new NodeSample(cpu[i], loop[i],
                    metrics.get(i).sum("parley_relay_packets_total", Map.of("direction", "out"))));
        }
        Map<String, Double> dropsByReason = new LinkedHashMap<>();
        metrics.forEach(m -> m.byLabel("parley_relay_drops_total", "reason")
                .forEach((reason, value) -> dropsByReason.merge(reason, value, Double::sum)));
        return new Sample(now, sum(cpu), sum(loop), sum(rss), drops,
                sum(metrics, m -> m.sum("parley_relay_packets_total", Map.of("direction", "out"))),
                sum(metrics, m -> m.sum("parley_relay_bytes_total", Map.of("direction", "out"))),
                sum(metrics, m -> m.sum("parley_relay_packets_total", Map.of("direction", "in"))),
                sum(metrics, m -> m.sum("parley_relay_bytes_total", Map.of("direction", "in"))),
                dropsByReason,
                sum(metrics, m -> m.sum("jvm_memory_used_bytes", Map.of("area", "heap"))),
                sum(metrics, m -> m.sum("jvm_gc_pause_seconds_sum")),
                sum(metrics, m -> m.sum("jvm_gc_pause_seconds_count")),
                metrics.stream().mapToDouble(m -> m.max("jvm_gc_pause_seconds_max")).max().orElse(Double.NaN),
                shares);
    }

    /**
     * Waits until no node has anyone in a meeting, at most {@code timeout}, then a moment more: a node unlinks its
     * relay from the others just after a meeting's last transport on it closed, and a node stopped meanwhile shows
     * in the other's log as a node that did not answer.
     */
    void awaitMeetingsEmpty(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (System.nanoTime() - deadline < 0 && inMeetings() > 0) {
                Thread.sleep(100);
            }
            Thread.sleep(LINKS_CLOSING.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private double inMeetings() {
        double people = 0;
        for (Node node : nodes) {
            try {
                double here = PrometheusText.parse(node.web().prometheus()).sum("parley_meeting_participants");
                people += Double.isNaN(here) ? 0 : here;
            } catch (IOException e) {
                continue; // a node that cannot be read is not waited for
            }
        }
        return people;
    }

    /** The sum, or -1 when any is unknown. */
    private static long sum(long[] values) {
        long total = 0;
        for (long v : values) {
            if (v < 0) {
                return -1;
            }
            total += v;
        }
        return total;
    }

    /** The sum over the nodes; NaN when a node lacks the metric. */
    private static double sum(List<PrometheusText> metrics, ToDoubleFunction<PrometheusText> f) {
        return metrics.stream().mapToDouble(f).sum();
    }
}
