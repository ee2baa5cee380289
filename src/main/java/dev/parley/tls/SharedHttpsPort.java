package dev.parley.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The public HTTPS port when media shares it ({@code PARLEY_MEDIA_TCP_PORT=https}): reads the first bytes of each
 * connection ({@link FirstBytes}) and hands ICE-TCP ones, with those bytes, to the relay, which then owns them, and
 * passes TLS ones byte for byte to the web server on 127.0.0.1, noting in {@link ProxiedClients} whose they are.
 * Anything else is closed and counted.
 *
 * <p>Written by hand: no library splits one port by first bytes and hands a socket on with what was read from it.
 * Blocking sockets, a thread per direction of each passed connection, because they are few (a browser keeps a handful
 * to the web server) and the media never goes through here; only the web server's TLS bytes are copied.
 *
 * <p>Limits: connections held at once (sniffed or passed), unsorted connections per source address, and the time the
 * first bytes may take.
 */
final class SharedHttpsPort implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SharedHttpsPort.class);
    private static final int COPY_BUFFER = 16 * 1024;
    private static final int CONNECT_TIMEOUT_MILLIS = 5000;
    private static final long HALF_CLOSED_WAIT_SECONDS = 30;

    /** Where ICE-TCP connections go (the relay). */
    @FunctionalInterface
    interface IceTcp {
        void accept(SocketChannel channel, byte[] firstBytes, int length);
    }

    /**
     * @param maxConnections connections held at once, sorting their first bytes or passed to the web server
     * @param maxUnsortedPerSource connections from one IP address whose first bytes have not come yet
     * @param firstBytesTimeout how long the first bytes may take
     */
    record Limits(int maxConnections, int maxUnsortedPerSource, Duration firstBytesTimeout) {
        static Limits defaults() {
            return new Limits(2048, 64, Duration.ofSeconds(10));
        }
    }

    /** What became of the connections so far. */
    record Counts(long tls, long iceTcp, long unknown, long timedOut, long refused) {
    }

    private final ServerSocketChannel server;
    private final InetSocketAddress webServer;
    private final ProxiedClients clients;
    private final IceTcp iceTcp;
    private final Limits limits;
    private final int maxFrame;
    private final Semaphore slots;
    private final Map<InetAddress, AtomicInteger> unsorted = new ConcurrentHashMap<>();
    private final ThreadPoolExecutor threads;
    private final Thread acceptor;
    private final AtomicLong tls = new AtomicLong();
    private final AtomicLong ice = new AtomicLong();
    private final AtomicLong unknown = new AtomicLong();
    private final AtomicLong timedOut = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private volatile boolean open = true;

    /** Listens at once; connections are taken from {@link #start()} on. */
    SharedHttpsPort(InetSocketAddress bind, InetSocketAddress webServer, ProxiedClients clients, IceTcp iceTcp,
                    Limits limits, int maxFrame) throws IOException {
        this.webServer = webServer;
        this.clients = clients;
        this.iceTcp = iceTcp;
        this.limits = limits;
        this.maxFrame = maxFrame;
        this.slots = new Semaphore(limits.maxConnections());
        AtomicInteger names = new AtomicInteger();
        // Two threads at most per connection held, so the pool never refuses one that got a slot.
        this.threads = new ThreadPoolExecutor(0, 2 * limits.maxConnections(), 30, TimeUnit.SECONDS,
                new SynchronousQueue<>(), task -> {
                    Thread thread = new Thread(task, "parley-https-port-" + names.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        this.server = ServerSocketChannel.open();
        server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        server.bind(bind, 512);
        this.acceptor = new Thread(this::acceptLoop, "parley-https-port-accept");
        acceptor.setDaemon(true);
    }

    void start() {
        acceptor.start();
    }

    int port() {
        try {
            return ((InetSocketAddress) server.getLocalAddress()).getPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    Counts counts() {
        return new Counts(tls.get(), ice.get(), unknown.get(), timedOut.get(), refused.get());
    }

    private void acceptLoop() {
        while (open) {
            SocketChannel channel;
            try {
                channel = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                log.warn("The HTTPS port could not accept a connection: {}", e.toString());
                pause();
                continue;
            }
            InetAddress source;
            try {
                source = ((InetSocketAddress) channel.getRemoteAddress()).getAddress();
            } catch (IOException e) {
                close(channel);
                continue;
            }
            if (!slots.tryAcquire()) {
                refused.incrementAndGet();
                close(channel);
                continue;
            }
            AtomicInteger fromSource = unsorted.computeIfAbsent(source, a -> new AtomicInteger());
            if (fromSource.incrementAndGet() > limits.maxUnsortedPerSource()) {
                unsorted(source, fromSource);
                slots.release();
                refused.incrementAndGet();
                close(channel);
                continue;
            }
            try {
                threads.execute(() -> serve(channel, source, fromSource));
            } catch (RejectedExecutionException e) {
                unsorted(source, fromSource);
                slots.release();
                close(channel);
            }
        }
    }

    private void unsorted(InetAddress source, AtomicInteger fromSource) {
        if (fromSource.decrementAndGet() <= 0) {
            unsorted.remove(source, fromSource);
        }
    }

    private void serve(SocketChannel channel, InetAddress source, AtomicInteger fromSource) {
        boolean handedOn = false;
        boolean sorted = false;
        try {
            Socket socket = channel.socket();
            InputStream in = socket.getInputStream();
            byte[] first = new byte[FirstBytes.NEEDED];
            int length = 0;
            FirstBytes kind = FirstBytes.MORE;
            long deadline = System.nanoTime() + limits.firstBytesTimeout().toNanos();
            while (kind == FirstBytes.MORE) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    throw new SocketTimeoutException();
                }
                socket.setSoTimeout((int) Math.min(left, Integer.MAX_VALUE));
                int n = in.read(first, length, first.length - length);
                if (n < 0) {
                    kind = FirstBytes.UNKNOWN;
                    break;
                }
                length += n;
                kind = FirstBytes.of(first, length, maxFrame);
            }
            unsorted(source, fromSource);
            sorted = true;
            socket.setSoTimeout(0);
            switch (kind) {
                case ICE_TCP -> {
                    ice.incrementAndGet();
                    handedOn = true;
                    iceTcp.accept(channel, first, length);
                }
                case TLS -> {
                    tls.incrementAndGet();
                    pass(socket, first, length);
                }
                default -> unknown.incrementAndGet();
            }
        } catch (SocketTimeoutException e) {
            timedOut.incrementAndGet();
        } catch (IOException | RuntimeException e) {
            log.debug("A connection to the HTTPS port failed", e);
        } finally {
            if (!sorted) {
                unsorted(source, fromSource);
            }
            if (!handedOn) {
                close(channel);
            }
            slots.release();
        }
    }

    /** Copies both ways between the client and the web server until both are done; the client's address noted. */
    private void pass(Socket client, byte[] first, int length) throws IOException {
        InetSocketAddress clientAddress = (InetSocketAddress) client.getRemoteSocketAddress();
        try (Socket web = new Socket()) {
            web.bind(new InetSocketAddress(webServer.getAddress(), 0));
            web.setTcpNoDelay(true);
            client.setTcpNoDelay(true);
            int localPort = web.getLocalPort();
            clients.opened(localPort, clientAddress);
            try {
                web.connect(webServer, CONNECT_TIMEOUT_MILLIS);
                web.getOutputStream().write(first, 0, length);
                Future<?> back;
                try {
                    back = threads.submit(() -> copy(web, client, true));
                } catch (RejectedExecutionException e) {
                    return;
                }
                copy(client, web, false);
                try {
                    back.get(HALF_CLOSED_WAIT_SECONDS, TimeUnit.SECONDS);
                } catch (Exception e) {
                    back.cancel(true);
                }
            } finally {
                clients.closed(localPort, clientAddress);
                close(client);
            }
        }
    }

    /**
     * One direction. When the client ends its stream it may still wait for the answer, so only the web server's input
     * is ended; when the web server ends it, the connection is over. A failure closes both sockets.
     */
    private static void copy(Socket from, Socket to, boolean endsConnection) {
        byte[] buffer = new byte[COPY_BUFFER];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                out.write(buffer, 0, n);
            }
            if (endsConnection) {
                close(from);
                close(to);
            } else {
                to.shutdownOutput();
            }
        } catch (IOException e) {
            close(from);
            close(to);
        }
    }

    private static void close(java.io.Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        open = false;
        close(server);
        threads.shutdownNow();
    }
}
