package dev.parley.rooms;

import java.security.SecureRandom;
import java.util.Base64;
import org.springframework.stereotype.Component;

/** Room links carry 128 random bits, URL-safe base64 without padding: 22 characters nobody can guess. */
@Component
public class SlugGenerator {

    static final int RANDOM_BYTES = 16;

    private final SecureRandom random = new SecureRandom();

    public String next() {
        byte[] bytes = new byte[RANDOM_BYTES];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** A bearer token for WHIP/WHEP: 256 random bits. */
    public String streamToken() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Whether a string could be a slug at all; lets /r/{slug} reject junk without a database query. */
    public static boolean isWellFormed(String slug) {
        if (slug == null || slug.length() != 22) {
            return false;
        }
        for (int i = 0; i < slug.length(); i++) {
            char c = slug.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
