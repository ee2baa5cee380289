package dev.parley.calendar;

import dev.parley.accounts.ParleyUser;
import dev.parley.common.SecretTokens;
import dev.parley.rooms.JoinLinks;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import org.springframework.http.CacheControl;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The calendar feed: made, replaced and turned off from the profile page, and fetched by calendar apps without a
 * session (its own stateless security chain in web.SecurityConfiguration lets anyone GET /calendar/**).
 */
@Controller
class CalendarFeedController {

    /** Calendar apps may keep a copy this long; a changed room reaches them at their next fetch after it. */
    static final Duration MAX_AGE = Duration.ofMinutes(5);
    private static final MediaType TEXT_CALENDAR = new MediaType("text", "calendar", StandardCharsets.UTF_8);

    private final CalendarFeeds feeds;
    private final FeedFetches fetches;
    private final JoinLinks joinLinks;

    CalendarFeedController(CalendarFeeds feeds, FeedFetches fetches, JoinLinks joinLinks) {
        this.feeds = feeds;
        this.fetches = fetches;
        this.joinLinks = joinLinks;
    }

    /** Makes the feed or replaces its address; the new address is shown once, on the profile page it returns to. */
    @PostMapping("/profile/calendar-feed")
    String renew(@AuthenticationPrincipal ParleyUser user, RedirectAttributes redirect) {
        CalendarFeeds.NewAddress address = feeds.renew(user);
        String url = joinLinks.base() + "/calendar/" + address.token() + ".ics";
        redirect.addFlashAttribute("calendarFeedUrl", url);
        redirect.addFlashAttribute("calendarFeedWebcal", url.replaceFirst("^https?://", "webcal://"));
        redirect.addFlashAttribute("flash", address.replaced() ? "calendarFeed.flash.replaced"
                : "calendarFeed.flash.created");
        return "redirect:/profile#calendar-feed";
    }

    @PostMapping("/profile/calendar-feed/off")
    String turnOff(@AuthenticationPrincipal ParleyUser user, RedirectAttributes redirect) {
        feeds.turnOff(user);
        redirect.addFlashAttribute("flash", "calendarFeed.flash.off");
        return "redirect:/profile#calendar-feed";
    }

    /**
     * The feed itself. Unknown, replaced and turned-off tokens, and feeds of owners who may not host any more, all get
     * the same bare 404. The ETag is the content's digest, so a calendar app asking with If-None-Match gets 304 while
     * nothing changed.
     */
    @GetMapping("/calendar/{token}.ics")
    ResponseEntity<byte[]> feed(@PathVariable String token) {
        Optional<CalendarFeeds.OpenFeed> feed = feeds.open(token);
        if (feed.isEmpty()) {
            return ResponseEntity.notFound().build();
        }
        Optional<Duration> wait = fetches.refusal(feed.get().id());
        if (wait.isPresent()) {
            return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
                    .header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, wait.get().toSeconds() + 1)))
                    .build();
        }
        byte[] body = feeds.calendar(feed.get(), joinLinks::of).getBytes(StandardCharsets.UTF_8);
        return ResponseEntity.ok()
                .contentType(TEXT_CALENDAR)
                .cacheControl(CacheControl.maxAge(MAX_AGE).cachePrivate())
                .eTag(digest(body))
                .header(HttpHeaders.CONTENT_DISPOSITION,
                        ContentDisposition.inline().filename("parley.ics").build().toString())
                .body(body);
    }

    /** The first 16 bytes of the body's SHA-256, in hex: plenty to tell versions of one feed apart. */
    private static String digest(byte[] body) {
        return HexFormat.of().formatHex(SecretTokens.sha256(body), 0, 16);
    }
}
