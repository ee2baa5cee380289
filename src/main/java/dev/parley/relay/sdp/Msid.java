package dev.parley.relay.sdp;

import java.util.List;

/**
 * The media-level a=msid attribute (RFC 8830): {@code <stream id> [<track id>]}. Chrome writes {@code -} as the
 * stream id for a track without a stream.
 *
 * @param trackId the application data (track id), or null when absent
 */
public record Msid(String streamId, String trackId) {

    public Msid {
        Syntax.word(streamId, "msid stream id");
        if (trackId != null) {
            Syntax.word(trackId, "msid track id");
        }
    }

    static Msid parse(String value) {
        List<String> w = Syntax.words(value);
        if (w.isEmpty() || w.size() > 2) {
            throw new IllegalArgumentException("msid needs <stream id> [<track id>], found " + w.size() + " fields");
        }
        return new Msid(w.get(0), w.size() == 2 ? w.get(1) : null);
    }

    String format() {
        return trackId == null ? streamId : streamId + ' ' + trackId;
    }
}
