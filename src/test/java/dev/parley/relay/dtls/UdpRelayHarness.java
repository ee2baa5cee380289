package dev.parley.relay.dtls;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Predicate;

/**
 * A stand-in for the relay's network side: one UDP socket on 127.0.0.1, a receive thread that demultiplexes DTLS
 * datagrams (first byte 20..63, RFC 7983) by remote address to a {@link DtlsSession}, and a sender per remote.
 */
final class UdpRelayHarness implements AutoCloseable {

    private final DatagramChannel channel;
    private final Thread receiveThread;
    private final BiFunction<SocketAddress, DtlsSender, DtlsSession> sessionFactory;
    private final Map<SocketAddress, DtlsSession> sessions = new ConcurrentHashMap<>();
    private volatile Predicate<byte[]> dropOutgoing = datagram -> false;

    /** Every datagram the relay sent (after drops), as copies. */
    final List<byte[]> sent = new CopyOnWriteArrayList<>();
    /** Every DTLS datagram the relay received, as copies. */
    final List<byte[]> receivedDatagrams = new CopyOnWriteArrayList<>();
    final AtomicInteger received = new AtomicInteger();

    UdpRelayHarness(BiFunction<SocketAddress, DtlsSender, DtlsSession> sessionFactory) throws IOException {
        this.sessionFactory = sessionFactory;
        this.channel = DatagramChannel.open();
        channel.bind(new InetSocketAddress("127.0.0.1", 0));
        this.receiveThread = new Thread(this::receiveLoop, "test-relay-receive");
        receiveThread.setDaemon(true);
        receiveThread.start();
    }

    InetSocketAddress address() throws IOException {
        return (InetSocketAddress) channel.getLocalAddress();
    }

    /** Drops outgoing datagrams for which the predicate says so (e.g. to lose a flight). */
    void dropOutgoing(Predicate<byte[]> predicate) {
        this.dropOutgoing = predicate;
    }

    DtlsSession onlySession() {
        if (sessions.size() != 1) {
            throw new IllegalStateException("expected one session, have " + sessions.size());
        }
        return sessions.values().iterator().next();
    }

    private void receiveLoop() {
        ByteBuffer buffer = ByteBuffer.allocate(2048);
        while (channel.isOpen()) {
            try {
                buffer.clear();
                SocketAddress from = channel.receive(buffer);
                int length = buffer.position();
                int first = length > 0 ? buffer.get(0) & 0xFF : -1;
                if (first < 20 || first > 63) {
                    continue;
                }
                receivedDatagrams.add(Arrays.copyOf(buffer.array(), length));
                DtlsSession session = sessions.computeIfAbsent(from,
                        remote -> sessionFactory.apply(remote, senderFor(remote)));
                session.onDatagram(buffer.array(), 0, length);
                // Counted once handed over, so a test that waits for the count also finds the session.
                received.incrementAndGet();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (!channel.isOpen()) {
                    return;
                }
            }
        }
    }

    private DtlsSender senderFor(SocketAddress remote) {
        return (buf, off, len) -> {
            byte[] datagram = Arrays.copyOfRange(buf, off, off + len);
            if (dropOutgoing.test(datagram)) {
                return;
            }
            sent.add(datagram);
            channel.send(ByteBuffer.wrap(datagram), remote);
        };
    }

    @Override
    public void close() throws Exception {
        sessions.values().forEach(DtlsSession::close);
        channel.close();
        receiveThread.join(2_000);
    }
}
