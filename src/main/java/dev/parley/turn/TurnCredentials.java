package dev.parley.turn;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Short-lived TURN credentials by the TURN REST API's shared-secret scheme (draft-uberti-behave-turn-rest, coturn's
 * {@code use-auth-secret} with {@code static-auth-secret}): the user name is {@code <expiry in Unix seconds>:<id>},
 * the password base64(HMAC-SHA1(secret, user name)). The TURN server recomputes the password from the user name and
 * its copy of the secret, and refuses a user name whose time has passed; Parley and the TURN server share nothing
 * else.
 */
public final class TurnCredentials {

    private static final String HMAC = "HmacSHA1";

    private TurnCredentials() {
    }

    /** A user name and password for {@code id} (any text without a colon), valid until {@code expiry}. */
    public static Credential issue(byte[] secret, String id, Instant expiry) {
        if (id.indexOf(':') >= 0) {
            throw new IllegalArgumentException("the id must not contain ':'");
        }
        String username = expiry.getEpochSecond() + ":" + id;
        return new Credential(username, password(secret, username));
    }

    /** base64(HMAC-SHA1(secret, username)), as the TURN server computes it. */
    static String password(byte[] secret, String username) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(secret, HMAC));
            return Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA1 is unavailable", e); // every Java runtime has it
        }
    }

    /** A TURN user name and its password. */
    public record Credential(String username, String password) {
        @Override
        public String toString() {
            return "Credential[" + username + "]"; // never the password
        }
    }
}
