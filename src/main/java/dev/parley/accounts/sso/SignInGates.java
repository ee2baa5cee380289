package dev.parley.accounts.sso;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.web.filter.OncePerRequestFilter;

/** Small filters that turn a sign-in away with the login page's words rather than an error page. */
final class SignInGates {

    private SignInGates() {
    }

    private static String path(HttpServletRequest request) {
        return request.getRequestURI().substring(request.getContextPath().length());
    }

    /** Without local passwords and LDAP there is no form: a POST to /login is refused before any check. */
    static final class NoPasswordForm extends OncePerRequestFilter {

        @Override
        protected boolean shouldNotFilter(HttpServletRequest request) {
            return !"POST".equals(request.getMethod()) || !"/login".equals(path(request));
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws IOException {
            response.sendRedirect(request.getContextPath() + "/login?error=password-off");
        }
    }

    /**
     * A sign-in with a provider that is not configured or cannot be reached now goes back to the login page with a
     * message (Spring Security would answer 500).
     */
    static final class ProviderAvailable extends OncePerRequestFilter {

        private static final Pattern START = Pattern.compile("/oauth2/authorization/([^/]{1,64})");

        private final ClientRegistrationRepository clients;

        ProviderAvailable(ClientRegistrationRepository clients) {
            this.clients = clients;
        }

        @Override
        protected boolean shouldNotFilter(HttpServletRequest request) {
            return !path(request).startsWith("/oauth2/authorization/");
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            Matcher matcher = START.matcher(path(request));
            if (!matcher.matches() || clients.findByRegistrationId(matcher.group(1)) == null) {
                response.sendRedirect(request.getContextPath() + "/login?error=sso-unavailable");
                return;
            }
            chain.doFilter(request, response);
        }
    }
}
