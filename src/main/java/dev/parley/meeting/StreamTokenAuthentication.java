package dev.parley.meeting;

import dev.parley.rooms.Room;
import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;

/**
 * A WHIP or WHEP request's claim to a room: the room its path names and the bearer token it carries; once
 * authenticated, the room itself. The principal is the room's slug, so the name on log lines is {@code stream:<slug>};
 * the token is never part of {@link #toString()} and is dropped once checked.
 */
final class StreamTokenAuthentication extends AbstractAuthenticationToken {

    private final String slug;
    private String token;
    private final Room room;

    private StreamTokenAuthentication(String slug, String token, Room room) {
        super(List.of());
        this.slug = slug;
        this.token = token;
        this.room = room;
        setAuthenticated(room != null);
    }

    /** A claim still to be checked; {@code token} is null when the request carried no bearer token. */
    static StreamTokenAuthentication unauthenticated(String slug, String token) {
        return new StreamTokenAuthentication(slug, token, null);
    }

    /** The room whose token the request carried. */
    static StreamTokenAuthentication authenticated(Room room) {
        return new StreamTokenAuthentication(room.getSlug(), null, room);
    }

    String slug() {
        return slug;
    }

    /** The authenticated room (null before authentication). */
    Room room() {
        return room;
    }

    @Override
    public Object getPrincipal() {
        return slug;
    }

    @Override
    public Object getCredentials() {
        return token;
    }

    @Override
    public String getName() {
        return "stream:" + slug;
    }

    @Override
    public void eraseCredentials() {
        token = null;
        super.eraseCredentials();
    }

    @Override
    public void setAuthenticated(boolean authenticated) {
        if (authenticated && room == null) {
            throw new IllegalArgumentException("Only the provider authenticates a stream token");
        }
        super.setAuthenticated(authenticated);
    }
}
