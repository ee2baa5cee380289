package dev.parley.rooms;

/** Where a room stands at a moment, as its link page and the host's list show it. */
public enum RoomState {
    /** The next occurrence has not opened yet. */
    UPCOMING,
    /** People may join now: inside an occurrence's join window, or opened early by the host. */
    OPEN,
    /** Every occurrence is over. */
    ENDED,
    CANCELLED
}
