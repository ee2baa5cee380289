package dev.parley.relay.router;


/**
 * One m-section of a transport's session: either a slot the client publishes into (the relay receives) or a copy of
 * another participant's track (the relay sends). m-sections are never removed: a finished one turns inactive, and once
 * the client has answered it inactive a browser's section is released, to carry the next track of its kind (JSEP's
 * transceivers are reused the same way), so a browser's description grows with the tracks sent at once, not with
 * everyone who ever sent one.
 */
public final class MediaSection {

    public enum Role { PUBLISH, CONSUME, REJECTED }

    private final String mid;
    private final MediaKind kind;
    private final Role role;
    private final TrackSource source;
    private Producer producer;
    private Consumer consumer;
    private boolean offered;
    private boolean offeredInactive;
    private boolean released;
    private boolean rejectedByClient;
    private int consumerVersion;
    private int[] consumerPayloadTypeMap;
    private byte[] consumerExtensionMap;

    public MediaSection(String mid, MediaKind kind, Role role) {
        this(mid, kind, role, TrackSource.defaultFor(kind));
    }

    /** @param source what a publish section carries (a browser's screen share has a section of its own) */
    public MediaSection(String mid, MediaKind kind, Role role, TrackSource source) {
        this.mid = mid;
        this.kind = kind;
        this.role = role;
        this.source = source;
    }

    public String mid() {
        return mid;
    }

    public MediaKind kind() {
        return kind;
    }

    public Role role() {
        return role;
    }

    /** What the track published here comes from; for a consume section, what its producer's does. */
    public TrackSource source() {
        return role == Role.CONSUME && consumer != null ? consumer.producer().source() : source;
    }

    public Producer producer() {
        return producer;
    }

    void setProducer(Producer producer) {
        this.producer = producer;
    }

    public Consumer consumer() {
        return consumer;
    }

    /** A new consumer here; a released section taken again is no longer released. */
    void setConsumer(Consumer consumer) {
        this.consumer = consumer;
        this.released = false;
        this.consumerVersion = 0;
    }

    /** Whether an offer sent to the client contained this section (sections added while waiting do not). */
    public boolean isOffered() {
        return offered;
    }

    public void markOffered() {
        this.offered = true;
    }

    /**
     * An offer of this version carries the section: active with its consumer, or inactive (finished). The first
     * offer that carries the current consumer is remembered, for {@link #describesCurrentConsumer}.
     */
    public void markOffered(int version, boolean inactive) {
        this.offered = true;
        this.offeredInactive = inactive;
        if (!inactive && consumerVersion == 0) {
            consumerVersion = version;
        }
    }

    /**
     * The client answered the offer that carried the section last: a consume section that offer made inactive, and
     * that has no new consumer since, is released for the next track of its kind. One the client rejected (port 0: it
     * stopped that transceiver, e.g. for a codec it cannot decode) is never released: JSEP does not let a stopped
     * transceiver's mid carry media again.
     */
    public void onAnswered(boolean rejected) {
        if (rejected) {
            rejectedByClient = true;
        }
        if (offeredInactive && isFinished() && !rejectedByClient) {
            released = true;
        }
    }

    /** A finished consume section the client has answered inactive: it may carry another track of its kind. */
    public boolean isReleased() {
        return released && isFinished();
    }

    /**
     * Whether what the client says about this section, reading an offer of that version, is about its current
     * consumer: not when the consumer came after that offer (a released section taken again), nor before any offer
     * carried it.
     */
    public boolean describesCurrentConsumer(int offerVersion) {
        return consumerVersion != 0 && offerVersion >= consumerVersion;
    }

    /** For consumers of a client that chose its own numbers (WHEP): canonical payload type to the client's. */
    public int[] consumerPayloadTypeMap() {
        return consumerPayloadTypeMap;
    }

    /** Canonical extension id to the client's (0 strips the extension); null keeps the canonical ids. */
    public byte[] consumerExtensionMap() {
        return consumerExtensionMap;
    }

    public void setConsumerMaps(int[] payloadTypeMap, byte[] extensionMap) {
        this.consumerPayloadTypeMap = payloadTypeMap;
        this.consumerExtensionMap = extensionMap;
    }

    /** A consume section whose consumer is gone (its producer closed) carries nothing any more. */
    public boolean isFinished() {
        return role == Role.CONSUME && (consumer == null || consumer.isClosed());
    }
}
