package dev.parley.rooms;

import dev.parley.accounts.ParleyUser;
import dev.parley.common.FormErrors;
import dev.parley.common.TimeZones;
import dev.parley.common.UserFacingException;
import dev.parley.web.ViewerTime;
import jakarta.validation.Valid;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import org.springframework.context.MessageSource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The host's side of rooms: list, schedule, edit, cancel, reopen, delete, and the .ics invitation. */
@Controller
@RequestMapping("/rooms")
class RoomController {

    private final RoomService rooms;
    private final RoomClock roomClock;
    private final JoinLinks joinLinks;
    private final IcsInvitation invitations;
    private final ViewerTime viewerTime;
    private final MessageSource messages;
    private final LiveMeetings liveMeetings;

    RoomController(RoomService rooms, RoomClock roomClock, JoinLinks joinLinks, IcsInvitation invitations,
                   ViewerTime viewerTime, MessageSource messages, LiveMeetings liveMeetings) {
        this.rooms = rooms;
        this.roomClock = roomClock;
        this.joinLinks = joinLinks;
        this.invitations = invitations;
        this.viewerTime = viewerTime;
        this.messages = messages;
        this.liveMeetings = liveMeetings;
    }

    @ModelAttribute("timeZones")
    List<String> timeZones() {
        return TimeZones.OFFERED;
    }

    @GetMapping
    String list(@AuthenticationPrincipal ParleyUser user, Model model) {
        List<RoomView> all = rooms.hostedBy(user.id()).stream().map(this::view).toList();
        model.addAttribute("upcoming", all.stream()
                .filter(r -> r.state() == RoomState.UPCOMING || r.state() == RoomState.OPEN)
                .sorted((a, b) -> a.nextStart().compareTo(b.nextStart())).toList());
        model.addAttribute("past", all.stream()
                .filter(r -> r.state() == RoomState.ENDED || r.state() == RoomState.CANCELLED).toList());
        return "rooms/list";
    }

    @GetMapping("/new")
    String newRoom(Model model) {
        ZoneId zone = ZoneId.of(TimeZones.offeredOrUtc(viewerTime.zone()));
        LocalDateTime nextHalfHour = LocalDateTime.ofInstant(roomClock.now(), zone)
                .truncatedTo(ChronoUnit.HOURS).plusMinutes(30);
        if (nextHalfHour.isBefore(LocalDateTime.ofInstant(roomClock.now(), zone))) {
            nextHalfHour = nextHalfHour.plusMinutes(30);
        }
        model.addAttribute("roomForm", RoomForm.forNewRoom(zone, nextHalfHour));
        return "rooms/form";
    }

    @PostMapping
    String create(@AuthenticationPrincipal ParleyUser user, @Valid @ModelAttribute("roomForm") RoomForm form,
                  BindingResult binding, RedirectAttributes redirect) {
        if (binding.hasErrors()) {
            FormErrors.check(binding, () -> rooms.checkStart(form, null));
            return "rooms/form";
        }
        try {
            Room room = rooms.schedule(user, form);
            redirect.addFlashAttribute("flash", "room.flash.created");
            return "redirect:/rooms/" + room.getId();
        } catch (UserFacingException e) {
            FormErrors.reject(binding, e);
            return "rooms/form";
        }
    }

    /** "Meet now": a room open at once, and straight to its pre-join page. */
    @PostMapping("/now")
    String meetNow(@AuthenticationPrincipal ParleyUser user, Locale locale) {
        ZoneId zone = ZoneId.of(TimeZones.offeredOrUtc(viewerTime.zone()));
        Room room = rooms.meetNow(user, zone,
                messages.getMessage("room.meetNow.title", new Object[] {user.displayName()}, locale));
        return "redirect:/r/" + room.getSlug();
    }

