package dev.parley.loadgen;

import dev.parley.relay.client.InboundStream;
import dev.parley.relay.client.OutboundStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The generator's side at one instant: what every publisher has sent (and to how many others in its room), what
 * every receiver has received per remote stream, the probes' loss and reordering counts, the generator's own CPU
 * time, its sockets' kernel drops and its JVM's collections (a pause of the generator delays the probes it receives
 * as much as one of the relay). Two snapshots give a window's deltas.
 */
final class GeneratorSnapshot {

    /** Counters of one inbound stream. */
    record In(long packets, long bytes, long probes, long probesLost, long reordered) {
    }

    /** Counters of one outbound stream: packets sent and how many others receive them. */
    record Out(long packets, int fanout) {
    }

    /** Sums over a window. */
    record Delta(double seconds, long sentPackets, long expectedPackets, long receivedPackets, long receivedBytes,
                 long probes, long probesLost, long reordered, long cpuNanos, long socketDrops, long gcCollections,
                 long gcMillis) {
    }

    private static final ProcessStats SELF = new ProcessStats(ProcessHandle.current().pid());
    private static final UdpSockets SOCKETS = new UdpSockets();

    final long nanos;
    final long cpuNanos;
    final long socketDrops;
    final long gcCollections;
    final long gcMillis;
    private final Map<InboundStream, In> inbound = new IdentityHashMap<>();
    private final Map<OutboundStream, Out> outbound = new IdentityHashMap<>();

    private GeneratorSnapshot(long nanos, long cpuNanos, long socketDrops) {
        this.nanos = nanos;
        this.cpuNanos = cpuNanos;
        this.socketDrops = socketDrops;
        long collections = 0;
        long millis = 0;
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            collections += Math.max(0, collector.getCollectionCount());
            millis += Math.max(0, collector.getCollectionTime());
        }
        this.gcCollections = collections;
        this.gcMillis = millis;
    }

    /** @param rooms the participants, room by room (a publisher's fan-out is the rest of its room) */
    static GeneratorSnapshot take(List<List<SyntheticParticipant>> rooms) {
        Set<Integer> ports = new HashSet<>();
        for (List<SyntheticParticipant> room : rooms) {
            for (SyntheticParticipant p : room) {
                ports.add(p.localPort());
            }
        }
        GeneratorSnapshot s = new GeneratorSnapshot(System.nanoTime(), SELF.cpuNanos(), SOCKETS.read(ports).drops());
        for (List<SyntheticParticipant> room : rooms) {
            for (SyntheticParticipant p : room) {
                for (InboundStream in : p.inboundStreams()) {
                    s.inbound.put(in, new In(in.packets(), in.bytes(), in.probes(), in.probesLost(),
                            in.probesReordered()));
                }
                for (OutboundStream out : p.outboundStreams()) {
                    s.outbound.put(out, new Out(out.packetsSent(), room.size() - 1));
                }
            }
        }
        return s;
    }

    /** What happened between {@code start} and this snapshot. */
    Delta since(GeneratorSnapshot start) {
        long sent = 0;
        long expected = 0;
        for (Map.Entry<OutboundStream, Out> e : outbound.entrySet()) {
            Out before = start.outbound.get(e.getKey());
            long packets = e.getValue().packets() - (before == null ? 0 : before.packets());
            sent += packets;
            expected += packets * e.getValue().fanout();
        }
        long received = 0;
        long bytes = 0;
        long probes = 0;
        long lost = 0;
        long reordered = 0;
        for (Map.Entry<InboundStream, In> e : inbound.entrySet()) {
            In now = e.getValue();
            In before = start.inbound.getOrDefault(e.getKey(), new In(0, 0, 0, 0, 0));
            received += now.packets() - before.packets();
            bytes += now.bytes() - before.bytes();
            probes += now.probes() - before.probes();
            lost += Math.max(0, now.probesLost() - before.probesLost());
            reordered += now.reordered() - before.reordered();
        }
        return new Delta((nanos - start.nanos) / 1e9, sent, expected, received, bytes, probes, lost, reordered,
                cpuNanos < 0 || start.cpuNanos < 0 ? -1 : cpuNanos - start.cpuNanos,
                socketDrops < 0 || start.socketDrops < 0 ? -1 : socketDrops - start.socketDrops,
                gcCollections - start.gcCollections, gcMillis - start.gcMillis);
    }

    static long threads() {
        return SELF.threads();
    }
}
