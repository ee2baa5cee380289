package dev.parley.meeting;

import dev.parley.cluster.MeetingPlacedElsewhere;
import dev.parley.cluster.NodeRegistry;
import dev.parley.cluster.RoomPlacement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Moves this node's meetings to the other nodes when it drains: at shutdown (SIGTERM) and when an admin asks from
 * Admin -> Live. Each meeting is placed on another node first, then its browsers get {@code bye moved} and join again
 * through any node, which sends them to the new one. WHIP and WHEP clients, which cannot be told, stay until the node
 * stops. A node alone (or the last one up) keeps its meetings: there is nowhere to move them.
 *
 * <p>The browsers of a meeting that was placed on another node meanwhile, and runs there too, are moved the same way
 * ({@link MeetingPlacedElsewhere}: this node stalled past its heartbeat's lapse while someone joined elsewhere), so the
 * two halves become one meeting again.
 */
@Component
class MeetingDrain implements SmartLifecycle {

    /** Time given to the byes to go out before the web server closes the sockets. */
    private static final long FLUSH_MILLIS = 1_000;
    private static final Logger log = LoggerFactory.getLogger(MeetingDrain.class);

    private final NodeRegistry nodes;
    private final RoomPlacement placement;
    private final LiveRooms liveRooms;
    private final MeetingService meetings;
    private volatile boolean running;
    private volatile boolean drained;

    MeetingDrain(NodeRegistry nodes, RoomPlacement placement, LiveRooms liveRooms, MeetingService meetings) {
        this.nodes = nodes;
        this.placement = placement;
        this.liveRooms = liveRooms;
        this.meetings = meetings;
    }

    /** Takes no new meetings and moves the running ones away; answers how many moved. */
    synchronized int drain() {
        drained = true;
        nodes.drain();
        int moved = 0;
        for (LiveRoom live : liveRooms.all()) {
            RoomPlacement.Placement to = placement.moveAway(live.roomId()).orElse(null);
            if (to == null || to.local()) {
                continue;
            }
            int browsers = meetings.moveBrowsers(live);
            log.info("Meeting in room {} moved to {} ({} browsers sent there)", live.roomId(), to.url(), browsers);
            moved++;
        }
        return moved;
    }

    /** An admin's drain, recorded in Redis by whichever node served the request, taken up here. */
    @Scheduled(fixedDelay = 2_000, initialDelay = 2_000)
    void drainWhenAsked() {
        if (running && !drained && nodes.isDrainRequested()) {
            log.info("An admin drains this node: no new meetings, the running ones move to the other nodes");
            drain();
        }
    }

    @EventListener
    void onPlacedElsewhere(MeetingPlacedElsewhere elsewhere) {
        liveRooms.find(elsewhere.roomId()).ifPresent(live -> {
            int browsers = meetings.moveBrowsers(live);
            if (browsers > 0) {
                log.info("Meeting in room {} runs on {} too, where it is placed: browsers sent there: {}",
                        live.roomId(), elsewhere.placement().url(), browsers);
            }
        });
    }

    /** Unless the room's next meeting started here meanwhile (a join as it ended), which keeps the placement. */
    @EventListener
    void onMeetingEnded(MeetingEnded ended) {
        if (liveRooms.find(ended.roomId()).isEmpty()) {
            placement.release(ended.roomId());
        }
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        if (!nodes.isClustered() || liveRooms.all().isEmpty()) {
            return;
        }
        if (drain() > 0) {
            try {
                Thread.sleep(FLUSH_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stopped first, while the web server and the relay still run. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }
}
