package dev.parley.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import org.springframework.boot.autoconfigure.security.SecurityProperties;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/** Keeps a user whose password was reset by an admin on the password page until they choose a new one. */
@Component
@Order(SecurityProperties.DEFAULT_FILTER_ORDER + 10)
public class PasswordChangeGate extends OncePerRequestFilter {

    private static final String ATTRIBUTE = "parley.passwordChangeRequired";

    static void require(HttpSession session) {
        session.setAttribute(ATTRIBUTE, Boolean.TRUE);
    }

    public static void satisfied(HttpSession session) {
        if (session != null) {
            session.removeAttribute(ATTRIBUTE);
        }
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        HttpSession session = request.getSession(false);
        if (session != null && session.getAttribute(ATTRIBUTE) != null && !allowed(request)) {
            response.sendRedirect(request.getContextPath() + "/profile/password?required");
            return;
        }
        chain.doFilter(request, response);
    }

    private static boolean allowed(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return path.startsWith("/profile/password") || path.equals("/logout") || path.startsWith("/css/")
                || path.startsWith("/js/") || path.startsWith("/img/") || path.startsWith("/error")
                || path.equals("/lang") || path.equals("/favicon.ico");
    }
}
