package dev.parley.meeting;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/** The people in one room right now, and those waiting in its lobby. Thread-safe. */
public final class LiveRoom {

    public enum Admission {
        ADMITTED,
        FULL,
        /** Its meeting ended before (released, empty): nobody comes in any more; the room's next meeting is another. */
        ENDED
    }

    private final long roomId;
    private final String slug;
    private final Map<String, Participant> participants = new LinkedHashMap<>();
    private final Map<String, Participant> lobby = new LinkedHashMap<>();
    private boolean released; // guarded by this
    private volatile String activeSpeaker;
    private volatile List<String> forwardedVideo;
    private volatile boolean locked;
    private volatile boolean chatKept;
    private volatile MeetingRecording.Active recording;
    private final ChatLog chat = new ChatLog();
    private final long startedAt;
    /** Held while a message goes to everyone, and while someone is told how the room is (see {@link #tell}). */
    private final Object announcements = new Object();

    LiveRoom(long roomId, String slug, long startedAt) {
        this.roomId = roomId;
        this.slug = slug;
        this.startedAt = startedAt;
    }

    /** When the first person came in (milliseconds since the epoch): the meeting's timer counts from here. */
    public long startedAt() {
        return startedAt;
    }

    public long roomId() {
        return roomId;
    }

    /** The participant id of whoever the relay last named the room's speaker, or null. */
    public String activeSpeaker() {
        return activeSpeaker;
    }

    void setActiveSpeaker(String participantId) {
        activeSpeaker = participantId;
    }

    /** Whose video the relay forwards while last-N applies; null when everyone's. */
    public List<String> forwardedVideo() {
        return forwardedVideo;
    }

    void setForwardedVideo(List<String> participantIds) {
        forwardedVideo = participantIds == null ? null : List.copyOf(participantIds);
    }

    /** A host locked the meeting: newcomers wait in the lobby, hosts excepted. It ends with the live room. */
    public boolean isLocked() {
        return locked;
    }

    void setLocked(boolean locked) {
        this.locked = locked;
    }

    /** The meeting's recording while it is recorded; null otherwise. */
    public MeetingRecording.Active recording() {
        return recording;
    }

    void setRecording(MeetingRecording.Active recording) {
        this.recording = recording;
    }

    /** The room keeps its chat to everyone after the meeting (its setting when the last person came in). */
    boolean isChatKept() {
        return chatKept;
    }

    void setChatKept(boolean chatKept) {
        this.chatKept = chatKept;
    }

    /** The meeting's chat so far; it ends with the live room. */
    ChatLog chat() {
        return chat;
    }

    public String slug() {
        return slug;
    }

    /** Lets a participant in unless the room already holds {@code capacity} people. */
    public synchronized Admission admit(Participant participant, int capacity) {
        lobby.remove(participant.id());
        if (released) {
            return Admission.ENDED;
        }
        if (participants.size() >= capacity) {
            return Admission.FULL;
        }
        participants.put(participant.id(), participant);
        return Admission.ADMITTED;
    }

    /** Into the lobby; false when the meeting ended before (as {@link Admission#ENDED}). */
    public synchronized boolean enterLobby(Participant participant) {
        if (released) {
            return false;
        }
        lobby.put(participant.id(), participant);
        return true;
    }

    public synchronized Participant leaveLobby(String participantId) {
        return lobby.remove(participantId);
    }

    public synchronized boolean remove(String participantId) {
        lobby.remove(participantId);
        return participants.remove(participantId) != null;
    }

    public synchronized Participant participant(String id) {
        return participants.get(id);
    }

    public synchronized List<Participant> participants() {
        return new ArrayList<>(participants.values());
    }

    public synchronized boolean isWaiting(Participant participant) {
        return lobby.get(participant.id()) == participant;
    }

    public synchronized List<Participant> waiting() {
        return new ArrayList<>(lobby.values());
    }

    public synchronized int size() {
        return participants.size();
    }

    public synchronized boolean isEmpty() {
        return participants.isEmpty() && lobby.isEmpty();
    }

    /**
     * Ends the meeting if nobody is in it or its lobby: from then on nobody is let in ({@link Admission#ENDED}). Under
     * this room's lock, as admissions are: someone let in before keeps it going, someone after goes to the next one.
     */
    synchronized boolean releaseIfEmpty() {
        if (!isEmpty()) {
            return false;
        }
        released = true;
        return true;
    }

    /** Those who may use the host controls and decide the lobby: hosts and co-hosts. */
    public List<Participant> moderators() {
        return participants().stream().filter(Participant::canModerate).toList();
    }

    /** Sends a message to the hosts and co-hosts, ordered with broadcasts and {@link #tell} as they are. */
    public void tellModerators(ServerMessage message) {
        synchronized (announcements) {
            for (Participant moderator : moderators()) {
                moderator.peer().send(message);
            }
        }
    }

    /**
     * Sends a message to everyone in the room except one participant (null: everyone). Sends only queue (a
     * {@link SignalingPeer} never blocks), so holding the room's announcements meanwhile costs little.
     */
    public void broadcast(ServerMessage message, String exceptParticipantId) {
        synchronized (announcements) {
            for (Participant p : participants()) {
                if (!p.id().equals(exceptParticipantId)) {
                    p.peer().send(message);
                }
            }
        }
    }

    /**
     * Tells the room that a participant changed (participant-updated, as it is now), only while it is in the room:
     * whoever removes a participant does so before telling participant-left, so a change told after that (a drop
     * noticed as it leaves, a host muting it as it goes) reaches no page, which would put it back on its list for good.
     * The state is read here too, so of two changes told at once the later one's state is the one pages keep.
     *
     * @param toThemToo whether the participant's own page hears it too (a host's change), or only the others
     */
    public void broadcastUpdate(Participant changed, boolean toThemToo) {
        broadcastWhileIn(changed, ServerMessage.ParticipantUpdated::new, toThemToo);
    }

    /**
     * Tells the others that a participant joined (participant-joined), as {@link #broadcastUpdate}: only while it is
     * in the room. Returns whether it was told.
     */
    public boolean broadcastJoined(Participant joined) {
        return broadcastWhileIn(joined, ServerMessage.ParticipantJoined::new, false);
    }

    private boolean broadcastWhileIn(Participant about, Function<ServerMessage.ParticipantInfo, ServerMessage> message,
            boolean toThemToo) {
        synchronized (announcements) {
            if (participant(about.id()) != about) {
                return false;
            }
            broadcast(message.apply(ServerMessage.ParticipantInfo.of(about)), toThemToo ? null : about.id());
            return true;
        }
    }

    /**
     * Runs {@code telling} with no broadcast under way: a participant let in and told how the room is (the welcome,
     * the others as they are now) hears every broadcast after that, none before. Otherwise a broadcast that found it
     * already in the room could reach it before its welcome, which starts the page's list afresh: someone who left
     * in between would stay on it. {@code telling} may broadcast itself, and must only queue messages.
     */
    public <T> T tell(Supplier<T> telling) {
        synchronized (announcements) {
            return telling.get();
        }
    }
}
