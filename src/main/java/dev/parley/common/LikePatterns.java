package dev.parley.common;

import java.util.Locale;

/** Builds a case-insensitive "contains" pattern for SQL LIKE ... ESCAPE '\' from a user's search text. */
public final class LikePatterns {

    private LikePatterns() {
    }

    public static String contains(String text) {
        String escaped = text.strip().toLowerCase(Locale.ROOT)
                .replace("\\", "\\\\")
                .replace("%", "\\%")
                .replace("_", "\\_");
        return "%" + escaped + "%";
    }
}
