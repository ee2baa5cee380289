package dev.parley.turn;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Hands out the configured TURN servers with a fresh credential each time ({@link TurnCredentials}); an empty list
 * when TURN is not configured.
 */
@Service
public class TurnServers {

    private static final Logger log = LoggerFactory.getLogger(TurnServers.class);

    private final List<String> urls;
    private final byte[] secret;
    private final Duration lifetime;
    private final Clock clock;

    public TurnServers(TurnProperties properties, Clock clock) {
        this.urls = properties.urls().stream().map(url -> TurnUrl.parse(url).url()).toList();
        this.secret = properties.secret().getBytes(StandardCharsets.UTF_8);
        this.lifetime = properties.credentialLifetime();
        this.clock = clock;
        if (properties.enabled()) {
            log.info("TURN: browsers get {} with credentials valid for {}", urls, lifetime);
        }
    }

    /** No TURN: every peer gets an empty list. */
    public static TurnServers none() {
        return new TurnServers(new TurnProperties(List.of(), "", Duration.ofHours(24)), Clock.systemUTC());
    }

    public boolean enabled() {
        return !urls.isEmpty();
    }

    /** The TURN URLs browsers get (no credentials). */
    public List<String> urls() {
        return urls;
    }

    public Duration lifetime() {
        return lifetime;
    }

    /** The ICE servers for one peer connection of {@code id} (a participant or stream id): none without TURN. */
    public List<IceServer> forPeer(String id) {
        if (urls.isEmpty()) {
            return List.of();
        }
        TurnCredentials.Credential credential = TurnCredentials.issue(secret, id, clock.instant().plus(lifetime));
        return List.of(new IceServer(urls, credential.username(), credential.password()));
    }
}
