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
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The API's rooms: {@link RoomService} (its rules, checks and audit entries), with each room read into JSON inside the
 * transaction. Hosts list their own rooms, admins all.
 */
@Service
class ApiRooms {

    private final RoomService rooms;
    private final RoomClock clock;
    private final JoinLinks links;
    private final TransactionTemplate reads;

    ApiRooms(RoomService rooms, RoomClock clock, JoinLinks links, PlatformTransactionManager transactionManager) {
        this.rooms = rooms;
        this.clock = clock;
        this.links = links;
        this.reads = new TransactionTemplate(transactionManager);
        this.reads.setReadOnly(true);
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

    // Scheduling and changing a room run their own transactions, with a passcode hashed before them (RoomService);
    // the room is then read into JSON in another.

    RoomJson create(ParleyUser user, RoomForm form) {
        return read(user, rooms.schedule(user, form).getId());
    }

    RoomJson update(ParleyUser user, long id, RoomForm form) {
        return read(user, rooms.update(user, id, form).getId());
    }

    private RoomJson read(ParleyUser user, long id) {
        return reads.execute(status -> json(rooms.manageable(user, id)));
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
