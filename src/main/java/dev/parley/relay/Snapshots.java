package dev.parley.relay;

import dev.parley.relay.router.Consumer;
import dev.parley.relay.router.Endpoint;
import dev.parley.relay.router.Layer;
import dev.parley.relay.router.MediaKind;
import dev.parley.relay.router.MediaSection;
import dev.parley.relay.router.Producer;
import dev.parley.relay.router.Router;
import dev.parley.relay.stats.TrafficCounters;
import dev.parley.relay.transport.Transport;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Builds {@link RelaySnapshot}s from the loop's state; runs on the loop. */
final class Snapshots {

    private Snapshots() {
    }

    static RelaySnapshot take(TrafficCounters counters, Collection<Router> routers) {
        List<RelaySnapshot.Room> rooms = new ArrayList<>();
        for (Router router : routers) {
            List<RelaySnapshot.Transport> members = new ArrayList<>();
            for (Endpoint e : router.endpoints()) {
                members.add(transport(e));
            }
            rooms.add(new RelaySnapshot.Room(router.id(), members));
        }
        return new RelaySnapshot(System.nanoTime(), counters.packetsIn(), counters.bytesIn(), counters.packetsOut(),
                counters.bytesOut(), TrafficTotals.nonZero(counters.dropsByReason()), rooms);
    }

    private static RelaySnapshot.Transport transport(Endpoint e) {
        Transport t = e.transport();
        List<RelaySnapshot.Track> tracks = e.producers().stream().map(p -> new RelaySnapshot.Track(
                p.kind().sdpName(), p.codec().name(), p.packets(), p.bytes(), p.keyframes(), p.consumerCount())).toList();
        int consumers = (int) e.sections().stream().filter(s -> s.consumer() != null && s.consumer().isActive()).count();
        InetSocketAddress address = t.selectedAddress();
        TrafficCounters c = t.counters();
        return new RelaySnapshot.Transport(t.id(), e.participantId(), e.kind().name(), t.isConnected(),
                address == null ? null : address.getAddress().getHostAddress() + ":" + address.getPort(),
                t.srtpProfile(), c.packetsIn(), c.bytesIn(), c.packetsOut(), c.bytesOut(),
                TrafficTotals.nonZero(c.dropsByReason()), tracks, consumers, e.allocator().estimate(),
                e.allocator().isTransportWide() ? RelaySnapshot.TRANSPORT_CC : RelaySnapshot.REMB,
                e.allocator().remb(), receptions(e));
    }

    private static List<RelaySnapshot.Reception> receptions(Endpoint e) {
        List<RelaySnapshot.Reception> result = new ArrayList<>();
        for (MediaSection section : e.sections()) {
            Consumer consumer = section.consumer();
            if (consumer == null || consumer.isClosed() || consumer.producer().kind() != MediaKind.VIDEO) {
                continue;
            }
            Producer producer = consumer.producer();
            int current = consumer.currentLayer();
            Layer layer = current >= 0 ? producer.layer(current) : null;
            result.add(new RelaySnapshot.Reception(producer.participantId(), layerName(consumer, current),
                    layer == null ? 0 : layer.width(), layer == null ? 0 : layer.height(),
                    consumer.desiredLayer() < 0 ? "none" : layerName(consumer, consumer.desiredLayer())));
        }
        return result;
    }

    private static String layerName(Consumer consumer, int index) {
        if (index < 0) {
            return consumer.targetLayer() < 0 ? "paused" : "waiting";
        }
        String rid = consumer.producer().layer(index).rid();
        return rid == null ? "single" : rid;
    }
}
