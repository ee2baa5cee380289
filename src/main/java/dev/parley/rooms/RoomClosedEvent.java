package dev.parley.rooms;

/** A room was cancelled or deleted: whoever is in it must leave. */
public record RoomClosedEvent(long roomId) {
}
