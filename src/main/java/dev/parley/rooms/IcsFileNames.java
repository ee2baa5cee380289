package dev.parley.rooms;

import java.text.Normalizer;
import java.util.Locale;

/** A download name like "team-standup.ics" from a room title; non-Latin titles fall back to "meeting.ics". */
final class IcsFileNames {

    private IcsFileNames() {
    }

    static String of(String title) {
        String ascii = Normalizer.normalize(title, Normalizer.Form.NFKD).replaceAll("\\p{M}", "");
        String slug = ascii.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-+|-+$)", "");
        if (slug.length() > 60) {
            slug = slug.substring(0, 60).replaceAll("-+$", "");
        }
        return (slug.isEmpty() ? "meeting" : slug) + ".ics";
    }
}
