package dev.parley.web;

import dev.parley.accounts.AccountProperties;
import dev.parley.accounts.AccountSessionFilter;
import dev.parley.accounts.BoundedPasswordEncoder;
import dev.parley.accounts.LoginThrottle;
import dev.parley.accounts.LoginThrottleFilter;
import dev.parley.accounts.ParleyUserDetailsService;
import dev.parley.accounts.PasswordHashingBusy;
import dev.parley.accounts.RememberMeTheftFilter;
import dev.parley.accounts.SignedInSessions;
import dev.parley.accounts.UserAccountRepository;
import dev.parley.accounts.sso.SignInConfigurer;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.server.CookieSameSiteSupplier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.InternalAuthenticationServiceException;
import org.springframework.security.authentication.DisabledException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.Http403ForbiddenEntryPoint;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.authentication.rememberme.RememberMeAuthenticationFilter;
import org.springframework.security.web.authentication.rememberme.JdbcTokenRepositoryImpl;
import org.springframework.security.web.authentication.rememberme.PersistentTokenRepository;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.security.web.savedrequest.NullRequestCache;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;

@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
class SecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);

    /**
     * No inline scripts or styles anywhere: every page loads its JS and CSS from /js and /css. Media and WebSocket
     * signalling stay on the same origin ('self' covers ws: and wss: to this host).
     */
    static final String CONTENT_SECURITY_POLICY = String.join("; ",
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data: blob:",
            "media-src 'self' blob: mediastream:",
            "connect-src 'self'",
            "font-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'");

    static final String PERMISSIONS_POLICY =
            "camera=(self), microphone=(self), display-capture=(self), speaker-selection=(self), geolocation=(), payment=()";

    /**
     * The browser chain: every request but WHIP and WHEP, which have their own stateless chain with bearer tokens
     * ({@code meeting.StreamingSecurityConfiguration}, ordered first), the calendar feeds (the chain below) and the
     * REST API ({@code api.ApiSecurityConfiguration}).
     */
    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http, ParleyUserDetailsService userDetailsService,
                                            PersistentTokenRepository rememberMeTokens,
                                            LoginFailureHandler loginFailureHandler,
                                            UserAccountRepository users, SignedInSessions sessions,
                                            LoginThrottle loginThrottle, Clock clock,
                                            AccountProperties accountProperties,
                                            SignInConfigurer signIn, DaoAuthenticationProvider localPasswords,
                                            @Value("${parley.security.remember-me-key:}") String configuredRememberMeKey,
                                            @Value("${management.server.port:-1}") int managementPort)
            throws Exception {
        http
            .authorizeHttpRequests(auth -> auth
                .requestMatchers("/css/**", "/js/**", "/img/**", "/favicon.ico", "/error", "/login").permitAll()
                .requestMatchers("/", "/lang").permitAll()
                // 404 where no SMTP server is set up (PasswordResets), for everyone alike
                .requestMatchers("/forgot-password", "/reset-password").permitAll()
                .requestMatchers("/r/**").permitAll()
                .requestMatchers("/ws/signal").permitAll()
                .requestMatchers("/actuator/health", "/actuator/health/**").permitAll()
                .requestMatchers(LocalManagementPort.matcher(managementPort)).permitAll()
                .requestMatchers("/actuator/**").hasRole("ADMIN")
                .requestMatchers("/admin", "/admin/**").hasRole("ADMIN")
                .requestMatchers("/rooms", "/rooms/**").hasAnyRole("ADMIN", "HOST")
                .requestMatchers("/profile/calendar-feed", "/profile/calendar-feed/**").hasAnyRole("ADMIN", "HOST")
                .requestMatchers("/profile/api-tokens", "/profile/api-tokens/**").hasAnyRole("ADMIN", "HOST")
                .anyRequest().authenticated())
            .formLogin(form -> form
                .loginPage("/login")
                .usernameParameter("email")
                .passwordParameter("password")
                .defaultSuccessUrl("/")
                .failureHandler(loginFailureHandler)
                .permitAll())
            .logout(logout -> logout
                .logoutRequestMatcher(PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.POST, "/logout"))
                .logoutSuccessUrl("/login?logout")
                .deleteCookies("PARLEY_SESSION"))
            .rememberMe(remember -> remember
                .tokenRepository(rememberMeTokens)
                .userDetailsService(userDetailsService)
                .rememberMeParameter("remember-me")
                .rememberMeCookieName(SignedInSessions.REMEMBER_ME_COOKIE)
                .key(configuredRememberMeKey.isBlank() ? RandomKeys.base64Url(32) : configuredRememberMeKey)
                .tokenValiditySeconds((int) accountProperties.security().rememberMeValidity().toSeconds()))
            .addFilterBefore(new LoginThrottleFilter(loginThrottle, clock), UsernamePasswordAuthenticationFilter.class)
            .addFilterBefore(new RememberMeTheftFilter(), RememberMeAuthenticationFilter.class)
            .addFilterAfter(new AccountSessionFilter(users, sessions), RememberMeAuthenticationFilter.class)
            .sessionManagement(session -> session.sessionFixation(fixation -> fixation.changeSessionId()))
            .headers(headers -> headers
                .contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
                .frameOptions(frame -> frame.deny())
                .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.SAME_ORIGIN))
                .permissionsPolicyHeader(permissions -> permissions.policy(PERMISSIONS_POLICY))
                .httpStrictTransportSecurity(hsts -> hsts.includeSubDomains(true).maxAgeInSeconds(31_536_000)));
        // Single sign-on (OpenID Connect, LDAP) and PARLEY_LOCAL_LOGIN: dev.parley.accounts.sso
        signIn.configure(http, localPasswords, CONTENT_SECURITY_POLICY);
        return http.build();
    }

    /**
     * The calendar feeds ({@code /calendar/{token}.ics}, calendar.CalendarFeedController), ahead of the browser chain:
     * calendar apps fetch them with the token in the path and nothing else, so anyone may GET (or HEAD) them, and
     * nothing else is allowed (403). Stateless: no session is read or created, a signed-in browser's cookies count for
     * nothing, and there is no CSRF check, as nothing here changes anything.
     */
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE + 1)
    SecurityFilterChain calendarFeedSecurityFilterChain(HttpSecurity http) throws Exception {
        PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
        http
            .securityMatcher(paths.matcher("/calendar/**"))
            .authorizeHttpRequests(auth -> auth
                .requestMatchers(paths.matcher(HttpMethod.GET, "/calendar/**"),
                        paths.matcher(HttpMethod.HEAD, "/calendar/**")).permitAll()
                .anyRequest().denyAll())
            .securityContext(context -> context.securityContextRepository(
                    new RequestAttributeSecurityContextRepository()))
            .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
            .requestCache(cache -> cache.requestCache(new NullRequestCache()))
            .exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(new Http403ForbiddenEntryPoint()))
            .csrf(csrf -> csrf.disable())
            .logout(logout -> logout.disable())
            .headers(headers -> headers
                .contentSecurityPolicy(csp -> csp.policyDirectives("default-src 'none'; frame-ancestors 'none'"))
                .frameOptions(frame -> frame.deny())
                .httpStrictTransportSecurity(hsts -> hsts.includeSubDomains(true).maxAgeInSeconds(31_536_000)));
        return http.build();
    }

    /**
     * Sign-in by e-mail and password. Only a lock is checked before the password (locks come alike for existing and
     * unknown e-mails); "disabled" is told only to someone who gave the right password, so a wrong password gets the
     * same answer for an unknown, a disabled and an active account.
     */
    @Bean
    DaoAuthenticationProvider authenticationProvider(ParleyUserDetailsService userDetailsService,
                                                     PasswordEncoder passwordEncoder) {
        DaoAuthenticationProvider provider = new DaoAuthenticationProvider(userDetailsService) {
            // Too many hashes at once (checking, or hashing for an unknown e-mail) is not the person's mistake: told
            // as such, not as a wrong password nor as a server error. Internal, so that no other provider (LDAP) is
            // asked instead, whose refusal would count as a failed sign-in.
            @Override
            public Authentication authenticate(Authentication authentication) {
                try {
                    return super.authenticate(authentication);
                } catch (PasswordHashingBusy e) {
                    throw new InternalAuthenticationServiceException("password hashing busy", e);
                }
            }

            // The right password, whose hash of a lower cost is made again here: that waits for a later sign-in
            // rather than refuse this one.
            @Override
            protected Authentication createSuccessAuthentication(Object principal, Authentication authentication,
                                                                 UserDetails user) {
                try {
                    return super.createSuccessAuthentication(principal, authentication, user);
                } catch (PasswordHashingBusy e) {
                    UsernamePasswordAuthenticationToken result = UsernamePasswordAuthenticationToken.authenticated(
                            principal, authentication.getCredentials(), user.getAuthorities());
                    result.setDetails(authentication.getDetails());
                    return result;
                }
            }
        };
        provider.setPasswordEncoder(passwordEncoder);
        provider.setUserDetailsPasswordService(userDetailsService);
        provider.setPreAuthenticationChecks(user -> {
            if (!user.isAccountNonLocked()) {
                throw new LockedException("locked");
            }
        });
        provider.setPostAuthenticationChecks(user -> {
            if (!user.isEnabled()) {
                throw new DisabledException("disabled");
            }
        });
        return provider;
    }

    /** The remember-me cookie gets SameSite=Lax like the session cookie (Spring Security sets no SameSite itself). */
    @Bean
    CookieSameSiteSupplier rememberMeSameSite() {
        return CookieSameSiteSupplier.ofLax().whenHasName(SignedInSessions.REMEMBER_ME_COOKIE);
    }

    /**
     * Argon2id at the configured cost for new hashes; older BCrypt hashes, and Argon2 hashes of a lower cost, still
     * verify and are made again at the next login.
     */
    @Bean
    PasswordEncoder passwordEncoder(AccountProperties properties) {
        AccountProperties.PasswordHashing cost = properties.security().passwordHashing();
        if (cost.weak()) {
            log.warn("Password hashing is set below OWASP's recommendation (Argon2id at {} KiB and 2 passes, or as "
                    + "much memory times passes): {} KiB, {} passes",
                    AccountProperties.PasswordHashing.RECOMMENDED_MEMORY_KIB, cost.memoryKib(), cost.iterations());
        }
        Map<String, PasswordEncoder> encoders = new HashMap<>();
        // A 16-byte salt and a 32-byte hash, as Spring Security's defaults.
        encoders.put("argon2", new Argon2PasswordEncoder(16, 32, cost.parallelism(), cost.memoryKib(),
                cost.iterations()));
        encoders.put("bcrypt", new BCryptPasswordEncoder());
        int bound = cost.concurrency(Runtime.getRuntime().maxMemory(), Runtime.getRuntime().availableProcessors());
        log.info("Password hashing: Argon2id at {} KiB, {} passes, {} lanes; at most {} at once",
                cost.memoryKib(), cost.iterations(), cost.parallelism(), bound);
        return new BoundedPasswordEncoder(new DelegatingPasswordEncoder("argon2", encoders), bound, cost.maxWait());
    }

    @Bean
    PersistentTokenRepository rememberMeTokens(DataSource dataSource) {
        JdbcTokenRepositoryImpl repository = new JdbcTokenRepositoryImpl();
        repository.setDataSource(dataSource);
        return repository;
    }
}
