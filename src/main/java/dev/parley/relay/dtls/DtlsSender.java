package dev.parley.relay.dtls;

import java.io.IOException;

/**
 * Writes one DTLS datagram to the transport's current remote address (the integrator's UDP socket).
 *
 * <p>Called from the executor threads that run handshakes and post-handshake work, never from the receive thread.
 * The bytes are valid only during the call: send or copy them before returning.
 */
@FunctionalInterface
public interface DtlsSender {
    void send(byte[] buf, int off, int len) throws IOException;
}
