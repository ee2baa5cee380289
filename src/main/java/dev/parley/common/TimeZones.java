package dev.parley.common;

import java.time.ZoneId;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The time zones Parley offers in its forms: UTC and the region zones such as Europe/Berlin, sorted. Legacy aliases
 * (SystemV/..., Etc/GMT+5) are left out: calendars do not know them, and a form accepts only what it offers.
 */
public final class TimeZones {

    public static final String UTC = "UTC";

    public static final List<String> OFFERED = Stream.concat(Stream.of(UTC), ZoneId.getAvailableZoneIds().stream()
                    .filter(z -> z.contains("/") && !z.startsWith("Etc/") && !z.startsWith("SystemV/")))
            .collect(Collectors.toCollection(TreeSet::new)).stream().toList();

    private static final java.util.Set<String> OFFERED_SET = java.util.Set.copyOf(OFFERED);

    private TimeZones() {
    }

    public static boolean isOffered(String id) {
        return id != null && OFFERED_SET.contains(id);
    }

    /** The zone's id when the forms offer it, else UTC; for preselecting a zone that came from elsewhere. */
    public static String offeredOrUtc(ZoneId zone) {
        return isOffered(zone.getId()) ? zone.getId() : UTC;
    }
}
