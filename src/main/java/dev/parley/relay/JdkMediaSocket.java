package dev.parley.relay;

import dev.parley.relay.stats.DropReason;
import dev.parley.relay.stats.TrafficCounters;
import dev.parley.relay.transport.LoopContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The media socket on the JDK's {@link DatagramChannel}, non-blocking, with the loop's selector (which the ICE-TCP
 * channels share): one system call per datagram. Sends reuse one {@link ByteBuffer} per scratch array, so the media
 * path allocates nothing.
 */
final class JdkMediaSocket implements MediaSocket {

    private static final int BUFFER_BYTES = 4 * 1024 * 1024;

    private final DatagramChannel channel;
    private final Selector selector;
    private final SelectionKey udpKey;
    private final TrafficCounters counters;
    private final byte[] receiveArray = new byte[LoopContext.MAX_PACKET];
    private final ByteBuffer receiveBuffer = ByteBuffer.wrap(receiveArray);
    private final Map<byte[], ByteBuffer> sendWrappers = new IdentityHashMap<>();

    JdkMediaSocket(InetSocketAddress bind, TrafficCounters counters) throws IOException {
        this.counters = counters;
        this.channel = DatagramChannel.open();
        channel.setOption(StandardSocketOptions.SO_RCVBUF, BUFFER_BYTES);
        channel.setOption(StandardSocketOptions.SO_SNDBUF, BUFFER_BYTES);
        channel.bind(bind);
        channel.configureBlocking(false);
        this.selector = Selector.open();
        this.udpKey = channel.register(selector, SelectionKey.OP_READ);
    }

    @Override
    public String kind() {
        return "jdk";
    }

    @Override
    public int port() {
        try {
            return ((InetSocketAddress) channel.getLocalAddress()).getPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The UDP socket is read by {@link #receive()} whatever the selector says. */
    @Override
    public void await(long millis, Consumer<SelectionKey> others) throws IOException {
        selector.select(key -> {
            if (key != udpKey) {
                others.accept(key);
            }
        }, Math.max(1, millis));
    }

    @Override
    public Selector selector() {
        return selector;
    }

    /** Nothing to do: the loop thread itself selects, and a change is seen by its next select. */
    @Override
    public void selectorChanged() {
    }

    @Override
    public void wakeup() {
        selector.wakeup();
    }

    @Override
    public InetSocketAddress receive() throws IOException {
        receiveBuffer.clear();
        SocketAddress source = channel.receive(receiveBuffer);
        return (InetSocketAddress) source;
    }

    @Override
    public byte[] received() {
        return receiveArray;
    }

    @Override
    public int receivedLength() {
        return receiveBuffer.position();
    }

    /** Sent at once: one {@code sendto}. */
    @Override
    public boolean send(byte[] buf, int off, int len, InetSocketAddress to) {
        ByteBuffer wrapper = sendWrappers.computeIfAbsent(buf, ByteBuffer::wrap);
        wrapper.clear().position(off).limit(off + len);
        if (!send(wrapper, to)) {
            return false;
        }
        counters.sent(len);
        return true;
    }

    @Override
    public void sendOnce(byte[] buf, int off, int len, InetSocketAddress to) {
        send(ByteBuffer.wrap(buf, off, len), to);
    }

    /** Nothing waits: every send went out at once. */
    @Override
    public void flush() {
    }

    private boolean send(ByteBuffer datagram, InetSocketAddress to) {
        try {
            // A non-blocking send that finds the socket buffer full sends nothing and returns 0: count it as a drop.
            if (channel.send(datagram, to) == 0) {
                counters.dropped(DropReason.SEND_FAILED);
                return false;
            }
            return true;
        } catch (IOException e) {
            counters.dropped(DropReason.SEND_FAILED);
            return false;
        }
    }

    @Override
    public void close() throws IOException {
        selector.close();
        channel.close();
    }
}
