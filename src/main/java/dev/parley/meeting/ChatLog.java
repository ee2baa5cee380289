package dev.parley.meeting;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * One live room's chat: the last messages, public and private, kept in memory while the meeting lasts (it goes with
 * its {@link LiveRoom} when the last person leaves), and the ids they are given. Thread-safe.
 */
final class ChatLog {

    private final Deque<ServerMessage.Chat> messages = new ArrayDeque<>();
    private long lastId;
    private boolean recalled;

    /** True the first time only: whoever gets it puts the room's kept chat of earlier meetings in first. */
    synchronized boolean startRecall() {
        boolean first = !recalled;
        recalled = true;
        return first;
    }

    /** Puts earlier meetings' messages (oldest first) before this meeting's, within {@code keep}. */
    synchronized void addEarlier(List<ServerMessage.Chat> earlier, int keep) {
        for (int i = earlier.size() - 1; i >= 0 && messages.size() < keep; i--) {
            messages.addFirst(earlier.get(i));
        }
    }

    /** A new message id, unique within this meeting. */
    synchronized String nextId() {
        return "c-" + (++lastId);
    }

    /** Keeps a message, forgetting the oldest beyond {@code keep}. */
    synchronized void add(ServerMessage.Chat message, int keep) {
        messages.addLast(message);
        while (messages.size() > keep) {
            messages.removeFirst();
        }
    }

    /** The kept messages a participant may read, oldest first: the public ones and the private ones it sent or got. */
    synchronized List<ServerMessage.Chat> visibleTo(String participantId) {
        List<ServerMessage.Chat> visible = new ArrayList<>();
        for (ServerMessage.Chat message : messages) {
            if (message.to() == null || message.to().equals(participantId)
                    || message.from().participantId().equals(participantId)) {
                visible.add(message);
            }
        }
        return visible;
    }
}
