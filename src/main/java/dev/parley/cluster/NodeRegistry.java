package dev.parley.cluster;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The nodes of the deployment. Each node writes its heartbeat to Redis every {@link #HEARTBEAT} (its URL, media
 * address and load) under a key that lapses after {@link #LAPSE}, and takes it away when it shuts down; a node whose
 * key lapsed is gone. One node alone (no Redis) is the only node.
 */
@Component
public class NodeRegistry implements SmartLifecycle {

    static final Duration HEARTBEAT = Duration.ofSeconds(5);
    static final Duration LAPSE = Duration.ofSeconds(15);
    /** Meetings a heartbeat names at most. */
    static final int MOST_ROOMS = 1000;
    private static final Logger log = LoggerFactory.getLogger(NodeRegistry.class);

    private final StringRedisTemplate redis;
    private final String prefix;
    private final String placingPrefix;
    private final ObjectProvider<NodeStatus> status;
    private final Clock clock;
    private final String id;
    private final String url;
    private final Instant startedAt;
    private final OperatingSystemMXBean os;
    private volatile boolean running;
    private volatile boolean draining;

    NodeRegistry(ObjectProvider<StringRedisTemplate> redis, ObjectProvider<NodeStatus> status, Clock clock,
                 @Value("${parley.cluster.namespace}") String namespace,
                 @Value("${parley.cluster.node-url:}") String nodeUrl,
                 @Value("${server.address:}") String address, @Value("${server.port:8080}") int port,
                 @Value("${parley.tls.mode:off}") String tlsMode,
                 @Value("${parley.tls.https-port:8443}") int httpsPort) {
        this.redis = redis.getIfAvailable();
        this.prefix = namespace + ":node:";
        this.placingPrefix = namespace + ":placing:";
        this.status = status;
        this.clock = clock;
        // With HTTPS the web server may sit on 127.0.0.1 behind the shared port: the machine's name, the public port.
        boolean https = !tlsMode.isBlank() && !tlsMode.strip().equalsIgnoreCase("off");
        this.url = !nodeUrl.isBlank() ? nodeUrl.strip().replaceAll("/+$", "")
                : https ? "https://" + host("") + ":" + httpsPort : "http://" + host(address) + ":" + port;
        this.id = host(address) + "-" + port + "-" + UUID.randomUUID().toString().substring(0, 8);
        this.startedAt = clock.instant();
        this.os = ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean bean ? bean : null;
    }

    private static String host(String address) {
        if (!address.isBlank() && !address.equals("0.0.0.0") && !address.equals("::")) {
            return address;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /**
     * The sorted set of the rooms placed on a node whose people its heartbeat does not count yet (room id, scored by
     * the placement's time in milliseconds), so that a burst of placements spreads before the heartbeats show their
     * people. {@link RoomPlacement} adds to it; the node's heartbeat takes out the rooms it reports people in (they are
     * counted now) and the placements older than {@link RoomPlacement#RECENT} (meetings that never started), and a
     * meeting's end takes out its room.
     */
    String placingKey(String nodeId) {
        return placingPrefix + nodeId;
    }

    /** The hash a node's heartbeat writes (its URL, media address, load). */
    String heartbeatKey(String nodeId) {
        return prefix + nodeId;
    }

    /** This node's own URL, as the other nodes reach it (no trailing slash: paths are appended to it). */
    public String url() {
        return url;
    }

    /** This node's id: its host, HTTP port and a random part new at each start. */
    public String id() {
        return id;
    }

    @Scheduled(fixedDelay = 5_000, initialDelay = 0)
    void heartbeat() {
        if (redis == null || !running) {
            return;
        }
        try {
            Map<String, String> fields = new HashMap<>();
            Node self = self();
            fields.put("url", self.url());
            fields.put("media", self.mediaAddress());
            fields.put("meetings", String.valueOf(self.meetings()));
            fields.put("participants", String.valueOf(self.participants()));
            fields.put("rooms", rooms(self.peopleByRoom()));
            fields.put("pps", String.valueOf(self.packetsPerSecond()));
            fields.put("cpu", String.valueOf(self.cpu()));
            fields.put("started", String.valueOf(startedAt.toEpochMilli()));
            fields.put("seen", String.valueOf(self.seenAt().toEpochMilli()));
            fields.put("draining", self.draining() ? "1" : "0");
            redis.opsForHash().putAll(heartbeatKey(id), fields);
            redis.expire(heartbeatKey(id), LAPSE);
            // The people of the rooms reported now are counted, so those rooms are no longer placed; a room placed
            // here meanwhile (its first person still on the way), or reported with nobody in (its host not in yet,
            // its lobby filling), still counts as placed, for RoomPlacement.RECENT at most. The hash goes first: a
            // reader between the two writes counts a meeting twice, never nowhere.
            String placing = placingKey(id);
            Object[] counted = self.peopleByRoom().entrySet().stream().filter(room -> room.getValue() > 0)
                    .map(room -> String.valueOf(room.getKey())).toArray();
            if (counted.length > 0) {
                redis.opsForZSet().remove(placing, counted);
            }
            redis.opsForZSet().removeRangeByScore(placing, Double.NEGATIVE_INFINITY,
                    clock.millis() - RoomPlacement.RECENT.toMillis());
        } catch (RuntimeException e) {
            log.warn("Could not write this node's heartbeat to Redis: {}", e.toString());
        }
    }

    @Override
    public void start() {
        running = true;
    }

    /** Leaves the deployment as this node shuts down: no more heartbeats, its entry gone at once. */
    @Override
    public void stop() {
        running = false;
        if (redis != null) {
            try {
                redis.delete(prefix + id);
            } catch (RuntimeException e) {
                log.warn("Could not take this node out of Redis (it lapses in {} s): {}", LAPSE.toSeconds(),
                        e.toString());
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Before the Redis connection (phase 0) and after the web server has drained (its phases are higher). */
    @Override
    public int getPhase() {
        return 1;
    }

    /** Every node whose heartbeat has not lapsed, this one first, the others by URL. */
    public List<Node> nodes() {
        List<Node> nodes = new ArrayList<>();
        nodes.add(self());
        if (redis == null) {
            return nodes;
        }
        List<Node> others = new ArrayList<>();
        ScanOptions options = ScanOptions.scanOptions().match(prefix + "*").count(200).build();
        try (Cursor<String> keys = redis.scan(options)) {
            while (keys.hasNext() && others.size() < 1000) {
                String key = keys.next();
                String nodeId = key.substring(prefix.length());
                if (nodeId.equals(id)) {
                    continue;
                }
                Map<Object, Object> fields = redis.opsForHash().entries(key);
                if (!fields.isEmpty()) {
                    others.add(read(nodeId, fields));
                }
            }
        } catch (RuntimeException e) {
            log.warn("Could not read the other nodes from Redis: {}", e.toString());
        }
        others.sort(Comparator.comparing(Node::url));
        nodes.addAll(others);
        return nodes;
    }

    /** The node with that id, while its heartbeat has not lapsed. */
    public Optional<Node> node(String nodeId) {
        if (nodeId.equals(id)) {
            return Optional.of(self());
        }
        if (redis == null || nodeId.isEmpty()) {
            return Optional.empty();
        }
        try {
            Map<Object, Object> fields = redis.opsForHash().entries(prefix + nodeId);
            return fields.isEmpty() ? Optional.empty() : Optional.of(read(nodeId, fields));
        } catch (RuntimeException e) { // Redis unreachable, or a key of another type under that name
            log.warn("Could not read node {} from Redis: {}", nodeId, e.toString());
            return Optional.empty();
        }
    }

    /**
     * This node takes no new meetings from now on (it is shutting down, or an admin drains it); the others learn it
     * from the heartbeat written at once.
     */
    public void drain() {
        draining = true;
        heartbeat();
    }

    public boolean isDraining() {
        return draining;
    }

    /**
     * Asks the node with that id to drain (an admin's action, taken up by that node within seconds); answers that
     * node, or nothing when no such node is up.
     */
    public Optional<Node> requestDrain(String nodeId) {
        Optional<Node> node = node(nodeId);
        if (node.isEmpty()) {
            return node;
        }
        if (nodeId.equals(id)) {
            drain();
        } else {
            redis.opsForValue().set(drainKey(nodeId), "1", LAPSE.multipliedBy(4));
        }
        return node;
    }

    /** Whether an admin asked this node to drain, through any node (or this one: then it drains already). */
    public boolean isDrainRequested() {
        if (draining) {
            return true;
        }
        try {
            return redis != null && Boolean.TRUE.equals(redis.hasKey(drainKey(id)));
        } catch (RuntimeException e) {
            log.warn("Could not read from Redis whether this node is to drain: {}", e.toString());
            return false;
        }
    }

    private String drainKey(String nodeId) {
        return prefix.replace(":node:", ":drain:") + nodeId;
    }

    /** Whether this node shares a Redis with others (several nodes may exist). */
    public boolean isClustered() {
        return redis != null;
    }

    /** This node as its heartbeat describes it. */
    Node self() {
        NodeStatus now = status.getIfAvailable();
        double cpu = os == null ? -1 : os.getProcessCpuLoad();
        // The rooms before the count: the heartbeat takes the rooms it lists out of the placing set, so their people
        // must be in the count it writes (a room that opens in between is counted, and stays placed as well).
        Map<Long, Integer> rooms = now == null ? Map.of() : now.peopleByRoom();
        int participants = now == null ? 0 : now.participants();
        return new Node(id, url, now == null ? "" : now.mediaAddress(), now == null ? 0 : now.meetings(),
                participants, rooms, now == null ? 0 : now.packetsPerSecond(), cpu < 0 ? -1 : cpu, startedAt,
                clock.instant(), draining, true);
    }

    private static Node read(String id, Map<Object, Object> fields) {
        // Another version's node may have written its URL with a trailing slash.
        return new Node(id, text(fields, "url").replaceAll("/+$", ""), text(fields, "media"),
                (int) number(fields, "meetings"),
                (int) number(fields, "participants"), rooms(text(fields, "rooms")), number(fields, "pps"),
                decimal(fields, "cpu"),
                Instant.ofEpochMilli(number(fields, "started")), Instant.ofEpochMilli(number(fields, "seen")),
                "1".equals(text(fields, "draining")), false);
    }

    /** The meetings as the heartbeat carries them, {@code roomId:people,…}, at most {@link #MOST_ROOMS}. */
    static String rooms(Map<Long, Integer> peopleByRoom) {
        StringBuilder out = new StringBuilder();
        int written = 0;
        for (Map.Entry<Long, Integer> room : peopleByRoom.entrySet()) {
            if (written++ == MOST_ROOMS) {
                break;
            }
            out.append(out.isEmpty() ? "" : ",").append(room.getKey()).append(':').append(room.getValue());
        }
        return out.toString();
    }

    static Map<Long, Integer> rooms(String text) {
        Map<Long, Integer> rooms = new TreeMap<>();
        for (String entry : text.split(",")) {
            int colon = entry.indexOf(':');
            if (colon > 0 && rooms.size() < MOST_ROOMS) {
                try {
                    rooms.put(Long.parseLong(entry.substring(0, colon)), Integer.parseInt(entry.substring(colon + 1)));
                } catch (NumberFormatException e) {
                    // another version's format, or damage: that entry is left out
                }
            }
        }
        return rooms;
    }

    private static String text(Map<Object, Object> fields, String name) {
        Object value = fields.get(name);
        return value == null ? "" : value.toString();
    }

    private static long number(Map<Object, Object> fields, String name) {
        try {
            return Long.parseLong(text(fields, name));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static double decimal(Map<Object, Object> fields, String name) {
        try {
            return Double.parseDouble(text(fields, name));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
