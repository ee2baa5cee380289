package dev.parley.accounts;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Makes every signed-in request act with the account as it is now, not as it was at login: the account is read again
 * (one primary-key lookup) and a session whose account was deleted, disabled, or given a new password or e-mail
 * address is signed out; any other change (role, name, a required password change) replaces the session's snapshot.
 * It runs in the security filter chain after remember-me and before authorisation, so the decision uses the fresh
 * role.
 */
public class AccountSessionFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(AccountSessionFilter.class);

    private final UserAccountRepository users;
    private final SignedInSessions sessions;

    public AccountSessionFilter(UserAccountRepository users, SignedInSessions sessions) {
        this.users = users;
        this.sessions = sessions;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return path.startsWith("/css/") || path.startsWith("/js/") || path.startsWith("/img/")
                || path.equals("/favicon.ico");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication != null && authentication.getPrincipal() instanceof ParleyUser user) {
            Optional<UserAccount> account = users.findById(user.id());
            if (account.isEmpty() || !account.get().isEnabled() || !user.belongsToEpochOf(account.get())) {
                log.info("Signing out a session of account {}: the account was {}", user.id(),
                        account.isEmpty() ? "deleted" : !account.get().isEnabled() ? "disabled"
                                : "given a new password or e-mail address");
                sessions.end(request, response);
                if (isPageView(request)) {
                    response.sendRedirect(request.getContextPath() + "/login?ended");
                    return;
                }
            } else if (!user.isCurrentFor(account.get())) {
                sessions.refresh(account.get(), request, response);
            }
        }
        chain.doFilter(request, response);
    }

    /** A browser navigating to a page (not a form post, a script's fetch or a WebSocket upgrade). */
    private static boolean isPageView(HttpServletRequest request) {
        String accept = request.getHeader("Accept");
        return "GET".equals(request.getMethod()) && !"websocket".equalsIgnoreCase(request.getHeader("Upgrade"))
                && accept != null && accept.contains("text/html");
    }
}
