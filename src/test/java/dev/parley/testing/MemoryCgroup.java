package dev.parley.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A memory cgroup of its own that caps what the processes in it may hold, RAM and swap, as a small machine would:
 * past the limit the kernel reclaims their page cache and then kills one (an out-of-memory kill, counted here). Made
 * through the cgroup file system, so Linux and root only: cgroup v2 where its memory controller is mounted at
 * /sys/fs/cgroup, else v1's memory hierarchy at /sys/fs/cgroup/memory. A process joins by writing its pid to
 * {@link #procs()}; {@link ParleyProcess.Builder#memoryLimit} starts one inside it from its first instruction.
 */
public final class MemoryCgroup implements AutoCloseable {

    private static final Path ROOT = Path.of("/sys/fs/cgroup");
    private static final Path V1_MEMORY = ROOT.resolve("memory");

    private final Path dir;
    private final boolean v2;
    private final long limitBytes;
    /** The figures read as it was removed, which the getters give from then on. */
    private boolean removed;
    private long lastPeakBytes = -1;
    private long lastOomKills = -1;

    private MemoryCgroup(Path dir, boolean v2, long limitBytes) {
        this.dir = dir;
        this.v2 = v2;
        this.limitBytes = limitBytes;
    }

    /** Whether a memory cgroup can be made here (the hierarchy is mounted and writable). */
    public static boolean isAvailable() {
        return v2Memory() ? Files.isWritable(ROOT) : Files.isWritable(V1_MEMORY);
    }

    /**
     * Makes the cgroup {@code name} (a fresh one: an old one of that name, empty, is removed first) with the limit.
     *
     * @throws IOException when cgroups are not there or not writable (not root), or the kernel refuses the limit
     */
    public static MemoryCgroup create(String name, long limitBytes) throws IOException {
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("a cgroup name is letters, digits, '.', '_' and '-': " + name);
        }
        if (!isAvailable()) {
            throw new IOException("no writable memory cgroup hierarchy at " + ROOT + " (this needs Linux and root)");
        }
        boolean v2 = v2Memory();
        Path dir = (v2 ? ROOT : V1_MEMORY).resolve(name);
        if (Files.isDirectory(dir)) {
            Files.delete(dir); // only an empty cgroup can be removed: one still in use is refused here
        }
        if (v2) {
            // the root's children get the memory controller only when the root hands it down
            tryWrite(ROOT.resolve("cgroup.subtree_control"), "+memory");
        }
        Files.createDirectory(dir);
        MemoryCgroup cgroup = new MemoryCgroup(dir, v2, limitBytes);
        try {
            if (v2) {
                write(dir.resolve("memory.max"), Long.toString(limitBytes));
                tryWrite(dir.resolve("memory.swap.max"), "0");
            } else {
                write(dir.resolve("memory.limit_in_bytes"), Long.toString(limitBytes));
                // RAM and swap together; refused where the kernel does not account swap, which then has none to use
                tryWrite(dir.resolve("memory.memsw.limit_in_bytes"), Long.toString(limitBytes));
            }
        } catch (IOException | RuntimeException e) {
            cgroup.close();
            throw e;
        }
        return cgroup;
    }

    private static boolean v2Memory() {
        try {
            Path controllers = ROOT.resolve("cgroup.controllers");
            return Files.isReadable(controllers)
                    && List.of(Files.readString(controllers).trim().split("\\s+")).contains("memory");
        } catch (IOException e) {
            return false;
        }
    }

    /** The file a process's pid is written to, to move it (all its threads) into this cgroup. */
    public Path procs() {
        return dir.resolve("cgroup.procs");
    }

    public String name() {
        return dir.getFileName().toString();
    }

    public long limitBytes() {
        return limitBytes;
    }

    /**
     * The most memory charged to the cgroup at once since it was made (RAM, with the page cache its processes
     * caused), or -1 where the kernel does not keep it (cgroup v2 before Linux 5.19) or it cannot be read.
     */
    public long peakBytes() {
        if (removed) {
            return lastPeakBytes;
        }
        try {
            Path peak = dir.resolve(v2 ? "memory.peak" : "memory.max_usage_in_bytes");
            return Files.isReadable(peak) ? Long.parseLong(Files.readString(peak).trim()) : -1;
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    /** How many of its processes the kernel killed for want of memory, or -1 when that cannot be read. */
    public long oomKills() {
        if (removed) {
            return lastOomKills;
        }
        try {
            Path events = dir.resolve(v2 ? "memory.events" : "memory.oom_control");
            for (String line : Files.readAllLines(events, StandardCharsets.US_ASCII)) {
                if (line.startsWith("oom_kill ")) {
                    return Long.parseLong(line.substring("oom_kill ".length()).trim());
                }
            }
            return 0;
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    /**
     * Removes the cgroup, waiting up to a second for its processes' exit to reach it (they must have ended); its
     * peak and out-of-memory kills are read first and kept.
     */
    @Override
    public void close() throws IOException {
        if (removed) {
            return;
        }
        lastPeakBytes = peakBytes();
        lastOomKills = oomKills();
        IOException last = null;
        for (int i = 0; i < 20; i++) {
            try {
                Files.deleteIfExists(dir);
                removed = true;
                return;
            } catch (IOException e) { // EBUSY until the kernel has seen the last process go
                last = e;
                try {
                    Thread.sleep(50);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        throw new IOException("cannot remove the cgroup " + dir, last);
    }

    private static void write(Path file, String value) throws IOException {
        Files.writeString(file, value, StandardCharsets.US_ASCII);
    }

    private static void tryWrite(Path file, String value) {
        try {
            write(file, value);
        } catch (IOException e) {
            // optional: see the callers
        }
    }

    @Override
    public String toString() {
        return dir.toString();
    }
}
