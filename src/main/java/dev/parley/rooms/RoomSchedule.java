package dev.parley.rooms;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * When a room meets: a first start, a duration and a number of weekly occurrences. Weekly occurrences keep the local
 * wall-clock time in the host's zone, so a 09:00 meeting stays at 09:00 across daylight-saving changes.
 */
public record RoomSchedule(Instant firstStart, ZoneId zone, Duration duration, int weeklyOccurrences) {

    public record Occurrence(Instant start, Instant end) {
        public boolean contains(Instant instant, Duration early, Duration late) {
            return !instant.isBefore(start.minus(early)) && !instant.isAfter(end.plus(late));
        }
    }

    public List<Occurrence> occurrences() {
        ZonedDateTime local = firstStart.atZone(zone);
        List<Occurrence> result = new ArrayList<>(weeklyOccurrences);
        for (int week = 0; week < weeklyOccurrences; week++) {
            Instant start = local.plusWeeks(week).toInstant();
            result.add(new Occurrence(start, start.plus(duration)));
        }
        return result;
    }

    public boolean isRecurring() {
        return weeklyOccurrences > 1;
    }

    /** The occurrence whose join window (start - early .. end + late) contains the instant. */
    public Optional<Occurrence> occurrenceAt(Instant instant, Duration early, Duration late) {
        return occurrences().stream().filter(o -> o.contains(instant, early, late)).findFirst();
    }

    /** The first occurrence that has not ended yet at the instant. */
    public Optional<Occurrence> nextOrCurrent(Instant instant) {
        return occurrences().stream().filter(o -> o.end().isAfter(instant)).findFirst();
    }

    public Occurrence last() {
        List<Occurrence> all = occurrences();
        return all.get(all.size() - 1);
    }
}
