package dev.parley.api;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates API requests by their {@code Authorization: Bearer} token, looked up afresh on every request (so a
 * revoked token, or one whose owner was disabled, stops at once), then takes the request from the token's allowance.
 * A request without the header passes on anonymous (the chain's entry point answers 401 where a token is needed); a
 * header with a token that opens nothing is answered 401 here (a token that opens something is noted as used, see
 * {@link ApiTokenUses}), and a body over 64 KiB (or of unknown length) 413 or
 * 411, before it is read.
 *
 * <p>Shaped like Spring Security's {@code BearerTokenAuthenticationFilter}, which needs the OAuth2 resource server
 * and JWT or introspection; these tokens are opaque and looked up in Parley's own table.
 */
final class ApiTokenFilter extends OncePerRequestFilter {

    /** The largest JSON body any operation takes (a room with the longest description is under 8 KiB). */
    static final long MAX_BODY_BYTES = 64 * 1024;

    private final ApiTokens tokens;
    private final ApiTokenUses uses;
    private final ApiRateLimits limits;
    private final ApiProblemWriter problems;
    private final SecurityContextHolderStrategy holder = SecurityContextHolder.getContextHolderStrategy();

    ApiTokenFilter(ApiTokens tokens, ApiTokenUses uses, ApiRateLimits limits, ApiProblemWriter problems) {
        this.tokens = tokens;
        this.uses = uses;
        this.limits = limits;
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization == null) {
            chain.doFilter(request, response);
            return;
        }
        Optional<ApiTokens.Caller> caller = tokens.authenticate(bearerToken(authorization));
        if (caller.isEmpty()) {
            holder.clearContext();
            problems.invalidToken(request, response);
            return;
        }
        uses.used(caller.get());
        Optional<Duration> wait = limits.refusal(caller.get().tokenId());
        if (wait.isPresent()) {
            problems.tooManyRequests(request, response, Math.max(1, (wait.get().toMillis() + 999) / 1000));
            return;
        }
        if (request.getContentLengthLong() > MAX_BODY_BYTES || (request.getContentLengthLong() < 0
                && request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null)) {
            problems.bodyRefused(request, response, MAX_BODY_BYTES);
            return;
        }
        SecurityContext context = holder.createEmptyContext();
        context.setAuthentication(new ApiTokenAuthentication(caller.get()));
        holder.setContext(context);
        try {
            chain.doFilter(request, response);
        } finally {
            holder.clearContext();
        }
    }

    /** The token of an {@code Authorization: Bearer <token>} header (scheme in any case), or null. */
    static String bearerToken(String authorization) {
        if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return authorization.substring(7).strip();
    }
}
