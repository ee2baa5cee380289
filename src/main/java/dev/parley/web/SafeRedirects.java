package dev.parley.web;

import java.nio.charset.StandardCharsets;

/** Redirect targets taken from a request may only point back into Parley. */
final class SafeRedirects {

    /** RFC 3986's unreserved and reserved characters. */
    private static final String URI_CHARACTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
            + "-._~:/?#[]@!$&'()*+,;=";

    private SafeRedirects() {
    }

    /**
     * The candidate when it is a path within Parley, else "/". Whatever the URI syntax does not allow is
     * percent-encoded (escapes already present are kept), so the result is a valid Location and holds no '{', which a redirect view would take for a
     * URI template variable.
     */
    static String localPath(String candidate) {
        if (candidate == null || candidate.isEmpty() || candidate.length() > 512
                || !candidate.startsWith("/") || candidate.startsWith("//") || candidate.startsWith("/\\")
                || candidate.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            return "/";
        }
        byte[] bytes = candidate.getBytes(StandardCharsets.UTF_8);
        StringBuilder path = new StringBuilder(bytes.length);
        for (int i = 0; i < bytes.length; i++) {
            byte b = bytes[i];
            char c = (char) (b & 0xff);
            if (c < 0x80 && URI_CHARACTERS.indexOf(c) >= 0 || c == '%' && isEscape(bytes, i)) {
                path.append(c);
            } else {
                path.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            }
        }
        return path.toString();
    }

    /** An escape already present (%7B) stays as it is; a lone '%' is encoded. */
    private static boolean isEscape(byte[] bytes, int percent) {
        return percent + 2 < bytes.length && Character.digit(bytes[percent + 1], 16) >= 0
                && Character.digit(bytes[percent + 2], 16) >= 0;
    }
}
