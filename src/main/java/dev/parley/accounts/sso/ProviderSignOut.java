package dev.parley.accounts.sso;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.io.Serializable;
import java.util.List;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken;
import org.springframework.security.oauth2.client.oidc.web.logout.OidcClientInitiatedLogoutSuccessHandler;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.web.authentication.logout.LogoutHandler;
import org.springframework.security.web.authentication.logout.LogoutSuccessHandler;

/**
 * Signing out of a session opened at an OpenID Connect provider also signs out there, when the provider advertises
 * an end_session_endpoint (RP-initiated logout): the browser goes to the provider with the ID token as a hint and comes
 * back to Parley's login page. Other sessions end at Parley's login page as before.
 *
 * <p>The session holds the Parley account's snapshot, not the provider's token, so the ID token is kept beside it at
 * sign-in; the logout handler takes it out before the session is invalidated, and the success handler hands it to
 * Spring Security's own {@link OidcClientInitiatedLogoutSuccessHandler}.
 */
class ProviderSignOut implements LogoutHandler, LogoutSuccessHandler {

    static final String SESSION_ATTRIBUTE = ProviderSignOut.class.getName() + ".SESSION";
    private static final String REQUEST_ATTRIBUTE = ProviderSignOut.class.getName() + ".ENDING";

    /** Which provider the session came from, and its ID token. */
    record ProviderSession(String registrationId, OidcIdToken idToken) implements Serializable {
    }

    private final OidcClientInitiatedLogoutSuccessHandler atProvider;

    ProviderSignOut(ClientRegistrationRepository clients, String signedOutUrl) {
        this.atProvider = new OidcClientInitiatedLogoutSuccessHandler(clients);
        atProvider.setPostLogoutRedirectUri("{baseUrl}" + signedOutUrl);
        atProvider.setDefaultTargetUrl(signedOutUrl);
    }

    @Override
    public void logout(HttpServletRequest request, HttpServletResponse response, Authentication authentication) {
        HttpSession session = request.getSession(false);
        if (session != null && session.getAttribute(SESSION_ATTRIBUTE) instanceof ProviderSession ending) {
            request.setAttribute(REQUEST_ATTRIBUTE, ending);
        }
    }

    @Override
    public void onLogoutSuccess(HttpServletRequest request, HttpServletResponse response,
                                Authentication authentication) throws IOException, ServletException {
        Authentication atProviderSession = authentication;
        if (request.getAttribute(REQUEST_ATTRIBUTE) instanceof ProviderSession ending) {
            atProviderSession = new OAuth2AuthenticationToken(new DefaultOidcUser(List.of(), ending.idToken()),
                    List.of(), ending.registrationId());
        }
        atProvider.onLogoutSuccess(request, response, atProviderSession);
    }
}
