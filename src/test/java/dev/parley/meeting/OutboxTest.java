package dev.parley.meeting;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.websocket.SendResult;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The order and limits of one socket's outbox, against a container that completes each send when the test says (or at
 * once, as Tomcat does when the socket takes a message whole). The real container is in {@code StalledConnectionTest}.
 */
class OutboxTest {

    private final RecordingEndpoint container = new RecordingEndpoint(false);
    private final List<String> stalls = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private final Outbox.Listener listener = new Outbox.Listener() {
        @Override
        public void stalled(String why) {
            stalls.add(why);
        }

        @Override
        public void failed(String why) {
            failures.add(why);
        }
    };
    private final Outbox outbox = new Outbox(container.remote, Duration.ofSeconds(5), 100, listener);

    @Test
    void messagesGoOneAtATimeInOrderAndTheSenderNeverWaits() {
        assertThat(container.timeout).as("the container times each send out").isEqualTo(5000);
        assertThat(outbox.isIdle()).isTrue();
        outbox.send("a");
        outbox.send("b");
        outbox.send("c");
        assertThat(container.sent).as("the rest wait for the first").containsExactly("a");
        assertThat(outbox.isIdle()).isFalse();
        container.complete(new SendResult());
        assertThat(container.sent).containsExactly("a", "b");
        container.complete(new SendResult());
        container.complete(new SendResult());
        assertThat(container.sent).containsExactly("a", "b", "c");
        assertThat(outbox.isIdle()).as("all gone").isTrue();
        outbox.send("d");
        assertThat(container.sent).as("an idle outbox sends at once").endsWith("d");
        assertThat(stalls).isEmpty();
    }

    @Test
    void aLongQueueTheSocketTakesAtOnceGoesOutInALoopNotDownTheStack() {
        Outbox large = new Outbox(container.remote, Duration.ofSeconds(5), 10_000_000, listener);
        large.send("first");
        for (int i = 0; i < 200_000; i++) {
            large.send(Integer.toString(i));
        }
        container.completeAtOnce = true;
        container.complete(new SendResult());
        assertThat(container.sent).hasSize(200_001).endsWith("199999");
        assertThat(large.isIdle()).isTrue();
        assertThat(stalls).isEmpty();
    }

    @Test
    void moreWaitingThanTheLimitIsAStallToldOnceAndNothingIsSentAfter() {
        outbox.send("on its way");
        outbox.send("x".repeat(60));
        outbox.send("y".repeat(40)); // 100 waiting: at the limit, not over
        assertThat(stalls).isEmpty();
        outbox.send("z");
        assertThat(stalls).singleElement().asString().contains("over 100 characters waiting");
        outbox.send("later");
        container.complete(new SendResult());
        assertThat(container.sent).as("what waited is dropped with the socket").containsExactly("on its way");
        assertThat(stalls).hasSize(1);
        assertThat(outbox.isIdle()).isTrue();
    }

    @Test
    void aSendThatTimesOutIsAStallToldOnce() {
        outbox.send("a");
        outbox.send("b");
        container.complete(new SendResult(new SocketTimeoutException("Write timeout")));
        assertThat(stalls).singleElement().asString().contains("Write timeout");
        outbox.send("c");
        assertThat(container.sent).containsExactly("a");
        assertThat(stalls).hasSize(1);
        assertThat(failures).isEmpty();
    }

    @Test
    void aSendThatFailsOtherwiseIsAFailureNotAStall() {
        outbox.send("a");
        outbox.send("b");
        container.complete(new SendResult(new IOException("Broken pipe")));
        assertThat(failures).singleElement().asString().contains("Broken pipe");
        assertThat(stalls).isEmpty();
        outbox.send("c");
        assertThat(container.sent).containsExactly("a");
        assertThat(outbox.isIdle()).isTrue();
    }
}