    @GetMapping("/{id}")
    String show(@AuthenticationPrincipal ParleyUser user, @PathVariable long id, Model model) {
        Room room = rooms.manageable(user, id);
        model.addAttribute("room", view(room));
        model.addAttribute("liveParticipants", liveMeetings.participantCount(room.getId()));
        model.addAttribute("livePeople", liveMeetings.people(room.getId()));
        return "rooms/show";
    }

    @GetMapping("/{id}/edit")
    String edit(@AuthenticationPrincipal ParleyUser user, @PathVariable long id, Model model) {
        Room room = rooms.manageable(user, id);
        model.addAttribute("room", view(room));
        model.addAttribute("roomForm", RoomForm.of(room));
        return "rooms/form";
    }

    @PostMapping("/{id}")
    String update(@AuthenticationPrincipal ParleyUser user, @PathVariable long id,
                  @Valid @ModelAttribute("roomForm") RoomForm form, BindingResult binding, Model model,
                  RedirectAttributes redirect) {
        Room existing = rooms.manageable(user, id);
        if (binding.hasErrors()) {
            FormErrors.check(binding, () -> rooms.checkStart(form, existing));
            model.addAttribute("room", view(existing));
            return "rooms/form";
        }
        try {
            rooms.update(user, id, form);
            redirect.addFlashAttribute("flash", "room.flash.updated");
            return "redirect:/rooms/" + id;
        } catch (UserFacingException e) {
            FormErrors.reject(binding, e);
            model.addAttribute("room", view(existing));
            return "rooms/form";
        }
    }

    @PostMapping("/{id}/cancel")
    String cancel(@AuthenticationPrincipal ParleyUser user, @PathVariable long id, RedirectAttributes redirect) {
        rooms.cancel(user, id);
        redirect.addFlashAttribute("flash", "room.flash.cancelled");
        return "redirect:/rooms/" + id;
    }

    @PostMapping("/{id}/open")
    String open(@AuthenticationPrincipal ParleyUser user, @PathVariable long id, RedirectAttributes redirect) {
        rooms.open(user, id);
        redirect.addFlashAttribute("flash", "room.flash.opened");
        return "redirect:/rooms/" + id;
    }

    @PostMapping("/{id}/stream-token")
    String rotateStreamToken(@AuthenticationPrincipal ParleyUser user, @PathVariable long id, RedirectAttributes redirect) {
        rooms.rotateStreamToken(user, id);
        redirect.addFlashAttribute("flash", "room.flash.tokenRotated");
        return "redirect:/rooms/" + id;
    }

    @GetMapping("/{id}/delete")
    String confirmDelete(@AuthenticationPrincipal ParleyUser user, @PathVariable long id, Model model) {
        Room room = rooms.manageable(user, id);
        model.addAttribute("room", view(room));
        model.addAttribute("liveParticipants", liveMeetings.participantCount(room.getId()));
        return "rooms/delete";
    }

    @PostMapping("/{id}/delete")
    String delete(@AuthenticationPrincipal ParleyUser user, @PathVariable long id, RedirectAttributes redirect) {
        rooms.delete(user, id);
        redirect.addFlashAttribute("flash", "room.flash.deleted");
        return user.isAdmin() ? "redirect:/admin/rooms" : "redirect:/rooms";
    }

    @GetMapping("/{id}/invite.ics")
    ResponseEntity<byte[]> invitation(@AuthenticationPrincipal ParleyUser user, @PathVariable long id) {
        Room room = rooms.manageable(user, id);
        String ics = invitations.render(room, joinLinks.of(room), roomClock.now());
        return ResponseEntity.ok()
                .contentType(new MediaType("text", "calendar", StandardCharsets.UTF_8))
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                        .filename(IcsFileNames.of(room.getTitle()), StandardCharsets.UTF_8).build().toString())
                .body(ics.getBytes(StandardCharsets.UTF_8));
    }

    private RoomView view(Room room) {
        return RoomView.of(room, roomClock, joinLinks);
    }
}
