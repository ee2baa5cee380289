package dev.parley.meeting;

import dev.parley.cluster.NodeRegistry;
import dev.parley.cluster.RoomPlacement;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Where a socket's first message (join or resume) is handled: here, or on the node where its meeting runs (a
 * {@link Route}; {@link SignalingHandler} then forwards the socket there). A join places the meeting when it runs
 * nowhere yet; a resume goes to the node that issued its token. With one node everything is handled here.
 */
@Component
class SignalingRoutes {

    /** The node to forward to: its id and URL, and the room when a join placed it there. */
    record Route(String nodeId, String url, Long roomId) {
    }

    private static final String MOVED = "meeting-moved";
    private static final String MOVED_TEXT = "The server that held your place in the meeting stopped; joining again.";

    private final JoinTickets tickets;
    private final RoomPlacement placement;
    private final NodeRegistry nodes;

    SignalingRoutes(JoinTickets tickets, RoomPlacement placement, NodeRegistry nodes) {
        this.tickets = tickets;
        this.placement = placement;
        this.nodes = nodes;
    }

    /** A node alone, outside Spring (the signalling fuzz test): every message is handled here. */
    static SignalingRoutes alone(JoinTickets tickets) {
        return new SignalingRoutes(tickets, null, null);
    }

    /** The node that must handle this message, or empty for this node. */
    Optional<Route> elsewhere(ClientMessage first) {
        if (nodes == null || !nodes.isClustered()) {
            return Optional.empty();
        }
        if (first instanceof ClientMessage.Join join) {
            // A ticket that does not read is refused here, as usual (and not spent).
            JoinTickets.Ticket ticket = tickets.read(join.ticket()).ticket();
            return ticket == null ? Optional.empty() : route(placement.place(ticket.roomId()), ticket.roomId());
        }
        if (first instanceof ClientMessage.Resume resume) {
            // A token of another length is refused here as usual, unread (the node id in it is the client's word).
            String node = resume.token().length() > ResumeTokens.MAX_LENGTH ? "" : ResumeTokens.nodeOf(resume.token());
            if (node.isEmpty() || node.equals(nodes.id())) {
                return Optional.empty();
            }
            return Optional.of(nodes.node(node).map(n -> new Route(n.id(), n.url(), null))
                    .orElseThrow(() -> new Refusal(MOVED, MOVED_TEXT)));
        }
        return Optional.empty();
    }

    /** Whether the route's node still heartbeats: one that did not answer may only be stalled. */
    boolean listed(Route route) {
        return nodes != null && nodes.node(route.nodeId()).isPresent();
    }

    /**
     * The route's node did not answer (it died and its heartbeat has not lapsed yet). A join's meeting is placed
     * again, away from it; a resume's place is gone with the node, and the page joins again.
     */
    Optional<Route> unreachable(Route route) {
        if (route.roomId() == null) {
            throw new Refusal(MOVED, MOVED_TEXT);
        }
        return route(placement.placeInstead(route.roomId(), route.nodeId()), route.roomId());
    }

    private static Optional<Route> route(RoomPlacement.Placement where, long roomId) {
        return where.local() ? Optional.empty() : Optional.of(new Route(where.nodeId(), where.url(), roomId));
    }
}
