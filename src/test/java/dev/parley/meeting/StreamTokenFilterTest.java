package dev.parley.meeting;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.rooms.Room;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletInputStream;
import java.io.BufferedReader;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;

/**
 * {@link StreamTokenFilter} with {@link StreamTokenAuthenticationProvider}, without a server: which requests it
 * refuses, with which answer, that it never touches the body, and what a request it lets through carries.
 */
class StreamTokenFilterTest {

    private static final String SLUG = "roomAroomAroomAroomA01";
    private static final String OTHER_SLUG = "roomBroomBroomBroomB02";
    private static final String TOKEN = "token-of-room-a-0123456789abcdefghijklmnopqrstuvwxyz";
    private static final String OTHER_TOKEN = "token-of-room-b-0123456789abcdefghijklmnopqrstuvwxyz";

    private final Map<String, Room> rooms = Map.of(SLUG, room(SLUG, TOKEN), OTHER_SLUG, room(OTHER_SLUG, OTHER_TOKEN));
    private final StreamTokenFilter filter = new StreamTokenFilter(new ProviderManager(
            new StreamTokenAuthenticationProvider(slug -> Optional.ofNullable(rooms.get(slug)))),
            new RequestAttributeSecurityContextRepository());

    /** What the rest of the chain (the controller) saw; null while it never ran. */
    private final AtomicReference<Optional<Authentication>> passedOn = new AtomicReference<>();
    private final FilterChain rest = (request, response) ->
            passedOn.set(Optional.ofNullable(SecurityContextHolder.getContext().getAuthentication()));

    @AfterEach
    void clearContext() {
        SecurityContextHolder.clearContext();
    }

    @Test
    void aMissingMalformedWrongOrOtherRoomsTokenIsRefusedWithoutTouchingTheBody() throws Exception {
        for (String authorization : new String[] {null, "Bearer", "Bearer ", "Basic " + TOKEN, TOKEN,
                "Bearer " + TOKEN + "x", "Bearer " + TOKEN.substring(1), "Bearer " + OTHER_TOKEN}) {
            MockHttpServletResponse response = send("POST", "/whip/" + SLUG, authorization);
            assertThat(response.getStatus()).as(String.valueOf(authorization)).isEqualTo(401);
            assertThat(response.getHeader("WWW-Authenticate")).isEqualTo("Bearer realm=\"parley\"");
            assertThat(response.getHeader("Connection")).isEqualTo("close");
            assertThat(response.getContentAsString()).isEqualTo("A valid bearer token for this room is required.\n");
            assertThat(passedOn.get()).as("the controller must not run").isNull();
            assertThat(SecurityContextHolder.getContext().getAuthentication()).isNull();
        }
        assertThat(send("POST", "/whep/" + SLUG, "Bearer " + OTHER_TOKEN).getStatus()).isEqualTo(401);
        assertThat(send("DELETE", "/whip/" + SLUG + "/s1", "Bearer " + OTHER_TOKEN).getStatus()).isEqualTo(401);
        assertThat(send("DELETE", "/whep/" + SLUG + "/s1", null).getStatus()).isEqualTo(401);
        assertThat(passedOn.get()).isNull();
    }

    @Test
    void anUnknownRoomIsNotFoundWhateverTheToken() throws Exception {
        for (String authorization : new String[] {null, "Bearer " + TOKEN, "Bearer wrong"}) {
            MockHttpServletResponse response = send("POST", "/whip/AAAAAAAAAAAAAAAAAAAAAA", authorization);
            assertThat(response.getStatus()).isEqualTo(404);
            assertThat(response.getHeader("WWW-Authenticate")).isNull();
            assertThat(response.getContentAsString()).isEqualTo("There is no such room.\n");
        }
        assertThat(send("DELETE", "/whep/AAAAAAAAAAAAAAAAAAAAAA/s1", "Bearer " + TOKEN).getStatus()).isEqualTo(404);
        assertThat(passedOn.get()).isNull();
    }

    @Test
    void theRoomsOwnTokenPassesWithTheRoomAndWithoutTheToken() throws Exception {
        for (String[] request : new String[][] {{"POST", "/whip/" + SLUG}, {"POST", "/whep/" + SLUG},
                {"DELETE", "/whip/" + SLUG + "/s1"}, {"DELETE", "/whep/" + SLUG + "/s1"}}) {
            passedOn.set(null);
            MockHttpServletResponse response = send(request[0], request[1], "bearer  " + TOKEN + " ");
            assertThat(response.getStatus()).isEqualTo(200);
            Authentication seen = passedOn.get().orElseThrow();
            assertThat(seen).isInstanceOf(StreamTokenAuthentication.class);
            assertThat(seen.isAuthenticated()).isTrue();
            assertThat(((StreamTokenAuthentication) seen).room()).isSameAs(rooms.get(SLUG));
            assertThat(seen.getName()).isEqualTo("stream:" + SLUG);
            assertThat(seen.getCredentials()).isNull();
            assertThat(seen.toString()).doesNotContain(TOKEN);
        }
        assertThat(send("POST", "/whip/" + OTHER_SLUG, "Bearer " + OTHER_TOKEN).getStatus()).isEqualTo(200);
    }

    @Test
    void requestsThatActOnNothingPassWithoutAToken() throws Exception {
        for (String[] request : new String[][] {{"OPTIONS", "/whip/" + SLUG}, {"OPTIONS", "/whep/" + SLUG},
                {"PATCH", "/whip/" + SLUG + "/s1"}, {"GET", "/whep/" + SLUG}, {"PUT", "/whip/" + SLUG + "/s1"}}) {
            passedOn.set(null);
            assertThat(send(request[0], request[1], null).getStatus()).isEqualTo(200);
            assertThat(passedOn.get()).as(request[0] + " " + request[1]).isEmpty();
        }
    }

    @Test
    void tokensAreComparedWhole() {
        assertThat(StreamTokenAuthenticationProvider.sameToken(TOKEN, TOKEN)).isTrue();
        assertThat(StreamTokenAuthenticationProvider.sameToken(TOKEN, OTHER_TOKEN)).isFalse();
        assertThat(StreamTokenAuthenticationProvider.sameToken(TOKEN.substring(0, 10), TOKEN)).isFalse();
        assertThat(StreamTokenAuthenticationProvider.sameToken("", TOKEN)).isFalse();
        assertThat(StreamTokenAuthenticationProvider.sameToken(null, TOKEN)).isFalse();
        assertThat(StreamTokenAuthenticationProvider.sameToken(TOKEN, null)).isFalse();
    }

    private MockHttpServletResponse send(String method, String path, String authorization) throws Exception {
        MockHttpServletRequest request = new UntouchableBody(method, path);
        request.setContentType("application/sdp");
        request.addHeader("Content-Length", Long.toString(150L * 1024 * 1024));
        if (authorization != null) {
            request.addHeader("Authorization", authorization);
        }
        MockHttpServletResponse response = new MockHttpServletResponse();
        filter.doFilter(request, response, rest);
        return response;
    }

    private static Room room(String slug, String token) {
        Room room = new Room(slug, null, Instant.EPOCH);
        room.setStreamToken(token);
        return room;
    }

    /** A request with a huge body that fails the test if anything reads it. */
    private static final class UntouchableBody extends MockHttpServletRequest {
        UntouchableBody(String method, String path) {
            super(method, path);
        }

        @Override
        public ServletInputStream getInputStream() {
            throw new AssertionError("the body was read");
        }

        @Override
        public BufferedReader getReader() {
            throw new AssertionError("the body was read");
        }
    }
}
