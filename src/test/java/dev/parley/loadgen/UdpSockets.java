package dev.parley.loadgen;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The kernel's view of UDP sockets on 127.0.0.1 (/proc/net/udp, and /proc/net/udp6 where Java's dual-stack sockets
 * appear as ::ffff:127.0.0.1): datagrams dropped because a socket's receive buffer was full (the last column), and
 * bytes waiting to be read (rx_queue). Drops tell loss at a socket apart from loss inside the relay; a standing
 * receive queue shows who is not keeping up (the relay's loop or a generator thread).
 */
final class UdpSockets {

    /** Sums over the sockets asked about; -1 when the table cannot be read. */
    record Stats(long drops, long receiveQueueBytes, long largestReceiveQueueBytes) {
        static final Stats UNKNOWN = new Stats(-1, -1, -1);
    }

    /** 127.0.0.1 as /proc/net/udp prints it, and ::ffff:127.0.0.1 as /proc/net/udp6 does (words in host order). */
    private static final Set<String> LOOPBACK = Set.of("0100007F", "0000000000000000FFFF00000100007F");

    private final List<Path> tables;

    UdpSockets() {
        this(List.of(Path.of("/proc/net/udp"), Path.of("/proc/net/udp6")));
    }

    UdpSockets(List<Path> tables) {
        this.tables = List.copyOf(tables);
    }

    Stats read(Set<Integer> ports) {
        List<String> lines = new ArrayList<>();
        boolean any = false;
        for (Path table : tables) {
            try {
                lines.addAll(Files.readAllLines(table, StandardCharsets.US_ASCII));
                any = true;
            } catch (IOException e) {
                // udp6 is missing without IPv6
            }
        }
        return any ? parse(lines, ports) : Stats.UNKNOWN;
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
            if (colon < 0 || queues < 0 || !LOOPBACK.contains(f[1].substring(0, colon))) {
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
