package dev.parley.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * How the link to a meeting's node fails, over real sockets: a node that takes the connection but never answers (as
 * one stopped with SIGSTOP does: the kernel still accepts) is no answer, however long the wait asked for, while one
 * where nothing listens is unreachable; and a link that opens after its time is let go of, unseen.
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
            assertThatThrownBy(() -> open("http://127.0.0.1:" + stalled.getLocalPort(), wait))
                    .isInstanceOf(SignalingForward.NoAnswer.class);
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
        assertThatThrownBy(() -> open("http://127.0.0.1:" + port, Duration.ofSeconds(5)))
                .isInstanceOf(IOException.class).isNotInstanceOf(SignalingForward.NoAnswer.class);
    }

    @Test
    void aLinkThatOpensAfterItsTimeIsClosedAndNothingOfItReachesTheCaller() throws Exception {
        try (ServerSocket late = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            CountDownLatch gaveUp = new CountDownLatch(1);
            AtomicReference<String> closedBy = new AtomicReference<>("not yet");
            Thread node = new Thread(() -> {
                try (Socket socket = late.accept()) {
                    BufferedReader request = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                            StandardCharsets.ISO_8859_1));
                    String key = null;
                    for (String line = request.readLine(); line != null && !line.isEmpty(); line = request.readLine()) {
                        if (line.toLowerCase(Locale.ROOT).startsWith("sec-websocket-key:")) {
                            key = line.substring(line.indexOf(':') + 1).trim();
                        }
                    }
                    assertThat(gaveUp.await(10, TimeUnit.SECONDS)).isTrue();
                    OutputStream out = socket.getOutputStream();
                    String accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1").digest(
                            (key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.ISO_8859_1)));
                    out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                            + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    out.write(new byte[] {(byte) 0x81, 5, 'l', 'a', 't', 'e', '!'}); // a text frame, "late!"
                    out.flush();
                    socket.setSoTimeout(10_000);
                    InputStream in = socket.getInputStream();
                    while (in.read() >= 0) {
                        // whatever the client sends, until it lets go of the socket
                    }
                    closedBy.set("client");
                } catch (SocketTimeoutException e) {
                    closedBy.set("nobody: the client kept the late link open");
                } catch (Exception e) {
                    closedBy.set("client: " + e);
                }
            });
            node.start();
            List<String> reached = new CopyOnWriteArrayList<>();
            CompletableFuture<SignalingForward> link = SignalingForward.connect("http://127.0.0.1:"
                    + late.getLocalPort(), null, "", message -> reached.add(message.getPayload()),
                    status -> reached.add("closed " + status), Duration.ofMillis(500));
            assertThatThrownBy(() -> link.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(SignalingForward.NoAnswer.class);
            gaveUp.countDown();
            node.join(15_000);
            assertThat(closedBy.get()).as("the late link was closed here").startsWith("client");
            assertThat(reached).as("neither its message nor its close reached the caller").isEmpty();
        }
    }

    /** The link, once it opened or failed (its failure as it is, not wrapped). */
    private static SignalingForward open(String url, Duration timeout) throws Throwable {
        try {
            return SignalingForward.connect(url, null, "", message -> { }, status -> { }, timeout)
                    .get(timeout.toMillis() + 10_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause();
        }
    }
}
