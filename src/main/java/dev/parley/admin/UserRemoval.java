package dev.parley.admin;

import dev.parley.accounts.AccountService;
import dev.parley.common.UserFacingException;
import dev.parley.rooms.RoomService;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Deleting a user always says what happens to the rooms they host: handed to another host, or deleted with them. */
@Service
class UserRemoval {

    enum RoomDisposition { TRANSFER, DELETE }

    private final AccountService accounts;
    private final RoomService rooms;

    UserRemoval(AccountService accounts, RoomService rooms) {
        this.accounts = accounts;
        this.rooms = rooms;
    }

    @Transactional
    void remove(long userId, RoomDisposition disposition, Long transferTo, long actingUserId) {
        long hosted = rooms.countHostedBy(userId);
        if (hosted > 0) {
            if (disposition == null) {
                throw new UserFacingException("admin.delete.chooseRooms");
            }
            if (disposition == RoomDisposition.TRANSFER) {
                if (transferTo == null || transferTo == userId) {
                    throw new UserFacingException("admin.delete.chooseHost");
                }
                rooms.transferAll(userId, transferTo);
            } else {
                rooms.deleteAllOf(userId);
            }
        }
        accounts.delete(userId, actingUserId);
    }
}
