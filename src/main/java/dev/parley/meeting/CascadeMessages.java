package dev.parley.meeting;

import dev.parley.relay.LinkTrack;
import dev.parley.relay.Offer;
import java.util.List;
import java.util.Map;

/** The messages cascading's calls between nodes carry (JSON): one record each. */
final class CascadeMessages {

    static final String OPEN = "cascade-open";
    static final String ANSWER = "cascade-answer";
    static final String TILES = "cascade-tiles";
    static final String SHARE = "cascade-share";
    static final String CLOSE = "cascade-close";
    static final String EVENT = "cascade-event";
    static final String LINK_OPEN = "cascade-link-open";
    static final String LINK_TRACKS = "cascade-link-tracks";
    static final String LINK_CLOSE = "cascade-link-close";

    private CascadeMessages() {
    }

    /** The home asks a media node for a browser's transport; its events go back to the home, naming {@code ref}. */
    record OpenCall(String home, String ref, String room, String participant, boolean screenShare) {
    }

    /** The transport's id on the media node, or why there is none ({@link #NOT_LINKED}: link and ask again). */
    record OpenAnswer(String transportId, String error) {
    }

    /**
     * A media node's answer to an open for a meeting its relay is not linked for with the home: its side of the link
     * closed (the home's last transport there ended by itself, or the node restarted) before the home heard of it.
     */
    static final String NOT_LINKED = "not-linked";

    record AnswerCall(String transport, int version, String sdp) {
    }

    /** An answer's refusal; no code: applied. */
    record Refused(String code, String message) {
    }

    /** @param version the offer whose track list the browser read; null from a node that does not say (-1) */
    record TilesCall(String transport, Map<String, int[]> sizes, Integer version) {
    }

    record ShareCall(String transport, boolean allowed) {
    }

    record CloseCall(String transport, String reason) {
    }

    record OfferBody(int version, String sdp, String audioMid, String videoMid, String screenMid,
                     List<Offer.Track> tracks) {
    }

    /**
     * A media node's transport event: created (with the transport's id), offer, connected, paused-video (with the
     * paused videos' mids) or closed; numbered.
     */
    record EventCall(String ref, int sequence, String type, String transport, OfferBody offer, String reason,
                     List<String> mids) {
    }

    /**
     * The home's side of a room's link, for the media node to link to; {@code key}, for a secure link, is what the
     * home's side protects with ({@link dev.parley.relay.LinkKey#encoded}), null for a plain one.
     */
    record LinkOpenCall(String home, String room, String host, int port, int tag, String key) {

        @Override
        public String toString() {
            return "LinkOpenCall[" + home + ", " + room + ", " + host + ":" + port + (key == null ? ", plain]"
                    : ", secure]");
        }
    }

    /** Where a node's side of a link is: its relay's media address, the link's tag and key there (null: plain). */
    record LinkAddress(String host, int port, int tag, String key) {

        @Override
        public String toString() {
            return "LinkAddress[" + host + ":" + port + (key == null ? ", plain]" : ", secure]");
        }
    }

    /**
     * The tracks a node sends over a room's link, the whole list, numbered so that an older list arriving late is
     * dropped; {@code tag} names the receiver's side of the link, so that a list for a link since replaced is too.
     */
    record LinkTracksCall(String from, String room, int tag, long sequence, List<LinkTrack> tracks) {
    }

    record LinkCloseCall(String from, String room) {
    }
}
