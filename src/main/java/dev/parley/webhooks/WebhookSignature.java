package dev.parley.webhooks;

import dev.parley.common.SecretTokens;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signatures as the Standard Webhooks specification (standardwebhooks.com) defines them, so that receivers can check
 * them with its libraries or a few lines of their own: the secret is {@code whsec_} and the Base64 of a random key;
 * the signature is {@code v1,} and the Base64 of the HMAC-SHA256, under that key, of
 * {@code <webhook-id>.<webhook-timestamp>.<body>}. Written with the JDK's {@link Mac} rather than a library: signing is
 * one HMAC, and receivers verify with whatever they like.
 */
final class WebhookSignature {

    static final String SECRET_PREFIX = "whsec_";
    private static final int KEY_BYTES = 32;

    private WebhookSignature() {
    }

    /** A new secret: {@code whsec_} and 32 random bytes in Base64. */
    static String newSecret() {
        return SECRET_PREFIX + Base64.getEncoder().encodeToString(SecretTokens.randomBytes(KEY_BYTES));
    }

    /** The {@code webhook-signature} header's value for this message. */
    static String sign(String secret, String messageId, long timestampSeconds, String body) {
        byte[] key = Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length()));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] signature = mac.doFinal((messageId + "." + timestampSeconds + "." + body)
                    .getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(signature);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("every Java runtime has HmacSHA256", e);
        }
    }
}
