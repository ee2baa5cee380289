package dev.parley.loadgen;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The load generator's command line ({@code --name=value} flags), checked and with defaults. {@link #HELP} is what
 * {@code --help} prints.
 */
record LoadOptions(String scenario, Integer rooms, Integer participants, Integer publishers, int videoBitrate,
                   int videoFps, int audioPacketsPerSecond, int audioBytes, Duration keyframeInterval,
                   int keyframeFactor, boolean audio, boolean video, boolean spreadFrames, Duration warmup,
                   Duration duration, Path json, URI server, String adminEmail, String adminPassword, Long serverPid,
                   Path jar, boolean fromClasspath, int nodes, Integer peoplePerNode,
                   List<String> serverJavaOptions, Path serverLog, Long serverMemoryLimit, int joinParallelism,
                   int senderThreads, int receiveThreads, int capacityRoomSize, int capacityStep,
                   int capacityMaxParticipants, Duration capacityMaxTime,
                   double lossLimitPercent, Duration p99Limit, Duration settleTimeout, boolean help) {

    static final List<String> SCENARIOS = List.of("room10", "rooms20x4", "large", "webinar", "capacity", "custom");

    /** The smallest --server-memory-limit: below it Parley cannot start. */
    static final long MIN_MEMORY_LIMIT = 64L << 20;

    /** The most Parley processes the generator starts for one run (each is a JVM on the same machine). */
    static final int MAX_NODES = 5;

    static final String HELP = """
            Parley load generator: synthetic WebRTC participants (signalling, ICE, DTLS, SRTP, paced Opus/VP8-sized RTP
            carrying send-time probes) against a Parley relay in its own process, with the relay's CPU, memory, GC and
            forwarding figures read from that process and its metrics endpoint.

            Run (builds target/parley.jar, then starts Parley on free loopback ports, runs, stops it):
              mvn -q -B -DskipTests -Pload package exec:exec -Dload.args="--scenario=room10 --duration=20s"
            or, with the jar and classes built:
              java -cp <test classpath> dev.parley.loadgen.LoadGenerator --scenario=room10

            Scenarios (--scenario=):
              room10      one room of 10 participants, all sending audio and video
              rooms20x4   20 rooms of 4 participants, all sending audio and video
              large       one room of 2 publishers and 100 receivers (receivers publish nothing)
              webinar     one room of 2 publishers and 298 receivers (300 people)
              capacity    adds participants (--capacity-step at a time, in rooms of --capacity-room-size, all sending)
                          and measures each step until loss passes --loss-limit or p99 added latency passes
                          --p99-limit; reports every step and the last good one
              custom      --rooms x --participants, of which --publishers send (default: all)
            --rooms=N --participants=N --publishers=N   override the scenario's shape

            Media:
              --video-bitrate=500k     video bitrate per publisher (500k, 1.5M, or bit/s); key frame bursts on top
              --video-fps=30           video frames per second
              --keyframe-interval=2s   a key frame this often, --keyframe-factor=4 times the size of a frame
              --audio-rate=50          audio packets per second (Opus with 20 ms frames)
              --audio-bytes=100        audio payload bytes
              --no-audio, --no-video   publishers send only the other kind
              --spread-frames          send each frame's packets evenly over the frame interval, as a browser's
                                       pacer smooths them (default: a frame's packets, and a key frame's burst, at
                                       once: the worst case for the relay's latency)

            Measurement:
              --warmup=5s              after everyone is connected and media flows, wait this long
              --duration=20s           then measure over this window (deltas); in capacity, per step
              --json=PATH              also write the figures as JSON
              --settle-timeout=60s     how long to wait for every receiver to get every publisher's media

            Target (default: start target/parley.jar on free loopback ports with an in-memory database):
              --jar=target/parley.jar
              --server-java-opts="-Xmx1g ..."   JVM options for the started Parley
              --server-log=target/loadgen/parley-server.log
              --server-memory-limit=768m
                                       run each started Parley in a memory cgroup of its own with this limit on RAM
                                       and swap (k, m, g: KiB, MiB, GiB), as a small machine would have (Linux,
                                       root); its peak and any out-of-memory kill are reported. With
                                       --server-java-opts=-XX:MaxRAM=1g the JVM also sizes itself as on such a machine
              --server=http://127.0.0.1:8080 --admin-email=E --admin-password=P [--server-pid=PID]
                                       use a running Parley (its media must be reachable on 127.0.0.1); without
                                       --server-pid its CPU and memory are not reported
              --from-classpath         start Parley from the generator's own classpath instead of --jar (tests)
              --nodes=1                start this many Parley processes (1..5) as one cluster on a fresh
                                       PostgreSQL database and the local Redis (PARLEY_TEST_PG_URL,
                                       PARLEY_TEST_REDIS_HOST/PORT name others), cascading a meeting's media
                                       over them; node N logs to parley-server-node-N.log beside --server-log.
                                       Participants sign in and signal through node 1; the relay figures are
                                       summed over the nodes, with each node's share beside them
              --people-per-node=K      with --nodes: a meeting's media stays on a node until it carries K
                                       people (default: the largest room divided by --nodes, rounded up)

            Capacity search:
              --capacity-room-size=4 --capacity-step=4 --capacity-max-participants=200 --capacity-max-time=5m
              --loss-limit=1 (percent) --p99-limit=20ms

            Generator:
              --join-parallelism=4     participants joining at once
              --sender-threads=2       threads of the one scheduler that paces every participant's media
              --receive-threads=1      threads that read every participant's socket (selector loops); 0 gives
                                       each participant a receive thread of its own, whose wake-ups on loopback
                                       the kernel charges to the relay's sends

            Exit status: 0 when the run completed, 1 when it could not (server, joins, media), 2 for bad flags.
            """;

    static LoadOptions parse(String... args) {
        Map<String, String> flags = new LinkedHashMap<>();
        for (String arg : args) {
            if (arg.isBlank()) {
                continue;
            }
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "' (flags look like --name=value)");
            }
            int eq = arg.indexOf('=');
            String name = eq < 0 ? arg.substring(2) : arg.substring(2, eq);
            flags.put(name, eq < 0 ? "true" : arg.substring(eq + 1));
        }
        Flags f = new Flags(flags);
        String scenario = f.text("scenario", "room10").toLowerCase(Locale.ROOT);
        LoadOptions options = new LoadOptions(
                scenario,
                f.optionalInt("rooms", 1, 1000),
                f.optionalInt("participants", 1, 1000),
                f.optionalInt("publishers", 0, 1000),
                (int) f.bitrate("video-bitrate", 500_000),
                f.integer("video-fps", 30, 1, 120),
                f.integer("audio-rate", 50, 1, 1000),
                f.integer("audio-bytes", 100, 16, 1000),
                f.duration("keyframe-interval", Duration.ofSeconds(2)),
                f.integer("keyframe-factor", 4, 1, 50),
                !f.bool("no-audio"),
                !f.bool("no-video"),
                f.bool("spread-frames"),
                f.duration("warmup", Duration.ofSeconds(5)),
                f.duration("duration", Duration.ofSeconds(20)),
                f.path("json", null),
                f.uri("server"),
                f.text("admin-email", null),
                f.text("admin-password", null),
                f.optionalLong("server-pid"),
                f.path("jar", Path.of("target", "parley.jar")),
                f.bool("from-classpath"),
                f.integer("nodes", 1, 1, MAX_NODES),
                f.optionalInt("people-per-node", 1, Scenario.MAX_PARTICIPANTS),
                splitOptions(f.text("server-java-opts", "")),
                f.path("server-log", Path.of("target", "loadgen", "parley-server.log")),
                f.bytes("server-memory-limit", MIN_MEMORY_LIMIT),
                f.integer("join-parallelism", 4, 1, 64),
                f.integer("sender-threads", 2, 1, 64),
                f.integer("receive-threads", 1, 0, 64),
                f.integer("capacity-room-size", 4, 2, 100),
                f.integer("capacity-step", 4, 1, 100),
                f.integer("capacity-max-participants", 200, 2, Scenario.MAX_PARTICIPANTS),
                f.duration("capacity-max-time", Duration.ofMinutes(5)),
                f.decimal("loss-limit", 1.0),
                f.duration("p99-limit", Duration.ofMillis(20)),
                f.duration("settle-timeout", Duration.ofSeconds(60)),
                f.bool("help") || f.bool("h"));
        f.rejectUnknown();
        if (!SCENARIOS.contains(scenario)) {
            throw new IllegalArgumentException("--scenario must be one of " + SCENARIOS);
        }
        if (!options.audio && !options.video) {
            throw new IllegalArgumentException("--no-audio and --no-video together leave nothing to send");
        }
        if (options.server != null && (options.adminEmail == null || options.adminPassword == null)) {
            throw new IllegalArgumentException("--server needs --admin-email and --admin-password");
        }
        if (options.server != null && !"127.0.0.1".equals(options.server.getHost())
                && !"localhost".equals(options.server.getHost())) {
            throw new IllegalArgumentException("--server must be on loopback (http://127.0.0.1:PORT)");
        }
        if (options.server != null && flags.containsKey("nodes")) {
            throw new IllegalArgumentException("--nodes starts Parley processes, so it cannot be used with --server "
                    + "(a running Parley is measured as one node)");
        }
        if (options.server != null && options.fromClasspath) {
            throw new IllegalArgumentException("--from-classpath starts Parley, so it cannot be used with --server");
        }
        if (options.server != null && options.serverMemoryLimit != null) {
            throw new IllegalArgumentException("--server-memory-limit starts Parley in a memory cgroup, so it cannot "
                    + "be used with --server");
        }
        if (options.peoplePerNode != null && options.nodes < 2) {
            throw new IllegalArgumentException("--people-per-node needs --nodes=2 or more");
        }
        if (options.duration.isZero() || options.warmup.isNegative()) {
            throw new IllegalArgumentException("--duration must be positive and --warmup not negative");
        }
        if (options.videoBitrate < 1_000) {
            throw new IllegalArgumentException("--video-bitrate must be at least 1000 bit/s");
        }
        return options;
    }

    private static List<String> splitOptions(String value) {
        List<String> out = new ArrayList<>();
        for (String part : value.trim().split("\\s+")) {
            if (!part.isEmpty()) {
                out.add(part);
            }
        }
        return List.copyOf(out);
    }

    /** Reads flags by name and remembers which were read, so unknown ones can be refused. */
    private static final class Flags {
        private final Map<String, String> values;
        private final List<String> known = new ArrayList<>();

        Flags(Map<String, String> values) {
            this.values = values;
        }

        private String raw(String name) {
            known.add(name);
            return values.get(name);
        }

        String text(String name, String fallback) {
            String v = raw(name);
            return v == null || v.isEmpty() ? fallback : v;
        }

        boolean bool(String name) {
            String v = raw(name);
            return v != null && !v.equalsIgnoreCase("false");
        }

        int integer(String name, int fallback, int min, int max) {
            Integer v = optionalInt(name, min, max);
            return v == null ? fallback : v;
        }

        Integer optionalInt(String name, int min, int max) {
            String v = raw(name);
            if (v == null) {
                return null;
            }
            int n;
            try {
                n = Integer.parseInt(v.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--" + name + " must be a whole number, not '" + v + "'");
            }
            if (n < min || n > max) {
                throw new IllegalArgumentException("--" + name + " must be " + min + ".." + max);
            }
            return n;
        }

        Long optionalLong(String name) {
            String v = raw(name);
            try {
                return v == null ? null : Long.parseLong(v.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--" + name + " must be a process id, not '" + v + "'");
            }
        }

        double decimal(String name, double fallback) {
            String v = raw(name);
            try {
                return v == null ? fallback : Double.parseDouble(v.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--" + name + " must be a number, not '" + v + "'");
            }
        }

        Path path(String name, Path fallback) {
            String v = raw(name);
            return v == null || v.isEmpty() ? fallback : Path.of(v);
        }

        URI uri(String name) {
            String v = raw(name);
            if (v == null || v.isEmpty()) {
                return null;
            }
            URI uri = URI.create(v.endsWith("/") ? v.substring(0, v.length() - 1) : v);
            if (!"http".equals(uri.getScheme()) || uri.getPort() < 0) {
                throw new IllegalArgumentException("--" + name + " must look like http://127.0.0.1:8080");
            }
            return uri;
        }

        long bitrate(String name, long fallback) {
            String v = raw(name);
            if (v == null) {
                return fallback;
            }
            return parseBitrate(name, v);
        }

        /** "768m", "1g", "65536k" or bytes (binary multiples); null when absent. */
        Long bytes(String name, long min) {
            String v = raw(name);
            if (v == null) {
                return null;
            }
            String digits = v.trim().toLowerCase(Locale.ROOT);
            int shift = 0;
            if (!digits.isEmpty() && "kmg".indexOf(digits.charAt(digits.length() - 1)) >= 0) {
                shift = 10 * ("kmg".indexOf(digits.charAt(digits.length() - 1)) + 1);
                digits = digits.substring(0, digits.length() - 1);
            }
            long bytes;
            try {
                bytes = Long.parseLong(digits);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--" + name + " must be a size like 768m or 1g, not '" + v + "'");
            }
            if (bytes > (Long.MAX_VALUE >> shift)) {
                throw new IllegalArgumentException("--" + name + " is too large: '" + v + "'");
            }
            if (bytes < 0 || (bytes << shift) < min) {
                throw new IllegalArgumentException("--" + name + " must be at least " + (min >> 20) + "m");
            }
            return bytes << shift;
        }

        Duration duration(String name, Duration fallback) {
            String v = raw(name);
            return v == null ? fallback : parseDuration(name, v);
        }

        void rejectUnknown() {
            for (String name : values.keySet()) {
                if (!known.contains(name)) {
                    throw new IllegalArgumentException("unknown flag --" + name + " (see --help)");
                }
            }
        }
    }

    /** "500k", "1.5M", "1500000" (bit/s). */
    static long parseBitrate(String name, String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        double factor = 1;
        if (v.endsWith("k")) {
            factor = 1_000;
            v = v.substring(0, v.length() - 1);
        } else if (v.endsWith("m")) {
            factor = 1_000_000;
            v = v.substring(0, v.length() - 1);
        }
        try {
            return Math.round(Double.parseDouble(v) * factor);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a bitrate like 500k or 1.5M, not '" + value
                    + "'");
        }
    }

    /** "20s", "500ms", "2m", or a number of seconds. */
    static Duration parseDuration(String name, String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        try {
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            if (v.endsWith("s")) {
                return Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
            }
            if (v.endsWith("m")) {
                return Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 60_000));
            }
            return Duration.ofMillis(Math.round(Double.parseDouble(v) * 1000));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a duration like 20s, 500ms or 2m, not '"
                    + value + "'");
        }
    }
}
