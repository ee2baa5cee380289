package dev.parley.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The copy-paste shell examples of the docs, run as written: each {@code ```sh} block that follows an
 * {@code <!-- expect: WHAT -->} line (WHAT says what the test checks: a status for docs/api.md), run by /bin/sh with
 * nothing in its environment but what the test gives.
 */
public final class ShellExamples {

    private static final Pattern EXAMPLE = Pattern.compile("<!-- expect: (.+?) -->\\n```sh\\n(.*?)\\n```",
            Pattern.DOTALL);

    /** One example: what is expected of it, and the commands exactly as the document has them. */
    public record Example(String expect, String command) {
    }

    /** What a run printed (standard output and error together) and its exit code; null when it did not finish. */
    public record Run(Integer exitCode, String output) {

        public boolean finished() {
            return exitCode != null;
        }
    }

    private ShellExamples() {
    }

    /** The document's examples, in order. */
    public static List<Example> in(Path document) throws IOException {
        return in(Files.readString(document));
    }

    public static List<Example> in(String markdown) {
        List<Example> examples = new ArrayList<>();
        Matcher m = EXAMPLE.matcher(markdown);
        while (m.find()) {
            examples.add(new Example(m.group(1), m.group(2)));
        }
        return examples;
    }

    /** How many {@code ```sh} blocks there are in all, to check that none lacks its expectation. */
    public static int shBlocks(String markdown) {
        return markdown.split("```sh\\n", -1).length - 1;
    }

    /** Runs the commands with /bin/sh and exactly this environment; a run not finished in time is killed. */
    public static Run run(String command, Map<String, String> environment, Duration timeout)
            throws IOException, InterruptedException {
        return run(command, environment, timeout, null);
    }

    /**
     * As {@link #run(String, Map, Duration)}, in {@code folder} (null: the current one), so what an example writes
     * (curl -o) lands there.
     */
    public static Run run(String command, Map<String, String> environment, Duration timeout, Path folder)
            throws IOException, InterruptedException {
        ProcessBuilder shell = new ProcessBuilder("/bin/sh", "-c", command).redirectErrorStream(true);
        if (folder != null) {
            shell.directory(folder.toFile());
        }
        shell.environment().clear();
        shell.environment().putAll(environment);
        Process process = shell.start();
        // Read while it runs: an answer beyond the pipe's buffer (the OpenAPI description) would block curl.
        CompletableFuture<byte[]> output = CompletableFuture.supplyAsync(() -> {
            try {
                return process.getInputStream().readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        boolean done = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!done) {
            process.destroyForcibly();
            return new Run(null, "");
        }
        try {
            return new Run(process.exitValue(), new String(output.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8));
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("the example's output could not be read", e);
        }
    }
}
