package dev.parley.relay;

import java.util.List;

/**
 * What the relay tells the owner of a transport. Called on the relay loop thread: implementations hand slow work
 * (network writes) to another thread and return quickly.
 */
public interface TransportEvents {

    /**
     * The transport exists; called before anything else about it, in particular before its first offer, so the owner
     * knows the transport by the time a client can answer. Must not block.
     */
    default void onCreated(TransportHandle transport) {
    }

    /** A new SDP offer for the client (browser transports only; the relay is always the offerer there). */
    default void onOffer(Offer offer) {
    }

    /** ICE and DTLS are up; media can flow. */
    default void onConnected() {
    }

    /**
     * The videos the client is not sent because its link cannot carry them beside its audio and what comes first
     * changed; a browser shows those tiles as paused. Also called for a WHEP player, which has no channel to hear it.
     *
     * @param mids the m-sections of the paused videos (an immutable list); empty when every video is sent again
     */
    default void onPausedVideo(List<String> mids) {
    }

    /** The transport is gone: closed by its owner, by the client (DTLS close), or by ICE consent expiry. */
    default void onClosed(String reason) {
    }
}
