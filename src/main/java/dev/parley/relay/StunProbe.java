package dev.parley.relay;

import dev.parley.relay.stun.StunMessage;
import dev.parley.relay.stun.StunMessageType;
import dev.parley.relay.stun.StunWriter;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.time.Duration;

/**
 * Asks a STUN server where this machine's UDP traffic comes from (a Binding request, RFC 8489 section 3), from a
 * socket of its own on the media socket's address: behind NAT, the answer is the public address to announce. Sent
 * again every half second (RFC 8489 retransmits too) until an answer with the same transaction id arrives.
 */
public final class StunProbe {

    private static final Duration RETRANSMIT = Duration.ofMillis(500);
    private static final SecureRandom RANDOM = new SecureRandom();

    private StunProbe() {
    }

    /**
     * The address and port the STUN server saw the request come from (its XOR-MAPPED-ADDRESS).
     *
     * @param bindAddress the local address to send from (the wildcard address: the route's)
     * @throws IOException when no usable answer came within {@code timeout}, or the socket failed
     */
    public static InetSocketAddress mappedAddress(InetSocketAddress server, InetAddress bindAddress, Duration timeout)
            throws IOException {
        if (server.isUnresolved()) {
            throw new IOException("the STUN server " + server.getHostString() + " does not resolve");
        }
        byte[] transactionId = new byte[12];
        RANDOM.nextBytes(transactionId);
        byte[] request = new byte[64];
        int length = new StunWriter().begin(request, 0, request.length, StunMessageType.BINDING_REQUEST, transactionId)
                .addFingerprint().finish();
        byte[] answer = new byte[1500];
        long deadline = System.nanoTime() + timeout.toNanos();
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(bindAddress, 0))) {
            while (System.nanoTime() < deadline) {
                socket.send(new DatagramPacket(request, length, server));
                long resendAt = Math.min(deadline, System.nanoTime() + RETRANSMIT.toNanos());
                while (System.nanoTime() < resendAt) {
                    socket.setSoTimeout((int) Math.max(1, (resendAt - System.nanoTime()) / 1_000_000));
                    DatagramPacket packet = new DatagramPacket(answer, answer.length);
                    try {
                        socket.receive(packet);
                    } catch (SocketTimeoutException e) {
                        break;
                    }
                    StunMessage message = StunMessage.parse(answer, 0, packet.getLength());
                    if (message == null || !message.transactionIdEquals(transactionId)) {
                        continue; // not the answer (a stray or late packet)
                    }
                    if (message.isBindingSuccessResponse() && message.xorMappedAddress() != null) {
                        return message.xorMappedAddress();
                    }
                    if (message.isBindingErrorResponse()) {
                        throw new IOException("the STUN server " + server + " refused the Binding request");
                    }
                }
            }
        }
        throw new IOException("no answer from the STUN server " + server + " within " + timeout.toMillis() + " ms");
    }
}
