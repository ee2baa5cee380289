package dev.parley.meeting;

import dev.parley.relay.Relay;
import dev.parley.relay.RelaySnapshot;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * "relay" in /actuator/health and the readiness group: up while the relay's loop answers a snapshot within two
 * seconds (a stuck or dead loop carries no media, whatever the web pages say).
 */
@Component
class RelayHealthIndicator implements HealthIndicator {

    static final long ANSWER_WITHIN_MILLIS = 2_000;

    private final Relay relay;

    RelayHealthIndicator(Relay relay) {
        this.relay = relay;
    }

    @Override
    public Health health() {
        try {
            RelaySnapshot snapshot = relay.snapshot().get(ANSWER_WITHIN_MILLIS, TimeUnit.MILLISECONDS);
            return Health.up().withDetail("udpPort", relay.port()).withDetail("rooms", snapshot.rooms().size())
                    .build();
        } catch (TimeoutException e) {
            return Health.down().withDetail("reason", "the relay's loop did not answer within "
                    + ANSWER_WITHIN_MILLIS + " ms").build();
        } catch (ExecutionException e) {
            return Health.down().withDetail("reason", "the relay could not take a snapshot").build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Health.unknown().build();
        }
    }
}
