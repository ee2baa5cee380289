package dev.parley.meeting;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A media node's transport events put back in their order at the home node, whatever order they come in. */
class EventOrderTest {

    private final List<String> handedOn = new ArrayList<>();
    private final EventOrder<String> order = new EventOrder<>(3, handedOn::add);

    @Test
    void eventsInOrderGoOnAtOnce() {
        assertThat(order.offer(0, "created")).isTrue();
        assertThat(order.offer(1, "offer")).isTrue();
        assertThat(handedOn).containsExactly("created", "offer");
    }

    @Test
    void anEventAheadWaitsForTheOnesBeforeIt() {
        order.offer(2, "connected");
        order.offer(1, "offer");
        assertThat(handedOn).isEmpty();
        order.offer(0, "created");
        assertThat(handedOn).containsExactly("created", "offer", "connected");
    }

    @Test
    void anEventThatComesTwiceGoesOnOnce() {
        order.offer(0, "created");
        order.offer(1, "offer");
        order.offer(1, "offer");
        order.offer(0, "created");
        assertThat(handedOn).containsExactly("created", "offer");
    }

    @Test
    void theFirstEventTakenByOtherMeansIsDroppedWhenItComesAndReleasesWhatWaited() {
        order.offer(1, "offer"); // the offer came before the created event and before the open call's answer
        assertThat(order.passed(0)).isFalse();
        order.skip(0); // the open call's answer told the meeting of the transport
        assertThat(handedOn).containsExactly("offer");
        order.offer(0, "created");
        assertThat(handedOn).containsExactly("offer");
        assertThat(order.passed(0)).isTrue();
    }

    @Test
    void skippingAnEventThatPassedChangesNothing() {
        order.offer(0, "created");
        order.skip(0);
        order.offer(1, "offer");
        assertThat(handedOn).containsExactly("created", "offer");
    }

    @Test
    void tooManyBehindAMissingEventMeansTheOrderIsLost() {
        assertThat(order.offer(1, "a")).isTrue();
        assertThat(order.offer(2, "b")).isTrue();
        assertThat(order.offer(3, "c")).isTrue();
        assertThat(order.offer(4, "d")).as("four waiting behind the missing 0, three kept at most").isFalse();
        assertThat(handedOn).isEmpty();
    }
}
