package dev.parley.cluster;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Which node runs each meeting. A meeting runs on one node: the first join places it on the least-loaded node that is
 * up and not draining, and the choice is kept in Redis ({@code <namespace>:room:<id>}) so that every node sends that
 * room's people there. The placing node's heartbeat keeps the entry alive while the meeting lasts; it is taken away
 * when the meeting ends, and it no longer counts once its node's heartbeat lapsed (the meeting is then placed again).
 * One node alone (no Redis) runs every meeting itself.
 */
@Component
public class RoomPlacement {

    /** How long a placement lives without its node renewing it (a meeting that never started, a node gone quiet). */
    static final Duration LIFETIME = Duration.ofSeconds(60);
    /**
     * How long a placement counts toward its node's load at most: until the node's heartbeat reports the meeting's
     * people, or its end, and otherwise (a meeting that never started, a node that stopped beating) two heartbeats.
     */
    static final Duration RECENT = Duration.ofSeconds(2 * NodeRegistry.HEARTBEAT.toSeconds());
    /** People a meeting placed on a node, whose people its heartbeat does not count yet, is assumed to bring. */
    private static final int PEOPLE_PER_NEW_MEETING = 4;
    private static final Logger log = LoggerFactory.getLogger(RoomPlacement.class);

    /**
     * Sets the placement (KEYS[1]) only when it still holds what the caller saw ('' for none), and then counts it on
     * the chosen node until its heartbeat reports it (KEYS[2], the node's {@link NodeRegistry#placingKey}: member the
     * room, scored by the time); answers what the placement holds then.
     */
    private static final RedisScript<String> PLACE = RedisScript.of("""
            local current = redis.call('GET', KEYS[1])
            if (current == false and ARGV[1] == '') or current == ARGV[1] then
              redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
              redis.call('ZADD', KEYS[2], ARGV[4], ARGV[5])
              redis.call('PEXPIRE', KEYS[2], ARGV[6])
              return ARGV[2]
            end
            return current
            """, String.class);
    /** Renews (ARGV[2] > 0) or removes (ARGV[2] = 0) a placement that is still the given node's. */
    private static final RedisScript<Long> KEEP = RedisScript.of("""
            if redis.call('GET', KEYS[1]) ~= ARGV[1] then
              return 0
            end
            if ARGV[2] == '0' then
              return redis.call('DEL', KEYS[1])
            end
            return redis.call('PEXPIRE', KEYS[1], ARGV[2])
            """, Long.class);
    /**
     * For each node, its heartbeat's hash and its placing set as a pair of keys: the people the hash reports and the
     * members of the set scored at or after ARGV[1]. Read at once, because a heartbeat that reports a meeting's people
     * also takes the meeting out of the placing set: read apart, a heartbeat between the two reads counted the meeting
     * nowhere, and the node looked empty (ClusterTest placed two new meetings on one node of three).
     */
    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> LOADS = RedisScript.of("""
            local loads = {}
            for i = 1, #KEYS, 2 do
              loads[#loads + 1] = tonumber(redis.call('HGET', KEYS[i], 'participants')) or 0
              loads[#loads + 1] = redis.call('ZCOUNT', KEYS[i + 1], ARGV[1], '+inf')
            end
            return loads
            """, List.class);

    /** Where a room's meeting runs. */
    public record Placement(String nodeId, String url, boolean local) {
    }

    private final StringRedisTemplate redis;
    private final NodeRegistry nodes;
    private final String prefix;
    private final Clock clock;
    private final ApplicationEventPublisher events;

    RoomPlacement(ObjectProvider<StringRedisTemplate> redis, NodeRegistry nodes, Clock clock,
                  ApplicationEventPublisher events, @Value("${parley.cluster.namespace}") String namespace) {
        this.redis = redis.getIfAvailable();
        this.nodes = nodes;
        this.clock = clock;
        this.events = events;
        this.prefix = namespace + ":";
    }

    /**
     * Where the room's meeting runs, placing it first when it runs nowhere (or on a node whose heartbeat lapsed).
     * Without Redis, or when Redis cannot be reached, this node: a meeting then still starts.
     */
    public Placement place(long roomId) {
        if (redis == null) {
            return local();
        }
        try {
            for (int attempt = 0; attempt < 3; attempt++) {
                String current = redis.opsForValue().get(roomKey(roomId));
                Optional<Node> holder = current == null ? Optional.empty() : nodes.node(current);
                if (holder.isPresent()) {
                    return of(holder.get());
                }
                Node chosen = leastLoaded(candidates()).orElseGet(nodes::self);
                if (claim(roomId, current, chosen)) {
                    if (current != null) {
                        log.info("Room {} was placed on {}, which is gone; placed on {} now", roomId, current,
                                chosen.url());
                    }
                    return of(chosen);
                }
                // Another node placed it meanwhile: its choice stands, if its node is up (next round).
            }
        } catch (RuntimeException e) {
            log.warn("Could not read or record room {}'s node in Redis; running it here: {}", roomId, e.toString());
        }
        return local();
    }

