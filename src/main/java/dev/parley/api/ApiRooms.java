package dev.parley.api;

import dev.parley.accounts.ParleyUser;
import dev.parley.common.PageRequests;
import dev.parley.rooms.JoinLinks;
import dev.parley.rooms.Room;
import dev.parley.rooms.RoomClock;
import dev.parley.rooms.RoomForm;
import dev.parley.rooms.RoomService;
import dev.parley.rooms.RoomView;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The API's rooms: {@link RoomService} (its rules, checks and audit entries), with each room read into JSON inside the
 * transaction. Hosts list their own rooms, admins all.
 */
@Service
class ApiRooms {

    private final RoomService rooms;
    private final RoomClock clock;
    private final JoinLinks links;

    ApiRooms(RoomService rooms, RoomClock clock, JoinLinks links) {
        this.rooms = rooms;
        this.clock = clock;
        this.links = links;
    }

    @Transactional(readOnly = true)
    PageJson<RoomJson> list(ParleyUser user, int page, int size) {
        if (user.isAdmin()) {
            return PageJson.of(rooms.search(null, PageRequests.of(page, size,
                    Sort.by(Sort.Direction.DESC, "startsAt").and(Sort.by("id")))), this::json);
        }
        return PageJson.of(rooms.hostedBy(user.id()), page, size, this::json);
    }

    @Transactional(readOnly = true)
    RoomJson get(ParleyUser user, long id) {
        return json(rooms.manageable(user, id));
    }

    @Transactional
    RoomJson create(ParleyUser user, RoomForm form) {
        return json(rooms.schedule(user, form));
    }

    @Transactional
    RoomJson update(ParleyUser user, long id, RoomForm form) {
        return json(rooms.update(user, id, form));
    }

    @Transactional
    RoomJson cancel(ParleyUser user, long id) {
        rooms.cancel(user, id);
        return json(rooms.manageable(user, id));
    }

    private RoomJson json(Room room) {
        return RoomJson.of(RoomView.of(room, clock, links));
    }
}
