package dev.parley.api;

import dev.parley.accounts.ParleyUser;
import dev.parley.common.NotFoundException;
import dev.parley.meeting.AdminMeetingControls;
import dev.parley.meeting.LiveStatistics;
import dev.parley.meeting.MeetingDirectory;
import dev.parley.rooms.Room;
import dev.parley.rooms.RoomPolicy;
import dev.parley.rooms.RoomService;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;

/**
 * The API's live meetings on every node, through what Admin → Live uses ({@link MeetingDirectory},
 * {@link AdminMeetingControls}): admins see and act on every meeting, hosts on those of the rooms they manage.
 */
@Service
class ApiMeetings {

    /** Participant ids are 18 characters; anything much longer is no id. */
    static final int MAX_PARTICIPANT_ID = 200;

    private final MeetingDirectory live;
    private final RoomService rooms;
    private final AdminMeetingControls controls;

    ApiMeetings(MeetingDirectory live, RoomService rooms, AdminMeetingControls controls) {
        this.live = live;
        this.rooms = rooms;
        this.controls = controls;
    }

    List<MeetingJson> list(ParleyUser user) {
        List<LiveStatistics.RoomView> views = live.views();
        Map<Long, Room> byId = rooms.byIds(views.stream().map(LiveStatistics.RoomView::roomId).toList());
        return views.stream()
                .filter(view -> byId.containsKey(view.roomId()) && RoomPolicy.canManage(user, byId.get(view.roomId())))
                .map(view -> MeetingJson.of(view, byId.get(view.roomId()).getTitle()))
                .toList();
    }

    /** The room's meeting; 404 when nobody is in it, 403 when the caller does not manage the room. */
    MeetingJson get(ParleyUser user, long roomId) {
        Room room = rooms.manageable(user, roomId);
        return live.view(roomId).map(view -> MeetingJson.of(view, room.getTitle()))
                .orElseThrow(() -> new NotFoundException("meeting in room " + roomId));
    }

    void end(ParleyUser user, long roomId, String address) {
        rooms.manageable(user, roomId);
        if (!controls.end(roomId, user, address)) {
            throw new NotFoundException("meeting in room " + roomId);
        }
    }

    void remove(ParleyUser user, long roomId, String participantId, String address) {
        rooms.manageable(user, roomId);
        if (participantId.length() > MAX_PARTICIPANT_ID || !controls.remove(roomId, participantId, user, address)) {
            throw new NotFoundException("participant " + participantId);
        }
    }
}
