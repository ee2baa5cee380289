package dev.parley.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.testing.RedisSupport;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * A meeting that runs on two nodes at once (one node stalled past its heartbeat's lapse while someone joined through
 * the other) becomes one again: each node's renewal finds whose placement stands and who moves. Two nodes' registries
 * and placements in this JVM, on the local Redis under a namespace of the test's own; each node's meetings are what
 * the test says they are. The two processes of {@code StalledNodeTest} show the same with real meetings.
 */
@ExtendWith(RedisSupport.class)
class RoomPlacementTest {

    private static final long ROOM = 7;

    private LettuceConnectionFactory connection;
    private StringRedisTemplate redis;
    private String namespace;
    private Side a;
    private Side b;

    /** One node: its registry and placement, the meetings it says it runs, and the moves it was told of. */
    private final class Side implements NodeStatus {
        final Map<Long, Integer> people = new ConcurrentHashMap<>();
        final List<MeetingPlacedElsewhere> moves = new ArrayList<>();
        final NodeRegistry nodes;
        final RoomPlacement placement;

        Side(int port) {
            StaticListableBeanFactory beans = new StaticListableBeanFactory();
            beans.addBean("redis", redis);
            beans.addBean("status", this);
            nodes = new NodeRegistry(beans.getBeanProvider(StringRedisTemplate.class),
                    beans.getBeanProvider(NodeStatus.class), Clock.systemUTC(), namespace, "", "127.0.0.1", port,
                    "off", 8443);
            placement = new RoomPlacement(beans.getBeanProvider(StringRedisTemplate.class), nodes, Clock.systemUTC(),
                    event -> moves.add((MeetingPlacedElsewhere) event), namespace);
            nodes.start();
            nodes.heartbeat();
        }

        @Override
        public int meetings() {
            return people.size();
        }

        @Override
        public int participants() {
            return people.values().stream().mapToInt(Integer::intValue).sum();
        }

        @Override
        public Map<Long, Integer> peopleByRoom() {
            return Map.copyOf(people);
        }

        @Override
        public long packetsPerSecond() {
            return 0;
        }

        @Override
        public String mediaAddress() {
            return "127.0.0.1 udp/1";
        }

        /** Where the room is placed, as this node finds it. */
        String placedOn() {
            return placement.find(ROOM).map(RoomPlacement.Placement::nodeId).orElse(null);
        }
    }

    @BeforeEach
    void nodes() {
        connection = new LettuceConnectionFactory(
                LettuceConnectionFactory.createRedisConfiguration(RedisSupport.url()));
        connection.afterPropertiesSet();
        connection.start();
        redis = new StringRedisTemplate(connection);
        namespace = "parley-placement-" + UUID.randomUUID();
        a = new Side(8080);
        b = new Side(8081);
    }

    @AfterEach
    void cleanUp() {
        a.nodes.stop();
        b.nodes.stop();
        redis.delete(redis.keys(namespace + ":*"));
        connection.destroy();
    }

    /** The room placed on {@code on}, which runs its meeting with {@code people} as its heartbeat says. */
    private void runs(Side on, int people) {
        redis.opsForValue().set(namespace + ":room:" + ROOM, on.nodes.id());
        alsoRuns(on, people);
    }

    /** The room's meeting also runs on {@code side}, whose placement was taken meanwhile. */
    private void alsoRuns(Side side, int people) {
        side.people.put(ROOM, people);
        side.nodes.heartbeat();
    }

    @Test
    void theSmallerCopyMovesToThePlacedOneAndThePlacementStays() {
        runs(b, 3);
        alsoRuns(a, 2);

        a.placement.renewLocal();
        b.placement.renewLocal();

        assertThat(a.moves).singleElement().satisfies(move -> {
            assertThat(move.roomId()).isEqualTo(ROOM);
            assertThat(move.placement().nodeId()).isEqualTo(b.nodes.id());
            assertThat(move.placement().local()).isFalse();
            assertThat(move.placement().url()).isEqualTo("http://127.0.0.1:8081");
        });
        assertThat(b.moves).isEmpty();
        assertThat(a.placedOn()).isEqualTo(b.nodes.id());
    }

