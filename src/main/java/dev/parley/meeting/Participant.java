package dev.parley.meeting;

import dev.parley.common.SecretTokens;
import dev.parley.relay.TransportHandle;
import io.github.bucket4j.Bucket;
import java.security.MessageDigest;
import java.util.concurrent.atomic.AtomicBoolean;

/** Someone in a live room: a browser, or a WHIP stream that appears as a participant. */
public final class Participant {

    public enum Kind { BROWSER, WHIP }

    /** Whether the participant's signalling and media are up, or it dropped and has its grace to come back. */
    public enum Connection { CONNECTED, RECONNECTING }

    private final String id;
    private final String displayName;
    private final Long userId;
    private volatile boolean host;
    private volatile boolean cohost;
    private volatile String visitorKey;
    private final Kind kind;
    private volatile SignalingPeer peer;
    private volatile Connection connection = Connection.CONNECTED;
    private volatile Long accountEpoch;
    private volatile boolean audio;
    private volatile boolean video;
    private volatile TransportHandle transport;
    private volatile boolean sharingScreen;
    private volatile long handRaisedAt;
    private volatile ConnectionQuality quality = ConnectionQuality.UNKNOWN;
    private final Bucket chatAllowance = MeetingChat.newAllowance();
    private final Bucket moderationAllowance = HostControls.newAllowance();
    private final Bucket statusAllowance = RaisedHands.newAllowance();
    private final Bucket reactionAllowance = Reactions.newAllowance();
    private final Bucket fileAllowance = MeetingChat.newFileAllowance();
    private final Bucket mediaStateAllowance = MediaStateUpdates.newAllowance();
    /** A media-state change waits to be told until the allowance is back ({@link MediaStateUpdates}). */
    private final AtomicBoolean mediaStateDue = new AtomicBoolean();
    private volatile byte[] fileKeyHash;
    /** Guarded by this participant's lock, which joins and leaves take. */
    private boolean joinPublished;

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

    /** A host made this participant a co-host for this meeting: the host controls, but for ending it and co-hosts. */
    public boolean isCohost() {
        return cohost;
    }

    void setCohost(boolean cohost) {
        this.cohost = cohost;
    }

    /** Whether the participant may use the host controls: a host, or a co-host. */
    public boolean canModerate() {
        return host || cohost;
    }

    /**
     * The browser session this participant joined from ({@link MeetingBans}); null for WHIP streams and for clients
     * whose ticket carried none.
     */
    String visitorKey() {
        return visitorKey;
    }

    /**
     * The same for one person across leaving and rejoining: their account, else their browser session (hashed: the
     * key is a secret of the session), else this participant (a WHIP stream).
     */
    public String personKey() {
        if (userId != null) {
            return "user:" + userId;
        }
        String visitor = visitorKey;
        return visitor != null ? "visitor:" + SecretTokens.sha256Hex(visitor).substring(0, 32) : "participant:" + id;
    }

    void setVisitorKey(String visitorKey) {
        this.visitorKey = visitorKey;
    }

    public Kind kind() {
        return kind;
    }

    /** Where this participant's messages go: the client it joined with, or the one that resumed its place last. */
    public SignalingPeer peer() {
        return peer;
    }

    public Connection connection() {
        return connection;
    }

    /** Dropped: kept in the room while it reconnects; messages to it go nowhere until it is back. */
    void markReconnecting() {
        connection = Connection.RECONNECTING;
    }

    /** Back over a new signalling client. */
    void reconnect(SignalingPeer newPeer) {
        peer = newPeer;
        connection = Connection.CONNECTED;
    }

    /** The account's session epoch when it joined (null for guests): a raised epoch means no resume. */
    public Long accountEpoch() {
        return accountEpoch;
    }

    void setAccountEpoch(Long epoch) {
        accountEpoch = epoch;
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

    /** How many chat messages this participant may send now ({@link MeetingChat}). */
    Bucket chatAllowance() {
        return chatAllowance;
    }

    /** Whether the participant shares its screen now ({@link ScreenShares}); kept across a resume. */
    public boolean isSharingScreen() {
        return sharingScreen;
    }

    void setSharingScreen(boolean sharing) {
        sharingScreen = sharing;
    }

    /** When the participant raised its hand (milliseconds since the epoch, its place in the queue); null: lowered. */
    public Long handRaisedAt() {
        long at = handRaisedAt;
        return at == 0 ? null : at;
    }

    void setHandRaisedAt(Long at) {
        handRaisedAt = at == null ? 0 : at;
    }

    public ConnectionQuality quality() {
        return quality;
    }

    void setQuality(ConnectionQuality quality) {
        this.quality = quality;
    }

    /** How many hand and quality changes this participant may send now ({@link RaisedHands}). */
    Bucket statusAllowance() {
        return statusAllowance;
    }

    /** How many media-state changes are told to the room at once now ({@link MediaStateUpdates}). */
    Bucket mediaStateAllowance() {
        return mediaStateAllowance;
    }

    AtomicBoolean mediaStateDue() {
        return mediaStateDue;
    }

    /** How many reactions this participant may send now ({@link Reactions}). */
    Bucket reactionAllowance() {
        return reactionAllowance;
    }

    /** How many host controls this participant may use now ({@link HostControls}). */
    Bucket moderationAllowance() {
        return moderationAllowance;
    }

    public TransportHandle transport() {
        return transport;
    }

    /** Whoever listens to meetings (webhooks) was told it joined: from now on its leave is told too. */
    void joinPublished() {
        synchronized (this) {
            joinPublished = true;
        }
    }

    /** Whether its join was told, so that its leave may be: never a leave of someone whose join nobody heard. */
    boolean wasJoinPublished() {
        synchronized (this) {
            return joinPublished;
        }
    }

    public void setTransport(TransportHandle transport) {
        this.transport = transport;
    }

    /** Shares of files a participant may make at once and over time (kept with the participant, like chat's). */
    Bucket fileAllowance() {
        return fileAllowance;
    }

    /**
     * A new secret for this participant's uploads and downloads of chat files (HTTP requests carry it, since they
     * come outside the signalling socket); only its hash is kept, and the one before stops working.
     */
    String issueFileKey() {
        String key = SecretTokens.random(32);
        fileKeyHash = SecretTokens.sha256(key);
        return key;
    }

    /** Whether a request's key is this participant's file key (compared in constant time). */
    boolean holdsFileKey(String key) {
        byte[] expected = fileKeyHash;
        return expected != null && key != null && key.length() <= 128
                && MessageDigest.isEqual(expected, SecretTokens.sha256(key));
    }
}
