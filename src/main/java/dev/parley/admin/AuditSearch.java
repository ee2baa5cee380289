package dev.parley.admin;

import dev.parley.accounts.UserAccount;
import dev.parley.audit.AuditEvent;
import dev.parley.audit.AuditEventRepository;
import dev.parley.common.LikePatterns;
import jakarta.persistence.criteria.CriteriaBuilder;
import jakarta.persistence.criteria.Expression;
import jakarta.persistence.criteria.Predicate;
import jakarta.persistence.criteria.Root;
import jakarta.persistence.criteria.Subquery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.domain.Specification;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Finds audit entries for the audit page. Only the filters given become conditions, each with its value bound as a
 * parameter, so the database sees a plain range on occurred_at and an equality on action that its indexes serve
 * (V5), not "(? is null or ...)" that a reused plan cannot use an index for. A person matches by the actor's text or
 * by the display name of the actor's account (as it is now), which lives in accounts: hence here and not in audit.
 */
@Service
public class AuditSearch {

    private final AuditEventRepository events;

    AuditSearch(AuditEventRepository events) {
        this.events = events;
    }

    @Transactional(readOnly = true)
    public Page<AuditEvent> find(AuditQuery query, Pageable pageable) {
        return events.findAll(matching(query), pageable);
    }

    private static Specification<AuditEvent> matching(AuditQuery query) {
        return (root, criteria, cb) -> {
            List<Predicate> conditions = new ArrayList<>();
            if (query.action() != null) {
                conditions.add(cb.equal(root.get("action"), query.action().name()));
            }
            if (query.from() != null) {
                conditions.add(cb.greaterThanOrEqualTo(root.<Instant>get("occurredAt"), query.from()));
            }
            if (query.until() != null) {
                conditions.add(cb.lessThan(root.<Instant>get("occurredAt"), query.until()));
            }
            if (isGiven(query.text())) {
                String pattern = LikePatterns.contains(query.text());
                conditions.add(cb.or(contains(cb, root.get("actor"), pattern), contains(cb, root.get("target"), pattern)));
            }
            if (isGiven(query.person())) {
                String pattern = LikePatterns.contains(query.person());
                Subquery<Long> named = criteria.subquery(Long.class);
                Root<UserAccount> account = named.from(UserAccount.class);
                named.select(account.get("id")).where(cb.equal(account.get("id"), root.get("actorId")),
                        contains(cb, account.get("displayName"), pattern));
                conditions.add(cb.or(contains(cb, root.get("actor"), pattern), cb.exists(named)));
            }
            return cb.and(conditions.toArray(Predicate[]::new));
        };
    }

    private static Predicate contains(CriteriaBuilder cb, Expression<String> column, String pattern) {
        return cb.like(cb.lower(column), pattern, '\\');
    }

    private static boolean isGiven(String text) {
        return text != null && !text.isBlank();
    }
}
