package dev.parley.turn;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The TURN servers Parley hands to browsers (environment: PARLEY_TURN_*). Both empty: no TURN, as before.
 *
 * @param urls TURN server URLs, e.g. {@code turn:turn.example.org:3478?transport=udp}, {@code turns:turn.example.org:443}
 * @param secret the secret shared with the TURN server ({@code static-auth-secret} in coturn); never logged or sent
 * @param credentialLifetime how long a handed-out credential stays valid
 */
@ConfigurationProperties(prefix = "parley.turn")
public record TurnProperties(@DefaultValue List<String> urls,
                             @DefaultValue("") String secret,
                             @DefaultValue("24h") Duration credentialLifetime) {

    static final int MAX_URLS = 10;
    static final int MIN_SECRET_LENGTH = 16;
    static final Duration MIN_LIFETIME = Duration.ofMinutes(1);
    static final Duration MAX_LIFETIME = Duration.ofDays(7);

    public TurnProperties {
        urls = urls.stream().filter(url -> !url.isBlank()).map(String::strip).toList();
        if (urls.size() > MAX_URLS) {
            throw new IllegalArgumentException("PARLEY_TURN_URLS: at most " + MAX_URLS + " URLs");
        }
        for (String url : urls) {
            try {
                TurnUrl.parse(url);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("PARLEY_TURN_URLS: " + e.getMessage());
            }
        }
        if (!urls.isEmpty() && secret.isBlank()) {
            throw new IllegalArgumentException("PARLEY_TURN_URLS is set but PARLEY_TURN_SECRET is empty: set it to "
                    + "the TURN server's static-auth-secret");
        }
        if (urls.isEmpty() && !secret.isBlank()) {
            throw new IllegalArgumentException("PARLEY_TURN_SECRET is set but PARLEY_TURN_URLS is empty: name the "
                    + "TURN server, e.g. turn:turn.example.org:3478?transport=udp");
        }
        if (!secret.isBlank() && secret.length() < MIN_SECRET_LENGTH) {
            throw new IllegalArgumentException("PARLEY_TURN_SECRET is shorter than " + MIN_SECRET_LENGTH
                    + " characters; use a long random one, e.g. from openssl rand -hex 32");
        }
        if (credentialLifetime.compareTo(MIN_LIFETIME) < 0 || credentialLifetime.compareTo(MAX_LIFETIME) > 0) {
            throw new IllegalArgumentException("PARLEY_TURN_CREDENTIAL_LIFETIME must be from 1m to 7d, not "
                    + credentialLifetime);
        }
    }

    /** Whether TURN is configured. */
    public boolean enabled() {
        return !urls.isEmpty();
    }

    @Override
    public String toString() {
        return "TurnProperties[urls=" + urls + ", credentialLifetime=" + credentialLifetime + "]"; // never the secret
    }
}
