package dev.parley.relay;

/**
 * The web app's name for one room's relay link to another node (cascading, docs/scaling.md).
 *
 * @param id the relay's id for the link (a random UUID)
 * @param roomId the room it carries
 * @param tag what the far relay must be given ({@link Relay#connectLink}) to reach this side of the link
 * @param key for a secure link, the key what this side sends is protected with, which the far relay must be given
 *     too; null for a plain one
 */
public record LinkHandle(String id, String roomId, int tag, LinkKey key) {

    public boolean isSecure() {
        return key != null;
    }
}
