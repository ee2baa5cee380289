package dev.parley.meeting;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.relay.Relay;
import dev.parley.relay.RelayConfig;
import dev.parley.rooms.Room;
import dev.parley.turn.TurnServers;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.test.util.ReflectionTestUtils;

/**
 * What the relay reports turns into WebSocket writes, which block on a slow client; they must never run on the relay's
 * loop thread, which forwards every room's media. A real relay on loopback, the real meeting service, and a peer that
 * records on which thread each message reaches it.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MeetingServiceRelayEventsTest {

    private Relay relay;
    private MeetingService meetings;
    private LiveRooms liveRooms;

    record Delivery(String type, String thread, boolean transportAttached) {
    }

    static final class RecordingPeer implements SignalingPeer {
        final BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
        volatile Participant owner;

        @Override
        public void send(ServerMessage message) {
            deliveries.add(new Delivery(SignalingCodec.typeName(message.getClass()), Thread.currentThread().getName(),
                    owner != null && owner.transport() != null));
        }

        @Override
        public void close(ByeReason reason) {
            deliveries.add(new Delivery("closed:" + reason.wireName(), Thread.currentThread().getName(), false));
        }

        @Override
        public void drop() {
            deliveries.add(new Delivery("dropped", Thread.currentThread().getName(), false));
        }

        Delivery next(String type) throws InterruptedException {
            Delivery d;
            while ((d = deliveries.poll(10, TimeUnit.SECONDS)) != null) {
                if (d.type().equals(type)) {
                    return d;
                }
            }
            throw new AssertionError("no " + type + " message");
        }
    }

    @BeforeEach
    void start() throws Exception {
        relay = Relay.start(RelayConfig.loopback());
        liveRooms = new LiveRooms();
        meetings = new MeetingService(liveRooms, relay, new MediaNodes(relay),
                new RelayMetrics(new SimpleMeterRegistry(), relay, liveRooms), new ResumeTokens(),
                new ReconnectGrace(new MeetingProperties(Duration.ofSeconds(30))), TurnServers.none());
    }

    @AfterEach
    void stop() {
        meetings.stopRelayEvents();
        relay.close();
    }

    @Test
    void offersAndLostTransportsAreHandledOffTheRelayLoopThread() throws Exception {
        Room room = new Room("events-room", null, Instant.now());
        room.setTitle("Events");
        room.setMaxParticipants(10);
        ReflectionTestUtils.setField(room, "id", 42L);
        RecordingPeer peer = new RecordingPeer();
        Participant participant = new Participant("p-events", "Ada", null, false, Participant.Kind.BROWSER, peer,
                true, true);
        peer.owner = participant;

        assertThat(meetings.enterBrowser(liveRooms.open(42L, "events-room"), room, participant))
                .isEqualTo(LiveRoom.Admission.ADMITTED);

        Delivery offer = peer.next("offer");
        assertThat(offer.thread()).isEqualTo("parley-relay-events");
        assertThat(offer.transportAttached()).as("the participant's transport is known before its offer goes out, "
                + "so the browser's answer finds it").isTrue();

        // the relay loses the transport (as on ICE consent expiry): the participant keeps its place as reconnecting
        // and its socket is dropped so that its page resumes, off the loop thread too
        relay.closeTransport(participant.transport(), "consent expired");
        Delivery dropped = peer.next("dropped");
        assertThat(dropped.thread()).isEqualTo("parley-relay-events");
        assertThat(liveRooms.find(42L)).isPresent();
        assertThat(participant.connection()).isEqualTo(Participant.Connection.RECONNECTING);
    }
}
