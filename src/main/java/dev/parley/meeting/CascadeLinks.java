package dev.parley.meeting;

import dev.parley.cluster.NodeRegistry;
import dev.parley.meeting.CascadeMessages.LinkAddress;
import dev.parley.meeting.CascadeMessages.LinkCloseCall;
import dev.parley.meeting.CascadeMessages.LinkOpenCall;
import dev.parley.meeting.CascadeMessages.LinkTracksCall;
import dev.parley.relay.LinkEvents;
import dev.parley.relay.LinkHandle;
import dev.parley.relay.LinkKey;
import dev.parley.relay.LinkTrack;
import dev.parley.relay.Relay;
import dev.parley.relay.RelayException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The relay links of meetings that span nodes, on both sides: the home node's relay is the hub of each such meeting,
 * linked to a spoke on each of its media nodes (see {@link MediaNodes}). Opening a link is the home's doing: it opens
 * its side, asks the media node to open and connect its own, and connects its side to what that answers. Each side
 * then tells the other the tracks it sends over the link, as they change. Links carry SRTP unless
 * {@code parley.cluster.cascade.link-security} is {@code plain}: each side makes a key for what it sends, and the two
 * keys travel with the link's opening, through Redis (which, holding the sessions already, must be private).
 */
@Component
class CascadeLinks {

    private static final long RELAY_SECONDS = 5;
    private static final Logger log = LoggerFactory.getLogger(CascadeLinks.class);

    private final Relay relay;
    private final CascadeCalls calls;
    private final NodeRegistry nodes;
    private final String linkHost;
    /**
     * Whether this node's links carry SRTP (the default): the home asks for what it is set to, and a media node set
     * to SRTP refuses a plain link.
     */
    private final boolean secure;
    /** Each room's links here, by room and the other node's id. */
    private final Map<String, Map<String, LinkState>> links = new ConcurrentHashMap<>();

    CascadeLinks(Relay relay, CascadeCalls calls, NodeRegistry nodes,
                 @Value("${parley.cluster.cascade.link-address:}") String linkAddress,
                 @Value("${parley.cluster.cascade.link-security:srtp}") String linkSecurity) {
        if (!linkSecurity.equals("srtp") && !linkSecurity.equals("plain")) {
            throw new IllegalArgumentException("parley.cluster.cascade.link-security is srtp or plain, not "
                    + linkSecurity);
        }
        this.relay = relay;
        this.calls = calls;
        this.nodes = nodes;
        this.secure = linkSecurity.equals("srtp");
        this.linkHost = linkAddress.isBlank() ? relay.announcedAddresses().get(0).getHostAddress()
                : linkAddress.strip();
        calls.answer(CascadeMessages.LINK_OPEN, LinkOpenCall.class, this::onLinkOpen);
        calls.answer(CascadeMessages.LINK_TRACKS, LinkTracksCall.class, this::onLinkTracks);
        calls.answer(CascadeMessages.LINK_CLOSE, LinkCloseCall.class, this::onLinkClose);
    }

    // ================================================================== the home's side

    /**
     * Links the room's relay here (the hub) with the node's (a spoke) unless they are linked. Runs on the node's
     * thread of {@link CascadeCalls}; throws when the node does not link.
     */
    void ensureLinked(String room, String node) throws Exception {
        LinkState existing = get(room, node);
        if (existing != null && existing.isConnected()) {
            return;
        }
        if (existing != null) {
            remove(room, node, existing);
            existing.close();
        }
        // Kept before the call: the media node's first tracks may come before its answer.
        LinkState state = new LinkState(room, node);
        links.computeIfAbsent(room, key -> new ConcurrentHashMap<>()).put(node, state);
        try {
            LinkHandle link = relay.openLink(room, node, true, secure, state).get(RELAY_SECONDS, TimeUnit.SECONDS);
            state.opened(link);
            LinkAddress far = calls.call(node, CascadeMessages.LINK_OPEN, new LinkOpenCall(nodes.id(), room, linkHost,
                    relay.port(), link.tag(), secure ? link.key().encoded() : null), LinkAddress.class, false)
                    .orElseThrow(() -> new RelayException("media-node", "node " + node + " did not link"));
            if (secure == (far.key() == null)) {
                throw new RelayException("media-node", "node " + node + " answered a " + (secure ? "plain" : "secure")
                        + " link");
            }
            relay.connectLink(link, new InetSocketAddress(InetAddress.getByName(far.host()), far.port()), far.tag(),
                    secure ? LinkKey.decode(far.key()) : null).get(RELAY_SECONDS, TimeUnit.SECONDS);
            state.connected(far.tag());
        } catch (Exception e) {
            remove(room, node, state);
            state.close();
            calls.tell(node, CascadeMessages.LINK_CLOSE, new LinkCloseCall(nodes.id(), room), false);
            throw e;
        }
    }

    /**
     * Links the room's relay with the node's anew: the node answered that it has no side of the link this side still
     * takes for up (it closed its side before this one heard). Runs on the node's thread of {@link CascadeCalls}.
     */
    void relink(String room, String node) throws Exception {
        LinkState stale = get(room, node);
        if (stale != null && remove(room, node, stale)) {
            stale.close();
        }
        ensureLinked(room, node);
    }

