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
 * The relay's one UDP socket for all media, non-blocking, with its selector. Used by the loop thread only, apart from
 * {@link #wakeup()}. Sends reuse one {@link ByteBuffer} per scratch array, so the media path allocates nothing.
 */
final class MediaSocket implements AutoCloseable {

    private static final int BUFFER_BYTES = 4 * 1024 * 1024;

    private final DatagramChannel channel;
    private final Selector selector;
    private final SelectionKey udpKey;
    private final TrafficCounters counters;
    private final byte[] receiveArray = new byte[LoopContext.MAX_PACKET];
    private final ByteBuffer receiveBuffer = ByteBuffer.wrap(receiveArray);
    private final Map<byte[], ByteBuffer> sendWrappers = new IdentityHashMap<>();

    MediaSocket(InetSocketAddress bind, TrafficCounters counters) throws IOException {
        this.counters = counters;
        this.channel = DatagramChannel.open();
        channel.setOption(StandardSocketOptions.SO_RCVBUF, BUFFER_BYTES);
        channel.setOption(StandardSocketOptions.SO_SNDBUF, BUFFER_BYTES);
        channel.bind(bind);
        channel.configureBlocking(false);
        this.selector = Selector.open();
        this.udpKey = channel.register(selector, SelectionKey.OP_READ);
    }

    int port() {
        try {
            return ((InetSocketAddress) channel.getLocalAddress()).getPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Waits until a datagram arrives, {@link #wakeup()} is called, or the time is up. Other channels registered on
     * this selector (the ICE-TCP ones) are handed to {@code others} when ready; the UDP socket is read by
     * {@link #receive()} whatever the selector says.
     */
    void await(long millis, Consumer<SelectionKey> others) throws IOException {
        selector.select(key -> {
            if (key != udpKey) {
                others.accept(key);
            }
        }, Math.max(1, millis));
    }

    /** For more channels on the loop's one selector. */
    Selector selector() {
        return selector;
    }

    /** Any thread: ends the current {@link #await}. */
    void wakeup() {
        selector.wakeup();
    }

    /** Reads one datagram into {@link #received()}; returns its source, or null when none is waiting. */
    InetSocketAddress receive() throws IOException {
        receiveBuffer.clear();
        SocketAddress source = channel.receive(receiveBuffer);
        return (InetSocketAddress) source;
    }

    /** The array the last datagram was read into; valid until the next {@link #receive()}. */
    byte[] received() {
        return receiveArray;
    }

    int receivedLength() {
        return receiveBuffer.position();
    }

    /** Sends a region of a scratch array (counted as sent), or counts the drop. */
    boolean send(byte[] buf, int off, int len, InetSocketAddress to) {
        ByteBuffer wrapper = sendWrappers.computeIfAbsent(buf, ByteBuffer::wrap);
        wrapper.clear().position(off).limit(off + len);
        if (!send(wrapper, to)) {
            return false;
        }
        counters.sent(len);
        return true;
    }

    /** Sends a datagram; a failed send is counted as a drop. */
    boolean send(ByteBuffer datagram, InetSocketAddress to) {
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
