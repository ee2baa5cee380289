package dev.parley.accounts.sso;

import dev.parley.accounts.SignedInSessions;
import dev.parley.accounts.UserAccountRepository;
import dev.parley.audit.AuditLog;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.config.annotation.authentication.builders.AuthenticationManagerBuilder;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestRedirectFilter;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
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
    private final Clock clock;

    SignInConfigurer(SsoProperties properties, ExternalSignIns signIns, UserAccountRepository users,
                     SignedInSessions sessions, AuditLog audit, TransactionTemplate transactions, Clock clock) {
        this.properties = properties;
        this.signIns = signIns;
        this.users = users;
        this.sessions = sessions;
        this.audit = audit;
        this.transactions = transactions;
        this.clock = clock;
    }

    /**
     * @param localPasswords the check of Parley's own passwords (e-mail and password against the account)
     */
    public void configure(HttpSecurity http, AuthenticationProvider localPasswords) throws Exception {
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
            http.addFilterBefore(new SignInGates.NoPasswordForm(), UsernamePasswordAuthenticationFilter.class);
        }
        if (properties.oidc().isEmpty()) {
            return;
        }
        OidcClients clients = new OidcClients(properties.oidc());
        OidcSignInHandlers handlers = new OidcSignInHandlers(users, sessions, audit, transactions, clock);
        ProviderSignOut signOut = new ProviderSignOut(clients, SIGNED_OUT);
        http.oauth2Login(oauth -> oauth
                .loginPage("/login")
                .clientRegistrationRepository(clients)
                .userInfoEndpoint(userInfo -> userInfo.oidcUserService(new OidcAccounts(properties.oidc(), signIns)))
                .successHandler(handlers)
                .failureHandler(handlers))
            .addFilterBefore(new SignInGates.ProviderAvailable(clients), OAuth2AuthorizationRequestRedirectFilter.class)
            .logout(logout -> logout.addLogoutHandler(signOut).logoutSuccessHandler(signOut));
        log.info("Sign-in with OpenID Connect providers: {}", properties.oidc().keySet());
    }
}