    /** Where the room's meeting runs now, if it was placed on a node that is up; nothing is placed. */
    public Optional<Placement> find(long roomId) {
        return redis == null ? Optional.of(local()) : placedNode(roomId).map(this::of);
    }

    /**
     * The other node the room's meeting runs on, as its last heartbeat describes it; empty when the meeting runs here,
     * nowhere, or on a node that is gone. Nothing is placed.
     */
    public Optional<Node> elsewhere(long roomId) {
        return redis == null ? Optional.empty() : placedNode(roomId).filter(node -> !node.self());
    }

    private Optional<Node> placedNode(long roomId) {
        try {
            String current = redis.opsForValue().get(roomKey(roomId));
            return current == null ? Optional.empty() : nodes.node(current);
        } catch (RuntimeException e) {
            log.warn("Could not read room {}'s node from Redis: {}", roomId, e.toString());
            return Optional.empty();
        }
    }

    /**
     * Moves the room's meeting from this node to the least-loaded other one (draining): later joins and reconnections
     * go there. Answers the new placement, or nothing when no other node may take it.
     */
    public Optional<Placement> moveAway(long roomId) {
        if (redis == null) {
            return Optional.empty();
        }
        try {
            Optional<Node> target = leastLoaded(candidates().stream().filter(n -> !n.self()).toList());
            if (target.isEmpty()) {
                return Optional.empty();
            }
            return claim(roomId, nodes.id(), target.get()) ? Optional.of(of(target.get())) : find(roomId);
        } catch (RuntimeException e) {
            log.warn("Could not move room {} to another node in Redis: {}", roomId, e.toString());
            return Optional.empty();
        }
    }

    /**
     * The room's node did not answer: unless the room was placed elsewhere meanwhile, it is placed on the least-loaded
     * other node (or here), and that placement is answered.
     */
    public Placement placeInstead(long roomId, String unreachableNodeId) {
        if (redis == null) {
            return local();
        }
        try {
            Node chosen = leastLoaded(candidates().stream().filter(n -> !n.id().equals(unreachableNodeId)).toList())
                    .orElseGet(nodes::self);
            if (claim(roomId, unreachableNodeId, chosen)) {
                log.info("Room {}'s node {} does not answer; placed on {} now", roomId, unreachableNodeId,
                        chosen.url());
                return of(chosen);
            }
        } catch (RuntimeException e) {
            log.warn("Could not place room {} again in Redis: {}", roomId, e.toString());
            return local();
        }
        return place(roomId);
    }

    /**
     * Renews the placements of the meetings running here (as the heartbeat lists them). A meeting whose placement is
     * no longer this node's was placed again while this node's heartbeat had lapsed (a stall longer than
     * {@link NodeRegistry#LAPSE}: a long pause, a starved CPU, Redis out of reach), and runs twice now: see
     * {@link #reconcile}.
     */
    @Scheduled(fixedDelay = 5_000, initialDelay = 1_000)
    void renewLocal() {
        if (redis == null) {
            return;
        }
        String lifetime = String.valueOf(LIFETIME.toMillis());
        try {
            for (Map.Entry<Long, Integer> room : nodes.self().peopleByRoom().entrySet()) {
                Long kept = redis.execute(KEEP, List.of(roomKey(room.getKey())), nodes.id(), lifetime);
                if (kept == null || kept == 0) {
                    reconcile(room.getKey(), room.getValue()).ifPresent(elsewhere ->
                            events.publishEvent(new MeetingPlacedElsewhere(room.getKey(), elsewhere)));
                }
            }
        } catch (RuntimeException e) {
            log.warn("Could not renew this node's placements in Redis: {}", e.toString());
        }
    }

