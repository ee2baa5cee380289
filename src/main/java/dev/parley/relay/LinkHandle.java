package dev.parley.relay;

/**
 * The web app's name for one room's relay link to another node (cascading, docs/scaling.md).
 *
 * @param id the relay's id for the link (a random UUID)
 * @param roomId the room it carries
 * @param tag what the far relay must be given ({@link Relay#connectLink}) to reach this side of the link
 */
public record LinkHandle(String id, String roomId, int tag) {
}