    @Test
    void aTieLeavesThePlacementWhereItIs() {
        runs(b, 2);
        alsoRuns(a, 2);

        a.placement.renewLocal();

        assertThat(a.moves).singleElement().extracting(move -> move.placement().nodeId()).isEqualTo(b.nodes.id());
        assertThat(b.placedOn()).isEqualTo(b.nodes.id());
    }

    @Test
    void theLargerCopyTakesThePlacementBackAndTheOtherMovesAtItsNextRenewal() {
        runs(b, 1);
        alsoRuns(a, 4);

        a.placement.renewLocal();
        assertThat(a.moves).as("the larger copy stays").isEmpty();
        assertThat(b.placedOn()).as("and is where the room's people are sent").isEqualTo(a.nodes.id());

        b.placement.renewLocal();
        assertThat(b.moves).singleElement().extracting(move -> move.placement().nodeId()).isEqualTo(a.nodes.id());
        assertThat(a.placedOn()).isEqualTo(a.nodes.id());
    }

    @Test
    void aLapsedPlacementOrOneOnANodeThatIsGoneIsTakenBackWithoutMovingAnyone() {
        alsoRuns(a, 2);
        a.placement.renewLocal();
        assertThat(a.moves).isEmpty();
        assertThat(b.placedOn()).as("no placement: taken back").isEqualTo(a.nodes.id());

        redis.opsForValue().set(namespace + ":room:" + ROOM, "127.0.0.1-9-gone");
        a.placement.renewLocal();
        assertThat(a.moves).isEmpty();
        assertThat(b.placedOn()).as("placed on a node without a heartbeat: taken back").isEqualTo(a.nodes.id());
    }

    @Test
    void aDrainingNodeTakesNothingBackAndItsPeopleGoWhereTheMeetingIsPlaced() {
        runs(b, 1);
        alsoRuns(a, 5);
        a.nodes.drain();

        a.placement.renewLocal();

        assertThat(a.moves).singleElement().extracting(move -> move.placement().nodeId()).isEqualTo(b.nodes.id());
        assertThat(b.placedOn()).isEqualTo(b.nodes.id());
    }

    @Test
    void aMeetingWhosePlacementIsItsOwnIsOnlyRenewed() {
        runs(a, 3);

        a.placement.renewLocal();
        b.placement.renewLocal();

        assertThat(a.moves).isEmpty();
        assertThat(b.moves).isEmpty();
        assertThat(b.placedOn()).isEqualTo(a.nodes.id());
    }

    @Test
    void aMeetingJustPlacedCountsOnItsNodeEvenWhenItsHeartbeatReportsItWhileTheNodesAreRead() {
        // The nodes are read first (c empty), then c's heartbeat reports the meeting placed there (three people
        // already) and so takes it out of c's placements, then the choice counts: c must not look empty.
        Side c = new Side(8082);
        try {
            placeOnTheEmptyOne(c);
            List<Node> read = a.nodes.nodes();
            assertThat(read).filteredOn(node -> node.id().equals(c.nodes.id())).singleElement()
                    .extracting(Node::participants).isEqualTo(0);

            c.people.put(ROOM, 3);
            c.nodes.heartbeat();

            assertThat(a.placement.leastLoaded(read)).get().extracting(Node::id).as("b (1 person), not c (3)")
                    .isEqualTo(b.nodes.id());
        } finally {
            c.nodes.stop();
        }
    }

    @Test
    void aMeetingWhoseHostIsNotInYetStillCountsOnItsNode() {
        Side c = new Side(8082);
        try {
            placeOnTheEmptyOne(c);
            c.people.put(ROOM, 0); // open, people waiting in its lobby, nobody in
            c.nodes.heartbeat();

            assertThat(a.placement.leastLoaded(a.nodes.nodes())).get().extracting(Node::id)
                    .as("b (1 person), not c (a meeting placed, nobody in yet)").isEqualTo(b.nodes.id());
        } finally {
            c.nodes.stop();
        }
    }

    /** a carries five people, b one, {@code empty} none: the room is placed there. */
    private void placeOnTheEmptyOne(Side empty) {
        a.people.put(1L, 5);
        a.nodes.heartbeat();
        b.people.put(2L, 1);
        b.nodes.heartbeat();
        assertThat(a.placement.place(ROOM).nodeId()).as("the least loaded node").isEqualTo(empty.nodes.id());
    }
}
