package dev.parley.loadgen;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The whole machine's CPU time (the first line of /proc/stat), so a report can say how busy the machine was and how
 * much of that was neither the relay nor the generator: on a shared machine, others' work shows up as latency. Softirq
 * time matters on loopback: delivering each datagram to the receiving socket runs as softirq work inside the sender's
 * send call, and Linux accounts it to neither process.
 */
final class HostCpu {

    /** Clock ticks since boot; -1 fields when unreadable. */
    record Reading(long busyTicks, long totalTicks, long softirqTicks, long stealTicks) {
        static final Reading UNKNOWN = new Reading(-1, -1, -1, -1);
    }

    private HostCpu() {
    }

    static Reading read() {
        try {
            return parse(Files.readAllLines(Path.of("/proc/stat"), StandardCharsets.US_ASCII).get(0));
        } catch (IOException | RuntimeException e) {
            return Reading.UNKNOWN;
        }
    }

    /** cpu user nice system idle iowait irq softirq steal guest guest_nice (proc(5)); guest time is in user. */
    static Reading parse(String cpuLine) {
        String[] f = cpuLine.trim().split("\\s+");
        if (f.length < 9 || !f[0].equals("cpu")) {
            return Reading.UNKNOWN;
        }
        long total = 0;
        for (int i = 1; i <= 8; i++) {
            total += Long.parseLong(f[i]);
        }
        long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
        return new Reading(total - idle, total, Long.parseLong(f[7]), Long.parseLong(f[8]));
    }
}
