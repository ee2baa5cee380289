package dev.parley.recording;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The UDP ports a process has bound, read from Linux's /proc: its descriptors name their sockets' inodes, and its
 * network namespace's UDP tables give each inode's local port. Written by hand because no library reads another
 * process's sockets; it lets a recorder bind a port the kernel picks (port 0) and still be found, where a port chosen
 * and released beforehand could be taken by someone else before the recorder binds it.
 */
final class ProcessSockets {

    private static final Path PROC = Path.of("/proc");
    private static final String SOCKET_LINK = "socket:[";

    private ProcessSockets() {
    }

    /** Whether this system has the tables: Linux's /proc. */
    static boolean available() {
        return Files.isReadable(PROC.resolve("self").resolve("net").resolve("udp"));
    }

    /** The local ports of the UDP sockets {@code pid} holds; empty when it holds none, or has exited. */
    static Set<Integer> udpPorts(long pid) {
        Path process = PROC.resolve(Long.toString(pid));
        Set<Long> inodes = socketInodes(process.resolve("fd"));
        Set<Integer> ports = new TreeSet<>();
        if (inodes.isEmpty()) {
            return ports;
        }
        for (String table : List.of("udp", "udp6")) {
            try {
                ports.addAll(udpPorts(Files.readAllLines(process.resolve("net").resolve(table)), inodes));
            } catch (IOException e) {
                // No IPv6 table on a kernel without IPv6, or the process is gone: nothing bound there.
            }
        }
        return ports;
    }

    /**
     * The local ports of the rows of a /proc/net/udp table whose inode is one of {@code inodes}. A row is
     * {@code sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ...}, the local
     * address {@code HEXADDRESS:HEXPORT}; the first line is the header.
     */
    static Set<Integer> udpPorts(List<String> table, Set<Long> inodes) {
        Set<Integer> ports = new TreeSet<>();
        for (int i = 1; i < table.size(); i++) {
            String[] fields = table.get(i).trim().split("\\s+");
            if (fields.length < 10) {
                continue;
            }
            try {
                if (inodes.contains(Long.parseLong(fields[9]))) {
                    String local = fields[1];
                    ports.add(Integer.parseInt(local.substring(local.lastIndexOf(':') + 1), 16));
                }
            } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
                // A row in a shape this reader does not know: not one of ours.
            }
        }
        return ports;
    }

    private static Set<Long> socketInodes(Path descriptors) {
        Set<Long> inodes = new HashSet<>();
        try (DirectoryStream<Path> all = Files.newDirectoryStream(descriptors)) {
            for (Path descriptor : all) {
                String target;
                try {
                    target = Files.readSymbolicLink(descriptor).toString();
                } catch (IOException e) {
                    continue; // closed while we read
                }
                if (target.startsWith(SOCKET_LINK) && target.endsWith("]")) {
                    inodes.add(Long.parseLong(target.substring(SOCKET_LINK.length(), target.length() - 1)));
                }
            }
        } catch (IOException e) {
            // The process has exited (or is not ours to read): it holds nothing we can see.
        }
        return inodes;
    }
}
