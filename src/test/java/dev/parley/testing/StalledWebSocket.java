package dev.parley.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A signalling client whose network stalls: a WebSocket over a socket with a receive buffer of a few kilobytes. Once
 * the test stops calling {@link #next}, nothing more is read, so the server's sends to it back up as they do to a
 * laptop whose lid closed mid-meeting. Written by hand (RFC 6455 framing, whole frames only) because no WebSocket
 * client lets a test set its socket's receive buffer or stop reading at the TCP level: the JDK's reads ahead into
 * buffers of its own.
 */
public final class StalledWebSocket implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int RECEIVE_BUFFER = 2048;

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    private StalledWebSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Opens /ws/signal on 127.0.0.1 with the server's own origin. */
    public static StalledWebSocket connect(int port) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(RECEIVE_BUFFER); // before connecting: the window it advertises follows it
        socket.setSoTimeout(10_000);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        StalledWebSocket client = new StalledWebSocket(socket);
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        client.out.write(("GET /ws/signal HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\n"
                + "Sec-WebSocket-Version: 13\r\nOrigin: http://127.0.0.1:" + port + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        String head = client.readHead();
        if (!head.startsWith("HTTP/1.1 101")) {
            socket.close();
            throw new IOException("no upgrade: " + head);
        }
        return client;
    }

    public void send(Object message) throws IOException {
        write(0x1, JSON.writeValueAsBytes(message));
    }

    /** Reads messages until one of {@code type} (pings answered, others skipped). */
    public JsonNode next(String type) throws IOException {
        while (true) {
            int first = in.readUnsignedByte();
            int second = in.readUnsignedByte();
            long length = second & 0x7f;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            byte[] payload = new byte[Math.toIntExact(length)];
            in.readFully(payload);
            int opcode = first & 0x0f;
            if (opcode == 0x8) {
                throw new IOException("closed by the server");
            }
            if (opcode == 0x9) {
                write(0xA, payload); // pong
            } else if (opcode == 0x1) {
                JsonNode message = JSON.readTree(payload);
                if (message.path("type").asText().equals(type)) {
                    return message;
                }
            }
        }
    }

    /** One whole frame, masked as a client's must be (RFC 6455 5.3). */
    private void write(int opcode, byte[] payload) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(0x80 | opcode); // FIN
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else if (payload.length <= 0xFFFF) {
            frame.write(0x80 | 126);
            frame.write(payload.length >> 8);
            frame.write(payload.length);
        } else {
            frame.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) ((long) payload.length >> shift));
            }
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        frame.write(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i & 3]);
        }
        out.write(frame.toByteArray());
        out.flush();
    }

    private String readHead() throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            head.append((char) in.readUnsignedByte());
        }
        return head.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
