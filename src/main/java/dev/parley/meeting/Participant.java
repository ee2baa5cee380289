package dev.parley.meeting;

import dev.parley.relay.TransportHandle;

/** Someone in a live room: a browser, or a WHIP stream that appears as a participant. */
public final class Participant {

    public enum Kind { BROWSER, WHIP }

    private final String id;
    private final String displayName;
    private final Long userId;
    private volatile boolean host;
    private final Kind kind;
    private final SignalingPeer peer;
    private volatile boolean audio;
    private volatile boolean video;
    private volatile TransportHandle transport;

    public Participant(String id, String displayName, Long userId, boolean host, Kind kind, SignalingPeer peer,
                       boolean audio, boolean video) {
        this.id = id;
        this.displayName = displayName;
        this.userId = userId;
        this.host = host;
        this.kind = kind;
        this.peer = peer;
        this.audio = audio;
        this.video = video;
    }

    public String id() {
        return id;
    }

    public String displayName() {
        return displayName;
    }

    public Long userId() {
        return userId;
    }

    public boolean isHost() {
        return host;
    }

    /** The person's account no longer lets them manage this room (demoted while in the meeting). */
    void revokeHost() {
        host = false;
    }

    public Kind kind() {
        return kind;
    }

    public SignalingPeer peer() {
        return peer;
    }

    public boolean audio() {
        return audio;
    }

    public boolean video() {
        return video;
    }

    public void setMediaState(boolean audio, boolean video) {
        this.audio = audio;
        this.video = video;
    }

    public TransportHandle transport() {
        return transport;
    }

    public void setTransport(TransportHandle transport) {
        this.transport = transport;
    }
}
