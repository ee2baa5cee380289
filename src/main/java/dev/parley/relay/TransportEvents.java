package dev.parley.relay;

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

    /** The transport is gone: closed by its owner, by the client (DTLS close), or by ICE consent expiry. */
    default void onClosed(String reason) {
    }
}
