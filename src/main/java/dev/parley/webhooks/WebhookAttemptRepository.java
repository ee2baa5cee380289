package dev.parley.webhooks;

import java.time.Instant;
import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

interface WebhookAttemptRepository extends JpaRepository<WebhookAttempt, Long> {

    List<WebhookAttempt> findTop100ByWebhookIdOrderByAttemptedAtDescIdDesc(long webhookId);

    @Modifying
    @Query("delete from WebhookAttempt a where a.attemptedAt < :cutoff")
    int deleteAttemptedBefore(@Param("cutoff") Instant cutoff);
}
