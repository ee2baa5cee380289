package dev.parley.web;

import java.nio.charset.StandardCharsets;

/** Redirect targets taken from a request may only point back into Parley. */
final class SafeRedirects {

    /** RFC 3986's unreserved and reserved characters, and '%' so that escapes already present stay as they are. */
    private static final String URI_CHARACTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
            + "-._~:/?#[]@!$&'()*+,;=%";

    private SafeRedirects() {
    }

    /**
     * The candidate when it is a path within Parley, else "/". Whatever the URI syntax does not allow is
     * percent-encoded, so the result is a valid Location and holds no '{', which a redirect view would take for a
     * URI template variable.
     */
    static String localPath(String candidate) {
        if (candidate == null || candidate.isEmpty() || candidate.length() > 512
                || !candidate.startsWith("/") || candidate.startsWith("//") || candidate.startsWith("/\\")
                || candidate.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            return "/";
        }
        StringBuilder path = new StringBuilder(candidate.length());
        for (byte b : candidate.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c < 0x80 && URI_CHARACTERS.indexOf(c) >= 0) {
                path.append(c);
            } else {
                path.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            }
        }
        return path.toString();
    }
}
