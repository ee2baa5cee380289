package dev.parley.cluster;

/**
 * A meeting running on this node was found placed on another node that runs it too, and keeps it: this node's people
 * are to go there ({@link RoomPlacement#renewLocal}).
 */
public record MeetingPlacedElsewhere(long roomId, RoomPlacement.Placement placement) {
}
