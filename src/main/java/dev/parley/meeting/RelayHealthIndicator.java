package dev.parley.meeting;

import dev.parley.relay.Relay;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * "relay" in /actuator/health and the readiness group: up while the relay's loop runs an empty task within two seconds
 * (a stuck or dead loop carries no media, whatever the web pages say). Probes may ask every few seconds, so it asks
 * the loop for nothing more.
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
            relay.ping().get(ANSWER_WITHIN_MILLIS, TimeUnit.MILLISECONDS);
            return Health.up().withDetail("udpPort", relay.port()).build();
        } catch (TimeoutException e) {
            return Health.down().withDetail("reason", "the relay's loop did not answer within "
                    + ANSWER_WITHIN_MILLIS + " ms").build();
        } catch (ExecutionException e) {
            return Health.down().withDetail("reason", "the relay's loop has stopped").build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Health.unknown().build();
        }
    }
}
