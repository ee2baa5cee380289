package dev.parley.loadgen;

import dev.parley.relay.client.LatencyHistogram;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The figures of one measurement window, as printed and as written to JSON. Relay figures come from the relay
 * process (/proc) and its meters; delivery figures from what the synthetic receivers got; a field is null when it
 * could not be read (e.g. no process id for a server started elsewhere).
 */
record Figures(double seconds, int rooms, int participants, int publishers, int receivers, RelayFigures relay,
               DeliveryFigures delivery, GeneratorFigures generator, HostFigures host) {

    /**
     * @param busyPercent        the machine's CPU time over all cores' wall time (100 = every core busy)
     * @param othersPercentOfOneCore CPU used by processes other than the relay and the generator, softirq aside
     *                           (needs the relay's pid); 100 = one core
     * @param softirqPercent     softirq time (on loopback: the kernel delivering datagrams, inside the senders' send
     *                           calls, accounted to no process)
     * @param stealPercent       time the hypervisor gave to other guests
     */
    record HostFigures(Double busyPercent, Double othersPercentOfOneCore, Double softirqPercent,
                       Double stealPercent) {
    }

    /**
     * The relay's figures. With several nodes each is the sum over them (CPU, loop threads, memory, counters, drops at
     * every media port; the GC pause maximum is the largest), and on a meeting that spans nodes the forwarded packets
     * include those the relays send each other over their links.
     *
     * @param forwardedPacketsPerSecond datagrams the relay sent (parley_relay_packets_total{direction="out"}: RTP,
     *                                  RTCP, STUN, DTLS)
     * @param forwardedMbitPerSecond    their bytes (parley_relay_bytes_total{direction="out"})
     * @param cpuPercentOfOneCore       relay process CPU time over wall time; 100 = one core busy
     * @param cpuPercentOfMachine       the same over all cores
     * @param cpuMicrosPerForwardedPacket relay process CPU time (all threads, GC included) per datagram sent
     * @param loopThreadCpuPercent      the relay's single forwarding thread; near 100 it is the bottleneck
     * @param drops                     the relay's own drop counters that grew in the window, by reason
     * @param socketDrops               datagrams the kernel dropped at the relay's UDP socket (full buffer)
     * @param receiveQueueMaxBytes      the most bytes seen waiting in the relay socket's receive queue (sampled
     *                                  about four times a second): a standing queue means the loop falls behind
     * @param perNode                   each node's share, node 1 first (one entry when Parley runs on one node)
     */
    record RelayFigures(Double forwardedPacketsPerSecond, Double forwardedMbitPerSecond,
                        Double receivedPacketsPerSecond, Double receivedMbitPerSecond, Double cpuPercentOfOneCore,
                        Double cpuPercentOfMachine, Double cpuMicrosPerForwardedPacket, Double loopThreadCpuPercent,
                        Long heapUsedBytes, Long residentBytes, Long residentPeakBytes, Double gcPauseSeconds,
                        Long gcPauses, Double gcPauseRecentMaxMillis, Map<String, Long> drops, Long socketDrops,
                        Long receiveQueueMaxBytes, List<NodeFigures> perNode) {
    }

    /** One node's forwarding and CPU in the window, to show how the load spreads over the nodes. */
    record NodeFigures(int node, Double forwardedPacketsPerSecond, Double cpuPercentOfOneCore,
                       Double cpuMicrosPerForwardedPacket, Double loopThreadCpuPercent) {

        static NodeFigures of(int node, RelayObserver.NodeSample start, RelayObserver.NodeSample end,
                double seconds) {
            double packetsOut = end.packetsOut() - start.packetsOut();
            Cpu cpu = Cpu.of(start.cpuNanos(), end.cpuNanos(), start.loopCpuNanos(), end.loopCpuNanos(), packetsOut,
                    seconds);
            return new NodeFigures(node, perSecond(packetsOut, seconds), cpu.percent(), cpu.perPacket(),
                    cpu.loopPercent());
        }
    }

    /**
     * A relay's CPU in a window: % of one core, µs per forwarded packet and its loop's % of one core; each null when
     * a reading is missing (-1).
     */
    private record Cpu(Double percent, Double perPacket, Double loopPercent) {

        static Cpu of(long cpuStart, long cpuEnd, long loopStart, long loopEnd, double packetsOut, double seconds) {
            Double percent = null;
            Double perPacket = null;
            if (cpuStart >= 0 && cpuEnd >= 0) {
                long cpu = cpuEnd - cpuStart;
                percent = round2(100.0 * cpu / 1e9 / seconds);
                perPacket = packetsOut > 0 ? round2(cpu / 1e3 / packetsOut) : null;
            }
            Double loopPercent = loopStart >= 0 && loopEnd >= 0
                    ? round2(100.0 * (loopEnd - loopStart) / 1e9 / seconds) : null;
            return new Cpu(percent, perPacket, loopPercent);
        }
    }

    /**
     * @param expectedPackets   packets the publishers sent times the receivers of each (everyone else in the room)
     * @param receivedPackets   RTP packets the receivers decrypted
     * @param lossPercent       probes missing from the receivers' sequences over probes expected
     * @param undeliveredPercent expected packets that did not arrive in the window (also counts streams that never
     *                          started and packets still queued at the end)
     * @param latency           added latency: receive time minus the probe's send time, same host clock; it includes
     *                          the sender's SRTP and socket write, the loopback, and the receiver's thread wake-up
     * @param receivers         how the p99 spreads over receivers: one slow receiver (a starved generator thread)
     *                          looks different from every receiver being slow (the relay)
     */
    record DeliveryFigures(long sentPackets, long expectedPackets, long receivedPackets,
                           double receivedPacketsPerSecond, double receivedPayloadMbitPerSecond, long probes,
                           long probesLost, double lossPercent, double undeliveredPercent, long reordered,
                           Latency latency, ReceiverSpread receivers, int streamsMissing) {
    }

    /** The p99 added latency of each receiver over the window: best, median and worst, and who is worst. */
    record ReceiverSpread(int receivers, double bestP99Millis, double medianP99Millis, double worstP99Millis,
                          String worstReceiver) {

        static ReceiverSpread of(Map<String, LatencyHistogram> byReceiver) {
            List<Map.Entry<String, Double>> p99 = new ArrayList<>();
            byReceiver.forEach((name, h) -> {
                if (h.count() > 0) {
                    p99.add(Map.entry(name, Latency.millis(h.percentileNanos(99))));
                }
            });
            if (p99.isEmpty()) {
                return new ReceiverSpread(0, 0, 0, 0, null);
            }
            p99.sort(Map.Entry.comparingByValue());
            return new ReceiverSpread(p99.size(), p99.get(0).getValue(), p99.get(p99.size() / 2).getValue(),
                    p99.get(p99.size() - 1).getValue(), p99.get(p99.size() - 1).getKey());
        }
    }

    record Latency(long samples, double p50Millis, double p99Millis, double p999Millis, double maxMillis,
                   double meanMillis) {

        static Latency of(LatencyHistogram h) {
            return new Latency(h.count(), millis(h.percentileNanos(50)), millis(h.percentileNanos(99)),
                    millis(h.percentileNanos(99.9)), millis(h.maxNanos()), millis((long) h.meanNanos()));
        }

        static double millis(long nanos) {
            return Math.round(nanos / 1e3) / 1e3;
        }
    }

    /**
     * @param cpuPercentOfOneCore the generator's process CPU over wall time (it shares the machine with the relay)
     * @param socketDrops         datagrams the kernel dropped at the generator's sockets (full buffers)
     * @param receiveQueueMaxBytes the most bytes seen waiting at one generator socket (sampled): a receive thread
     *                            that falls behind adds that queue to its latency, which is not the relay's
     * @param gcCollections       the generator JVM's collections in the window, as its collectors count them
     * @param gcMillis            their time, ms: a pause delays every probe the generator receives meanwhile
     */
    record GeneratorFigures(double cpuPercentOfOneCore, double cpuPercentOfMachine, long threads, Long socketDrops,
                            Long receiveQueueMaxBytes, long gcCollections, long gcMillis) {
    }

    /** What the measurement loop sampled during the window; -1 when unknown. */
    record Sampled(long residentPeakBytes, long relayReceiveQueueMaxBytes, long generatorReceiveQueueMaxBytes) {
    }

    static Figures compute(int rooms, int participants, int publishers, RelayObserver.Sample relayStart,
            RelayObserver.Sample relayEnd, Sampled sampled, HostCpu.Reading hostStart, HostCpu.Reading hostEnd,
            GeneratorSnapshot.Delta generator,
            LatencyHistogram latency, Map<String, LatencyHistogram> byReceiver, int streamsMissing) {
        int cores = Runtime.getRuntime().availableProcessors();
        double relaySeconds = (relayEnd.nanos() - relayStart.nanos()) / 1e9;
        double packetsOut = relayEnd.packetsOut() - relayStart.packetsOut();
        Cpu cpu = Cpu.of(relayStart.cpuNanos(), relayEnd.cpuNanos(), relayStart.loopCpuNanos(),
                relayEnd.loopCpuNanos(), packetsOut, relaySeconds);
        Double cpuPercent = cpu.percent();
        Map<String, Long> drops = new LinkedHashMap<>();
        relayEnd.drops().forEach((reason, value) -> {
            long grown = Math.round(value - relayStart.drops().getOrDefault(reason, 0.0));
            if (grown != 0) {
                drops.put(reason, grown);
            }
        });
        RelayFigures relay = new RelayFigures(
                perSecond(packetsOut, relaySeconds),
                mbit(relayEnd.bytesOut() - relayStart.bytesOut(), relaySeconds),
                perSecond(relayEnd.packetsIn() - relayStart.packetsIn(), relaySeconds),
                mbit(relayEnd.bytesIn() - relayStart.bytesIn(), relaySeconds),
                cpuPercent, cpuPercent == null ? null : round2(cpuPercent / cores), cpu.perPacket(),
                cpu.loopPercent(),
                finiteLong(relayEnd.heapUsedBytes()),
                relayEnd.residentBytes() >= 0 ? relayEnd.residentBytes() : null,
                sampled.residentPeakBytes() >= 0 ? sampled.residentPeakBytes() : null,
                finite(relayEnd.gcPauseSeconds() - relayStart.gcPauseSeconds()),
                finiteLong(relayEnd.gcPauses() - relayStart.gcPauses()),
                finite(relayEnd.gcPauseMaxSeconds() * 1000),
                drops,
                relayStart.socketDrops() >= 0 && relayEnd.socketDrops() >= 0
                        ? relayEnd.socketDrops() - relayStart.socketDrops() : null,
                sampled.relayReceiveQueueMaxBytes() >= 0 ? sampled.relayReceiveQueueMaxBytes() : null,
                perNode(relayStart, relayEnd, relaySeconds));

        long expectedProbes = generator.probes() + generator.probesLost();
        DeliveryFigures delivery = new DeliveryFigures(generator.sentPackets(), generator.expectedPackets(),
                generator.receivedPackets(), round2(generator.receivedPackets() / generator.seconds()),
                round2(generator.receivedBytes() * 8 / 1e6 / generator.seconds()), generator.probes(),
                generator.probesLost(), expectedProbes == 0 ? 0 : round4(100.0 * generator.probesLost() / expectedProbes),
                generator.expectedPackets() == 0 ? 0 : round4(100.0 * Math.max(0,
                        generator.expectedPackets() - generator.receivedPackets()) / generator.expectedPackets()),
                generator.reordered(), Latency.of(latency), ReceiverSpread.of(byReceiver), streamsMissing);

        double generatorPercent = generator.cpuNanos() < 0 ? -1
                : round2(100.0 * generator.cpuNanos() / 1e9 / generator.seconds());
        GeneratorFigures own = new GeneratorFigures(generatorPercent, round2(generatorPercent / cores),
                GeneratorSnapshot.threads(), generator.socketDrops() >= 0 ? generator.socketDrops() : null,
                sampled.generatorReceiveQueueMaxBytes() >= 0 ? sampled.generatorReceiveQueueMaxBytes() : null,
                generator.gcCollections(), generator.gcMillis());
        HostFigures host = new HostFigures(null, null, null, null);
        if (hostStart.totalTicks() >= 0 && hostEnd.totalTicks() > hostStart.totalTicks()) {
            double total = hostEnd.totalTicks() - hostStart.totalTicks();
            double busy = hostEnd.busyTicks() - hostStart.busyTicks();
            Double others = null;
            if (cpuPercent != null && generatorPercent >= 0) {
                double busyOneCore = 100.0 * busy / total * cores;
                double softirqOneCore = 100.0 * (hostEnd.softirqTicks() - hostStart.softirqTicks()) / total * cores;
                others = round2(Math.max(0, busyOneCore - softirqOneCore - cpuPercent - generatorPercent));
            }
            host = new HostFigures(round2(100.0 * busy / total), others,
                    round2(100.0 * (hostEnd.softirqTicks() - hostStart.softirqTicks()) / total),
                    round2(100.0 * (hostEnd.stealTicks() - hostStart.stealTicks()) / total));
        }
        return new Figures(round2(generator.seconds()), rooms, participants, publishers, participants - publishers,
                relay, delivery, own, host);
    }

    private static List<NodeFigures> perNode(RelayObserver.Sample start, RelayObserver.Sample end, double seconds) {
        List<NodeFigures> nodes = new ArrayList<>();
        for (int i = 0; i < end.nodes().size(); i++) {
            nodes.add(NodeFigures.of(i + 1, start.nodes().get(i), end.nodes().get(i), seconds));
        }
        return nodes;
    }

    private static Double perSecond(double value, double seconds) {
        return Double.isFinite(value) ? round2(value / seconds) : null;
    }

    private static Double mbit(double bytes, double seconds) {
        return Double.isFinite(bytes) ? round2(bytes * 8 / 1e6 / seconds) : null;
    }

    private static Double finite(double value) {
        return Double.isFinite(value) ? round4(value) : null;
    }

    private static Long finiteLong(double value) {
        return Double.isFinite(value) ? Math.round(value) : null;
    }

    private static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static double round4(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }
}
