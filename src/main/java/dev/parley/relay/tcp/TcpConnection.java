package dev.parley.relay.tcp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * One browser's connection to the relay's passive ICE-TCP candidate (RFC 6544), carrying RFC 4571 frames both ways.
 * Owned by the relay loop's thread. What the relay sends is queued whole frame by whole frame in a bounded buffer: a
 * congested connection loses packets (as UDP would) instead of delaying every later one behind them.
 */
public final class TcpConnection {

    private static final int OUT_CAPACITY = 128 * 1024;

    private final SocketChannel channel;
    private final SelectionKey key;
    private final InetSocketAddress remote;
    private final FrameDecoder decoder;
    private final Runnable selectorChanged;
    private final ByteBuffer out = ByteBuffer.allocate(OUT_CAPACITY);
    private final long openedNanos;
    private long lastReceivedNanos;
    private long closedNanos;
    private boolean closed;
    private boolean used;

    TcpConnection(SocketChannel channel, SelectionKey key, InetSocketAddress remote, FrameDecoder decoder, long now,
                  Runnable selectorChanged) {
        this.channel = channel;
        this.selectorChanged = selectorChanged;
        this.key = key;
        this.remote = remote;
        this.decoder = decoder;
        this.openedNanos = now;
        this.lastReceivedNanos = now;
    }

    public InetSocketAddress remote() {
        return remote;
    }

    /** Queues one packet as a frame and writes what the socket takes; false when closed or the queue is full. */
    boolean send(byte[] buf, int off, int len) {
        if (closed) {
            return false;
        }
        if (!FrameDecoder.encode(buf, off, len, out)) {
            flush();
            if (closed || !FrameDecoder.encode(buf, off, len, out)) {
                return false;
            }
        }
        if ((key.interestOps() & SelectionKey.OP_WRITE) == 0) {
            flush();
        }
        return true;
    }

    /** Writes queued frames; what the socket does not take now waits for it to become writable. */
    void flush() {
        if (closed) {
            return;
        }
        out.flip();
        try {
            channel.write(out);
        } catch (IOException e) {
            out.clear();
            close(lastReceivedNanos);
            return;
        } finally {
            if (!closed) {
                out.compact();
            }
        }
        int ops = out.position() > 0 ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ;
        if (key.interestOps() != ops) {
            key.interestOps(ops);
            selectorChanged.run();
        }
    }

    /** Reads what arrived into the decoder's buffer; -1 at the end of the stream. */
    int read(long now) throws IOException {
        int n = channel.read(decoder.buffer());
        if (n > 0) {
            lastReceivedNanos = now;
        }
        return n;
    }

    FrameDecoder decoder() {
        return decoder;
    }

    void close(long now) {
        if (closed) {
            return;
        }
        closed = true;
        closedNanos = now;
        key.cancel();
        try {
            channel.close();
        } catch (IOException e) {
            // closing anyway
        }
        selectorChanged.run();
    }

    boolean isClosed() {
        return closed;
    }

    /** Once a transport took this connection's checks it counts as used: closed, it is remembered for a while. */
    void markUsed() {
        used = true;
    }

    boolean isUsed() {
        return used;
    }

    long openedNanos() {
        return openedNanos;
    }

    long lastReceivedNanos() {
        return lastReceivedNanos;
    }

    long closedNanos() {
        return closedNanos;
    }
}
