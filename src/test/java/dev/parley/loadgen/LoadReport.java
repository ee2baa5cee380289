package dev.parley.loadgen;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A run's outcome: the settings, the target, the figures of a fixed scenario or every step of a capacity search,
 * and whatever went wrong; printed as a table and written as JSON.
 */
final class LoadReport {

    /** One step of a capacity search. */
    record Step(int step, int participants, boolean passed, String reason, Figures figures) {
    }

    private final LoadOptions options;
    private final Instant startedAt = Instant.now();
    private final String loadAverageAtStart = loadAverage();
    private final List<String> notes = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private final List<Step> steps = new ArrayList<>();
    private Figures result;
    private String stoppedBecause;
    private Map<String, Object> target = Map.of();
    private LoadTarget server;
    private List<String> serverLogProblems = List.of();

    LoadReport(LoadOptions options) {
        this.options = options;
    }

    void note(String note) {
        notes.add(note);
    }

    void problem(String problem) {
        problems.add(problem);
    }

    void target(LoadTarget server, boolean cpuReadable) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("baseUrl", server.base().toString());
        t.put("pid", server.pid());
        t.put("processReadable", cpuReadable);
        t.put("startedByGenerator", server.startedHere());
        t.put("serverLog", server.log() == null ? null : server.log().toString());
        t.put("serverJavaOptions", server.startedHere() ? options.serverJavaOptions() : null);
        t.put("nodes", server.nodes().size());
        t.put("peoplePerNode", server.peoplePerNode());
        List<Map<String, Object>> perNode = new ArrayList<>();
        for (int i = 0; i < server.nodes().size(); i++) {
            LoadTarget.Node node = server.nodes().get(i);
            Map<String, Object> n = new LinkedHashMap<>();
            n.put("node", i + 1);
            n.put("baseUrl", node.base().toString());
            n.put("pid", node.pid());
            n.put("mediaPort", node.mediaPort());
            n.put("serverLog", LoadTarget.log(node) == null ? null : LoadTarget.log(node).toString());
            perNode.add(n);
        }
        t.put("perNode", perNode);
        target = t;
        this.server = server;
    }

    void serverLogProblems(List<String> lines) {
        serverLogProblems = List.copyOf(lines);
    }

    void result(Figures figures) {
        result = figures;
    }

    void step(Step step) {
        steps.add(step);
    }

    void stoppedBecause(String why) {
        stoppedBecause = why;
    }

    Step lastGoodStep() {
        Step good = null;
        for (Step s : steps) {
            if (!s.passed()) {
                break;
            }
            good = s;
        }
        return good;
    }

    Map<String, Object> json() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("tool", "parley-loadgen");
        root.put("formatVersion", 1);
        root.put("scenario", options.scenario());
        root.put("startedAt", startedAt.toString());
        Map<String, Object> host = new LinkedHashMap<>();
        host.put("cores", Runtime.getRuntime().availableProcessors());
        host.put("clockTicksPerSecond", ProcessStats.clockTicksPerSecond());
        host.put("java", System.getProperty("java.version"));
        host.put("loadAverageAtStart", loadAverageAtStart);
        host.put("loadAverageAtEnd", loadAverage());
        root.put("host", host);
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("audio", options.audio());
        settings.put("audioPacketsPerSecond", options.audioPacketsPerSecond());
        settings.put("audioPayloadBytes", options.audioBytes());
        settings.put("video", options.video());
        settings.put("videoBitrate", options.videoBitrate());
        settings.put("videoFramesPerSecond", options.videoFps());
        settings.put("keyframeIntervalMillis", options.keyframeInterval().toMillis());
        settings.put("keyframeSizeFactor", options.keyframeFactor());
        settings.put("spreadFrames", options.spreadFrames());
        settings.put("warmupSeconds", options.warmup().toMillis() / 1000.0);
        settings.put("durationSeconds", options.duration().toMillis() / 1000.0);
        settings.put("senderThreads", options.senderThreads());
        settings.put("receiveThreads", options.receiveThreads());
        settings.put("joinParallelism", options.joinParallelism());
        root.put("settings", settings);
        root.put("target", target);
        root.put("notes", notes);
        root.put("result", result);
        if ("capacity".equals(options.scenario())) {
            Map<String, Object> capacity = new LinkedHashMap<>();
            capacity.put("roomSize", options.capacityRoomSize());
            capacity.put("step", options.capacityStep());
            capacity.put("lossLimitPercent", options.lossLimitPercent());
            capacity.put("p99LimitMillis", options.p99Limit().toNanos() / 1e6);
            capacity.put("steps", steps);
            capacity.put("lastGood", lastGoodStep());
            capacity.put("stoppedBecause", stoppedBecause);
            root.put("capacity", capacity);
        }
        root.put("problems", problems);
        root.put("serverLogProblems", Map.of("count", serverLogProblems.size(),
                "first", serverLogProblems.subList(0, Math.min(20, serverLogProblems.size()))));
        return root;
    }

    void writeJson(Path path) throws IOException {
        if (path.toAbsolutePath().getParent() != null) {
            Files.createDirectories(path.toAbsolutePath().getParent());
        }
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(path.toFile(), json());
    }

    // ------------------------------------------------------------------ the table

    void print(PrintStream out) {
        out.println();
        out.printf(Locale.ROOT, "Parley load run: %s  |  video %s @ %d fps (key frame x%d every %s, %s), audio %d "
                        + "pkt/s x %d B%n", options.scenario(), bitrate(options.videoBitrate()), options.videoFps(),
                options.keyframeFactor(), seconds(options.keyframeInterval().toMillis()),
                options.spreadFrames() ? "frames spread over the frame interval" : "frames sent at once",
                options.audioPacketsPerSecond(), options.audioBytes());
        String how = Boolean.TRUE.equals(target.get("startedByGenerator")) ? "started by the generator"
                : "already running";
        if (server != null && server.nodes().size() > 1) {
            out.printf(Locale.ROOT, "target: %d nodes (%s; one PostgreSQL, one Redis; cascading after %d people a node)"
                    + "  |  warm-up %s, window %s%n", server.nodes().size(), how, server.peoplePerNode(),
                    seconds(options.warmup().toMillis()), seconds(options.duration().toMillis()));
            for (int i = 0; i < server.nodes().size(); i++) {
                LoadTarget.Node n = server.nodes().get(i);
                out.printf(Locale.ROOT, "  node %d: %s (pid %s, media port %s)%s%n", i + 1, n.base(), n.pid(),
                        n.mediaPort(), i == 0 ? ", where participants sign in and signal" : "");
            }
        } else {
            out.printf(Locale.ROOT, "target %s (pid %s, %s)  |  warm-up %s, window %s%n", target.get("baseUrl"),
                    target.get("pid"), how, seconds(options.warmup().toMillis()),
                    seconds(options.duration().toMillis()));
        }
        out.printf(Locale.ROOT, "host: %d cores, load average (1, 5, 15 min) %s at the start, %s now%n",
                Runtime.getRuntime().availableProcessors(), loadAverageAtStart, loadAverage());
        notes.forEach(n -> out.println("note: " + n));
        if (result != null) {
            printFigures(out, result);
        }
        if (!steps.isEmpty()) {
            printSteps(out);
        }
        if (!problems.isEmpty()) {
            out.println("problems:");
            problems.stream().limit(20).forEach(p -> out.println("  " + p));
        }
        if (!serverLogProblems.isEmpty()) {
            out.println("server log: " + serverLogProblems.size() + " WARN/ERROR lines, e.g.");
            serverLogProblems.stream().limit(5).forEach(l -> out.println("  " + l));
        }
    }

    private static void printFigures(PrintStream out, Figures f) {
        Figures.RelayFigures r = f.relay();
        Figures.DeliveryFigures d = f.delivery();
        Figures.GeneratorFigures g = f.generator();
        int cores = Runtime.getRuntime().availableProcessors();
        String rule = "-".repeat(78);
        out.println(rule);
        out.printf(Locale.ROOT, "%d room(s), %d participants (%d publishing, %d receiving only), window %.1f s%n",
                f.rooms(), f.participants(), f.publishers(), f.receivers(), f.seconds());
        out.println(rule);
        int nodes = r.perNode().size();
        if (nodes > 1) {
            out.println("Relay, summed over " + nodes + " nodes (read from each relay process and its "
                    + "/actuator/prometheus)");
        } else {
            out.println("Relay (read from the relay process and its /actuator/prometheus)");
        }
        row(out, "forwarded packets/s", number(r.forwardedPacketsPerSecond(), 0));
        row(out, "forwarded Mbit/s", number(r.forwardedMbitPerSecond(), 2));
        row(out, "received packets/s | Mbit/s", number(r.receivedPacketsPerSecond(), 0) + " | "
                + number(r.receivedMbitPerSecond(), 2));
        row(out, "CPU per forwarded packet (us)", number(r.cpuMicrosPerForwardedPacket(), 2));
        row(out, "CPU, % of one core", number(r.cpuPercentOfOneCore(), 1));
        row(out, "CPU, % of the machine (" + cores + " cores)", number(r.cpuPercentOfMachine(), 1));
        row(out, nodes > 1 ? "relay loop threads (sum), % of one core" : "relay loop thread, % of one core",
                number(r.loopThreadCpuPercent(), 1));
        row(out, "heap used (MiB)", mib(r.heapUsedBytes()));
        row(out, "resident memory (MiB), peak in window", mib(r.residentBytes()) + ", " + mib(r.residentPeakBytes()));
        row(out, "GC pauses: count, total ms, recent max ms", (r.gcPauses() == null ? "n/a" : r.gcPauses()) + ", "
                + number(r.gcPauseSeconds() == null ? null : r.gcPauseSeconds() * 1000, 1) + ", "
                + number(r.gcPauseRecentMaxMillis(), 1));
        row(out, "relay drop counters in window", r.drops().isEmpty() ? "none" : r.drops().toString());
        row(out, "kernel drops at the relay socket", r.socketDrops() == null ? "n/a" : r.socketDrops().toString());
        row(out, "relay socket receive queue, max seen (KiB)", kib(r.receiveQueueMaxBytes()));
        if (nodes > 1) {
            out.println("Each node (forwarded packets include those sent over the relay links between nodes)");
            for (Figures.NodeFigures n : r.perNode()) {
                row(out, "node " + n.node() + ": fwd pkt/s | us/pkt | CPU% | loop%",
                        number(n.forwardedPacketsPerSecond(), 0) + " | " + number(n.cpuMicrosPerForwardedPacket(), 2)
                                + " | " + number(n.cpuPercentOfOneCore(), 1) + " | "
                                + number(n.loopThreadCpuPercent(), 1));
            }
        }
        out.println("Delivery (measured by the synthetic receivers)");
        row(out, "packets received/s", number(d.receivedPacketsPerSecond(), 0));
        row(out, "payload Mbit/s received", number(d.receivedPayloadMbitPerSecond(), 2));
        Figures.Latency l = d.latency();
        row(out, "added latency p50 / p99 / p99.9 (ms)", String.format(Locale.ROOT, "%.3f / %.3f / %.3f",
                l.p50Millis(), l.p99Millis(), l.p999Millis()));
        row(out, "added latency mean / max (ms)", String.format(Locale.ROOT, "%.3f / %.3f", l.meanMillis(),
                l.maxMillis()));
        row(out, "latency samples", Long.toString(l.samples()));
        Figures.ReceiverSpread spread = d.receivers();
        row(out, "p99 per receiver: best / median / worst (ms)", String.format(Locale.ROOT,
                "%.3f / %.3f / %.3f (%s)", spread.bestP99Millis(), spread.medianP99Millis(), spread.worstP99Millis(),
                spread.worstReceiver()));
        row(out, "loss (probe sequence gaps)", String.format(Locale.ROOT, "%.4f %% (%d of %d)", d.lossPercent(),
                d.probesLost(), d.probes() + d.probesLost()));
        row(out, "undelivered (expected - received)", String.format(Locale.ROOT, "%.4f %% (%d of %d)",
                d.undeliveredPercent(), Math.max(0, d.expectedPackets() - d.receivedPackets()),
                d.expectedPackets()));
        row(out, "reordered probes", Long.toString(d.reordered()));
        row(out, "streams without packets", Integer.toString(d.streamsMissing()));
        out.println("Generator (shares the machine with the relay)");
        row(out, "CPU, % of one core", number(g.cpuPercentOfOneCore(), 1));
        row(out, "CPU, % of the machine", number(g.cpuPercentOfMachine(), 1));
        row(out, "threads", Long.toString(g.threads()));
        row(out, "kernel drops at the generator's sockets",
                g.socketDrops() == null ? "n/a" : g.socketDrops().toString());
        row(out, "largest generator socket receive queue (KiB)", kib(g.receiveQueueMaxBytes()));
        row(out, "GC collections: count, total ms", g.gcCollections() + ", " + g.gcMillis());
        Figures.HostFigures h = f.host();
        out.println("Machine (everything else competes for the same cores)");
        row(out, "CPU busy, % of all cores", number(h.busyPercent(), 1));
        row(out, "other processes, % of one core", number(h.othersPercentOfOneCore(), 1));
        row(out, "softirq (loopback delivery), % of all cores", number(h.softirqPercent(), 1));
        row(out, "steal, % of all cores", number(h.stealPercent(), 1));
        out.println(rule);
    }

    private void printSteps(PrintStream out) {
        out.println("-".repeat(118));
        out.printf(Locale.ROOT, "%4s %5s %6s %10s %8s %7s %7s %6s %8s %8s %7s %7s %8s %6s  %s%n", "step", "rooms",
                "people", "fwd pkt/s", "fwd Mb/s", "CPU%", "us/pkt", "loop%", "loss %", "undel %", "p50 ms",
                "p99 ms", "p99.9 ms", "gen%", "verdict");
        for (Step s : steps) {
            Figures f = s.figures();
            if (f == null) {
                out.printf(Locale.ROOT, "%4d %5s %6d %s%n", s.step(), "", s.participants(), "FAIL  " + s.reason());
                continue;
            }
            Figures.DeliveryFigures d = f.delivery();
            out.printf(Locale.ROOT, "%4d %5d %6d %10s %8s %7s %7s %6s %8.3f %8.3f %7.2f %7.2f %8.2f %6.0f  %s%n",
                    s.step(), f.rooms(), f.participants(), number(f.relay().forwardedPacketsPerSecond(), 0),
                    number(f.relay().forwardedMbitPerSecond(), 1), number(f.relay().cpuPercentOfOneCore(), 0),
                    number(f.relay().cpuMicrosPerForwardedPacket(), 1), number(f.relay().loopThreadCpuPercent(), 0),
                    d.lossPercent(), d.undeliveredPercent(), d.latency().p50Millis(), d.latency().p99Millis(),
                    d.latency().p999Millis(), f.generator().cpuPercentOfOneCore(),
                    s.passed() ? "ok" : "FAIL  " + s.reason());
        }
        out.println("-".repeat(118));
        out.println("CPU% relay process, % of one core; us/pkt relay CPU per forwarded packet; loop% relay loop thread;"
                + " gen% generator");
        Step good = lastGoodStep();
        if (good == null) {
            out.println("last good step: none (the first step already failed)");
        } else {
            Figures f = good.figures();
            out.printf(Locale.ROOT, "last good step: %d participants in %d rooms: %s forwarded packets/s, %s Mbit/s, "
                            + "relay CPU %s %% of one core, p99 %.2f ms, loss %.3f %%%n", f.participants(), f.rooms(),
                    number(f.relay().forwardedPacketsPerSecond(), 0), number(f.relay().forwardedMbitPerSecond(), 1),
                    number(f.relay().cpuPercentOfOneCore(), 0), f.delivery().latency().p99Millis(),
                    f.delivery().lossPercent());
        }
        if (stoppedBecause != null) {
            out.println("stopped because: " + stoppedBecause);
        }
    }

    /** The first three fields of /proc/loadavg: other work on the machine skews every figure. */
    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }

    private static void row(PrintStream out, String label, String value) {
        out.printf(Locale.ROOT, "  %-42s %s%n", label, value);
    }

    private static String number(Double value, int decimals) {
        return value == null ? "n/a" : String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    private static String mib(Long bytes) {
        return bytes == null ? "n/a" : String.format(Locale.ROOT, "%.1f", bytes / 1048576.0);
    }

    private static String kib(Long bytes) {
        return bytes == null ? "n/a" : String.format(Locale.ROOT, "%.1f", bytes / 1024.0);
    }

    private static String bitrate(int bits) {
        return bits >= 1_000_000 ? String.format(Locale.ROOT, "%.2f Mbit/s", bits / 1e6)
                : String.format(Locale.ROOT, "%d kbit/s", bits / 1000);
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }
}
