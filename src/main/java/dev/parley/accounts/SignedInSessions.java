package dev.parley.accounts;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.authentication.logout.CookieClearingLogoutHandler;
import org.springframework.security.web.authentication.logout.SecurityContextLogoutHandler;
import org.springframework.security.web.context.DelegatingSecurityContextRepository;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.stereotype.Component;

/** Changes what the current browser session knows about its account: a fresh snapshot, or the end of the session. */
@Component
public class SignedInSessions {

    public static final String REMEMBER_ME_COOKIE = "PARLEY_REMEMBER_ME";

    private final SecurityContextRepository contexts = new DelegatingSecurityContextRepository(
            new RequestAttributeSecurityContextRepository(), new HttpSessionSecurityContextRepository());
    private final SecurityContextLogoutHandler logout = new SecurityContextLogoutHandler();
    private final CookieClearingLogoutHandler rememberMeCookie = new CookieClearingLogoutHandler(REMEMBER_ME_COOKIE);
    private final Clock clock;

    SignedInSessions(Clock clock) {
        this.clock = clock;
    }

    /** Puts a new snapshot of the account into this session, keeping it signed in. */
    public void refresh(UserAccount account, HttpServletRequest request, HttpServletResponse response) {
        Authentication previous = SecurityContextHolder.getContext().getAuthentication();
        ParleyUser user = new ParleyUser(account, clock.instant());
        user.eraseCredentials();
        UsernamePasswordAuthenticationToken authentication =
                UsernamePasswordAuthenticationToken.authenticated(user, null, user.getAuthorities());
        if (previous != null) {
            authentication.setDetails(previous.getDetails());
        }
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(authentication);
        SecurityContextHolder.setContext(context);
        contexts.saveContext(context, request, response);
    }

    /** Signs this browser out: session invalidated, security context cleared, remember-me cookie removed. */
    void end(HttpServletRequest request, HttpServletResponse response) {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        rememberMeCookie.logout(request, response, authentication);
        logout.logout(request, response, authentication);
    }
}
