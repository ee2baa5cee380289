package dev.parley.loadgen;

import dev.parley.relay.client.PacedSender;
import dev.parley.testing.MemoryCgroup;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Parley's load generator and relay benchmark (run with {@code --help} for the flags).
 *
 * <p>It starts Parley in a process of its own (or uses a running one), signs in as the admin, schedules rooms, and
 * fills them with synthetic participants that do on the wire what a browser does. After a warm-up it measures a
 * window: the relay's forwarding rate, CPU time per forwarded packet and memory from the relay process and its
 * metrics, and the latency the relay adds, loss and reordering from the probes the receivers get. The figures are
 * printed as a table on stdout (progress goes to stderr) and optionally written as JSON.
 */
public final class LoadGenerator {

    private LoadGenerator() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err, run -> { }));
    }

    /**
     * Runs the tool for another test that needs media flowing through a Parley (its meters, its live view); returns
     * the exit status.
     *
     * @param whileMediaFlows called after a fixed scenario was measured, its participants still sending
     */
    public static int run(String[] args, PrintStream out, PrintStream progress, Runnable whileMediaFlows) {
        return run(args, out, progress, run -> whileMediaFlows.run());
    }

    /**
     * Runs the tool; returns the exit status.
     *
     * @param beforeLeaving called with the participants still in their rooms after a fixed scenario was measured
     */
    static int run(String[] args, PrintStream out, PrintStream progress, Consumer<LoadRun> beforeLeaving) {
        LoadOptions options;
        try {
            options = LoadOptions.parse(args);
        } catch (IllegalArgumentException e) {
            progress.println("loadgen: " + e.getMessage());
            return 2;
        }
        if (options.help()) {
            out.print(LoadOptions.HELP);
            return 0;
        }
        Scenario scenario;
        try {
            scenario = "capacity".equals(options.scenario()) ? null : Scenario.of(options);
        } catch (IllegalArgumentException e) {
            progress.println("loadgen: " + e.getMessage());
            return 2;
        }
        LoadReport report = new LoadReport(options);
        if (scenario != null) {
            scenario.notes().forEach(report::note);
        }
        boolean completed = false;
        try (SharedRuntime runtime = new SharedRuntime(options.senderThreads(), options.receiveThreads(),
                options.joinParallelism())) {
            LoadTarget server;
            if (options.server() != null) {
                server = LoadTarget.attach(options.server(), options.adminEmail(), options.adminPassword(),
                        options.serverPid());
            } else {
                server = LoadTarget.start(options.fromClasspath() ? null : options.jar(), options.serverJavaOptions(),
                        options.serverLog(), options.nodes(), peoplePerNode(options, scenario),
                        options.serverMemoryLimit(), progress);
            }
            try {
                report.target(server, false);
                if (server.nodes().size() > 1) {
                    report.note("Parley runs on " + server.nodes().size() + " nodes, a meeting's media cascading "
                            + "after " + server.peoplePerNode() + " people a node: the relay figures are their sum, "
                            + "and forwarded packets include those the relays send each other over their links");
                }
                List<RelayObserver.Node> observed = new ArrayList<>();
                for (LoadTarget.Node node : server.nodes()) {
                    ParleyWeb nodeWeb = new ParleyWeb(runtime.http(), node.base(), server.adminEmail(),
                            server.adminPassword());
                    nodeWeb.signIn();
                    observed.add(new RelayObserver.Node(nodeWeb, node.pid(), node.mediaPort()));
                }
                RelayObserver relay = new RelayObserver(observed);
                report.target(server, relay.knowsProcess());
                if (server.pid() != null && !relay.knowsProcess()) {
                    report.note("process " + server.pid() + " cannot be read under /proc: no CPU or memory figures");
                }
                ParleyWeb web = observed.get(0).web();
                try (LoadRun run = new LoadRun(runtime, web, relay, media(options), progress)) {
                    if (scenario == null) {
                        CapacitySearch.run(options, run, report, progress);
                    } else {
                        runFixed(options, scenario, run, report, progress);
                        beforeLeaving.accept(run);
                    }
                    completed = true;
                } finally {
                    if (relay.nodeCount() > 1) {
                        relay.awaitMeetingsEmpty(Duration.ofSeconds(10));
                    }
                }
            } finally {
                if (server.startedHere()) {
                    progress.println("loadgen: stopping Parley" + (server.nodes().size() > 1 ? " (every node)" : ""));
                }
                server.close();
                report.serverLogProblems(server.logProblems());
                reportMemoryLimits(server, report);
            }
        } catch (IOException e) {
            report.problem("the run could not complete: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            report.problem("interrupted");
        }
        report.print(out);
        if (options.json() != null) {
            try {
                report.writeJson(options.json());
                progress.println("loadgen: wrote " + options.json());
            } catch (IOException e) {
                progress.println("loadgen: could not write " + options.json() + ": " + e.getMessage());
                return 1;
            }
        }
        return completed ? 0 : 1;
    }

    private static void runFixed(LoadOptions options, Scenario scenario, LoadRun run, LoadReport report,
            PrintStream progress) throws IOException, InterruptedException {
        progress.printf(Locale.ROOT, "loadgen: %s: %d room(s), %d participants (%d publishing)%n", scenario.name(),
                scenario.rooms().size(), scenario.participants(), scenario.publishers());
        long joinStart = System.nanoTime();
        List<LoadRun.Joining> joinings = new ArrayList<>();
        for (Scenario.RoomPlan plan : scenario.rooms()) {
            joinings.add(new LoadRun.Joining(run.openRoom(plan.size()), plan.publishers(), plan.receivers()));
        }
        run.join(joinings);
        progress.printf(Locale.ROOT, "loadgen: %d participants joined and connected in %.1f s%n",
                run.participants().size(), (System.nanoTime() - joinStart) / 1e9);
        List<String> missing = run.awaitFlowing(options.settleTimeout());
        if (!missing.isEmpty()) {
            report.problem(missing.size() + " streams had no packets after " + options.settleTimeout() + ", e.g. "
                    + missing.get(0));
        }
        progress.printf(Locale.ROOT, "loadgen: media flows; warming up %.1f s, then measuring %.1f s%n",
                options.warmup().toMillis() / 1000.0, options.duration().toMillis() / 1000.0);
        report.result(run.measure(options.warmup(), options.duration()));
        run.unhealthy().stream().limit(10).forEach(report::problem);
    }

    /** Each memory-limited node's peak and out-of-memory kills, read as its cgroup was removed. */
    private static void reportMemoryLimits(LoadTarget server, LoadReport report) {
        for (int i = 0; i < server.nodes().size(); i++) {
            MemoryCgroup memory = server.nodes().get(i).memoryCgroup();
            if (memory == null) {
                continue;
            }
            String node = server.nodes().size() == 1 ? "Parley" : "node " + (i + 1);
            String peak = memory.peakBytes() < 0 ? "unknown" : (memory.peakBytes() >> 20) + " MiB";
            String kills = memory.oomKills() < 0 ? "unknown" : Long.toString(memory.oomKills());
            report.note(node + " ran in a memory cgroup limited to " + (memory.limitBytes() >> 20)
                    + " MiB: peak charged " + peak + ", out-of-memory kills " + kills);
            if (memory.oomKills() > 0) {
                report.problem(node + " was killed for want of memory " + memory.oomKills() + " time(s) under its "
                        + (memory.limitBytes() >> 20) + " MiB limit");
            }
        }
    }

    /**
     * How many people a node carries before a meeting's media goes to the next: --people-per-node, else the largest
     * room spread evenly over the nodes.
     */
    static int peoplePerNode(LoadOptions options, Scenario scenario) {
        if (options.peoplePerNode() != null) {
            return options.peoplePerNode();
        }
        int largest = scenario == null ? options.capacityRoomSize() : scenario.largestRoom();
        return Math.max(1, (largest + options.nodes() - 1) / options.nodes());
    }

    /** What every publisher sends, for at most as long as the run can take. */
    static PacedSender.Options media(LoadOptions options) {
        Duration bound = options.settleTimeout().plus(options.warmup()).plus(options.duration())
                .plus(Duration.ofMinutes(5));
        if ("capacity".equals(options.scenario())) {
            bound = bound.plus(options.capacityMaxTime());
        }
        if (bound.compareTo(PacedSender.Options.MAX_DURATION) > 0) {
            bound = PacedSender.Options.MAX_DURATION;
        }
        return new PacedSender.Options(options.audio(), options.audioPacketsPerSecond(), options.audioBytes(),
                options.video(), options.videoBitrate(), options.videoFps(), options.keyframeInterval(),
                options.keyframeFactor(), bound, options.spreadFrames());
    }
}
