package dev.parley.webhooks;

import java.time.Instant;
import java.util.List;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

interface WebhookDeliveryRepository extends JpaRepository<WebhookDelivery, Long> {

    /** Pending deliveries due by {@code now} of webhooks still enabled, the longest waiting first. */
    @Query("select d from WebhookDelivery d, Webhook w where w.id = d.webhookId and w.enabled = true"
            + " and d.state = :pending and d.nextAttemptAt <= :now"
            + " order by d.nextAttemptAt asc, d.id asc")
    List<WebhookDelivery> findDue(@Param("pending") WebhookDelivery.State pending, @Param("now") Instant now,
                                  Pageable limit);

    long countByWebhookIdAndState(long webhookId, WebhookDelivery.State state);

    @Modifying
    @Query("delete from WebhookDelivery d where d.createdAt < :cutoff")
    int deleteCreatedBefore(@Param("cutoff") Instant cutoff);
}
