package dev.parley.meeting;

import dev.parley.common.VisibleText;
import io.github.bucket4j.Bucket;
import java.time.Clock;
import java.time.Duration;
import org.springframework.stereotype.Service;

/**
 * The meeting's chat (docs/signaling.md, "chat"): a message to everyone in the room, or privately to one participant,
 * checked here (text length, the sender's rate, a recipient in the same room who can receive it) and kept in the live
 * room's {@link ChatLog} for those who join or come back later. Only participants in the room send or receive chat:
 * {@link MeetingAdmission#checkAllowed} refuses a chat from anyone else (a lobby is not the room), and history goes out
 * only with {@code welcome} and {@code resumed}.
 */
@Service
public class MeetingChat {

    /** The longest text, in Unicode code points after trimming. */
    public static final int MAX_TEXT = 2000;
    /** Messages a participant may send at once, and per second in the long run. */
    static final int BURST = 8;
    static final int PER_SECOND = 2;

    private final Clock clock;
    private final int keep;

    public MeetingChat(Clock clock, MeetingProperties properties) {
        this.clock = clock;
        this.keep = properties.chatHistory();
    }

    /** A participant's allowance of chat messages (kept with the participant, so a reconnect does not refill it). */
    static Bucket newAllowance() {
        return Bucket.builder().addLimit(limit -> limit.capacity(BURST)
                .refillGreedy(PER_SECOND, Duration.ofSeconds(1))).build();
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
        Participant recipient = null;
        if (chat.to() != null) {
            if (chat.to().equals(sender.id())) {
                throw new Refusal("bad-message", "A private message goes to someone else.");
            }
            recipient = live.participant(chat.to());
            if (recipient == null || recipient.kind() != Participant.Kind.BROWSER) {
                throw new Refusal("unknown-recipient", "That person is not in the meeting (any more).");
            }
        }
        if (!sender.chatAllowance().tryConsume(1)) {
            throw new Refusal("rate-limited", "You are sending messages too fast; wait a moment.");
        }
        ChatLog log = live.chat();
        ServerMessage.Chat message;
        synchronized (log) { // ids in the history in the order they were given
            message = new ServerMessage.Chat(log.nextId(),
                    new ServerMessage.ChatSender(sender.id(), sender.displayName()), chat.to(), text, clock.millis());
            log.add(message, keep);
        }
        if (recipient == null) {
            live.broadcast(message, null);
        } else {
            sender.peer().send(message);
            recipient.peer().send(message);
        }
    }

    /** What a participant may read of the chat so far, as sent after welcome and resumed. */
    static ServerMessage.ChatHistory historyFor(LiveRoom live, Participant participant) {
        return new ServerMessage.ChatHistory(live.chat().visibleTo(participant.id()));
    }
}
