package dev.parley.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.authorization.AuthorityAuthorizationManager;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationManagers;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.savedrequest.NullRequestCache;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;

/**
 * The REST API's security filter chain ({@code /api/**}), ahead of the browser chain in
 * {@code web.SecurityConfiguration}: stateless (no HTTP session is read or created, so a signed-in browser's cookies
 * count for nothing here), no CSRF check (a bearer token is no ambient credential), {@link ApiTokenFilter}
 * authenticating by token, and every operation allowed by its row in {@link ApiAccess}: scope and role together. The
 * OpenAPI description (JSON, and YAML at openapi.json.yaml) is public.
 */
@Configuration(proxyBeanMethods = false)
class ApiSecurityConfiguration {

    /** Strictest policy: these responses are JSON, never pages. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'";

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE + 2)
    SecurityFilterChain apiSecurityFilterChain(HttpSecurity http, ApiTokens tokens, ApiTokenUses uses,
                                               ApiRateLimits limits, ObjectMapper json) throws Exception {
        PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
        ApiProblemWriter problems = new ApiProblemWriter(json);
        http
            .securityMatcher(paths.matcher("/api/**"))
            .authorizeHttpRequests(auth -> {
                auth.requestMatchers(paths.matcher(ApiAccess.SPEC), paths.matcher(ApiAccess.SPEC + ".yaml"),
                        paths.matcher(ApiAccess.SPEC + "/**")).permitAll();
                for (ApiAccess.Rule rule : ApiAccess.RULES) {
                    AuthorizationManager<RequestAuthorizationContext> access = AuthorizationManagers.allOf(
                            AuthorityAuthorizationManager.hasAuthority(rule.scope().authority()),
                            AuthorityAuthorizationManager.hasAnyRole(rule.roleNames()));
                    auth.requestMatchers(paths.matcher(rule.method(), rule.path())).access(access);
                    if (rule.method() == HttpMethod.GET) {
                        // Spring MVC runs the GET handler for a HEAD: without its own rule, a HEAD fell through to
                        // "authenticated", and any token ran every reading operation (its status told what it found).
                        auth.requestMatchers(paths.matcher(HttpMethod.HEAD, rule.path())).access(access);
                    }
                }
                auth.anyRequest().authenticated();
            })
            .addFilterBefore(new ApiTokenFilter(tokens, uses, limits, problems), AnonymousAuthenticationFilter.class)
            .securityContext(context -> context.securityContextRepository(
                    new RequestAttributeSecurityContextRepository()))
            .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
            .requestCache(cache -> cache.requestCache(new NullRequestCache()))
            .exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(problems)
                    .accessDeniedHandler(problems))
            .csrf(csrf -> csrf.disable())
            .logout(logout -> logout.disable())
            .headers(headers -> headers
                .contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
                .frameOptions(frame -> frame.deny())
                .httpStrictTransportSecurity(hsts -> hsts.includeSubDomains(true).maxAgeInSeconds(31_536_000)));
        return http.build();
    }
}
