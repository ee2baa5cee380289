package dev.parley.relay.client;

import dev.parley.relay.sdp.Direction;

/**
 * What an offer made by this endpoint contains: one audio and one video m-section (mids "0" and "1") with the given
 * directions; null leaves a kind out.
 */
public record OfferOptions(Direction audio, Direction video) {

    public OfferOptions {
        if (audio == null && video == null) {
            throw new IllegalArgumentException("an offer needs at least one m-section");
        }
    }

    /** WHIP (RFC 9725): we publish audio and video. */
    public static OfferOptions whip() {
        return new OfferOptions(Direction.SENDONLY, Direction.SENDONLY);
    }

    /** WHEP: we only receive audio and video. */
    public static OfferOptions whep() {
        return new OfferOptions(Direction.RECVONLY, Direction.RECVONLY);
    }
}
