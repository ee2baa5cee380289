package dev.parley.meeting;

/**
 * One signalling client on its way into a meeting, and then in it: how far it got, and, once its ticket was accepted,
 * its participant and live room. It is that participant's {@link SignalingPeer}: what is sent to the participant goes
 * to the client. {@link MeetingAdmission} moves it from state to state; the socket only reads them.
 */
public final class Entrant implements SignalingPeer {

    /**
     * NEW until a join (or resume) is accepted, LOBBY while a host decides, JOINED in the room, CLOSED once gone,
     * denied, or taken over by a client that resumed its participant.
     */
    public enum State { NEW, LOBBY, JOINED, CLOSED }

    private final SignalingPeer client;
    private final Long sessionUserId;
    private final String remoteAddress;
    private volatile State state = State.NEW;
    private volatile Participant participant;
    private volatile LiveRoom room;

    /**
     * @param client where messages go: the client's socket
     * @param sessionUserId the account the socket was opened with (its HTTP session's sign-in), or null for none
     */
    public Entrant(SignalingPeer client, Long sessionUserId) {
        this(client, sessionUserId, null);
    }

    /** @param remoteAddress the client's address, which resume attempts are limited by; null when unknown */
    public Entrant(SignalingPeer client, Long sessionUserId, String remoteAddress) {
        this.client = client;
        this.sessionUserId = sessionUserId;
        this.remoteAddress = remoteAddress;
    }

    public State state() {
        return state;
    }

    synchronized void setState(State state) {
        this.state = state;
    }

    /**
     * Moves on to {@code next} unless the client is gone: false then, and it stays CLOSED. A socket may close on its
     * own thread while a host lets its entrant in on theirs; whichever comes second sees what the first did.
     */
    synchronized boolean moveUnlessClosed(State next) {
        if (state == State.CLOSED) {
            return false;
        }
        state = next;
        return true;
    }

    /** The client is gone: CLOSED from now on; returns the state it was in. */
    synchronized State markClosed() {
        State previous = state;
        state = State.CLOSED;
        return previous;
    }

    Long sessionUserId() {
        return sessionUserId;
    }

    String remoteAddress() {
        return remoteAddress == null ? "unknown" : remoteAddress;
    }

    /** The participant this client is (or asks to be) in the room; null before its ticket was accepted. */
    public Participant participant() {
        return participant;
    }

    /** The live room it entered or waits for; null before its ticket was accepted. */
    public LiveRoom room() {
        return room;
    }

    void enter(Participant participant, LiveRoom room) {
        this.participant = participant;
        this.room = room;
    }

    @Override
    public void send(ServerMessage message) {
        client.send(message);
    }

    @Override
    public void close(ByeReason reason) {
        client.close(reason);
    }

    @Override
    public void drop() {
        client.drop();
    }
}
