package dev.parley.meeting;

import dev.parley.relay.Relay;
import dev.parley.relay.RelaySnapshot;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Samples the relay every two seconds and turns its counters into rates, for the admin dashboard's live view: who is
 * in which room and how many bits per second flow in and out of each of them. Each sample also sets the meter of the
 * video layers each participant receives ({@code parley.participant.video.streams}: how many of the videos it gets
 * come at each simulcast layer, or paused), so monitoring sees bandwidth adaptation as Live does.
 */
@Component
public class LiveStatistics {

    private static final Logger log = LoggerFactory.getLogger(LiveStatistics.class);

    public record ParticipantView(String participantId, String displayName, String kind, boolean host, boolean audio,
                                  boolean video, boolean connected, String remoteAddress, String srtpProfile,
                                  long bitsPerSecondIn, long bitsPerSecondOut, long packetsIn, long packetsOut,
                                  long drops, Map<String, Long> dropsByReason, List<String> tracks,
                                  long receiveEstimate, String estimateSource, List<Reception> receiving) {
    }

    /** A video the participant receives: whose (display name), the layer it gets now and the one its tile needs. */
    public record Reception(String from, String layer, int width, int height, String wanted) {
    }

    /** @param recordingSince when its recording began (ms since the epoch), or null when it is not recorded */
    public record RoomView(long roomId, String slug, List<ParticipantView> participants, long bitsPerSecondIn,
                           long bitsPerSecondOut, Long recordingSince) {
    }

    public record RelayView(long packetsIn, long packetsOut, long bitsPerSecondIn, long bitsPerSecondOut,
                            Map<String, Long> drops, int port) {
    }

    private final Relay relay;
    private final LiveRooms liveRooms;
    private final MultiGauge layers;
    private volatile RelaySnapshot previous;
    private volatile RelaySnapshot latest;

    public LiveStatistics(Relay relay, LiveRooms liveRooms, MeterRegistry registry) {
        this.relay = relay;
        this.liveRooms = liveRooms;
        this.layers = MultiGauge.builder("parley.participant.video.streams")
                .description("Videos a participant receives, by the simulcast layer each comes at now (l, m, h; "
                        + "single for a stream without layers; paused, or waiting for a key frame)")
                .register(registry);
    }

    @Scheduled(fixedDelay = 2_000, initialDelay = 1_000)
    void sample() {
        try {
            RelaySnapshot next = relay.snapshot().get(2, TimeUnit.SECONDS);
            previous = latest;
            latest = next;
            layers.register(layerRows(next), true);
        } catch (Exception e) {
            log.debug("relay snapshot failed: {}", e.toString());
        }
    }

    /** One row per participant and layer: how many of its received videos come at that layer. */
    private static List<MultiGauge.Row<?>> layerRows(RelaySnapshot snapshot) {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        for (RelaySnapshot.Room room : snapshot.rooms()) {
            for (RelaySnapshot.Transport transport : room.transports()) {
                Map<String, Long> counts = new TreeMap<>();
                transport.receiving().forEach(r -> counts.merge(r.layer(), 1L, Long::sum));
                counts.forEach((layer, count) -> rows.add(MultiGauge.Row.of(
                        Tags.of("participant", transport.participantId(), "layer", layer), count)));
            }
        }
        return rows;
    }

    public RelayView relayView() {
        RelaySnapshot now = latest;
        RelaySnapshot before = previous;
        if (now == null) {
            return new RelayView(0, 0, 0, 0, Map.of(), relay.port());
        }
        Map<String, Long> drops = new HashMap<>();
        drops.putAll(now.drops());
        return new RelayView(now.packetsIn(), now.packetsOut(), rate(now.bytesIn(), before == null ? 0 : before.bytesIn(), now, before),
                rate(now.bytesOut(), before == null ? 0 : before.bytesOut(), now, before), drops, relay.port());
    }

    /** Media packets the relay sent a second between its last two samples (0 before the second). */
    public long packetsPerSecondOut() {
        RelaySnapshot now = latest;
        RelaySnapshot before = previous;
        if (now == null || before == null || now.takenAtNanos() <= before.takenAtNanos()) {
            return 0;
        }
        return Math.max(0, (now.packetsOut() - before.packetsOut()) * 1_000_000_000L
                / (now.takenAtNanos() - before.takenAtNanos()));
    }

    public List<RoomView> rooms() {
        RelaySnapshot now = latest;
        RelaySnapshot before = previous;
        Map<String, RelaySnapshot.Transport> previousById = new HashMap<>();
        if (before != null) {
            before.rooms().forEach(r -> r.transports().forEach(t -> previousById.put(t.id(), t)));
        }
        Map<String, RelaySnapshot.Transport> byParticipant = new HashMap<>();
        if (now != null) {
            now.rooms().forEach(r -> r.transports().forEach(t -> byParticipant.put(t.participantId(), t)));
        }
        List<RoomView> views = new ArrayList<>();
        for (LiveRoom live : liveRooms.all()) {
            List<ParticipantView> people = new ArrayList<>();
            long in = 0;
            long out = 0;
            Map<String, String> names = new HashMap<>();
            live.participants().forEach(p -> names.put(p.id(), p.displayName()));
            for (Participant p : live.participants()) {
                RelaySnapshot.Transport t = byParticipant.get(p.id());
                RelaySnapshot.Transport old = t == null ? null : previousById.get(t.id());
                long bpsIn = t == null || old == null ? 0 : rate(t.bytesIn(), old.bytesIn(), now, before);
                long bpsOut = t == null || old == null ? 0 : rate(t.bytesOut(), old.bytesOut(), now, before);
                in += bpsIn;
                out += bpsOut;
                Map<String, Long> dropsByReason = new HashMap<>();
                if (t != null) {
                    dropsByReason.putAll(t.drops());
                }
                people.add(new ParticipantView(p.id(), p.displayName(), p.kind().name(), p.isHost(), p.audio(), p.video(),
                        t != null && t.connected(), t == null ? null : t.remoteAddress(),
                        t == null ? null : t.srtpProfile(), bpsIn, bpsOut, t == null ? 0 : t.packetsIn(),
                        t == null ? 0 : t.packetsOut(), dropsByReason.values().stream().mapToLong(Long::longValue).sum(),
                        dropsByReason, t == null ? List.of() : t.producers().stream()
                                .map(track -> track.kind() + " " + track.codec()).toList(),
                        t == null ? -1 : t.receiveEstimate(), t == null ? null : t.estimateSource(),
                        t == null ? List.of() : t.receiving().stream()
                                .map(r -> new Reception(names.getOrDefault(r.from(), r.from()), r.layer(), r.width(),
                                        r.height(), r.wanted())).toList()));
            }
            MeetingRecording.Active recording = live.recording();
            views.add(new RoomView(live.roomId(), live.slug(), people, in, out,
                    recording == null ? null : recording.since()));
        }
        return views;
    }

    private static long rate(long bytesNow, long bytesBefore, RelaySnapshot now, RelaySnapshot before) {
        if (before == null || now.takenAtNanos() <= before.takenAtNanos()) {
            return 0;
        }
        return Math.max(0, (bytesNow - bytesBefore) * 8L * 1_000_000_000L / (now.takenAtNanos() - before.takenAtNanos()));
    }
}
