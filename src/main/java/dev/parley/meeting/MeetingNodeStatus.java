package dev.parley.meeting;

import dev.parley.cluster.NodeStatus;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.stereotype.Component;

/** This node's meetings, people and relay load, for its heartbeat to the other nodes. */
@Component
class MeetingNodeStatus implements NodeStatus {

    private final LiveRooms rooms;
    private final LiveStatistics statistics;
    private final MediaReachability reachability;

    MeetingNodeStatus(LiveRooms rooms, LiveStatistics statistics, MediaReachability reachability) {
        this.rooms = rooms;
        this.statistics = statistics;
        this.reachability = reachability;
    }

    @Override
    public int meetings() {
        return rooms.all().size();
    }

    @Override
    public int participants() {
        return rooms.all().stream().mapToInt(LiveRoom::size).sum();
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
