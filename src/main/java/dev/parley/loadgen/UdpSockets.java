package dev.parley.loadgen;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * The kernel's view of UDP sockets on 127.0.0.1 (/proc/net/udp): datagrams dropped because a socket's receive buffer
 * was full (the last column), and bytes waiting to be read (rx_queue). Drops tell loss at a socket apart from loss
 * inside the relay; a standing receive queue shows who is not keeping up (the relay's loop or a generator thread).
 */
final class UdpSockets {

    /** Sums over the sockets asked about; -1 when the table cannot be read. */
    record Stats(long drops, long receiveQueueBytes, long largestReceiveQueueBytes) {
        static final Stats UNKNOWN = new Stats(-1, -1, -1);
    }

    private final Path table;

    UdpSockets() {
        this(Path.of("/proc/net/udp"));
    }

    UdpSockets(Path table) {
        this.table = table;
    }

    Stats read(Set<Integer> ports) {
        try {
            return parse(Files.readAllLines(table, StandardCharsets.US_ASCII), ports);
        } catch (IOException e) {
            return Stats.UNKNOWN;
        }
    }

    static Stats parse(Iterable<String> lines, Set<Integer> ports) {
        long drops = 0;
        long queued = 0;
        long largest = 0;
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ref pointer drops
            if (f.length < 13 || !f[0].endsWith(":")) {
                continue;
            }
            int colon = f[1].indexOf(':');
            int queues = f[4].indexOf(':');
            if (colon < 0 || queues < 0 || !f[1].substring(0, colon).equals("0100007F")) {
                continue;
            }
            try {
                int port = Integer.parseInt(f[1].substring(colon + 1), 16);
                if (ports.contains(port)) {
                    long rx = Long.parseLong(f[4].substring(queues + 1), 16);
                    drops += Long.parseLong(f[12]);
                    queued += rx;
                    largest = Math.max(largest, rx);
                }
            } catch (NumberFormatException e) {
                // not a socket line
            }
        }
        return new Stats(drops, queued, largest);
    }
}
