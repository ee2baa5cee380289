package dev.parley.relay.transport;

import java.net.InetSocketAddress;

/** Sends one datagram from the relay's media port. */
@FunctionalInterface
public interface DatagramSender {

    /** Returns false when the socket refused the datagram. */
    boolean send(byte[] buf, int off, int len, InetSocketAddress to);
}
