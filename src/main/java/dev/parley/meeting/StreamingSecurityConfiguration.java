package dev.parley.meeting;

import dev.parley.rooms.RoomService;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.savedrequest.NullRequestCache;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;

/**
 * The security filter chain of WHIP and WHEP ({@code /whip/**}, {@code /whep/**}), ahead of the browser chain in
 * {@code web.SecurityConfiguration}: stateless (no HTTP session is read or created, so a browser's cookies count for
 * nothing here), no CSRF (the bearer token is no ambient credential), and {@link StreamTokenFilter} authenticating the
 * requests that act on a room. OPTIONS, PATCH (always 405) and methods without a handler (405) need no token.
 */
@Configuration(proxyBeanMethods = false)
class StreamingSecurityConfiguration {

    /** Strictest policy: these responses are SDP and plain text, never pages. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'";

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    SecurityFilterChain streamingSecurityFilterChain(HttpSecurity http, RoomService rooms) throws Exception {
        SecurityContextRepository contexts = new RequestAttributeSecurityContextRepository();
        StreamTokenFilter tokens = new StreamTokenFilter(
                new ProviderManager(new StreamTokenAuthenticationProvider(rooms::bySlug)), contexts);
        http
            // Path-pattern matchers need no Spring MVC introspector, so the chain also builds where there is no web
            // server (tests that run without one).
            .securityMatcher(new OrRequestMatcher(PathPatternRequestMatcher.withDefaults().matcher("/whip/**"),
                    PathPatternRequestMatcher.withDefaults().matcher("/whep/**")))
            .authorizeHttpRequests(auth -> auth
                .requestMatchers(StreamTokenFilter.actingOnARoom()).authenticated()
                .anyRequest().permitAll())
            .addFilterBefore(tokens, AnonymousAuthenticationFilter.class)
            .securityContext(context -> context.securityContextRepository(contexts))
            .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
            .requestCache(cache -> cache.requestCache(new NullRequestCache()))
            .exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(StreamTokenFilter.entryPoint()))
            .csrf(csrf -> csrf.disable())
            .logout(logout -> logout.disable())
            .headers(headers -> headers
                .contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
                .frameOptions(frame -> frame.deny())
                .httpStrictTransportSecurity(hsts -> hsts.includeSubDomains(true).maxAgeInSeconds(31_536_000)));
        return http.build();
    }
}
