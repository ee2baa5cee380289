package dev.parley.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How the link to a meeting's node fails, over real sockets: a node that takes the connection but never answers (as
 * one stopped with SIGSTOP does: the kernel still accepts) is no answer, however long the wait asked for, while one
 * where nothing listens is unreachable.
 */
class SignalingForwardTest {

    @Test
    void aNodeThatAcceptsButNeverAnswersIsNoAnswerEvenPastTheClientsOwnHandshakeTimeout() throws Exception {
        try (ServerSocket stalled = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> accepted = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    accepted.add(stalled.accept()); // read nothing, answer nothing
                } catch (IOException closed) {
                    // the test is over
                }
            });
            acceptor.start();
            // Longer than Tomcat's default handshake timeout of 5 s: before, that came first and the stalled node
            // looked like one that refused, and the meeting was placed again.
            Duration wait = Duration.ofMillis(6_000);
            long start = System.nanoTime();
            assertThatThrownBy(() -> SignalingForward.open("http://127.0.0.1:" + stalled.getLocalPort(), null, "",
                    message -> { }, status -> { }, wait)).isInstanceOf(SignalingForward.NoAnswer.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("the wait asked for decides")
                    .isGreaterThanOrEqualTo(wait);
            stalled.close();
            acceptor.join(5_000);
            for (Socket socket : accepted) {
                socket.close();
            }
        }
    }

    @Test
    void aNodeWhereNothingListensIsUnreachableAtOnce() throws Exception {
        int port;
        try (ServerSocket gone = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            port = gone.getLocalPort();
        }
        assertThatThrownBy(() -> SignalingForward.open("http://127.0.0.1:" + port, null, "", message -> { },
                status -> { }, Duration.ofSeconds(5)))
                .isInstanceOf(IOException.class).isNotInstanceOf(SignalingForward.NoAnswer.class);
    }
}
