package dev.parley.meeting;

import dev.parley.rooms.LiveMeetings;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.context.annotation.Primary;
import org.springframework.stereotype.Component;

/**
 * Who is in each room's meeting, whichever node carries it: this node's own meetings from {@link LiveRooms} and
 * {@link LiveStatistics}, another node's from that node (by a call; its head count from its heartbeat). A node that
 * does not answer in time is left out rather than waited for.
 */
@Primary
@Component
public class MeetingDirectory implements LiveMeetings {

    static final String PEOPLE = "meeting.people";
    static final String VIEWS = "meeting.views";

    record PeopleCall(long roomId) {
    }

    /** @param roomId the one room's meeting, or 0 for all of the node's */
    record ViewsCall(long roomId) {
    }

    private final LiveRooms local;
    private final LiveStatistics statistics;
    private final RemoteMeetings remote;

    MeetingDirectory(LiveRooms local, LiveStatistics statistics, RemoteMeetings remote) {
        this.local = local;
        this.statistics = statistics;
        this.remote = remote;
        remote.answer(PEOPLE, PeopleCall.class, call -> local.people(call.roomId()));
        remote.answer(VIEWS, ViewsCall.class, call -> localViews(call.roomId()));
    }

    @Override
    public int participantCount(long roomId) {
        return local.find(roomId).isPresent() ? local.participantCount(roomId) : remote.peopleElsewhere(roomId);
    }

    @Override
    public List<Person> people(long roomId) {
        if (local.find(roomId).isPresent()) {
            return local.people(roomId);
        }
        return remote.nodeOf(roomId)
                .flatMap(node -> remote.<List<Person>>call(node, PEOPLE, new PeopleCall(roomId),
                        remote.listOf(Person.class)))
                .orElse(List.of());
    }

    /**
     * Every meeting with its people and rates: this node's, then the other nodes' (all asked at once, not read from
     * heartbeats, which may be seconds old).
     */
    public List<LiveStatistics.RoomView> views() {
        List<LiveStatistics.RoomView> views = new ArrayList<>(statistics.rooms());
        remote.<List<LiveStatistics.RoomView>>callEach(remote.otherNodes(), VIEWS, new ViewsCall(0),
                remote.listOf(LiveStatistics.RoomView.class)).forEach(views::addAll);
        return views;
    }

    /** The room's meeting with its people and rates, wherever it runs. */
    public Optional<LiveStatistics.RoomView> view(long roomId) {
        List<LiveStatistics.RoomView> here = localViews(roomId);
        if (!here.isEmpty()) {
            return Optional.of(here.get(0));
        }
        return remote.nodeOf(roomId).flatMap(node -> viewsOn(node, roomId)).flatMap(v -> v.stream().findFirst());
    }

    private Optional<List<LiveStatistics.RoomView>> viewsOn(String node, long roomId) {
        return remote.call(node, VIEWS, new ViewsCall(roomId), remote.listOf(LiveStatistics.RoomView.class));
    }

    private List<LiveStatistics.RoomView> localViews(long roomId) {
        return statistics.rooms().stream().filter(view -> roomId == 0 || view.roomId() == roomId).toList();
    }
}
