package dev.parley.accounts;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.web.authentication.rememberme.CookieTheftException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A remember-me cookie whose token was already used (stolen, or replayed by an old copy) makes Spring Security remove
 * every remember-me login of that account and throw; without this the user would see a 500. They are sent to sign in
 * again instead, with the same notice as any other ended session.
 */
public class RememberMeTheftFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(RememberMeTheftFilter.class);

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            chain.doFilter(request, response);
        } catch (CookieTheftException e) {
            log.warn("A used remember-me token came back from {}: that account's remember-me logins were removed",
                    request.getRemoteAddr());
            if (!response.isCommitted()) {
                response.sendRedirect(request.getContextPath() + "/login?ended");
            }
        }
    }
}
