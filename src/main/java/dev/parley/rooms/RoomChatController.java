package dev.parley.rooms;

import dev.parley.accounts.ParleyUser;
import dev.parley.chat.FileDownloads;
import dev.parley.chat.SharedFile;
import dev.parley.web.ViewerTime;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.springframework.context.MessageSource;
import org.springframework.core.io.Resource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** A room's kept chat for its host: the page, a plain-text transcript, its files, and clearing it. */
@Controller
@RequestMapping("/rooms/{id}/chat")
class RoomChatController {

    private final RoomService rooms;
    private final RoomChat chat;
    private final RoomClock roomClock;
    private final JoinLinks joinLinks;
    private final ViewerTime viewerTime;
    private final MessageSource messages;

    RoomChatController(RoomService rooms, RoomChat chat, RoomClock roomClock, JoinLinks joinLinks,
                       ViewerTime viewerTime, MessageSource messages) {
        this.rooms = rooms;
        this.chat = chat;
        this.roomClock = roomClock;
        this.joinLinks = joinLinks;
        this.viewerTime = viewerTime;
        this.messages = messages;
    }

    @GetMapping
    String show(@AuthenticationPrincipal ParleyUser user, @PathVariable long id, Model model) {
        Room room = rooms.manageable(user, id);
        model.addAttribute("room", RoomView.of(room, roomClock, joinLinks));
        model.addAttribute("lines", chat.lines(room));
        model.addAttribute("retentionDays", chat.retentionDays());
        return "rooms/chat";
    }

    @GetMapping(value = "/transcript.txt")
    ResponseEntity<byte[]> transcript(@AuthenticationPrincipal ParleyUser user, @PathVariable long id,
                                      Locale locale) {
        Room room = rooms.manageable(user, id);
        List<RoomChat.Line> lines = chat.lines(room);
        StringBuilder text = new StringBuilder(room.getTitle()).append("\n\n");
        for (RoomChat.Line line : lines) {
            text.append('[').append(viewerTime.dateTime(line.entry().getSentAt())).append("] ")
                    .append(line.entry().getSenderName()).append(": ");
            if (line.entry().getText().isEmpty()) {
                String name = line.file() == null ? messages.getMessage("room.chat.fileGone", null, locale)
                        : line.file().getName();
                text.append(messages.getMessage("room.chat.sharedFile", new Object[] {name}, locale));
            } else {
                text.append(line.entry().getText().replace("\n", "\n    "));
            }
            text.append('\n');
        }
        return ResponseEntity.ok()
                .contentType(new MediaType("text", "plain", StandardCharsets.UTF_8))
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                        .filename(IcsFileNames.stem(room.getTitle()) + "-chat.txt",
                                StandardCharsets.UTF_8).build().toString())
                .body(text.toString().getBytes(StandardCharsets.UTF_8));
    }

    @GetMapping("/files/{fileId}")
    ResponseEntity<Resource> file(@AuthenticationPrincipal ParleyUser user, @PathVariable long id,
                                  @PathVariable String fileId) {
        SharedFile file = chat.file(user, id, fileId).orElse(null);
        if (file == null) {
            return ResponseEntity.status(HttpStatus.NOT_FOUND).build();
        }
        return FileDownloads.of(file, chat.path(file));
    }

    @PostMapping("/clear")
    String clear(@AuthenticationPrincipal ParleyUser user, @PathVariable long id, RedirectAttributes redirect) {
        chat.clear(user, id);
        redirect.addFlashAttribute("flash", "room.flash.chatCleared");
        return "redirect:/rooms/" + id + "/chat";
    }
}
