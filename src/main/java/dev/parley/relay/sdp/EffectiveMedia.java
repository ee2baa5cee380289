package dev.parley.relay.sdp;

import java.util.List;
import java.util.Optional;

/**
 * A media section's transport-related values with the session level as fallback: Firefox writes the fingerprint
 * (and libdatachannel the ice-options) at session level, Chrome everything per media section. A view, not a copy:
 * it reads the descriptions each time.
 */
public final class EffectiveMedia {

    private final SessionDescription session;
    private final MediaDescription media;

    EffectiveMedia(SessionDescription session, MediaDescription media) {
        this.session = session;
        this.media = media;
    }

    public MediaDescription media() {
        return media;
    }

    public Optional<String> iceUfrag() {
        return media.iceUfrag().or(session::iceUfrag);
    }

    public Optional<String> icePwd() {
        return media.icePwd().or(session::icePwd);
    }

    public List<String> iceOptions() {
        List<String> own = media.iceOptions();
        return own.isEmpty() ? session.iceOptions() : own;
    }

    /** Media-level fingerprints if there are any, else the session-level ones. */
    public List<Fingerprint> fingerprints() {
        List<Fingerprint> own = media.fingerprints();
        return own.isEmpty() ? session.fingerprints() : own;
    }

    public Optional<Fingerprint> fingerprint() {
        return media.fingerprint().or(session::fingerprint);
    }

    public Optional<Setup> setup() {
        return media.setup().or(session::setup);
    }

    /** The media direction, else the session direction (Firefox writes a=sendrecv there), else sendrecv. */
    public Direction direction() {
        return media.directionAttribute().or(session::directionAttribute).orElse(Direction.SENDRECV);
    }

    public Optional<Connection> connection() {
        return media.connection().or(session::connection);
    }

    /** Media-level extmaps if there are any, else the session-level ones (RFC 8285 allows both). */
    public List<HeaderExtension> extmaps() {
        List<HeaderExtension> own = media.extmaps();
        return own.isEmpty() ? session.extmaps() : own;
    }

    public boolean extmapAllowMixed() {
        return media.extmapAllowMixed() || session.extmapAllowMixed();
    }
}
