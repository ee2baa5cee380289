package dev.parley.accounts.sso;

import dev.parley.accounts.SignedInSessions;
import dev.parley.accounts.UserAccountRepository;
import dev.parley.audit.AuditLog;
import java.net.URI;
import java.time.Clock;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.config.annotation.authentication.builders.AuthenticationManagerBuilder;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestRedirectFilter;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Adds the configured ways of signing in to the browser's security chain (web.SecurityConfiguration): Parley's own
 * passwords unless PARLEY_LOCAL_LOGIN=false, then an LDAP directory's, through the one form; and a sign-in at each
 * OpenID Connect provider. Nothing changes while no provider and no directory is configured.
 */
@Component
public class SignInConfigurer {

    private static final Logger log = LoggerFactory.getLogger(SignInConfigurer.class);
    private static final String SIGNED_OUT = "/login?logout";

    private final SsoProperties properties;
    private final ExternalSignIns signIns;
    private final UserAccountRepository users;
    private final SignedInSessions sessions;
    private final AuditLog audit;
    private final TransactionTemplate transactions;
    private final OidcClients clients;
    private final Clock clock;

    SignInConfigurer(SsoProperties properties, ExternalSignIns signIns, UserAccountRepository users,
                     SignedInSessions sessions, AuditLog audit, TransactionTemplate transactions,
                     OidcClients clients, Clock clock) {
        this.properties = properties;
        this.clients = clients;
        this.signIns = signIns;
        this.users = users;
        this.sessions = sessions;
        this.audit = audit;
        this.transactions = transactions;
        this.clock = clock;
    }

    /**
     * @param localPasswords        the check of Parley's own passwords (e-mail and password against the account)
     * @param contentSecurityPolicy the chain's policy, whose form-action is widened to the providers' origins
     */
    public void configure(HttpSecurity http, AuthenticationProvider localPasswords, String contentSecurityPolicy)
            throws Exception {
        // The chain's own providers, in this order, and nothing from the application-wide manager (which holds the
        // local passwords too and would check them even when they are turned off). Local passwords come first: a
        // local admin still signs in while the directory is down, and a directory's answer (wrong password, or
        // unavailable) is the one the login page shows for everyone else.
        http.getSharedObject(AuthenticationManagerBuilder.class).parentAuthenticationManager(null);
        if (properties.localLogin()) {
            http.authenticationProvider(localPasswords);
        } else {
            log.info("Sign-in with Parley's own passwords is off (PARLEY_LOCAL_LOGIN=false)");
        }
        if (properties.ldap().enabled()) {
            http.authenticationProvider(new LdapSignIn(properties.ldap(), signIns, clock));
            log.info("Sign-in with the LDAP directory {} is on", properties.ldap().url());
        }
        if (!properties.passwordForm()) {
            http.addFilterBefore(new SignInGates.NoPasswordForm(), CsrfFilter.class);
        }
        if (properties.oidc().isEmpty()) {
            return;
        }
        properties.oidc().forEach(SignInConfigurer::check);
        OidcSignInHandlers handlers = new OidcSignInHandlers(users, sessions, audit, transactions, clock);
        ProviderSignOut signOut = new ProviderSignOut(clients, SIGNED_OUT);
        http.oauth2Login(oauth -> oauth
                .loginPage("/login")
                .clientRegistrationRepository(clients)
                .userInfoEndpoint(userInfo -> userInfo.oidcUserService(new OidcAccounts(properties.oidc(), signIns)))
                .successHandler(handlers)
                .failureHandler(handlers))
            .addFilterBefore(new SignInGates.ProviderAvailable(clients), OAuth2AuthorizationRequestRedirectFilter.class)
            .logout(logout -> logout.addLogoutHandler(signOut).logoutSuccessHandler(signOut))
            // "Sign out" is a form, and browsers hold a form's redirects to form-action: the provider's end-session
            // endpoint (on the issuer's origin) must be allowed, or the browser stays on the page.
            .headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(
                    contentSecurityPolicy.replace("form-action 'self'", "form-action 'self' " + providerOrigins()))));
        log.info("Sign-in with OpenID Connect providers: {}", properties.oidc().keySet());
    }

    /** A provider without an issuer URL or client id is a mistake the operator hears about at start. */
    private static void check(String id, SsoProperties.Oidc provider) {
        String prefix = "PARLEY_OIDC_" + id.toUpperCase(java.util.Locale.ROOT) + "_";
        if (!id.matches("[a-z0-9]{1,32}")) {
            throw new IllegalStateException("OpenID Connect provider id '" + id
                    + "': use 1 to 32 letters and digits (it appears in the callback URL)");
        }
        URI issuer;
        try {
            issuer = URI.create(provider.issuer() == null ? "" : provider.issuer().strip());
        } catch (IllegalArgumentException e) {
            issuer = URI.create("");
        }
        if (!("https".equals(issuer.getScheme()) || "http".equals(issuer.getScheme())) || issuer.getHost() == null) {
            throw new IllegalStateException(prefix + "ISSUER must be the provider's issuer URL (https://...)");
        }
        if (provider.clientId() == null || provider.clientId().isBlank()) {
            throw new IllegalStateException(prefix + "CLIENTID must be set");
        }
    }

    private String providerOrigins() {
        return properties.oidc().values().stream()
                .map(provider -> URI.create(provider.issuer().strip()))
                .map(issuer -> issuer.getScheme() + "://" + issuer.getHost()
                        + (issuer.getPort() == -1 ? "" : ":" + issuer.getPort()))
                .distinct().sorted().collect(Collectors.joining(" "));
    }
}
