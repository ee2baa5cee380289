package dev.parley.audit;

import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/** Records who did what, when and from where. The actor and address come from the current request. */
@Service
public class AuditLog {

    private static final Logger log = LoggerFactory.getLogger(AuditLog.class);

    private final AuditEventRepository events;
    private final Clock clock;

    public AuditLog(AuditEventRepository events, Clock clock) {
        this.events = events;
        this.clock = clock;
    }

    /** Records an action by the signed-in user (or "system" outside a request). */
    @Transactional(propagation = Propagation.REQUIRED)
    public void record(AuditAction action, String target, String details) {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        if (auth != null && auth.getPrincipal() instanceof AuditActor user) {
            save(user.id(), user.email(), action, target, details);
        } else {
            save(null, auth != null && auth.isAuthenticated() ? auth.getName() : "system", action, target, details);
        }
    }

    /** Records an action whose actor is not (yet) signed in, such as a failed login. */
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public void recordAnonymous(String actor, AuditAction action, String target, String details) {
        save(null, actor, action, target, details);
    }

    /**
     * Records an action outside an HTTP request, by someone the caller names: a host's control in a meeting, sent
     * over the signalling socket (guests have no account: actorId null).
     */
    @Transactional(propagation = Propagation.REQUIRED)
    public void recordBy(Long actorId, String actor, String remoteAddress, AuditAction action, String target,
                         String details) {
        events.save(new AuditEvent(clock.instant(), actorId, actor, action, target, details, remoteAddress));
        log.info("audit action={} actor={} target={} details={}", action, actor, target, details);
    }

    private void save(Long actorId, String actor, AuditAction action, String target, String details) {
        String address = currentRemoteAddress();
        events.save(new AuditEvent(clock.instant(), actorId, actor, action, target, details, address));
        log.info("audit action={} actor={} target={} details={}", action, actor, target, details);
    }

    static String currentRemoteAddress() {
        if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attrs) {
            HttpServletRequest request = attrs.getRequest();
            return request.getRemoteAddr();
        }
        return null;
    }
}
