package dev.parley.meeting;

import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendResult;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayDeque;

/**
 * What goes out on one browser's socket, in order, with no thread waiting on the browser: each message goes with the
 * container's asynchronous send once the one before it has gone (a WebSocket takes one at a time), and the rest wait
 * here. A socket that takes longer than the time limit over one message, or lets more than the limit wait, has
 * stalled (a laptop's lid closed, Wi-Fi gone); one whose send fails otherwise is broken or closing. Either way the
 * outbox says so once and sends nothing more.
 *
 * <p>Written by hand because Spring's {@code ConcurrentWebSocketSessionDecorator} sends on the caller's thread: the
 * first caller to find the socket full waits on it, and that caller may be the thread that sends every room's offers.
 */
final class Outbox {

    private final RemoteEndpoint.Async remote;
    private final int limitChars;
    private final Listener listener;
    private final ArrayDeque<String> waiting = new ArrayDeque<>();
    private long waitingChars;
    /** A message is on its way (or the thread that started it is still handing it over). */
    private boolean sending;
    private boolean dead;
    /** The thread inside {@link RemoteEndpoint.Async#sendText}, and whether the send completed before it returned. */
    private Thread starting;
    private boolean completedWhileStarting;

    /** Told once, with why, when the outbox stops sending. */
    interface Listener {

        /** The socket took nothing for the time limit, or let more than the limit wait. */
        void stalled(String why);

        /** A send failed for another reason: the socket broke, or is closing. */
        void failed(String why);
    }

    /** @param limitChars the characters that may wait behind the message on its way */
    Outbox(RemoteEndpoint.Async remote, Duration timeLimit, int limitChars, Listener listener) {
        this.remote = remote;
        this.limitChars = limitChars;
        this.listener = listener;
        remote.setSendTimeout(timeLimit.toMillis());
    }

    /** Sends {@code text} now, or once what came before it has gone. Never waits. */
    void send(String text) {
        String why = null;
        synchronized (this) {
            if (dead) {
                return;
            }
            if (!sending) {
                sending = true;
            } else if (waitingChars + text.length() <= limitChars) {
                waiting.add(text);
                waitingChars += text.length();
                return;
            } else {
                why = "over " + limitChars + " characters waiting";
                die();
            }
        }
        if (why != null) {
            listener.stalled(why);
            return;
        }
        start(text);
    }

    /** Nothing waits or is on its way: a close now loses nothing. */
    synchronized boolean isIdle() {
        return !sending;
    }

    /**
     * Hands messages to the container one at a time. A send that completes before {@code sendText} returns (the
     * socket took it at once) is followed here, in a loop, rather than from its completion: a long queue would
     * otherwise go down the stack one call deeper per message.
     */
    private void start(String text) {
        while (text != null) {
            synchronized (this) {
                starting = Thread.currentThread();
                completedWhileStarting = false;
            }
            try {
                remote.sendText(text, this::sent);
            } catch (RuntimeException e) { // closed meanwhile (IllegalStateException), or the container refused it
                fail(false, e.toString());
                return;
            }
            synchronized (this) {
                if (starting != Thread.currentThread()) {
                    return; // completed on another thread, which carries on
                }
                starting = null;
                if (!completedWhileStarting) {
                    return; // its completion carries on
                }
                text = next();
            }
        }
    }

    private void sent(SendResult result) {
        if (!result.isOK()) {
            Throwable error = result.getException();
            fail(timedOut(error), error == null ? "send failed" : error.toString());
            return;
        }
        String next;
        synchronized (this) {
            if (starting == Thread.currentThread()) {
                completedWhileStarting = true;
                return;
            }
            if (starting != null) {
                starting = null; // the starting thread has not looked yet: this one carries on, it returns
            }
            next = next();
        }
        start(next);
    }

    /** The next message to send, or null (and nothing on its way) when none waits or the outbox is dead. */
    private String next() {
        String text = dead ? null : waiting.poll();
        if (text == null) {
            sending = false;
        } else {
            waitingChars -= text.length();
        }
        return text;
    }

    private void fail(boolean stall, String why) {
        synchronized (this) {
            if (dead) {
                return;
            }
            die();
        }
        if (stall) {
            listener.stalled(why);
        } else {
            listener.failed(why);
        }
    }

    private static boolean timedOut(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    private void die() {
        dead = true;
        sending = false;
        waiting.clear();
        waitingChars = 0;
    }
}
