package dev.parley.webhooks;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

interface WebhookDeliveryRepository extends JpaRepository<WebhookDelivery, Long> {

    /** Pending deliveries due by {@code now} of webhooks still enabled, the longest waiting first. */
    @Query("select d from WebhookDelivery d, Webhook w where w.id = d.webhookId and w.enabled = true"
            + " and d.state = :pending and d.nextAttemptAt <= :now and d.webhookId not in :busy"
            + " order by d.nextAttemptAt asc, d.id asc")
    List<WebhookDelivery> findDue(@Param("pending") WebhookDelivery.State pending, @Param("now") Instant now,
                                  @Param("busy") Collection<Long> busy, Pageable limit);

    /**
     * Takes a due delivery for one attempt, as this worker saw it, until {@code leaseUntil}: 1 when taken, 0 when
     * another worker (another Parley on the same database) took it or made an attempt first. The condition is checked
     * on the row as it is when the update locks it, so of workers racing for one delivery exactly one gets it.
     */
    @Modifying(flushAutomatically = true, clearAutomatically = true)
    @Query("update WebhookDelivery d set d.nextAttemptAt = :leaseUntil where d.id = :id and d.state = :pending"
            + " and d.attempts = :attempts and d.nextAttemptAt <= :now")
    int lease(@Param("id") long id, @Param("pending") WebhookDelivery.State pending, @Param("attempts") int attempts,
              @Param("now") Instant now, @Param("leaseUntil") Instant leaseUntil);

    /**
     * Notes one more attempt, if the lease taken for it still holds (it ran out, and another worker took the
     * delivery, if not): 1 when noted.
     */
    @Modifying(flushAutomatically = true, clearAutomatically = true)
    @Query("update WebhookDelivery d set d.attempts = d.attempts + 1, d.state = :state, d.nextAttemptAt = :next"
            + " where d.id = :id and d.state = :pending and d.attempts = :attemptsBefore"
            + " and d.nextAttemptAt = :leaseUntil")
    int attempted(@Param("id") long id, @Param("pending") WebhookDelivery.State pending,
                  @Param("attemptsBefore") int attemptsBefore, @Param("leaseUntil") Instant leaseUntil,
                  @Param("state") WebhookDelivery.State state, @Param("next") Instant next);

    /** Gives a lease back, if it still holds: due again now, its attempt not counted (cut by its worker's stop). */
    @Modifying(flushAutomatically = true, clearAutomatically = true)
    @Query("update WebhookDelivery d set d.nextAttemptAt = :now where d.id = :id and d.state = :pending"
            + " and d.attempts = :attemptsBefore and d.nextAttemptAt = :leaseUntil")
    int release(@Param("id") long id, @Param("pending") WebhookDelivery.State pending,
                @Param("attemptsBefore") int attemptsBefore, @Param("leaseUntil") Instant leaseUntil,
                @Param("now") Instant now);

    long countByWebhookIdAndState(long webhookId, WebhookDelivery.State state);

    @Modifying
    @Query("delete from WebhookDelivery d where d.createdAt < :cutoff")
    int deleteCreatedBefore(@Param("cutoff") Instant cutoff);
}
