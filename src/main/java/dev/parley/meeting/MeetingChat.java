package dev.parley.meeting;

import dev.parley.chat.ChatArchive;
import dev.parley.chat.ChatEntry;
import dev.parley.chat.SharedFile;
import dev.parley.chat.SharedFiles;
import dev.parley.common.VisibleText;
import dev.parley.rooms.Room;
import io.github.bucket4j.Bucket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * The meeting's chat (docs/signaling.md, "chat"): a message to everyone in the room, or privately to one participant,
 * checked here (text length, the sender's rate, a recipient in the same room who can receive it) and kept in the live
 * room's {@link ChatLog} for those who join or come back later; files shared into it arrive over HTTP
 * ({@link ChatFileController}) and go out as messages here. Only participants in the room send or receive chat:
 * {@link MeetingAdmission#checkAllowed} refuses a chat from anyone else (a lobby is not the room), and history goes out
 * only with {@code welcome} and {@code resumed}. A room that keeps its chat also has its messages to everyone written
 * to the {@link ChatArchive} as they are sent, and a later meeting's history starts with them.
 */
@Service
public class MeetingChat {

    /** The longest text, in Unicode code points after trimming. */
    public static final int MAX_TEXT = 2000;
    /** Messages a participant may send at once, and per second in the long run. */
    static final int BURST = 8;
    static final int PER_SECOND = 2;
    /** Files a participant may share at once, and per minute in the long run. */
    static final int FILE_BURST = 5;
    static final int FILES_PER_MINUTE = 10;

    private static final Logger log = LoggerFactory.getLogger(MeetingChat.class);

    private final Clock clock;
    private final int keep;
    private final ChatArchive archive;
    private final SharedFiles files;

    public MeetingChat(Clock clock, MeetingProperties properties, ChatArchive archive, SharedFiles files) {
        this.clock = clock;
        this.keep = properties.chatHistory();
        this.archive = archive;
        this.files = files;
    }

    /** A participant's allowance of chat messages (kept with the participant, so a reconnect does not refill it). */
    static Bucket newAllowance() {
        return Bucket.builder().addLimit(limit -> limit.capacity(BURST)
                .refillGreedy(PER_SECOND, Duration.ofSeconds(1))).build();
    }

    static Bucket newFileAllowance() {
        return Bucket.builder().addLimit(limit -> limit.capacity(FILE_BURST)
                .refillGreedy(FILES_PER_MINUTE, Duration.ofMinutes(1))).build();
    }

    /**
     * Someone is coming into the room: the live room learns whether the room keeps its chat, and the first to come
     * puts the kept chat of earlier meetings into its history.
     */
    void recall(LiveRoom live, Room room) {
        live.setChatKept(room.isChatKept());
        if (!room.isChatKept() || keep == 0 || !live.chat().startRecall()) {
            return;
        }
        List<ChatEntry> earlier = archive.before(room.getId(), Instant.ofEpochMilli(live.startedAt()), keep);
        Map<String, SharedFile> attached = files.findAll(earlier.stream().map(ChatEntry::getFileId)
                .filter(id -> id != null).toList()).stream()
                .collect(Collectors.toMap(SharedFile::getId, Function.identity()));
        live.chat().addEarlier(earlier.stream().map(e -> new ServerMessage.Chat("h-" + e.getId(),
                new ServerMessage.ChatSender("", e.getSenderName()), null, e.getText(), e.getSentAt().toEpochMilli(),
                e.getFileId() == null || !attached.containsKey(e.getFileId()) ? null
                        : attachment(attached.get(e.getFileId())), true)).toList(), keep);
    }

    /**
     * Sends a participant's message: to everyone in the room (the sender included, which confirms it), or only to the
     * sender and the recipient; and keeps it for the history.
     *
     * @throws Refusal bad-message (empty, too long, control characters or direction overrides as in
     *     {@link VisibleText}, nothing visible, to oneself), unknown-recipient (nobody in this room with that id
     *     who can read chat), rate-limited (too many messages)
     */
    public void send(LiveRoom live, Participant sender, ClientMessage.Chat chat) {
        String text = chat.text().strip();
        if (text.isEmpty()) {
            throw new Refusal("bad-message", "A chat message cannot be empty.");
        }
        if (text.codePointCount(0, text.length()) > MAX_TEXT) {
            throw new Refusal("bad-message", "Chat messages are limited to " + MAX_TEXT + " characters.");
        }
        if (!VisibleText.Validator.accepts(text, true)) {
            throw new Refusal("bad-message", "A chat message is text people can read: no control characters or "
                    + "direction overrides, and something visible.");
        }
        Participant recipient = recipient(live, sender, chat.to());
        if (!sender.chatAllowance().tryConsume(1)) {
            throw new Refusal("rate-limited", "You are sending messages too fast; wait a moment.");
        }
        deliver(live, sender, recipient, text, null);
    }

    /**
     * Whom a file may be shared with: everyone, or one other browser participant in the room; and whether the sender
     * may share one more now.
     *
     * @throws Refusal as {@link #send}: bad-message, unknown-recipient, rate-limited
     */
    Participant checkShare(LiveRoom live, Participant sender, String to) {
        Participant recipient = recipient(live, sender, to);
        if (!sender.fileAllowance().tryConsume(1)) {
            throw new Refusal("rate-limited", "You are sharing files too fast; wait a minute.");
        }
        return recipient;
    }

    /**
     * A file was stored: it goes out as a message, to everyone or to the recipient. False, and nothing sent, when its
     * sender is no longer in the meeting: it left, was removed, or the meeting ended while the bytes arrived.
     */
    boolean shared(LiveRoom live, Participant sender, Participant recipient, SharedFile file) {
        if (live.participant(sender.id()) != sender) {
            return false;
        }
        deliver(live, sender, recipient, "", attachment(file));
        return true;
    }

    private Participant recipient(LiveRoom live, Participant sender, String to) {
        if (to == null) {
            return null;
        }
        if (to.equals(sender.id())) {
            throw new Refusal("bad-message", "A private message goes to someone else.");
        }
        Participant recipient = live.participant(to);
        if (recipient == null || recipient.kind() != Participant.Kind.BROWSER) {
            throw new Refusal("unknown-recipient", "That person is not in the meeting (any more).");
        }
        return recipient;
    }

    private void deliver(LiveRoom live, Participant sender, Participant recipient, String text,
                         ServerMessage.Attachment file) {
        ChatLog history = live.chat();
        ServerMessage.Chat message;
        synchronized (history) { // ids in the history in the order they were given
            message = new ServerMessage.Chat(history.nextId(),
                    new ServerMessage.ChatSender(sender.id(), sender.displayName()),
                    recipient == null ? null : recipient.id(), text, clock.millis(), file, false);
            history.add(message, keep);
        }
        if (recipient == null) {
            live.broadcast(message, null);
        } else {
            sender.peer().send(message);
            recipient.peer().send(message);
        }
        if (recipient == null && live.isChatKept()) {
            try {
                archive.keep(live.roomId(), sender.displayName(), text, file == null ? null : file.id(),
                        Instant.ofEpochMilli(message.sentAt()));
            } catch (RuntimeException e) {
                // everyone has the message; only the room's kept copy is missing, which the log says
                log.warn("Chat message {} of room {} could not be kept: {}", message.id(), live.roomId(), e.toString());
            }
        }
    }

    static ServerMessage.Attachment attachment(SharedFile file) {
        return new ServerMessage.Attachment(file.getId(), file.getName(), file.getSize(), file.getContentType());
    }

    /** What a participant may read of the chat so far, as sent after welcome and resumed. */
    static ServerMessage.ChatHistory historyFor(LiveRoom live, Participant participant) {
        return new ServerMessage.ChatHistory(live.chat().visibleTo(participant.id()));
    }
}
