package dev.parley.relay;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loopback socket recordings are sent from, apart from the media port: recorders receive plain RTP, which must
 * never leave the machine, and a recorder that falls behind must not cost the media socket's send buffer. Opened when
 * the first recording starts. Loop thread only.
 */
final class RecordingSocket implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RecordingSocket.class);
    private static final int SEND_BUFFER = 4 * 1024 * 1024;

    private final DatagramChannel channel;

    RecordingSocket() throws IOException {
        channel = DatagramChannel.open();
        channel.configureBlocking(false);
        channel.setOption(StandardSocketOptions.SO_SNDBUF, SEND_BUFFER);
        channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    /** Sends one datagram to a loopback recorder; false when the socket did not take it. */
    boolean send(ByteBuffer datagram, InetSocketAddress to) {
        if (!to.getAddress().isLoopbackAddress()) {
            return false;
        }
        try {
            return channel.send(datagram, to) > 0;
        } catch (IOException e) {
            // A recorder that went away makes the kernel report the next send to its port as refused.
            log.debug("recording send to {} failed: {}", to, e.toString());
            return false;
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            log.debug("closing the recording socket", e);
        }
    }
}
