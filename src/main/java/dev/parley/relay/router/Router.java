package dev.parley.relay.router;

import dev.parley.relay.transport.LoopContext;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A room's media core: its endpoints and their producers. Who receives what is decided here: a browser receives
 * every other participant's producers, a WHIP client nothing, a WHEP player its one target's (or, following the
 * speaker, whoever speaks: {@link #updateFollowers}), a relay link every track published on this relay ({@link Link}).
 * Closing an endpoint closes its producers and with them their consumers elsewhere. Above {@code lastN} camera senders,
 * only the cameras of the {@code lastN} most recent speakers are forwarded (last-N); the others' consumers pause.
 * Screen shares are always forwarded. With {@code nackRepair} off, its producers leave loss to key frames (no RTX, no
 * NACKs upstream). Loop thread only.
 */
public final class Router {

    private final String id;
    private final List<Endpoint> endpoints = new ArrayList<>();
    private final List<Producer> producers = new ArrayList<>();
    private final SpeakerDetector speakers = new SpeakerDetector();
    private final int lastN;
    private final boolean nackRepair;
    /** Participant ids, the most recent dominant speaker first. */
    private final List<String> speakerOrder = new ArrayList<>();
    /** Whose video is forwarded when last-N applies; null while everyone's is. */
    private Set<String> forwarded;
    private boolean forwardingChanged;
    /** The speaker or the producers changed since WHEP players that follow the speaker were last pointed. */
    private boolean followersStale;
    /** The room's recording while it is recorded; null otherwise. */
    private RoomRecording recording;

    public Router(String id) {
        this(id, Integer.MAX_VALUE);
    }

    /** @param lastN the most video senders whose video everyone receives; beyond, the most recent speakers' only */
    public Router(String id, int lastN) {
        this(id, lastN, true);
    }

    /**
     * @param nackRepair whether the room's producers repair loss (answer NACKs from their caches, NACK the publisher
     *     for gaps); off only to compare
     */
    public Router(String id, int lastN, boolean nackRepair) {
        if (lastN < 1) {
            throw new IllegalArgumentException("last-N must be at least 1");
        }
        this.id = id;
        this.lastN = lastN;
        this.nackRepair = nackRepair;
    }

    /** Whether loss is repaired by retransmission here (the relay setting {@code nackRepair}). */
    boolean nackRepair() {
        return nackRepair;
    }

    public String id() {
        return id;
    }

    /** Adds an endpoint and subscribes it to the producers already here. */
    public void addEndpoint(Endpoint endpoint, LoopContext ctx) {
        endpoints.add(endpoint);
        for (Producer producer : producers) {
            if (receives(endpoint, producer)) {
                endpoint.consume(producer, ctx);
            }
        }
    }

    /** Adds a producer and subscribes every endpoint that should receive it. */
    void addProducer(Producer producer, LoopContext ctx) {
        producers.add(producer);
        forwardingChanged = true;
        followersStale = true;
        for (Endpoint endpoint : endpoints) {
            if (receives(endpoint, producer)) {
                endpoint.consume(producer, ctx);
            }
        }
        if (recording != null && recordable(producer)) {
            recording.onProducer(producer);
        }
    }

    /** What a recording takes: what participants publish, not what a WHEP player sends (nothing) or a closed one. */
    static boolean recordable(Producer producer) {
        return producer.endpoint().kind() != Endpoint.Kind.WHEP;
    }

    /** Records the room (null: no longer); see {@link RoomRecording#attach}. */
    void setRecording(RoomRecording recording) {
        this.recording = recording;
    }

    public RoomRecording recording() {
        return recording;
    }

    /** The subscription policy. */
    static boolean receives(Endpoint subscriber, Producer producer) {
        if (subscriber.isClosed() || producer.endpoint() == subscriber) {
            return false;
        }
        return switch (subscriber.kind()) {
            case BROWSER -> true;
            case WHIP -> false;
            case WHEP -> producer.participantId().equals(subscriber.whepTarget())
                    && subscriber.freeConsumeSection(producer.kind()) != null;
            // What came over a link goes over another only from a hub (and never back: the check above).
            case LINK -> (producer.endpoint().kind() != Endpoint.Kind.LINK || subscriber.link().isHub())
                    && recordable(producer);
        };
    }

    void removeProducer(Producer producer) {
        if (producers.remove(producer)) {
            if (recording != null) {
                recording.onProducerClosed(producer);
            }
            producer.close();
            forwardingChanged = true;
            followersStale = true;
            String participant = producer.participantId();
            if (producer.endpoint().kind() == Endpoint.Kind.LINK
                    && producers.stream().noneMatch(p -> p.participantId().equals(participant))) {
                speakerOrder.remove(participant); // a participant on another node who no longer publishes here
            }
        }
    }

    void removeEndpoint(Endpoint endpoint) {
        if (!endpoints.remove(endpoint)) {
            return;
        }
        if (endpoints.stream().noneMatch(e -> e.participantId().equals(endpoint.participantId()))) {
            speakerOrder.remove(endpoint.participantId());
        }
        for (Producer producer : List.copyOf(producers)) {
            if (producer.endpoint() == endpoint) {
                removeProducer(producer);
            }
        }
    }

    /**
     * Re-evaluates the dominant speaker if its interval has passed (called from the loop's tick).
     *
     * @return true when the speaker changed; {@link #activeSpeaker} tells who it is now
     */
    public boolean updateActiveSpeaker(long nowNanos) {
        boolean changed = speakers.evaluate(producers, nowNanos);
        String speaker = speakers.speakerId();
        if (changed && speaker != null) {
            speakerOrder.remove(speaker);
            speakerOrder.add(0, speaker);
            forwardingChanged = true;
            followersStale = true;
        }
        return changed;
    }

    /**
     * Points each WHEP player that follows the speaker at the tracks of the room's speaker, or, when the one it plays
     * left, at the most recent speaker's (else the first participant's) that it can receive. A track it can receive is
     * a camera or microphone in a codec its m-section negotiated; where the speaker has none, the player keeps what
     * it plays. The switch happens at the new track's key frame (see {@link Consumer#follow}).
     */
    public void updateFollowers(LoopContext ctx) {
        if (!followersStale) {
            return;
        }
        followersStale = false;
        for (Endpoint endpoint : endpoints) {
            if (!endpoint.followsSpeaker() || endpoint.isClosed()) {
                continue;
            }
            for (MediaSection section : endpoint.sections()) {
                Consumer consumer = section.consumer();
                if (consumer == null || consumer.isClosed()) {
                    continue;
                }
                Producer source = followed(section, consumer);
                if (source != null) {
                    consumer.follow(source, ctx);
                    endpoint.setWhepTarget(source.participantId());
                }
            }
        }
    }

    /** The producer a follower's section should play now, or null to leave it as it is. */
    private Producer followed(MediaSection section, Consumer consumer) {
        Producer speaking = playable(section, speakers.speakerId());
        if (speaking != null) {
            return speaking;
        }
        Producer current = consumer.next() != null ? consumer.next() : consumer.producer();
        if (!current.isClosed()) {
            return null;
        }
        for (String speaker : speakerOrder) {
            Producer recent = playable(section, speaker);
            if (recent != null) {
                return recent;
            }
        }
        for (Producer producer : producers) {
            if (playable(section, producer)) {
                return producer;
            }
        }
        return null;
    }

    private Producer playable(MediaSection section, String participantId) {
        if (participantId == null) {
            return null;
        }
        for (Producer producer : producers) {
            if (producer.participantId().equals(participantId) && playable(section, producer)) {
                return producer;
            }
        }
        return null;
    }

    private static boolean playable(MediaSection section, Producer producer) {
        int[] payloadTypes = section.consumerPayloadTypeMap();
        return producer.kind() == section.kind() && !producer.isScreen() && recordable(producer)
                && !producer.isClosed() && (payloadTypes == null || payloadTypes[producer.codec().payloadType()] >= 0);
    }

    /**
     * Re-evaluates last-N after speakers or video senders changed: above {@code lastN} participants sending video,
     * the most recent speakers' video is forwarded (those who never spoke by arrival), the rest paused. Every
     * endpoint reallocates at its next tick.
     *
     * @return true when the set of forwarded participants changed; {@link #forwardedVideo} tells it
     */
    public boolean updateForwarding() {
        if (!forwardingChanged) {
            return false;
        }
        forwardingChanged = false;
        Set<String> senders = new LinkedHashSet<>();
        for (Producer producer : producers) {
            if (producer.kind() == MediaKind.VIDEO && !producer.isScreen()) { // a screen share is always forwarded
                senders.add(producer.participantId());
            }
        }
        Set<String> next = null;
        if (senders.size() > lastN) {
            next = new LinkedHashSet<>();
            for (String speaker : speakerOrder) {
                if (next.size() < lastN && senders.contains(speaker)) {
                    next.add(speaker);
                }
            }
            for (String sender : senders) {
                if (next.size() < lastN) {
                    next.add(sender);
                }
            }
        }
        if (Objects.equals(next, forwarded)) {
            return false;
        }
        forwarded = next;
        for (Endpoint endpoint : endpoints) {
            endpoint.allocator().allocateSoon();
        }
        return true;
    }

    /** Whether this participant's video is forwarded (always, unless last-N leaves it out). */
    boolean forwardsVideoOf(String participantId) {
        Set<String> current = forwarded;
        return current == null || current.contains(participantId);
    }

    /** The participants whose video is forwarded while last-N applies, most recent speaker first; null otherwise. */
    public List<String> forwardedVideo() {
        return forwarded == null ? null : List.copyOf(forwarded);
    }

    /** The participant id of the room's dominant speaker, or null when nobody speaks. */
    public String activeSpeaker() {
        return speakers.speakerId();
    }

    public List<Endpoint> endpoints() {
        return List.copyOf(endpoints);
    }

    public List<Producer> producers() {
        return List.copyOf(producers);
    }

    public boolean isEmpty() {
        return endpoints.isEmpty();
    }

    @Override
    public String toString() {
        return "Router[" + id + ", " + endpoints.size() + " endpoints, " + producers.size() + " producers]";
    }
}
