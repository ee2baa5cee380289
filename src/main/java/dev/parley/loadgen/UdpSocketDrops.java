package dev.parley.loadgen;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * Datagrams the kernel dropped on given local UDP ports because a socket's receive buffer was full (the last column
 * of /proc/net/udp). This tells loss inside the relay apart from loss at the relay's socket or the generator's.
 */
final class UdpSocketDrops {

    private final Path table;

    UdpSocketDrops() {
        this(Path.of("/proc/net/udp"));
    }

    UdpSocketDrops(Path table) {
        this.table = table;
    }

    /** Drops summed over the sockets bound to 127.0.0.1 on these ports; -1 if the table cannot be read. */
    long drops(Set<Integer> ports) {
        try {
            return parse(Files.readAllLines(table, StandardCharsets.US_ASCII), ports);
        } catch (IOException e) {
            return -1;
        }
    }

    static long parse(Iterable<String> lines, Set<Integer> ports) {
        long total = 0;
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ref pointer drops
            if (f.length < 13 || !f[0].endsWith(":")) {
                continue;
            }
            int colon = f[1].indexOf(':');
            if (colon < 0 || !f[1].substring(0, colon).equals("0100007F")) {
                continue;
            }
            try {
                int port = Integer.parseInt(f[1].substring(colon + 1), 16);
                if (ports.contains(port)) {
                    total += Long.parseLong(f[12]);
                }
            } catch (NumberFormatException e) {
                // not a socket line
            }
        }
        return total;
    }
}
