package dev.parley.cluster;

import dev.parley.testing.JsonLines;
import dev.parley.testing.LogTails;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Chromium joining a meeting of nodes on loopback (src/test/browsers/join.mjs), its stats every 200 ms. */
final class ClusterBrowsers {

    static final File SCRIPTS = new File("src/test/browsers");

    private ClusterBrowsers() {
    }

    /**
     * Starts the browser, adds its process to {@code started} (for the test to end), and reads its lines; a failed wait
     * quotes the logs in {@code logs} (the browsers' {@code .err}, the nodes' {@code .log}).
     */
    static JsonLines join(String link, String name, Path logs, List<Process> started) throws IOException {
        logs.toFile().mkdirs();
        Path log = logs.resolve(name + ".err");
        ProcessBuilder builder = new ProcessBuilder(System.getenv().getOrDefault("PARLEY_NODE", "node"), "join.mjs",
                "chromium", link, name, "180").directory(SCRIPTS).redirectError(log.toFile());
        builder.environment().put("PARLEY_STATS_INTERVAL_MS", "200");
        // The nodes' relays listen on loopback, which Chromium leaves out of ICE unless told.
        builder.environment().put("PARLEY_CHROMIUM_ARGS", "--allow-loopback-in-peer-connection");
        Process process = builder.start();
        started.add(process);
        // A failed wait quotes the browsers' and the nodes' logs: CI shows what a test prints, not its files.
        return JsonLines.of(process, name,
                () -> LogTails.of(logs.toFile(), file -> file.endsWith(".err") || file.endsWith(".log")));
    }
}
