package dev.parley.web;

import dev.parley.accounts.ParleyUser;
import dev.parley.accounts.UserAccountRepository;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.time.format.TextStyle;
import java.util.Locale;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Dates and times as the viewer reads them: in their language and their time zone. The zone comes from the profile,
 * else from the cookie that /js/timezone.js sets from the browser, else UTC. Templates call it as {@code @viewerTime}.
 */
@Component("viewerTime")
public class ViewerTime {

    public static final String TIME_ZONE_COOKIE = "parley_tz";
    private static final String ZONE_ATTRIBUTE = ViewerTime.class.getName() + ".zone";

    private final UserAccountRepository users;

    public ViewerTime(UserAccountRepository users) {
        this.users = users;
    }

    public ZoneId zone() {
        if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attrs) {
            HttpServletRequest request = attrs.getRequest();
            if (request.getAttribute(ZONE_ATTRIBUTE) instanceof ZoneId cached) {
                return cached;
            }
            ZoneId zone = resolveZone();
            request.setAttribute(ZONE_ATTRIBUTE, zone);
            return zone;
        }
        return resolveZone();
    }

    private ZoneId resolveZone() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        if (auth != null && auth.getPrincipal() instanceof ParleyUser user) {
            String profileZone = users.findById(user.id()).map(a -> a.getTimeZone()).orElse(null);
            ZoneId zone = parse(profileZone);
            if (zone != null) {
                return zone;
            }
        }
        return browserZone();
    }

    /** The zone the browser reported, or UTC. */
    public ZoneId browserZone() {
        if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attrs) {
            HttpServletRequest request = attrs.getRequest();
            if (request.getCookies() != null) {
                for (Cookie cookie : request.getCookies()) {
                    if (TIME_ZONE_COOKIE.equals(cookie.getName())) {
                        ZoneId zone = parse(cookie.getValue().replace("%2F", "/"));
                        if (zone != null) {
                            return zone;
                        }
                    }
                }
            }
        }
        return ZoneOffset.UTC;
    }

    public String dateTime(Instant instant) {
        return instant == null ? "" : format(instant, DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM, FormatStyle.SHORT));
    }

    public String date(Instant instant) {
        return instant == null ? "" : format(instant, DateTimeFormatter.ofLocalizedDate(FormatStyle.MEDIUM));
    }

    public String time(Instant instant) {
        return instant == null ? "" : format(instant, DateTimeFormatter.ofLocalizedTime(FormatStyle.SHORT));
    }

    /** The viewer's zone as a short, readable label such as "Europe/Berlin (CET)". */
    public String zoneLabel() {
        ZoneId zone = zone();
        Locale locale = LocaleContextHolder.getLocale();
        String shortName = zone.getDisplayName(TextStyle.SHORT, locale);
        return shortName.equals(zone.getId()) ? zone.getId() : zone.getId() + " (" + shortName + ")";
    }

    private String format(Instant instant, DateTimeFormatter formatter) {
        return formatter.withLocale(LocaleContextHolder.getLocale()).withZone(zone()).format(instant);
    }

    static ZoneId parse(String id) {
        if (id == null || id.isBlank() || id.length() > 64) {
            return null;
        }
        try {
            return ZoneId.of(id);
        } catch (DateTimeException e) {
            return null;
        }
    }
}
