package dev.parley.loadgen;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A process's CPU time and resident memory as Linux accounts them (/proc/PID/stat, /proc/PID/status), so the relay's
 * cost is read from the relay process itself rather than estimated from the generator.
 */
final class ProcessStats {

    private static final long CLOCK_TICKS = clockTicks();

    private final long pid;
    private final Path proc;

    ProcessStats(long pid) {
        this(pid, Path.of("/proc"));
    }

    ProcessStats(long pid, Path procRoot) {
        this.pid = pid;
        this.proc = procRoot.resolve(Long.toString(pid));
    }

    long pid() {
        return pid;
    }

    boolean available() {
        return Files.isReadable(proc.resolve("stat"));
    }

    /** User plus system CPU time of the whole process, in nanoseconds; -1 if unreadable. */
    long cpuNanos() {
        return ticksToNanos(statTicks(proc.resolve("stat")));
    }

    /**
     * CPU time of the process's threads whose name starts with {@code threadName} (Linux keeps 15 characters of it),
     * in nanoseconds; -1 if none is found.
     */
    long threadCpuNanos(String threadName) {
        String prefix = threadName.length() > 15 ? threadName.substring(0, 15) : threadName;
        long ticks = 0;
        boolean found = false;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(proc.resolve("task"))) {
            for (Path task : tasks) {
                String comm;
                try {
                    comm = Files.readString(task.resolve("comm"), StandardCharsets.UTF_8).trim();
                } catch (IOException gone) {
                    continue;
                }
                if (comm.startsWith(prefix)) {
                    long t = statTicks(task.resolve("stat"));
                    if (t >= 0) {
                        ticks += t;
                        found = true;
                    }
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return found ? ticksToNanos(ticks) : -1;
    }

    /** VmRSS in bytes; -1 if unreadable. */
    long residentBytes() {
        return statusNumber("VmRSS:") * 1024;
    }

    /** Threads of the process; -1 if unreadable. */
    long threads() {
        return statusNumber("Threads:");
    }

    private long statusNumber(String field) {
        try {
            for (String line : Files.readAllLines(proc.resolve("status"), StandardCharsets.UTF_8)) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** utime + stime (fields 14 and 15 of proc(5)'s stat) in clock ticks, or -1. */
    static long statTicks(Path stat) {
        try {
            return parseStatTicks(Files.readString(stat, StandardCharsets.US_ASCII));
        } catch (IOException e) {
            return -1;
        }
    }

    /** The command name (field 2) may hold spaces and parentheses, so fields are counted after its last ')'. */
    static long parseStatTicks(String stat) {
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            return -1;
        }
        String[] fields = stat.substring(close + 1).trim().split("\\s+");
        // fields[0] is field 3 (state): utime is field 14, stime field 15
        if (fields.length < 13) {
            return -1;
        }
        try {
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static long ticksToNanos(long ticks) {
        return ticks < 0 ? -1 : ticks * 1_000_000_000L / CLOCK_TICKS;
    }

    static long clockTicksPerSecond() {
        return CLOCK_TICKS;
    }

    private static long clockTicks() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            if (getconf.waitFor(5, TimeUnit.SECONDS) && getconf.exitValue() == 0) {
                long ticks = Long.parseLong(out);
                if (ticks > 0) {
                    return ticks;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // fall through to the usual value
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 100;
    }
}
