package dev.parley.relay.packet;

import java.net.InetSocketAddress;

/** Sends one datagram from the relay's media port. */
@FunctionalInterface
public interface DatagramSender {

    /** Returns false when the socket refused the datagram. */
    boolean send(byte[] buf, int off, int len, InetSocketAddress to);
}
