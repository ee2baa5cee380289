package dev.parley.meeting;

import dev.parley.relay.Relay;
import dev.parley.relay.TrafficTotals;
import dev.parley.relay.TransportHandle;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * The relay's counters as Micrometer meters: relay-wide packets, bytes and drops by reason, and the same per
 * participant while they are in a room (removed when they leave, so the series do not pile up). A participant's drops
 * are one series, not one per reason: with a series for every reason they were three in five of a busy node's lines,
 * and a scrape's cost, taken from the cores the media needs, grows with its lines. The reasons are relay-wide and in
 * Admin -> Live.
 */
@Component
public class RelayMetrics {

    private final MeterRegistry registry;
    private final Relay relay;
    private final Map<String, List<Meter>> participantMeters = new ConcurrentHashMap<>();

    public RelayMetrics(MeterRegistry registry, Relay relay, LiveRooms liveRooms) {
        this.registry = registry;
        this.relay = relay;
        register(relay, Relay::totals, Tags.empty(), "parley.relay");
        Gauge.builder("parley.meeting.participants", liveRooms,
                rooms -> rooms.all().stream().mapToInt(LiveRoom::size).sum())
                .description("People in meetings right now").register(registry);
        Gauge.builder("parley.meeting.rooms", liveRooms, rooms -> rooms.all().size())
                .description("Rooms with someone in them").register(registry);
    }

    void participantJoined(Participant participant, LiveRoom room) {
        TransportHandle transport = participant.transport();
        if (transport == null) {
            return;
        }
        Tags tags = Tags.of("participant", participant.id(), "room", room.slug().substring(0, 6),
                "kind", participant.kind().name().toLowerCase(Locale.ROOT));
        participantMeters.put(participant.id(),
                register(transport, new LatestTotals<>(relay::totals), tags, "parley.participant"));
    }

    void participantLeft(Participant participant) {
        List<Meter> meters = participantMeters.remove(participant.id());
        if (meters != null) {
            meters.forEach(registry::remove);
        }
    }

    // Micrometer holds the measured object weakly: it must be one that lives as long as its meters (the relay; the
    // participant's transport handle, which its participant holds).
    private <T> List<Meter> register(T source, Function<T, TrafficTotals> totals, Tags tags, String prefix) {
        List<Meter> meters = new ArrayList<>();
        meters.add(FunctionCounter.builder(prefix + ".packets", source, t -> totals.apply(t).packetsIn())
                .tags(tags).tag("direction", "in").description("Datagrams received").register(registry));
        meters.add(FunctionCounter.builder(prefix + ".packets", source, t -> totals.apply(t).packetsOut())
                .tags(tags).tag("direction", "out").description("Datagrams sent").register(registry));
        meters.add(FunctionCounter.builder(prefix + ".bytes", source, t -> totals.apply(t).bytesIn())
                .tags(tags).tag("direction", "in").baseUnit("bytes").register(registry));
        meters.add(FunctionCounter.builder(prefix + ".bytes", source, t -> totals.apply(t).bytesOut())
                .tags(tags).tag("direction", "out").baseUnit("bytes").register(registry));
        meters.add(FunctionCounter.builder(prefix + ".repair.packets", source, t -> totals.apply(t).nackedPackets())
                .tags(tags).tag("outcome", "requested").description("Packets subscribers asked for again (NACK)")
                .register(registry));
        meters.add(FunctionCounter.builder(prefix + ".repair.packets", source,
                        t -> totals.apply(t).retransmittedPackets())
                .tags(tags).tag("outcome", "retransmitted").description("Packets the relay sent again from its cache")
                .register(registry));
        meters.add(FunctionCounter.builder(prefix + ".repair.packets", source, t -> totals.apply(t).unrepairedPackets())
                .tags(tags).tag("outcome", "missed")
                .description("Packets asked for again that the relay did not send again (not held, or NACK repair off)")
                .register(registry));
        meters.add(FunctionCounter.builder(prefix + ".layer.switches", source, t -> totals.apply(t).layerSwitches())
                .tags(tags).description("Simulcast layer switches of the video sent to subscribers").register(registry));
        if (prefix.equals("parley.participant")) {
            meters.add(Gauge.builder(prefix + ".receive.estimate", source, t -> totals.apply(t).receiveEstimate())
                    .tags(tags).baseUnit("bits").description("What the relay judges the participant can receive, "
                            + "bit/s, after congestion; -1 while no limit is known").register(registry));
            meters.add(FunctionCounter.builder(prefix + ".drops", source, t -> totals.apply(t).totalDrops())
                    .tags(tags).description("Datagrams or packets of this participant's connection dropped")
                    .register(registry));
        } else {
            // relay-wide only: one more line per participant for a rare event is not worth a scrape's cost
            meters.add(FunctionCounter.builder(prefix + ".video.pauses", source, t -> totals.apply(t).videoPauses())
                    .tags(tags).description("Videos paused for a subscriber whose link could not carry them beside "
                            + "the audio").register(registry));
            for (String reason : TrafficTotals.DROP_REASONS) {
                meters.add(FunctionCounter.builder(prefix + ".drops", source, t -> totals.apply(t).drops(reason))
                        .tags(tags).tag("reason", reason)
                        .description("Datagrams or packets dropped, by reason").register(registry));
            }
        }
        return meters;
    }

    /**
     * A participant's totals read once for all of its meters in a scrape: a scrape goes meter by meter, and reading the
     * transport's counters for each cost more than writing the lines. A reading serves for a second, far less than any
     * scrape interval, and a counter read later is never lower.
     */
    static final class LatestTotals<T> implements Function<T, TrafficTotals> {
        static final long FRESH_NANOS = 1_000_000_000L;

        private final Function<T, TrafficTotals> read;
        private final LongSupplier clock;
        private TrafficTotals latest;
        private long readAt;

        LatestTotals(Function<T, TrafficTotals> read) {
            this(read, System::nanoTime);
        }

        LatestTotals(Function<T, TrafficTotals> read, LongSupplier clock) {
            this.read = read;
            this.clock = clock;
        }

        @Override
        public synchronized TrafficTotals apply(T source) {
            long now = clock.getAsLong();
            if (latest == null || now - readAt >= FRESH_NANOS) {
                latest = read.apply(source);
                readAt = now;
            }
            return latest;
        }
    }
}
