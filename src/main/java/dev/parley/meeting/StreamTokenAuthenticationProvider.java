package dev.parley.meeting;

import dev.parley.rooms.Room;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import java.util.function.Function;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;

/**
 * Checks a {@link StreamTokenAuthentication}: the room its path names must exist, and the bearer token must be that
 * room's streaming token. Not a bean: a second {@link AuthenticationProvider} bean would stop Spring Boot from giving
 * the sign-in form its own provider, so {@link StreamingSecurityConfiguration} builds this one into its chain only.
 */
final class StreamTokenAuthenticationProvider implements AuthenticationProvider {

    private final Function<String, Optional<Room>> roomsBySlug;

    /** @param roomsBySlug the room a slug names ({@code RoomService::bySlug}) */
    StreamTokenAuthenticationProvider(Function<String, Optional<Room>> roomsBySlug) {
        this.roomsBySlug = roomsBySlug;
    }

    /** The path names no room: answered 404 like any unknown resource, whatever the token. */
    static final class UnknownRoomException extends AuthenticationException {
        UnknownRoomException() {
            super("There is no such room.");
        }
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        StreamTokenAuthentication claim = (StreamTokenAuthentication) authentication;
        Room room = roomsBySlug.apply(claim.slug()).orElseThrow(UnknownRoomException::new);
        if (!sameToken((String) claim.getCredentials(), room.getStreamToken())) {
            throw new BadCredentialsException("A valid bearer token for this room is required.");
        }
        return StreamTokenAuthentication.authenticated(room);
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return StreamTokenAuthentication.class.isAssignableFrom(authentication);
    }

    /**
     * Compares SHA-256 digests in constant time, so the time taken tells neither how much of the token was right nor
     * how long the room's token is.
     */
    static boolean sameToken(String given, String expected) {
        if (given == null || expected == null) {
            return false;
        }
        return MessageDigest.isEqual(sha256(given), sha256(expected));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }
}
