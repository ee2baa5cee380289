package dev.parley.relay;

import dev.parley.relay.stats.TrafficCounters;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.function.Consumer;

/**
 * The relay's one UDP socket for all media and the loop thread's wait. Everything but {@link #wakeup()} is called on
 * the loop thread. Two kinds: {@link EpollMediaSocket} (Netty's native epoll transport: {@code recvmmsg} reads and one
 * {@code sendmmsg} per {@link #flush()}) and {@link JdkMediaSocket} (the JDK's channel: one system call per datagram),
 * the fallback where Netty's native library does not load.
 */
interface MediaSocket extends AutoCloseable {

    /**
     * Opens and binds the socket; on the loop thread, which the epoll socket's event loop belongs to.
     *
     * @param gso whether an epoll socket sends with UDP GSO where the kernel has it
     */
    static MediaSocket open(RelayConfig.SocketKind kind, InetSocketAddress bind, TrafficCounters counters,
                            boolean gso) throws IOException {
        boolean epoll = switch (kind) {
            case JDK -> false;
            case EPOLL -> {
                if (!EpollMediaSocket.isAvailable()) {
                    throw new IOException("the native epoll transport is not available here: "
                            + EpollMediaSocket.unavailabilityCause());
                }
                yield true;
            }
            case AUTO -> EpollMediaSocket.isAvailable();
        };
        return epoll ? new EpollMediaSocket(bind, counters, gso) : new JdkMediaSocket(bind, counters);
    }

    /** "epoll" (with ", GSO sends" while it sends so) or "jdk". */
    String kind();

    int port();

    /**
     * Waits until a datagram arrives, {@link #wakeup()} is called, an ICE-TCP channel is ready or the time is up.
     * ICE-TCP channels found ready on {@link #selector()} are handed to {@code tcpReady}; datagrams are read by
     * {@link #receive()}.
     */
    void await(long millis, Consumer<SelectionKey> tcpReady) throws IOException;

    /** The selector the ICE-TCP channels register with. */
    Selector selector();

    /**
     * To be called after a registration or interest change on {@link #selector()}, so that the next wait sees it
     * (the epoll socket waits on that selector in another thread).
     */
    void selectorChanged();

    /** Any thread: ends the current {@link #await}, or the next one when none is in progress. */
    void wakeup();

    /** Reads one datagram into {@link #received()}; returns its source, or null when none is waiting. */
    InetSocketAddress receive() throws IOException;

    /** The array the last datagram was read into; valid until the next {@link #receive()}. */
    byte[] received();

    int receivedLength();

    /**
     * Sends a region of a scratch array the loop reuses (counted as sent), or counts the drop; it may wait for
     * {@link #flush()} to leave. On the epoll socket a datagram the kernel refuses at the flush has been counted as
     * sent and is then counted as a failed send too; the JDK socket counts it only as failed.
     */
    boolean send(byte[] buf, int off, int len, InetSocketAddress to);

    /** Sends a datagram from an array used once (a DTLS record), not counted as media sent. */
    void sendOnce(byte[] buf, int off, int len, InetSocketAddress to);

    /** Hands every datagram sent since the last flush to the kernel. */
    void flush();

    @Override
    void close() throws IOException;
}
