package dev.parley.relay.router;

import dev.parley.relay.transport.LoopContext;
import dev.parley.relay.transport.WebRtcTransport;
import java.util.ArrayList;
import java.util.List;

/**
 * A room's media core: its transports and their producers. Every producer is consumed by every other transport that
 * wants it; closing a transport closes its producers and with them their consumers elsewhere. Loop thread only.
 */
public final class Router {

    private final String id;
    private final List<WebRtcTransport> transports = new ArrayList<>();
    private final List<Producer> producers = new ArrayList<>();

    public Router(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** Adds a transport and subscribes it to the producers already here. */
    public void addTransport(WebRtcTransport transport, LoopContext ctx) {
        transports.add(transport);
        for (Producer producer : producers) {
            if (transport.wantsToConsume(producer)) {
                transport.consume(producer, ctx);
            }
        }
    }

    /** Adds a producer and subscribes every interested transport to it. */
    public void addProducer(Producer producer, LoopContext ctx) {
        producers.add(producer);
        for (WebRtcTransport transport : transports) {
            if (transport != producer.transport() && transport.wantsToConsume(producer)) {
                transport.consume(producer, ctx);
            }
        }
    }

    public void removeProducer(Producer producer) {
        if (producers.remove(producer)) {
            producer.close();
        }
    }

    public void removeTransport(WebRtcTransport transport) {
        if (!transports.remove(transport)) {
            return;
        }
        for (Producer producer : List.copyOf(producers)) {
            if (producer.transport() == transport) {
                removeProducer(producer);
            }
        }
    }

    public List<WebRtcTransport> transports() {
        return List.copyOf(transports);
    }

    public List<Producer> producers() {
        return List.copyOf(producers);
    }

    public boolean isEmpty() {
        return transports.isEmpty();
    }

    @Override
    public String toString() {
        return "Router[" + id + ", " + transports.size() + " transports, " + producers.size() + " producers]";
    }
}
