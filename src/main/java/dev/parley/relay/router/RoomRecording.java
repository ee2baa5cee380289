package dev.parley.relay.router;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;

/**
 * A room being recorded: it tells its listener of every producer that starts or ends while it lasts (those already
 * there first), and keeps the taps that copy producers to their recorders. It outlives the room's router (everyone may
 * leave and come back), so the relay attaches it to each router made for the room. Loop thread only.
 */
public final class RoomRecording {

    /** Told of tracks on the loop thread: implementations hand the work on and return at once. */
    public interface Listener {

        void onTrack(Producer producer);

        void onTrackEnded(Producer producer);
    }

    private final Listener listener;
    /** Sends a tap's datagram to its recorder; false when the socket did not take it. */
    private final BiPredicate<ByteBuffer, InetSocketAddress> sender;
    private final Map<Producer, RecordingTap> taps = new LinkedHashMap<>();
    private final List<Producer> announced = new ArrayList<>();
    private boolean stopped;

    public RoomRecording(Listener listener, BiPredicate<ByteBuffer, InetSocketAddress> sender) {
        this.listener = listener;
        this.sender = sender;
    }

    /** A producer started in the room (or was there when recording began). */
    void onProducer(Producer producer) {
        if (stopped || producer.isClosed() || announced.contains(producer)) {
            return;
        }
        announced.add(producer);
        listener.onTrack(producer);
    }

    /** A producer ended: its tap stops, and the listener is told if it knew of it. */
    void onProducerClosed(Producer producer) {
        RecordingTap tap = taps.remove(producer);
        if (tap != null) {
            tap.close();
        }
        if (announced.remove(producer) && !stopped) {
            listener.onTrackEnded(producer);
        }
    }

    /**
     * Starts copying a producer this recording announced to a recorder at {@code target}; false when it is no longer
     * there (it ended before the recorder was ready) or already has one.
     */
    public boolean tap(Producer producer, InetSocketAddress target) {
        if (stopped || producer.isClosed() || !announced.contains(producer) || taps.containsKey(producer)) {
            return false;
        }
        RecordingTap tap = new RecordingTap(producer, target, sender);
        taps.put(producer, tap);
        producer.setRecordingTap(tap);
        return true;
    }

    /** Ends the recording: every tap stops; the listener hears nothing more. */
    public void stop() {
        stopped = true;
        for (RecordingTap tap : taps.values()) {
            tap.close();
            tap.producer().setRecordingTap(null);
        }
        taps.clear();
        announced.clear();
    }

    /** Announces the router's producers (a router made for the room while it is recorded, or at the start). */
    public void attach(Router router) {
        router.setRecording(this);
        for (Producer producer : router.producers()) {
            if (Router.recordable(producer)) {
                onProducer(producer);
            }
        }
    }

    /** Leaves the router unrecorded, if this recording is its own. */
    public void detach(Router router) {
        if (router.recording() == this) {
            router.setRecording(null);
        }
    }

    public boolean isStopped() {
        return stopped;
    }

    public List<RecordingTap> taps() {
        return List.copyOf(taps.values());
    }
}
