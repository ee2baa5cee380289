package dev.parley.recording;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one external command to its end, within a time limit. Its stdout and stderr are read line by line on threads of
 * their own, so a chatty tool never blocks on a full pipe; stdin is closed at once. On timeout or interruption the
 * process (and anything it started) is killed and waited for, so nothing outlives the call.
 */
final class ToolProcess {

    private static final Logger log = LoggerFactory.getLogger(ToolProcess.class);
    private static final int STDERR_TAIL_LINES = 20;
    private static final Duration KILL_WAIT = Duration.ofSeconds(10);

    /** How it ended: the exit status (-1 when it was killed for taking too long) and the last stderr lines. */
    record Result(int exitCode, boolean timedOut, List<String> stderrTail) {

        boolean succeeded() {
            return !timedOut && exitCode == 0;
        }
    }

    private ToolProcess() {
    }

    /** Runs the command, handing every stdout and stderr line to the consumers (on reader threads). */
    static Result run(List<String> command, Duration timeout, Consumer<String> onStdoutLine,
            Consumer<String> onStderrLine) throws InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder(command).start();
        } catch (IOException e) {
            throw new MediaToolException("could not start " + command.get(0) + " (" + e.getMessage() + ")");
        }
        closeQuietly(process);
        Deque<String> stderrTail = new ArrayDeque<>();
        Thread stdoutReader = reader(process.getInputStream(), onStdoutLine, command.get(0) + " stdout");
        Thread stderrReader = reader(process.getErrorStream(), line -> {
            synchronized (stderrTail) {
                if (stderrTail.size() == STDERR_TAIL_LINES) {
                    stderrTail.removeFirst();
                }
                stderrTail.addLast(line);
            }
            onStderrLine.accept(line);
        }, command.get(0) + " stderr");
        boolean finished;
        try {
            finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            kill(process);
            throw e;
        }
        if (!finished) {
            log.warn("{} took longer than {} ms; killing it", command.get(0), timeout.toMillis());
            kill(process);
        }
        stdoutReader.join(KILL_WAIT.toMillis());
        stderrReader.join(KILL_WAIT.toMillis());
        synchronized (stderrTail) {
            return new Result(finished ? process.exitValue() : -1, !finished, List.copyOf(stderrTail));
        }
    }

    /** Runs the command and returns all of its stdout lines (for short listings such as ffprobe's JSON). */
    static Output capture(List<String> command, Duration timeout) throws InterruptedException {
        List<String> lines = new ArrayList<>();
        Result result = run(command, timeout, line -> {
            synchronized (lines) {
                lines.add(line);
            }
        }, line -> { });
        synchronized (lines) {
            return new Output(result, List.copyOf(lines));
        }
    }

    record Output(Result result, List<String> stdout) {
    }

    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            if (!process.waitFor(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                log.error("process {} did not die after SIGKILL", process.pid());
            }
        } catch (InterruptedException e) {
            // Already cancelling: keep the flag for the caller and do not wait any longer.
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(Process process) {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            log.debug("closing stdin of {}", process.pid(), e);
        }
    }

    private static Thread reader(InputStream stream, Consumer<String> onLine, String name) {
        Thread thread = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    try {
                        onLine.accept(line);
                    } catch (RuntimeException e) {
                        // Keep draining the pipe whatever the consumer does, or the tool would block on it.
                        log.warn("handling a line of {} failed", name, e);
                    }
                }
            } catch (IOException e) {
                log.debug("reading {} ended", name, e);
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
