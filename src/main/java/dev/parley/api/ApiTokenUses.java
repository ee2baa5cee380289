package dev.parley.api;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.stereotype.Component;

/**
 * Notes when a token was last used, to the minute: a request whose token was noted less than {@link #PRECISION} ago
 * writes nothing; otherwise one conditional update, which of several requests (or servers) at once only one makes.
 */
@Component
class ApiTokenUses {

    static final Duration PRECISION = Duration.ofMinutes(1);

    private final ApiTokenRepository tokens;
    private final Clock clock;

    ApiTokenUses(ApiTokenRepository tokens, Clock clock) {
        this.tokens = tokens;
        this.clock = clock;
    }

    /**
     * The caller's token was used now; {@code caller.lastUsedAt()} is the use noted when it was looked up. No
     * transaction, and no database, when that was less than a minute ago.
     */
    void used(ApiTokens.Caller caller) {
        Instant now = clock.instant();
        Instant before = now.minus(PRECISION);
        if (caller.lastUsedAt() == null || !caller.lastUsedAt().isAfter(before)) {
            tokens.noteUse(caller.tokenId(), now, before);
        }
    }
}
