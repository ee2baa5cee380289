package dev.parley.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One address in front of several Parley nodes on loopback, as a deployment's TCP load balancer is: each connection
 * goes to the next node in turn that accepts it (a stopped node is skipped), and its bytes are passed both ways
 * unread, so HTTP and WebSocket alike reach a node without knowing which. (A test tool: HAProxy or nginx do this in a
 * deployment; none is installed here, and a few lines of sockets are enough to put one address in front.)
 */
public final class TcpBalancer implements AutoCloseable {

    private static final int MOST_CONNECTIONS = 500;

    private final ServerSocket server;
    private final List<Integer> ports;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger open = new AtomicInteger();
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "tcp-balancer");
        thread.setDaemon(true);
        return thread;
    });

    public TcpBalancer(List<Integer> ports) throws IOException {
        this.ports = List.copyOf(ports);
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.execute(this::accept);
    }

    public int port() {
        return server.getLocalPort();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    private void accept() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return;
            }
            if (open.incrementAndGet() > MOST_CONNECTIONS) {
                open.decrementAndGet();
                closeQuietly(client);
                continue;
            }
            threads.execute(() -> {
                try {
                    Socket node = connect();
                    if (node == null) {
                        closeQuietly(client);
                        return;
                    }
                    threads.execute(() -> pipe(node, client));
                    pipe(client, node);
                } finally {
                    open.decrementAndGet();
                }
            });
        }
    }

    /** The next node in turn that takes the connection, or null when none does. */
    private Socket connect() {
        for (int tried = 0; tried < ports.size(); tried++) {
            int port = ports.get(Math.floorMod(next.getAndIncrement(), ports.size()));
            Socket node = new Socket();
            try {
                node.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1_000);
                return node;
            } catch (IOException e) {
                closeQuietly(node);
            }
        }
        return null;
    }

    private static void pipe(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                out.write(buffer, 0, read);
                out.flush();
            }
        } catch (IOException e) {
            // one side closed or reset: the other is closed below
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closed already
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        threads.shutdownNow();
    }
}
