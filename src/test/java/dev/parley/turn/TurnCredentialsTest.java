package dev.parley.turn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TurnCredentialsTest {

    private static final byte[] SECRET = "Kestrel-Lantern-Orchard-2718".getBytes(StandardCharsets.UTF_8);

    /**
     * The vector was computed apart from Parley, with OpenSSL:
     * {@code printf '%s' '1700000000:p-0123456789abcdef' | openssl dgst -sha1 -hmac 'Kestrel-Lantern-Orchard-2718'
     * -binary | base64}. CoturnTest checks that coturn accepts what Parley computes.
     */
    @Test
    void userNameIsExpiryAndIdAndPasswordIsBase64HmacSha1() {
        TurnCredentials.Credential credential = TurnCredentials.issue(SECRET, "p-0123456789abcdef",
                Instant.ofEpochSecond(1_700_000_000L));

        assertThat(credential.username()).isEqualTo("1700000000:p-0123456789abcdef");
        assertThat(credential.password()).isEqualTo("rk1vXh4TkB1ilBBxfYnFP3KC+uM=");
        assertThat(credential.toString()).doesNotContain(credential.password());
    }

    @Test
    void theIdMayNotCarryTheSeparator() {
        assertThatThrownBy(() -> TurnCredentials.issue(SECRET, "a:b", Instant.EPOCH))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
