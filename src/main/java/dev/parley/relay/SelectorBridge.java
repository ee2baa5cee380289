package dev.parley.relay;

import java.io.IOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A JDK selector for the ICE-TCP channels when the relay loop waits in Netty's {@code epoll_wait}, which cannot also
 * wait on a JDK selector (and the JDK gives a channel's file descriptor to nobody). A thread of its own selects; when
 * channels are ready it wakes the loop and waits while the loop {@link #handOver handles} them, so the channels, their
 * keys and the relay's state are only ever touched by the loop thread, and no packet is copied between threads.
 *
 * <p>A select in progress does not see registrations and interest changes made after it began, so the loop calls
 * {@link #changed()} after each.
 */
final class SelectorBridge implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SelectorBridge.class);

    private final Selector selector;
    private final Runnable wakeLoop;
    private final Thread thread;
    private final Semaphore handled = new Semaphore(0);
    private volatile boolean ready;
    private volatile boolean open = true;

    SelectorBridge(Runnable wakeLoop) throws IOException {
        this.selector = Selector.open();
        this.wakeLoop = wakeLoop;
        this.thread = new Thread(this::run, "parley-relay-tcp-select");
        thread.setDaemon(true);
        thread.start();
    }

    Selector selector() {
        return selector;
    }

    private void run() {
        while (open) {
            try {
                selector.select();
            } catch (IOException | ClosedSelectorException e) {
                if (open) {
                    log.warn("ICE-TCP selector failed; ICE-TCP stops: {}", e.toString());
                }
                return;
            }
            if (open && !selector.selectedKeys().isEmpty()) {
                ready = true;
                wakeLoop.run();
                handled.acquireUninterruptibly();
            }
        }
    }

    /** On the loop thread: hands the channels found ready to {@code handler}, then lets the selecting thread go on. */
    void handOver(Consumer<SelectionKey> handler) {
        if (!ready) {
            return;
        }
        try {
            Set<SelectionKey> keys = selector.selectedKeys();
            for (SelectionKey key : keys) {
                try {
                    if (key.isValid()) {
                        handler.accept(key);
                    }
                } catch (CancelledKeyException e) {
                    // closed while handled
                }
            }
            keys.clear();
        } finally {
            ready = false;
            handled.release();
        }
    }

    /** A registration or interest change: the select in progress starts again to see it. */
    void changed() {
        selector.wakeup();
    }

    @Override
    public void close() {
        open = false;
        selector.wakeup();
        handled.release();
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            selector.close();
        } catch (IOException e) {
            log.debug("closing the ICE-TCP selector", e);
        }
    }
}
