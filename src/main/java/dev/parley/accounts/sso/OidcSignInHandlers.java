package dev.parley.accounts.sso;

import dev.parley.accounts.SignedInSessions;
import dev.parley.accounts.UserAccount;
import dev.parley.accounts.UserAccountRepository;
import dev.parley.audit.AuditAction;
import dev.parley.audit.AuditLog;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.DisabledException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.authentication.SavedRequestAwareAuthenticationSuccessHandler;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The end of a sign-in at an OpenID Connect provider. On success the session gets the Parley account's own snapshot
 * (the same as after a password sign-in, so every account rule applies to it alike), the ID token is kept for signing
 * out at the provider, and the sign-in is audited. On failure the login page says why, in words.
 */
class OidcSignInHandlers implements AuthenticationSuccessHandler, AuthenticationFailureHandler {

    private static final Logger log = LoggerFactory.getLogger(OidcSignInHandlers.class);

    private final UserAccountRepository users;
    private final SignedInSessions sessions;
    private final AuditLog audit;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final SavedRequestAwareAuthenticationSuccessHandler next =
            new SavedRequestAwareAuthenticationSuccessHandler();

    OidcSignInHandlers(UserAccountRepository users, SignedInSessions sessions, AuditLog audit,
                       TransactionTemplate transactions, Clock clock) {
        this.users = users;
        this.sessions = sessions;
        this.audit = audit;
        this.transactions = transactions;
        this.clock = clock;
        next.setDefaultTargetUrl("/");
    }

    @Override
    public void onAuthenticationSuccess(HttpServletRequest request, HttpServletResponse response,
                                        Authentication authentication) throws IOException, ServletException {
        if (!(authentication instanceof OAuth2AuthenticationToken token)
                || !(token.getPrincipal() instanceof SignedInOidcUser user)) {
            throw new IllegalStateException("not an OpenID Connect sign-in: " + authentication.getClass());
        }
        String address = request.getRemoteAddr();
        UserAccount account = transactions.execute(status -> {
            UserAccount signedIn = users.findById(user.accountId()).orElseThrow();
            users.recordSuccessfulLogin(signedIn.getId(), clock.instant());
            audit.recordBy(signedIn.getId(), signedIn.getEmail(), address, AuditAction.LOGIN_SUCCEEDED,
                    signedIn.getEmail(), "from " + address);
            return signedIn;
        });
        sessions.refresh(account, request, response);
        request.getSession().setAttribute(ProviderSignOut.SESSION_ATTRIBUTE,
                new ProviderSignOut.ProviderSession(token.getAuthorizedClientRegistrationId(), user.getIdToken()));
        next.onAuthenticationSuccess(request, response, authentication);
    }

    @Override
    public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response,
                                        AuthenticationException exception) throws IOException {
        String reason;
        if (exception instanceof DisabledException) {
            reason = "disabled";
        } else if (exception instanceof ExternalSignInRefused refused) {
            reason = refused.reason();
        } else {
            reason = ExternalSignInRefused.FAILED;
            String detail = exception instanceof OAuth2AuthenticationException oauth
                    ? oauth.getError().getErrorCode() + " " + oauth.getError().getDescription() : exception.getMessage();
            log.warn("A sign-in with an OpenID Connect provider failed from {}: {}", request.getRemoteAddr(), detail);
        }
        response.sendRedirect(request.getContextPath() + "/login?error=" + reason);
    }
}
