package dev.parley.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The shared HTTPS port's sorting and limits over real loopback sockets, with a stand-in web server (an echo) and a
 * stand-in relay (a queue): TLS bytes, split across writes, reach the web server whole and its answer comes back, with
 * the client noted while the connection lasts; an ICE-TCP start is handed on with the bytes read; a connection that
 * sends nothing within the time, one past the per-address limit and one past the overall limit are closed, counted.
 */
class SharedHttpsPortTest {

    private static final byte[] STUN_START = {0, 28, 0, 1, 0, 8, 0x21, 0x12, (byte) 0xA4, 0x42, 1, 2, 3};

    private final List<AutoCloseable> open = new ArrayList<>();
    private final BlockingQueue<byte[]> handedOn = new ArrayBlockingQueue<>(10);
    private final ProxiedClients clients = new ProxiedClients();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private SharedHttpsPort start(SharedHttpsPort.Limits limits) throws IOException {
        ServerSocket echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        open.add(echo);
        Thread web = new Thread(() -> {
            while (!echo.isClosed()) {
                try (Socket s = echo.accept()) {
                    InputStream in = s.getInputStream();
                    byte[] buf = new byte[1024];
                    for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                        s.getOutputStream().write(buf, 0, n);
                    }
                } catch (IOException e) {
                    return;
                }
            }
        });
        web.setDaemon(true);
        web.start();
        clients.webServerPort(echo.getLocalPort());
        SharedHttpsPort port = new SharedHttpsPort(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                (InetSocketAddress) echo.getLocalSocketAddress(), clients, this::iceTcp, limits, 1500);
        open.add(port);
        port.start();
        return port;
    }

    private void iceTcp(SocketChannel channel, byte[] first, int length) {
        handedOn.add(Arrays.copyOf(first, length));
        try {
            channel.close();
        } catch (IOException e) {
            // a stand-in
        }
    }

    private Socket connect(SharedHttpsPort port) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port.port());
        socket.setSoTimeout(5000);
        open.add(socket);
        return socket;
    }

    @Test
    void tlsIsPassedOnWholeAndIceTcpHandedOn() throws Exception {
        SharedHttpsPort port = start(SharedHttpsPort.Limits.defaults());
        Socket tls = connect(port);
        tls.getOutputStream().write(new byte[] {0x16});
        tls.getOutputStream().flush();
        Thread.sleep(50);
        tls.getOutputStream().write(new byte[] {0x03, 0x01, 0, 5, 'h', 'e', 'l', 'l', 'o'});
        byte[] echoed = tls.getInputStream().readNBytes(10);
        assertThat(echoed).containsExactly(0x16, 0x03, 0x01, 0, 5, 'h', 'e', 'l', 'l', 'o');
        assertThat(clients.size()).as("the client noted while connected").isEqualTo(1);
        tls.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> clients.size() == 0);

        Socket ice = connect(port);
        ice.getOutputStream().write(STUN_START);
        byte[] first = handedOn.poll(5, TimeUnit.SECONDS);
        assertThat(first).as("the first bytes go with the connection").startsWith(Arrays.copyOf(STUN_START, 10));
        assertThat(port.counts()).isEqualTo(new SharedHttpsPort.Counts(1, 1, 0, 0, 0));
    }

    @Test
    void silenceAndTooManyConnectionsAreClosedAndCounted() throws Exception {
        SharedHttpsPort impatient = start(new SharedHttpsPort.Limits(4, 2, Duration.ofMillis(300)));
        Socket quiet = connect(impatient);
        assertThat(readOrReset(quiet)).as("closed after the first-bytes time").isEqualTo(-1);
        await().atMost(Duration.ofSeconds(5)).until(() -> impatient.counts().timedOut() == 1);

        // The limits, on a port that waits long for first bytes: on a loaded machine, 300 ms could pass between
        // opening a connection and writing to it.
        SharedHttpsPort port = start(new SharedHttpsPort.Limits(4, 2, Duration.ofSeconds(30)));
        List<Socket> waiting = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            waiting.add(connect(port));
        }
        assertThat(readOrReset(waiting.get(2))).as("a third unsorted one from the same address").isEqualTo(-1);
        await().atMost(Duration.ofSeconds(5)).until(() -> port.counts().refused() == 1);
        for (Socket s : waiting.subList(0, 2)) {
            s.getOutputStream().write(new byte[] {0x16, 0x03, 0x01});
        }
        // Sorted before the next one comes: until then they still count as the address's two unsorted connections.
        await().atMost(Duration.ofSeconds(5)).until(() -> port.counts().tls() == 2);
        Socket third = connect(port);
        third.getOutputStream().write(new byte[] {0x16, 0x03, 0x01});
        Socket fourth = connect(port);
        fourth.getOutputStream().write(new byte[] {0x16, 0x03, 0x01});
        await().atMost(Duration.ofSeconds(5)).until(() -> port.counts().tls() == 4);
        Socket fifth = connect(port);
        assertThat(readOrReset(fifth)).as("past four held at once").isEqualTo(-1);
        assertThat(port.counts().refused()).isEqualTo(2);
        assertThat(port.counts().timedOut()).isZero();
    }

    private static int readOrReset(Socket socket) throws IOException {
        try {
            return socket.getInputStream().read();
        } catch (SocketException e) {
            return -1;
        }
    }
}