    /** Closes the room's link to the node on both sides. Runs on the node's thread of {@link CascadeCalls}. */
    void unlink(String room, String node) {
        LinkState state = get(room, node);
        if (state != null && remove(room, node, state)) {
            state.close();
            calls.reached(node, CascadeMessages.LINK_CLOSE, new LinkCloseCall(nodes.id(), room), false);
        }
    }

    // ================================================================== the media node's side

    private LinkAddress onLinkOpen(LinkOpenCall call) throws Exception {
        boolean secured = call.key() != null;
        if (secure && !secured) {
            throw new RelayException("media-node", "this node takes SRTP links only; node " + call.home()
                    + " asked for a plain one");
        }
        LinkState state = new LinkState(call.room(), call.home());
        LinkState previous = links.computeIfAbsent(call.room(), key -> new ConcurrentHashMap<>())
                .put(call.home(), state);
        if (previous != null) {
            previous.close(); // the home linked again (it lost its side, or restarted)
        }
        try {
            LinkHandle link = relay.openLink(call.room(), call.home(), false, secured, state).get(RELAY_SECONDS,
                    TimeUnit.SECONDS);
            state.opened(link);
            relay.connectLink(link, new InetSocketAddress(InetAddress.getByName(call.host()), call.port()),
                    call.tag(), secured ? LinkKey.decode(call.key()) : null).get(RELAY_SECONDS, TimeUnit.SECONDS);
            state.connected(call.tag());
            return new LinkAddress(linkHost, relay.port(), link.tag(), secured ? link.key().encoded() : null);
        } catch (Exception e) {
            remove(call.room(), call.home(), state);
            state.close();
            throw e;
        }
    }

    /** Whether this node's relay is linked with the node's for the room (on a media node: with the home's). */
    boolean isLinked(String room, String node) {
        LinkState state = get(room, node);
        return state != null && state.isConnected();
    }

    /** The home's transports here for the room are all gone: this side of its link goes too. */
    void homeLeft(String room, String home) {
        LinkState state = get(room, home);
        if (state != null && remove(room, home, state)) {
            state.close();
        }
    }

    // ================================================================== both sides

    private Object onLinkTracks(LinkTracksCall call) {
        LinkState state = get(call.room(), call.from());
        if (state != null) {
            state.farTracks(call);
        }
        return null;
    }

    private Object onLinkClose(LinkCloseCall call) {
        LinkState state = get(call.room(), call.from());
        if (state != null && remove(call.room(), call.from(), state)) {
            state.close();
        }
        return null;
    }

    private LinkState get(String room, String node) {
        Map<String, LinkState> byNode = links.get(room);
        return byNode == null ? null : byNode.get(node);
    }

    private boolean remove(String room, String node, LinkState state) {
        Map<String, LinkState> byNode = links.get(room);
        if (byNode == null || !byNode.remove(node, state)) {
            return false;
        }
        links.computeIfPresent(room, (key, rest) -> rest.isEmpty() ? null : rest);
        return true;
    }

    /** One side of a room's link, and the tracks each side sends over it. */
    private final class LinkState implements LinkEvents {

        private final String room;
        private final String node;
        private LinkHandle link;
        private int farTag;
        private boolean closed;
        private List<LinkTrack> latest;
        private long sent;
        private long applied;
        /** The far side's newest list, come before this side was connected. */
        private LinkTracksCall early;

        LinkState(String room, String node) {
            this.room = room;
            this.node = node;
        }

        synchronized void opened(LinkHandle handle) {
            link = handle;
        }

        synchronized void connected(int tag) {
            farTag = tag;
            if (latest != null) {
                send(latest);
            }
            if (early != null) {
                apply(early);
                early = null;
            }
        }

        synchronized boolean isConnected() {
            return farTag != 0 && !closed;
        }

        @Override
        public synchronized void onTracks(List<LinkTrack> tracks) {
            latest = tracks;
            if (farTag != 0) {
                send(tracks);
            }
        }

        private void send(List<LinkTrack> tracks) {
            calls.tell(node, CascadeMessages.LINK_TRACKS, new LinkTracksCall(nodes.id(), room, farTag, ++sent, tracks),
                    true);
        }

        synchronized void farTracks(LinkTracksCall call) {
            if (closed || link == null || call.tag() != link.tag()) {
                return; // for a side of the link since replaced
            }
            if (farTag == 0) {
                if (early == null || call.sequence() > early.sequence()) {
                    early = call;
                }
                return;
            }
            apply(call);
        }

        private void apply(LinkTracksCall call) {
            if (call.sequence() <= applied) {
                return; // an older list that arrived late
            }
            applied = call.sequence();
            relay.setLinkTracks(link, call.tracks()).exceptionally(failure -> {
                log.warn("Node {} sent tracks for {} this relay cannot take: {}", node, room, failure.toString());
                return null;
            });
        }

        synchronized void close() {
            closed = true;
            if (link != null) {
                relay.closeLink(link, "unlinked");
            }
        }
    }
}
