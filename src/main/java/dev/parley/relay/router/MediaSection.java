package dev.parley.relay.router;


/**
 * One m-section of a transport's session: either a slot the client publishes into (the relay receives) or a copy of
 * another participant's track (the relay sends). m-sections are only ever added; a finished one turns inactive.
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

    void setConsumer(Consumer consumer) {
        this.consumer = consumer;
    }

    /** Whether an offer sent to the client contained this section (sections added while waiting do not). */
    public boolean isOffered() {
        return offered;
    }

    public void markOffered() {
        this.offered = true;
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
