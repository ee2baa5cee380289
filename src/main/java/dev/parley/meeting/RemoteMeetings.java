package dev.parley.meeting;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.cluster.Node;
import dev.parley.cluster.NodeCalls;
import dev.parley.cluster.NodeRegistry;
import dev.parley.cluster.RoomPlacement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Meetings on the other nodes: which node carries a room's meeting, and calls to that node (or all of them) for what
 * only the meeting's own node can do. Requests and answers travel as JSON over {@link NodeCalls}.
 */
@Component
class RemoteMeetings {

    /** How long a call waits for the meeting's node: an admin's click or a page view waits that long at worst. */
    static final Duration LIMIT = Duration.ofSeconds(3);
    private static final Logger log = LoggerFactory.getLogger(RemoteMeetings.class);

    private final NodeCalls calls;
    private final RoomPlacement placement;
    private final NodeRegistry nodes;
    private final ObjectMapper json;

    RemoteMeetings(NodeCalls calls, RoomPlacement placement, NodeRegistry nodes, ObjectMapper json) {
        this.calls = calls;
        this.placement = placement;
        this.nodes = nodes;
        this.json = json;
    }

    /** The node carrying the room's meeting when that is another node. */
    Optional<String> nodeOf(long roomId) {
        return placement.elsewhere(roomId).map(Node::id);
    }

    /**
     * The other nodes that have something of the room's meeting: where it is placed, and any whose heartbeat lists
     * it (after a drain, the streams that stayed on the drained node).
     */
    List<String> nodesWith(long roomId) {
        if (!nodes.isClustered()) {
            return List.of();
        }
        Optional<String> placed = nodeOf(roomId);
        List<String> found = new ArrayList<>(placed.stream().toList());
        nodes.nodes().stream().filter(n -> !n.self() && n.peopleByRoom().containsKey(roomId))
                .map(Node::id).filter(id -> !found.contains(id)).forEach(found::add);
        return found;
    }

    /** Whether this node is one of several (Redis set). */
    boolean clustered() {
        return nodes.isClustered();
    }

    /** The other nodes that are up. */
    List<String> otherNodes() {
        return nodes.isClustered() ? nodes.nodes().stream().filter(n -> !n.self()).map(Node::id).toList()
                : List.of();
    }

    /** People in the room's meeting on another node, as that node's last heartbeat (at most seconds old) said. */
    int peopleElsewhere(long roomId) {
        return placement.elsewhere(roomId).map(node -> node.peopleByRoom().getOrDefault(roomId, 0)).orElse(0);
    }

    /** The other node's answer, or empty when it gave none in time. */
    <T> Optional<T> call(String nodeId, String operation, Object request, Class<T> answer) {
        return call(nodeId, operation, request, typeOf(answer));
    }

    /** As above; an answer that is not of that type counts as none (logged: the nodes run different versions?). */
    <T> Optional<T> call(String nodeId, String operation, Object request, JavaType answer) {
        return calls.call(nodeId, operation, write(request), LIMIT).flatMap(text -> read(nodeId, operation, text,
                answer));
    }

    /** The answers of several nodes, asked at once (within one {@link #LIMIT}); those that gave none are left out. */
    <T> List<T> callEach(List<String> nodeIds, String operation, Object request, JavaType answer) {
        List<T> answers = new ArrayList<>();
        calls.callEach(nodeIds, operation, write(request), LIMIT).forEach((node, text) -> text
                .flatMap(t -> this.<T>read(node, operation, t, answer)).ifPresent(answers::add));
        return answers;
    }

    private <T> Optional<T> read(String nodeId, String operation, String text, JavaType answer) {
        try {
            return Optional.ofNullable(json.readValue(text, answer));
        } catch (JsonProcessingException e) {
            log.warn("Node {} answered {} with what this node cannot read: {}", nodeId, operation, e.toString());
            return Optional.empty();
        }
    }

    /** Has every node, this one at once, run the operation (which must be idempotent: see NodeCalls#broadcast). */
    void broadcast(String operation, Object request) {
        calls.broadcast(operation, write(request));
    }

    /** What this node does when another calls the operation on it. */
    <Q> void answer(String operation, Class<Q> request, Function<Q, Object> handler) {
        calls.answer(operation, body -> {
            try {
                return write(handler.apply(json.readValue(body, request)));
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("unreadable " + operation + " call", e);
            }
        });
    }

    JavaType typeOf(Class<?> type) {
        return json.constructType(type);
    }

    JavaType listOf(Class<?> element) {
        return json.getTypeFactory().constructCollectionType(List.class, element);
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
