package dev.parley.web;

import dev.parley.accounts.ParleyUser;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** What every page's header and footer need: the signed-in user and the path the language switcher returns to. */
@ControllerAdvice
class GlobalModel {

    @ModelAttribute("viewer")
    ParleyUser viewer() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        return auth != null && auth.getPrincipal() instanceof ParleyUser user ? user : null;
    }

    @ModelAttribute("currentPath")
    String currentPath(HttpServletRequest request) {
        if (request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI) != null) {
            return "/";
        }
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return SafeRedirects.localPath(path);
    }
}
