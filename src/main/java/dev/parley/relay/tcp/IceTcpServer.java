package dev.parley.relay.tcp;

import dev.parley.relay.ice.SourceFilter;
import dev.parley.relay.stats.DropReason;
import dev.parley.relay.stats.TrafficCounters;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The relay's passive ICE-TCP candidate (RFC 6544): a listening socket on the relay loop's selector, for browsers
 * whose network lets no UDP through. Each accepted connection is known by its remote address, which stands for it
 * everywhere the relay names a UDP source (ICE checks, the transport's selected address): frames read from it go
 * where datagrams go, and what the relay sends to that address goes out as frames on it.
 *
 * <p>Limits: connections in all and per source address; a connection that carries no valid ICE check within
 * {@link Limits#unusedTimeout()} is closed, and so is one silent for {@link Limits#idleTimeout()}. A used connection
 * that closes is remembered for the idle timeout, so that packets for its address are dropped, not sent as UDP.
 */
public final class IceTcpServer implements AutoCloseable {

    /** Where the frames read from connections go (the relay's datagram path). */
    @FunctionalInterface
    public interface FrameHandler {
        void onFrame(byte[] buf, int len, InetSocketAddress from);
    }

    /**
     * @param maxConnections connections open at once (and closed ones remembered)
     * @param maxPerSource connections from one IP address (a whole office behind one NAT may share it)
     * @param unusedTimeout how long a connection may stay without a valid ICE check
     * @param idleTimeout how long a connection may stay silent (ICE consent checks come every few seconds)
     */
    public record Limits(int maxConnections, int maxPerSource, long unusedTimeoutNanos, long idleTimeoutNanos) {

        public static Limits defaults(long idleTimeoutNanos) {
            return new Limits(4096, 256, 10_000_000_000L, idleTimeoutNanos);
        }

        long unusedTimeout() {
            return unusedTimeoutNanos;
        }

        long idleTimeout() {
            return idleTimeoutNanos;
        }
    }

    private static final int ACCEPTS_PER_WAKEUP = 64;
    private static final int READ_BUFFER = 64 * 1024;

    /** Null when the port is shared: connections are then {@link #adopt adopted} from the port's owner. */
    private final ServerSocketChannel server;
    private final SelectionKey serverKey;
    private final Selector selector;
    private final Runnable selectorChanged;
    private final int sharedPort;
    private final SourceFilter sources;
    private final TrafficCounters counters;
    private final Limits limits;
    private final int maxFrame;
    private final byte[] frame;
    private final Predicate<InetSocketAddress> inUse;
    private final Map<InetSocketAddress, TcpConnection> connections = new HashMap<>();

    /**
     * @param maxFrame the longest packet taken (longer frames close the connection)
     * @param inUse whether a transport knows an address (a valid ICE check came from it)
     * @param selectorChanged called after each registration, interest change or cancel on {@code selector}, for a
     *     selector that another thread waits on
     */
    public IceTcpServer(InetSocketAddress bind, Selector selector, Runnable selectorChanged, SourceFilter sources,
                        TrafficCounters counters, Limits limits, int maxFrame, Predicate<InetSocketAddress> inUse)
            throws IOException {
        this(null, bind, selector, selectorChanged, sources, counters, limits, maxFrame, inUse);
    }

    /** An ICE-TCP server without a socket of its own: {@code port}'s owner hands it the connections meant for it. */
    public static IceTcpServer shared(int port, Selector selector, Runnable selectorChanged, SourceFilter sources,
                                      TrafficCounters counters, Limits limits, int maxFrame,
                                      Predicate<InetSocketAddress> inUse) {
        try {
            return new IceTcpServer(port, null, selector, selectorChanged, sources, counters, limits, maxFrame, inUse);
        } catch (IOException e) {
            throw new IllegalStateException(e); // nothing is bound
        }
    }

    private IceTcpServer(Integer sharedPort, InetSocketAddress bind, Selector selector, Runnable selectorChanged,
                         SourceFilter sources, TrafficCounters counters, Limits limits, int maxFrame,
                         Predicate<InetSocketAddress> inUse) throws IOException {
        this.inUse = inUse;
        this.sources = sources;
        this.counters = counters;
        this.limits = limits;
        this.maxFrame = maxFrame;
        this.frame = new byte[maxFrame];
        this.selector = selector;
        this.selectorChanged = selectorChanged;
        if (sharedPort != null) {
            this.sharedPort = sharedPort;
            this.server = null;
            this.serverKey = null;
            return;
        }
        this.sharedPort = -1;
        this.server = ServerSocketChannel.open();
        server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        server.bind(bind, 128);
        server.configureBlocking(false);
        this.serverKey = server.register(selector, SelectionKey.OP_ACCEPT, this);
        selectorChanged.run();
    }

    public int port() {
        if (server == null) {
            return sharedPort;
        }
        try {
            return ((InetSocketAddress) server.getLocalAddress()).getPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Connections open now (without the closed ones remembered). */
    public int openConnections() {
        int open = 0;
        for (TcpConnection c : connections.values()) {
            if (!c.isClosed()) {
                open++;
            }
        }
        return open;
    }

    /** Whether a selected key is this server's or one of its connections'. */
    public boolean owns(SelectionKey key) {
        return key == serverKey || key.attachment() instanceof TcpConnection;
    }

    /** Handles a key {@link #owns owned} by this server that the selector reported ready; on the loop thread. */
    public void onReady(SelectionKey key, long now, FrameHandler handler) {
        if (key == serverKey) {
            accept(now);
            return;
        }
        TcpConnection connection = (TcpConnection) key.attachment();
        if (!key.isValid() || connection.isClosed()) {
            return;
        }
        if (key.isWritable()) {
            connection.flush();
        }
        if (key.isValid() && key.isReadable()) {
            read(connection, now, handler);
        }
    }

    /**
     * The connection a packet for this address goes out on, or null when the address is no ICE-TCP peer (then it is
     * a UDP one). Allocation-free; with no connection at all, one check.
     */
    public TcpConnection connection(InetSocketAddress to) {
        return connections.isEmpty() ? null : connections.get(to);
    }

    /** Sends one packet on a connection as a frame, counting it as sent or dropped. */
    public boolean send(TcpConnection connection, byte[] buf, int off, int len) {
        if (connection.send(buf, off, len)) {
            counters.sent(len);
            return true;
        }
        counters.dropped(DropReason.SEND_FAILED);
        return false;
    }

    /** Closes connections past their limits and forgets closed ones; call it now and then (the loop's tick). */
    public void sweep(long now) {
        for (Iterator<TcpConnection> it = connections.values().iterator(); it.hasNext(); ) {
            TcpConnection c = it.next();
            if (!c.isClosed() && !c.isUsed() && inUse.test(c.remote())) {
                c.markUsed();
            }
            if (c.isClosed()) {
                if (!c.isUsed() || now - c.closedNanos() > limits.idleTimeout()) {
                    it.remove();
                }
            } else if (!c.isUsed() && now - c.openedNanos() > limits.unusedTimeout()) {
                c.close(now);
                it.remove();
            } else if (now - c.lastReceivedNanos() > limits.idleTimeout()) {
                c.close(now);
            }
        }
    }

    private void accept(long now) {
        for (int i = 0; i < ACCEPTS_PER_WAKEUP; i++) {
            SocketChannel channel;
            try {
                channel = server.accept();
            } catch (IOException e) {
                return;
            }
            if (channel == null) {
                return;
            }
            take(channel, null, 0, now, null);
        }
    }

    /**
     * Takes a connection accepted by the shared port's owner, with the bytes it already read from it (the start of the
     * first frame, or more); on the loop thread. The same limits apply as to connections accepted here.
     */
    public void adopt(SocketChannel channel, byte[] firstBytes, int length, long now, FrameHandler handler) {
        take(channel, firstBytes, length, now, handler);
    }

    private void take(SocketChannel channel, byte[] firstBytes, int length, long now, FrameHandler handler) {
        try {
            InetSocketAddress remote = (InetSocketAddress) channel.getRemoteAddress();
            if (!sources.allows(remote.getAddress())
                    || connections.size() >= limits.maxConnections()
                    || fromSource(remote.getAddress()) >= limits.maxPerSource()
                    || length > Math.max(READ_BUFFER, maxFrame + 2)) {
                counters.dropped(DropReason.TCP_REFUSED);
                channel.close();
                return;
            }
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            SelectionKey key = channel.register(selector, SelectionKey.OP_READ);
            TcpConnection connection = new TcpConnection(channel, key, remote,
                    new FrameDecoder(maxFrame, Math.max(READ_BUFFER, maxFrame + 2)), now, selectorChanged);
            selectorChanged.run();
            key.attach(connection);
            TcpConnection old = connections.put(remote, connection);
            if (old != null) {
                old.close(now);
            }
            if (length > 0) {
                connection.decoder().buffer().put(firstBytes, 0, length);
                frames(connection, 0, now, handler);
            }
        } catch (IOException e) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // already failing
            }
        }
    }

    private int fromSource(InetAddress address) {
        int n = 0;
        for (TcpConnection c : connections.values()) {
            if (!c.isClosed() && c.remote().getAddress().equals(address)) {
                n++;
            }
        }
        return n;
    }

    private void read(TcpConnection connection, long now, FrameHandler handler) {
        int n;
        try {
            n = connection.read(now);
        } catch (IOException e) {
            n = -1;
        }
        frames(connection, n, now, handler);
    }

    /** Hands out the complete frames buffered; closes the connection at a bad frame or after {@code n} of -1. */
    private void frames(TcpConnection connection, int n, long now, FrameHandler handler) {
        FrameDecoder decoder = connection.decoder();
        decoder.flip();
        try {
            for (int len = decoder.next(frame); len != FrameDecoder.NONE; len = decoder.next(frame)) {
                if (len == FrameDecoder.TOO_LONG) {
                    counters.dropped(DropReason.TCP_FRAMING);
                    n = -1;
                    break;
                }
                if (len > 0) {
                    handler.onFrame(frame, len, connection.remote());
                }
                if (connection.isClosed()) {
                    return;
                }
            }
        } finally {
            decoder.compact();
        }
        if (n < 0) {
            closed(connection, now);
        }
    }

    private void closed(TcpConnection connection, long now) {
        connection.close(now);
        if (!connection.isUsed() && inUse.test(connection.remote())) {
            connection.markUsed();
        }
        if (!connection.isUsed()) {
            connections.remove(connection.remote(), connection);
        }
    }

    @Override
    public void close() {
        for (TcpConnection c : connections.values()) {
            c.close(0);
        }
        connections.clear();
        if (server != null) {
            try {
                server.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
