package dev.parley.meeting;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates the WHIP and WHEP requests that act on a room (POST an offer, DELETE a session) by the bearer token
 * of the room their path names, from the headers alone: a refused request is answered before anything reads its
 * body, and with {@code Connection: close} so the server does not read the rest of it either. Unknown room: 404,
 * whatever the token; a missing, malformed or wrong token (another room's included): 401 with
 * {@code WWW-Authenticate: Bearer}. OPTIONS and PATCH act on nothing and pass unauthenticated, as before.
 *
 * <p>Shaped like Spring Security's {@code BearerTokenAuthenticationFilter} (which needs the OAuth2 resource server),
 * except that a request without a token is refused here rather than left anonymous, so that an unknown room is
 * still told apart from a wrong token.
 */
final class StreamTokenFilter extends OncePerRequestFilter {

    private static final List<RequestMatcher> ACTING_ON_A_ROOM = List.of(
            PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.POST, "/whip/{slug}"),
            PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.POST, "/whep/{slug}"),
            PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.DELETE, "/whip/{slug}/{sessionId}"),
            PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.DELETE, "/whep/{slug}/{sessionId}"));

    private final AuthenticationManager authenticationManager;
    private final SecurityContextRepository contexts;
    private final SecurityContextHolderStrategy holder = SecurityContextHolder.getContextHolderStrategy();

    StreamTokenFilter(AuthenticationManager authenticationManager, SecurityContextRepository contexts) {
        this.authenticationManager = authenticationManager;
        this.contexts = contexts;
    }

    /** The requests this filter authenticates; the chain requires them to be authenticated. */
    static RequestMatcher actingOnARoom() {
        return request -> ACTING_ON_A_ROOM.stream().anyMatch(matcher -> matcher.matches(request));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String slug = slugOf(request);
        if (slug == null) {
            chain.doFilter(request, response);
            return;
        }
        Authentication result;
        try {
            result = authenticationManager.authenticate(StreamTokenAuthentication.unauthenticated(slug,
                    bearerToken(request.getHeader(HttpHeaders.AUTHORIZATION))));
        } catch (AuthenticationException refused) {
            holder.clearContext();
            refuse(request, response, refused);
            return;
        }
        SecurityContext context = holder.createEmptyContext();
        context.setAuthentication(result);
        holder.setContext(context);
        contexts.saveContext(context, request, response);
        chain.doFilter(request, response);
    }

    private static String slugOf(HttpServletRequest request) {
        for (RequestMatcher matcher : ACTING_ON_A_ROOM) {
            RequestMatcher.MatchResult match = matcher.matcher(request);
            if (match.isMatch()) {
                return match.getVariables().get("slug");
            }
        }
        return null;
    }

    /** The token of an {@code Authorization: Bearer <token>} header (scheme in any case), or null. */
    static String bearerToken(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return authorization.substring(7).strip();
    }

    /**
     * Writes the refusal: 404 for an unknown room, otherwise 401 with a Bearer challenge. Also the chain's entry point,
     * should a request reach authorisation unauthenticated.
     */
    static void refuse(HttpServletRequest request, HttpServletResponse response, AuthenticationException refused)
            throws IOException {
        boolean unknownRoom = refused instanceof StreamTokenAuthenticationProvider.UnknownRoomException;
        response.setStatus(unknownRoom ? HttpServletResponse.SC_NOT_FOUND : HttpServletResponse.SC_UNAUTHORIZED);
        if (!unknownRoom) {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"parley\"");
        }
        // The body stays unread: this connection ends with the response.
        response.setHeader(HttpHeaders.CONNECTION, "close");
        response.setContentType(MediaType.TEXT_PLAIN_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write(unknownRoom ? "There is no such room.\n"
                : "A valid bearer token for this room is required.\n");
    }

    /** {@link #refuse} as Spring Security's entry point. */
    static AuthenticationEntryPoint entryPoint() {
        return StreamTokenFilter::refuse;
    }
}
