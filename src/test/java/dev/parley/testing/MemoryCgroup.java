package dev.parley.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A memory cgroup of its own that caps what the processes in it may hold, as a small machine would: past the limit
 * the kernel reclaims their page cache and then kills one (an out-of-memory kill, counted here). Swap is capped too
 * (to none) where the kernel accounts it; on a machine with swap that it does not account, no cgroup is made, since
 * its processes could swap past the limit. Made through the cgroup file system, so Linux and root only: cgroup v2
 * where its memory controller is mounted at /sys/fs/cgroup, else v1's memory hierarchy at /sys/fs/cgroup/memory.
 * {@link #command} starts a process inside it from its first instruction.
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

    /** Whether a memory cgroup can be made here: the hierarchy is mounted and writable, and hands memory down. */
    public static boolean isAvailable() {
        if (!v2Memory()) {
            return Files.isWritable(V1_MEMORY);
        }
        if (!Files.isWritable(ROOT)) {
            return false;
        }
        // the root's children get the memory controller only when the root hands it down; in a cgroup namespace
        // whose root holds processes it cannot (EBUSY)
        tryWrite(ROOT.resolve("cgroup.subtree_control"), "+memory");
        return words(ROOT.resolve("cgroup.subtree_control")).contains("memory");
    }

    /**
     * Makes the cgroup {@code name} (a fresh one: an old one of that name, empty, is removed first) with the limit.
     *
     * @throws IOException when no memory cgroup can be made here (not Linux, not root, a v2 root that cannot hand
     *     memory down), the kernel refuses the limit, or swap is on and cannot be capped
     */
    public static MemoryCgroup create(String name, long limitBytes) throws IOException {
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("a cgroup name is letters, digits, '.', '_' and '-': " + name);
        }
        if (!isAvailable()) {
            throw new IOException("no memory cgroup can be made under " + ROOT + " (this needs Linux and root, and "
                    + "on cgroup v2 a root that hands the memory controller down)");
        }
        boolean v2 = v2Memory();
        Path dir = (v2 ? ROOT : V1_MEMORY).resolve(name);
        if (Files.isDirectory(dir)) {
            Files.delete(dir); // only an empty cgroup can be removed: one still in use is refused here
        }
        Files.createDirectory(dir);
        MemoryCgroup cgroup = new MemoryCgroup(dir, v2, limitBytes);
        try {
            boolean swapCapped;
            if (v2) {
                write(dir.resolve("memory.max"), Long.toString(limitBytes));
                swapCapped = tryWrite(dir.resolve("memory.swap.max"), "0");
            } else {
                write(dir.resolve("memory.limit_in_bytes"), Long.toString(limitBytes));
                // RAM and swap together, so none of it is swap; refused where the kernel does not account swap
                swapCapped = tryWrite(dir.resolve("memory.memsw.limit_in_bytes"), Long.toString(limitBytes));
            }
            if (!swapCapped && swapOn()) {
                throw new IOException("this machine has swap, which the kernel does not account per cgroup: a "
                        + "process could swap past the limit (turn swap off, or boot with swap accounting)");
            }
        } catch (IOException | RuntimeException e) {
            try {
                cgroup.close();
            } catch (IOException removing) {
                e.addSuppressed(removing);
            }
            throw e;
        }
        return cgroup;
    }

    /**
     * Removes the empty cgroups whose names start with {@code prefix} and end in a process id that is gone: what a
     * run that died before removing its own left behind.
     */
    public static void removeAbandoned(String prefix) {
        Path parent = v2Memory() ? ROOT : V1_MEMORY;
        if (!Files.isDirectory(parent)) {
            return;
        }
        List<Path> abandoned = new ArrayList<>();
        try (DirectoryStream<Path> children = Files.newDirectoryStream(parent, prefix + "*")) {
            for (Path child : children) {
                String owner = child.getFileName().toString().substring(prefix.length()).split("-", 2)[0];
                if (owner.matches("[0-9]{1,18}") && ProcessHandle.of(Long.parseLong(owner)).isEmpty()) {
                    abandoned.add(child);
                }
            }
        } catch (IOException e) {
            return;
        }
        for (Path child : abandoned) {
            try {
                Files.delete(child);
            } catch (IOException e) {
                // still holds a process: not abandoned after all
            }
        }
    }

    private static boolean v2Memory() {
        return words(ROOT.resolve("cgroup.controllers")).contains("memory");
    }

    private static boolean swapOn() throws IOException {
        Path swaps = Path.of("/proc/swaps");
        // a header line, then one line per swap area
        return Files.isReadable(swaps) && Files.readAllLines(swaps, StandardCharsets.US_ASCII).size() > 1;
    }

    private static List<String> words(Path file) {
        try {
            return Files.isReadable(file) ? List.of(Files.readString(file).trim().split("\\s+")) : List.of();
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * The command that runs {@code command} inside this cgroup from its first instruction: a shell writes its own pid
     * to the cgroup, then becomes the command (the process keeps that pid).
     */
    public List<String> command(List<String> command) {
        List<String> wrapped = new ArrayList<>(List.of("/bin/sh", "-c", "echo $$ > \"$0\" && exec \"$@\"",
                dir.resolve("cgroup.procs").toString()));
        wrapped.addAll(command);
        return wrapped;
    }

    public long limitBytes() {
        return limitBytes;
    }

    /** Whether the cgroup is still there (not yet removed by {@link #close}). */
    public boolean exists() {
        return Files.isDirectory(dir);
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

    /**
     * How many of its processes the kernel killed for want of memory, or -1 when that cannot be read (v1 kernels
     * before 4.13 do not count them).
     */
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
            return -1;
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

    /** Whether the kernel took the value. */
    private static boolean tryWrite(Path file, String value) {
        try {
            write(file, value);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return dir.toString();
    }
}
