package dev.parley.rooms;

import java.io.IOException;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZonedDateTime;
import net.fortuna.ical4j.data.CalendarOutputter;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.TimeZone;
import net.fortuna.ical4j.model.TimeZoneRegistry;
import net.fortuna.ical4j.model.TimeZoneRegistryFactory;
import net.fortuna.ical4j.model.component.VEvent;
import net.fortuna.ical4j.model.property.Description;
import net.fortuna.ical4j.model.property.DtStamp;
import net.fortuna.ical4j.model.property.Location;
import net.fortuna.ical4j.model.property.Method;
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
 * An RFC 5545 invitation for a room: the start in the host's zone with its VTIMEZONE, the duration, weekly recurrence
 * and the room link as URL and location.
 */
@Component
public class IcsInvitation {

    private final TimeZoneRegistry timeZones = TimeZoneRegistryFactory.getInstance().createRegistry();

    public String render(Room room, String joinUrl, Instant now) {
        RoomSchedule schedule = room.schedule();
        ZonedDateTime start = room.getStartsAt().atZone(schedule.zone());
        VEvent event = new VEvent(start, schedule.duration(), room.getTitle());
        event.add(new Uid("room-" + room.getSlug() + "@parley"));
        event.add(new DtStamp(now));
        event.add(new Sequence((int) Math.min(Integer.MAX_VALUE, room.getUpdatedAt().getEpochSecond() / 60)));
        event.add(new Url(java.net.URI.create(joinUrl)));
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
        TimeZone zone = timeZones.getTimeZone(schedule.zone().getId());
        if (zone != null) {
            calendar.add(zone.getVTimeZone());
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
}
