package dev.parley.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The JSON lines a client process prints on stdout (a browser script's statistics, a GStreamer client's counters),
 * read on a thread of their own so that a test can wait for a line that satisfies a condition.
 */
public final class JsonLines {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final BlockingQueue<JsonNode> lines = new LinkedBlockingQueue<>();
    private final Supplier<String> logs;
    private final Path newest;
    private volatile boolean ended;
    private JsonNode last;

    private JsonLines(String name, Supplier<String> logs, Path newest) {
        this.name = name;
        this.logs = logs;
        this.newest = newest;
    }

    /** Starts reading the process's stdout; {@code logs} is quoted when a wait fails. */
    public static JsonLines of(Process process, String name, Supplier<String> logs) {
        return of(process, name, logs, null);
    }

    /**
     * As above, and each line read is written to {@code newest} in place of the one before: the state of a client
     * that no wait was reading (a third browser, while the test waited on two) is in the logs when a wait fails.
     */
    public static JsonLines of(Process process, String name, Supplier<String> logs, Path newest) {
        JsonLines reader = new JsonLines(name, logs, newest);
        Thread thread = new Thread(() -> reader.read(process), name + "-lines");
        thread.setDaemon(true);
        thread.start();
        return reader;
    }

    private void read(Process process) {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                keepNewest(line);
                try {
                    lines.add(JSON.readTree(line));
                } catch (JsonProcessingException notJson) {
                    lines.add(JSON.createObjectNode().put("unparsed", line));
                }
            }
        } catch (IOException e) {
            // the process ended
        } finally {
            ended = true;
        }
    }

    private void keepNewest(String line) {
        if (newest == null) {
            return;
        }
        try {
            // whole or not at all: the logs may be read at any moment
            Path written = newest.resolveSibling(newest.getFileName() + ".tmp");
            Files.writeString(written, line + "\n", StandardCharsets.UTF_8);
            Files.move(written, newest, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // only a diagnostic: the lines are still read
        }
    }

    /** The line the last wait read, or null. */
    public JsonNode last() {
        return last;
    }

    /** The newest line printed so far (older unread ones are skipped), waiting at most {@code timeout} for one. */
    public JsonNode newest(Duration timeout) throws InterruptedException {
        JsonNode newest = null;
        for (JsonNode next = lines.poll(); next != null; next = lines.poll()) {
            newest = next;
        }
        if (newest == null) {
            return await(line -> true, timeout);
        }
        last = newest;
        return newest;
    }

    /**
     * The first line from now on that satisfies {@code condition}, waiting at most {@code timeout}; fails with the
     * last line read and the logs when none does, or when the process ended without one.
     */
    public JsonNode await(Predicate<JsonNode> condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode next = lines.poll(Math.min(1_000_000_000L, Math.max(1, deadline - System.nanoTime())),
                    TimeUnit.NANOSECONDS);
            if (next != null) {
                last = next;
                if (condition.test(next)) {
                    return next;
                }
            } else if (ended && lines.isEmpty()) {
                throw new AssertionError(name + " ended; its last line: " + last + "\n" + logs.get());
            }
        }
        throw new AssertionError(name + " did not get there in " + timeout + "; its last line: " + last + "\n"
                + logs.get());
    }
}
