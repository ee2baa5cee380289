package dev.parley.rooms;

import dev.parley.accounts.UserAccount;
import dev.parley.common.TimeZones;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.Temporal;
import net.fortuna.ical4j.data.CalendarOutputter;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.TimeZone;
import net.fortuna.ical4j.model.TimeZoneRegistry;
import net.fortuna.ical4j.model.TimeZoneRegistryFactory;
import net.fortuna.ical4j.model.component.VEvent;
import net.fortuna.ical4j.model.component.VTimeZone;
import net.fortuna.ical4j.model.parameter.Cn;
import net.fortuna.ical4j.model.property.Description;
import net.fortuna.ical4j.model.property.DtStamp;
import net.fortuna.ical4j.model.property.Location;
import net.fortuna.ical4j.model.property.Method;
import net.fortuna.ical4j.model.property.Organizer;
import net.fortuna.ical4j.model.property.ProdId;
import net.fortuna.ical4j.model.property.RRule;
import net.fortuna.ical4j.model.property.Sequence;
import net.fortuna.ical4j.model.property.Status;
import net.fortuna.ical4j.model.property.Uid;
import net.fortuna.ical4j.model.property.Url;
import net.fortuna.ical4j.model.property.immutable.ImmutableCalScale;
import net.fortuna.ical4j.model.property.immutable.ImmutableVersion;
import org.springframework.stereotype.Component;

/**
 * An RFC 5545 invitation for a room: the start in the host's zone with its VTIMEZONE (UTC needs none), the duration,
 * weekly recurrence, the host as organizer and the room link as URL and location.
 */
@Component
public class IcsInvitation {

    private final TimeZoneRegistry timeZones = TimeZoneRegistryFactory.getInstance().createRegistry();

    public String render(Room room, String joinUrl, Instant now) {
        RoomSchedule schedule = room.schedule();
        VTimeZone zone = calendarZone(schedule.zone());
        // Without a VTIMEZONE to refer to (UTC, or a zone ical4j does not know) the start is written in UTC.
        Temporal start = zone == null ? room.getStartsAt() : room.getStartsAt().atZone(schedule.zone());
        VEvent event = new VEvent(start, schedule.duration(), room.getTitle());
        event.replace(new DtStamp(now));
        event.add(new Uid("room-" + room.getSlug() + "@parley"));
        event.add(organizer(room.getHost()));
        event.add(new Sequence((int) Math.min(Integer.MAX_VALUE, room.getUpdatedAt().getEpochSecond() / 60)));
        event.add(new Url(URI.create(joinUrl)));
        event.add(new Location(joinUrl));
        String description = room.getDescription() == null ? joinUrl : room.getDescription() + "\n\n" + joinUrl;
        event.add(new Description(description));
        event.add(room.isCancelled() ? new Status(Status.VALUE_CANCELLED) : new Status(Status.VALUE_CONFIRMED));
        if (schedule.isRecurring()) {
            event.add(new RRule<>("FREQ=WEEKLY;COUNT=" + schedule.weeklyOccurrences()));
        }

        Calendar calendar = new Calendar();
        calendar.add(new ProdId("-//Parley//Parley Meetings//EN"));
        calendar.add(ImmutableVersion.VERSION_2_0);
        calendar.add(ImmutableCalScale.GREGORIAN);
        calendar.add(new Method(room.isCancelled() ? Method.VALUE_CANCEL : Method.VALUE_PUBLISH));
        if (zone != null) {
            calendar.add(zone);
        }
        calendar.add(event);
        StringWriter out = new StringWriter();
        try {
            new CalendarOutputter(false).output(calendar, out);
        } catch (IOException e) {
            throw new IllegalStateException("writing to a StringWriter cannot fail", e);
        }
        return out.toString();
    }

    private VTimeZone calendarZone(ZoneId zone) {
        if (zone.normalized().equals(ZoneOffset.UTC)) {
            return null;
        }
        if (!TimeZones.isOffered(zone.getId())) {
            return null; // ical4j's registry throws NullPointerException for ids it has no definition of (SystemV/AST4)
        }
        TimeZone known = timeZones.getTimeZone(zone.getId());
        return known == null ? null : known.getVTimeZone();
    }

    /** METHOD:PUBLISH and CANCEL require an organizer (RFC 5546); that is the room's host. */
    private static Organizer organizer(UserAccount host) {
        Organizer organizer;
        try {
            organizer = new Organizer(new URI("mailto", host.getEmail(), null));
        } catch (URISyntaxException e) {
            throw new IllegalStateException("a mailto URI quotes what it cannot carry", e);
        }
        // A parameter value may not contain a double quote; control characters are already refused in names.
        organizer.add(new Cn(host.getDisplayName().replace('"', '\'')));
        return organizer;
    }
}