    /**
     * The room's meeting runs here, but its placement is not this node's. When the placement lapsed, or its node is
     * gone, the meeting is placed here again. When another node runs the room's meeting too (a split: someone joined
     * while this node stalled), the larger of the two keeps the placement, so that fewer people move and the meeting
     * with the most state (chat, hands, a recording) goes on; a tie leaves the placement where it is. Answers where
     * this node's people should go: empty while the meeting stays here. A draining node takes nothing back.
     */
    Optional<Placement> reconcile(long roomId, int people) {
        for (int attempt = 0; attempt < 3; attempt++) {
            String current = redis.opsForValue().get(roomKey(roomId));
            if (nodes.id().equals(current)) {
                return Optional.empty();
            }
            Optional<Node> holder = current == null ? Optional.empty() : nodes.node(current);
            if (nodes.isDraining()) {
                // The drain moved it there (WHIP and WHEP stay here), or keeps it here when no other node may take it.
                return holder.map(this::of);
            }
            if (holder.isPresent()) {
                int theirs = holder.get().peopleByRoom().getOrDefault(roomId, 0);
                if (people <= theirs) {
                    log.info("Room {}'s meeting runs here (people: {}) and on {} (people: {}), where it is placed: "
                            + "this node's people move there", roomId, people, holder.get().url(), theirs);
                    return Optional.of(of(holder.get()));
                }
            }
            // Taken back here: this node's heartbeat first, so that the others find the node they are sent to.
            nodes.heartbeat();
            if (claim(roomId, current, nodes.self())) {
                log.info("Room {}'s meeting runs here (people: {}); its placement on {} is this node's again", roomId,
                        people, current == null ? "no node (lapsed)" : current);
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** The room's meeting here ended: its placement goes, if it is still this node's, and no longer counts as load. */
    public void release(long roomId) {
        if (redis == null) {
            return;
        }
        try {
            redis.execute(KEEP, List.of(roomKey(roomId)), nodes.id(), "0");
            redis.opsForZSet().remove(nodes.placingKey(nodes.id()), String.valueOf(roomId));
        } catch (RuntimeException e) {
            log.warn("Could not take room {}'s placement out of Redis (it lapses in {} s): {}", roomId,
                    LIFETIME.toSeconds(), e.toString());
        }
    }

    /**
     * Places the room on {@code chosen} if its placement is still {@code expected} (null: none), counting the new
     * meeting toward the node's load until the node's heartbeat reports it; answers whether it did.
     */
    private boolean claim(long roomId, String expected, Node chosen) {
        String won = redis.execute(PLACE, List.of(roomKey(roomId), nodes.placingKey(chosen.id())),
                expected == null ? "" : expected, chosen.id(), String.valueOf(LIFETIME.toMillis()),
                String.valueOf(clock.millis()), String.valueOf(roomId),
                String.valueOf(RECENT.multipliedBy(2).toMillis()));
        return chosen.id().equals(won);
    }


    /** The nodes that take new meetings: up and not draining (this node too, unless it drains). */
    private List<Node> candidates() {
        return nodes.nodes().stream().filter(n -> !n.draining()).toList();
    }

    /**
     * The node with the fewest people (counting the meetings placed on it that its heartbeat does not report yet),
     * then the least CPU, then the lowest id. {@code nodes} as read a moment ago; their people and placements are
     * read again, all at once, so that no heartbeat falls between them. The larger of the two readings of a node's
     * people counts (this node's own is live, and newer than its heartbeat's).
     */
    Optional<Node> leastLoaded(List<Node> nodes) {
        if (nodes.isEmpty()) {
            return Optional.empty();
        }
        List<String> keys = new ArrayList<>();
        for (Node node : nodes) {
            keys.add(this.nodes.heartbeatKey(node.id()));
            keys.add(this.nodes.placingKey(node.id()));
        }
        List<?> loads = redis.execute(LOADS, keys, String.valueOf(clock.millis() - RECENT.toMillis()));
        Map<String, Long> load = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            long people = Math.max(nodes.get(i).participants(), number(loads, 2 * i));
            load.put(nodes.get(i).id(), people + PEOPLE_PER_NEW_MEETING * number(loads, 2 * i + 1));
        }
        return nodes.stream().min(Comparator.<Node>comparingLong(n -> load.get(n.id()))
                .thenComparingDouble(n -> n.cpu() < 0 ? 0 : n.cpu()).thenComparing(Node::id));
    }

    private static long number(List<?> values, int index) {
        return values != null && index < values.size() && values.get(index) instanceof Long value ? value : 0;
    }

    /** This node, without its load (which only a choice between nodes needs). */
    private Placement local() {
        return new Placement(nodes.id(), nodes.url(), true);
    }

    private Placement of(Node node) {
        return new Placement(node.id(), node.url(), node.id().equals(nodes.id()));
    }

    private String roomKey(long roomId) {
        return prefix + "room:" + roomId;
    }
}
