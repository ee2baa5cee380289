package dev.parley.rooms;

import dev.parley.accounts.UserAccount;
import dev.parley.common.TimeZones;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import net.fortuna.ical4j.data.CalendarOutputter;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.ParameterList;
import net.fortuna.ical4j.model.TimeZone;
import net.fortuna.ical4j.model.TimeZoneRegistry;
import net.fortuna.ical4j.model.TimeZoneRegistryFactory;
import net.fortuna.ical4j.model.component.VEvent;
import net.fortuna.ical4j.model.component.VTimeZone;
import net.fortuna.ical4j.model.parameter.Cn;
import net.fortuna.ical4j.model.parameter.Value;
import net.fortuna.ical4j.model.property.Description;
import net.fortuna.ical4j.model.property.DtStamp;
import net.fortuna.ical4j.model.property.Location;
import net.fortuna.ical4j.model.property.Method;
import net.fortuna.ical4j.model.property.Name;
import net.fortuna.ical4j.model.property.Organizer;
import net.fortuna.ical4j.model.property.ProdId;
import net.fortuna.ical4j.model.property.RRule;
import net.fortuna.ical4j.model.property.RefreshInterval;
import net.fortuna.ical4j.model.property.Sequence;
import net.fortuna.ical4j.model.property.Status;
import net.fortuna.ical4j.model.property.Uid;
import net.fortuna.ical4j.model.property.Url;
import net.fortuna.ical4j.model.property.XProperty;
import net.fortuna.ical4j.model.property.immutable.ImmutableCalScale;
import net.fortuna.ical4j.model.property.immutable.ImmutableVersion;
import org.springframework.stereotype.Component;

/**
 * An RFC 5545 invitation for a room: the start in the host's zone with its VTIMEZONE (UTC needs none), the duration,
 * weekly recurrence, the host as organizer and the room link as URL and location. The same events make up a host's
 * calendar feed ({@link #feed}).
 */
@Component
public class IcsInvitation {

    private final TimeZoneRegistry timeZones = TimeZoneRegistryFactory.getInstance().createRegistry();

    public String render(Room room, String joinUrl, Instant now) {
        VTimeZone zone = calendarZone(room.schedule().zone());
        Calendar calendar = calendar();
        calendar.add(new Method(room.isCancelled() ? Method.VALUE_CANCEL : Method.VALUE_PUBLISH));
        if (zone != null) {
            calendar.add(zone);
        }
        calendar.add(event(room, joinUrl, now, zone));
        return write(calendar);
    }

    /**
     * A calendar to subscribe to (a host's calendar feed): one event per room, each as {@link #render} writes it. It
     * has no METHOD, as a published calendar needs none (RFC 5545 3.7.2), so each DTSTAMP is when the room last
     * changed (3.8.7.2) and the same rooms always give the same bytes. Cancelled rooms stay in it, STATUS:CANCELLED, so
     * subscribed calendars take them off; the refresh interval is a hint to clients (RFC 7986, and Outlook's
     * X-PUBLISHED-TTL).
     */
    public String feed(String name, List<Room> rooms, Function<Room, String> joinUrl, Duration refresh) {
        Calendar calendar = calendar();
        calendar.add(new Name(name));
        calendar.add(new XProperty("X-WR-CALNAME", name));
        calendar.add(new RefreshInterval(new ParameterList(List.of(Value.DURATION)), refresh));
        calendar.add(new XProperty("X-PUBLISHED-TTL", refresh.toString()));
        Map<ZoneId, VTimeZone> zones = new LinkedHashMap<>();
        List<VEvent> events = new ArrayList<>(rooms.size());
        for (Room room : rooms) {
            ZoneId zoneId = room.schedule().zone();
            VTimeZone zone = zones.containsKey(zoneId) ? zones.get(zoneId) : calendarZone(zoneId);
            zones.put(zoneId, zone);
            events.add(event(room, joinUrl.apply(room), room.getUpdatedAt(), zone));
        }
        zones.values().stream().filter(Objects::nonNull).forEach(calendar::add);
        events.forEach(calendar::add);
        return write(calendar);
    }

    private VEvent event(Room room, String joinUrl, Instant stamp, VTimeZone zone) {
        RoomSchedule schedule = room.schedule();
        // Without a VTIMEZONE to refer to (UTC, or a zone ical4j does not know) the start is written in UTC.
        Temporal start = zone == null ? room.getStartsAt() : room.getStartsAt().atZone(schedule.zone());
        VEvent event = new VEvent(start, schedule.duration(), room.getTitle());
        event.replace(new DtStamp(stamp));
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
        return event;
    }

    private static Calendar calendar() {
        Calendar calendar = new Calendar();
        calendar.add(new ProdId("-//Parley//Parley Meetings//EN"));
        calendar.add(ImmutableVersion.VERSION_2_0);
        calendar.add(ImmutableCalScale.GREGORIAN);
        return calendar;
    }

    private static String write(Calendar calendar) {
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
