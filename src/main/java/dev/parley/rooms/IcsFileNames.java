package dev.parley.rooms;

import java.text.Normalizer;
import java.util.Locale;

/**
 * Download names from a room title: "team-standup.ics", "team-standup-chat.txt"; non-Latin titles fall back to
 * "meeting".
 */
final class IcsFileNames {

    private IcsFileNames() {
    }

    static String of(String title) {
        return stem(title) + ".ics";
    }

    static String stem(String title) {
        String ascii = Normalizer.normalize(title, Normalizer.Form.NFKD).replaceAll("\\p{M}", "");
        String slug = ascii.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-+|-+$)", "");
        if (slug.length() > 60) {
            slug = slug.substring(0, 60).replaceAll("-+$", "");
        }
        return slug.isEmpty() ? "meeting" : slug;
    }
}
