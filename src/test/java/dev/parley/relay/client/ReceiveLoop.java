package dev.parley.relay.client;

import dev.parley.relay.srtp.PacketBuffer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread that reads the sockets of many {@link WebRtcEndpoint}s through a selector, for the load generator.
 *
 * <p>With a thread per endpoint, every datagram the relay sends wakes a different sleeping thread, and on loopback the
 * kernel charges that wake-up to the sender: the relay's {@code sendto}. A shared loop that is already awake while a
 * burst arrives takes the burst without further wake-ups, so the relay's measured CPU is closer to what it spends
 * sending to a network card. Each endpoint is served by one loop thread only, so its receive path stays
 * single-threaded as with its own thread.
 */
public final class ReceiveLoop implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReceiveLoop.class);

    /** At most this many datagrams from one socket per readiness, so one busy endpoint cannot starve the others. */
    private static final int MAX_DATAGRAMS_PER_READY = 64;
    private static final int RECEIVE_BUFFER = 4096;

    /** What the loop calls for each datagram; {@code buf} and {@code packet} are the loop's and reused. */
    interface DatagramHandler {
        void onDatagram(byte[] buf, int len, InetSocketAddress from, PacketBuffer packet);
    }

    private final Selector selector;
    private final Thread thread;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final byte[] buf = new byte[RECEIVE_BUFFER];
    private final ByteBuffer datagram = ByteBuffer.wrap(buf);
    private final PacketBuffer packet = new PacketBuffer(buf, 0, 0);
    private volatile boolean running = true;

    private ReceiveLoop(String name) throws IOException {
        this.selector = Selector.open();
        this.thread = new Thread(this::run, name);
        thread.setDaemon(true);
    }

    /** Opens the selector and starts the thread. */
    public static ReceiveLoop start(String name) throws IOException {
        ReceiveLoop loop = new ReceiveLoop(name);
        loop.thread.start();
        return loop;
    }

    /** Puts the (non-blocking) channel on this loop; returns once the loop has taken it. */
    void register(DatagramChannel channel, DatagramHandler handler) throws IOException {
        runOnLoop(() -> {
            try {
                channel.register(selector, SelectionKey.OP_READ, handler);
            } catch (ClosedChannelException e) {
                throw new IllegalStateException("the endpoint's socket is closed", e);
            }
        });
    }

    /**
     * Takes the channel off this loop; returns once the loop will not call its handler again, so the caller may then
     * release what the handler uses (the endpoint's SRTP keys).
     */
    void unregister(DatagramChannel channel) {
        try {
            runOnLoop(() -> {
                SelectionKey key = channel.keyFor(selector);
                if (key != null) {
                    key.cancel();
                    try {
                        // deregisters the cancelled key now: until then closing the channel would not free its port
                        selector.selectNow(this::onReady);
                    } catch (IOException e) {
                        throw new IllegalStateException("the receive loop's selector failed", e);
                    }
                }
            });
        } catch (IOException e) {
            // the loop has stopped: it calls no handler any more
        }
    }

    private void runOnLoop(Runnable task) throws IOException {
        if (Thread.currentThread() == thread) {
            task.run();
            return;
        }
        if (!running) {
            throw new IOException("receive loop " + thread.getName() + " is closed");
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        tasks.add(() -> {
            try {
                task.run();
                done.complete(null);
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        selector.wakeup();
        try {
            done.get(5, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IOException(e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("receive loop " + thread.getName() + " did not answer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private void run() {
        try {
            while (running) {
                Runnable task;
                while ((task = tasks.poll()) != null) {
                    task.run();
                }
                selector.select(this::onReady, 1_000);
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("receive loop {} stopped", thread.getName(), e);
        } finally {
            running = false;
            Runnable task;
            while ((task = tasks.poll()) != null) {
                task.run();
            }
        }
    }

    private void onReady(SelectionKey key) {
        DatagramChannel channel = (DatagramChannel) key.channel();
        DatagramHandler handler = (DatagramHandler) key.attachment();
        for (int i = 0; i < MAX_DATAGRAMS_PER_READY && key.isValid(); i++) {
            InetSocketAddress from;
            datagram.clear();
            try {
                from = (InetSocketAddress) channel.receive(datagram);
            } catch (IOException | CancelledKeyException e) {
                return; // closed under us: unregister follows
            }
            if (from == null) {
                return;
            }
            handler.onDatagram(buf, datagram.position(), from, packet);
        }
    }

    /** Stops the thread and closes the selector; endpoints still on it stop receiving. */
    @Override
    public void close() {
        running = false;
        selector.wakeup();
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            selector.close();
        } catch (IOException e) {
            // nothing left to release
        }
    }
}
