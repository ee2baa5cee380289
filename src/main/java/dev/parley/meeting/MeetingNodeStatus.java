package dev.parley.meeting;

import dev.parley.cluster.NodeStatus;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.stereotype.Component;

/**
 * This node's meetings, people and relay load, for its heartbeat to the other nodes. Its people are those of its
 * meetings and those of other nodes' meetings whose media it carries (cascading), so that the choice of a node for a
 * meeting or a browser's media sees both.
 */
@Component
class MeetingNodeStatus implements NodeStatus {

    private final LiveRooms rooms;
    private final LiveStatistics statistics;
    private final MediaReachability reachability;
    private final MediaNodeHandlers carried;

    MeetingNodeStatus(LiveRooms rooms, LiveStatistics statistics, MediaReachability reachability,
                      MediaNodeHandlers carried) {
        this.rooms = rooms;
        this.carried = carried;
        this.statistics = statistics;
        this.reachability = reachability;
    }

    @Override
    public int meetings() {
        return rooms.all().size();
    }

    @Override
    public int participants() {
        return rooms.all().stream().mapToInt(LiveRoom::size).sum() + carried.carried();
    }

    @Override
    public Map<Long, Integer> peopleByRoom() {
        Map<Long, Integer> people = new TreeMap<>();
        rooms.all().forEach(room -> people.put(room.roomId(), room.size()));
        return people;
    }

    @Override
    public long packetsPerSecond() {
        return statistics.packetsPerSecondOut();
    }

    @Override
    public String mediaAddress() {
        MediaReachability.Report report = reachability.report();
        return report == null ? "" : report.announcedText() + " udp/" + report.port();
    }
}
