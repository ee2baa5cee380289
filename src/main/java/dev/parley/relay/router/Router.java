package dev.parley.relay.router;

import dev.parley.relay.transport.LoopContext;
import java.util.ArrayList;
import java.util.List;

/**
 * A room's media core: its endpoints and their producers. Who receives what is decided here: a browser receives
 * every other participant's producers, a WHIP client nothing, a WHEP player its one target's. Closing an endpoint
 * closes its producers and with them their consumers elsewhere. Loop thread only.
 */
public final class Router {

    private final String id;
    private final List<Endpoint> endpoints = new ArrayList<>();
    private final List<Producer> producers = new ArrayList<>();
    private final SpeakerDetector speakers = new SpeakerDetector();

    public Router(String id) {
        this.id = id;
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
        for (Endpoint endpoint : endpoints) {
            if (receives(endpoint, producer)) {
                endpoint.consume(producer, ctx);
            }
        }
    }

    /** The subscription policy. */
    static boolean receives(Endpoint subscriber, Producer producer) {
        if (subscriber.isClosed() || producer.endpoint() == subscriber) {
            return false;
        }
        return switch (subscriber.kind()) {
            case BROWSER -> true;
            case WHIP -> false;
            case WHEP -> producer.endpoint().participantId().equals(subscriber.whepTarget())
                    && subscriber.freeConsumeSection(producer.kind()) != null;
        };
    }

    void removeProducer(Producer producer) {
        if (producers.remove(producer)) {
            producer.close();
        }
    }

    void removeEndpoint(Endpoint endpoint) {
        if (!endpoints.remove(endpoint)) {
            return;
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
        return speakers.evaluate(producers, nowNanos);
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
