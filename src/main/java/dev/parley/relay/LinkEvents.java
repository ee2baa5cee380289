package dev.parley.relay;

import java.util.List;

/**
 * What the relay tells the owner of a relay link. Called on the relay loop thread: implementations hand slow work
 * (calls to the other node) to another thread and return quickly.
 */
public interface LinkEvents {

    /**
     * The tracks this relay sends over the link changed (and once, soon after it opened): the whole list now, to be
     * given to the far relay ({@link Relay#setLinkTracks}) so that it takes them.
     */
    default void onTracks(List<LinkTrack> tracks) {
    }

    /** The link is gone: closed by its owner or with the relay. */
    default void onClosed(String reason) {
    }
}
