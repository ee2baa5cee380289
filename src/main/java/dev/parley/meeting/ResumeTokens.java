package dev.parley.meeting;

import dev.parley.cluster.NodeRegistry;
import dev.parley.common.SecretTokens;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The secret a browser participant gets with its welcome to take its place back over a new socket after its
 * connection dropped (docs/signaling.md, section 4). A token is the issuing node's id and 256 random bits, bound to
 * one participant in one room, good for one resume (each resume hands out the next), and gone once its participant
 * left. Only a hash of it is kept and it is never logged.
 */
@Component
public class ResumeTokens {

    /** Longer tokens are refused unread (a node id of a long host name, a dot and 43 characters fit). */
    static final int MAX_LENGTH = 256;

    /** Whose place a token holds. */
    public record Holder(String participantId, long roomId) {
    }

    /** Hash of the token to its holder. */
    private final Map<String, Holder> holders = new ConcurrentHashMap<>();
    /** Participant id to the hash of its one current token. */
    private final Map<String, String> current = new ConcurrentHashMap<>();

    /** The node that issues the tokens, named in them so that any node knows where a token is good. */
    private final String node;

    /** Tokens of a node alone. */
    public ResumeTokens() {
        this("");
    }

    @Autowired
    public ResumeTokens(NodeRegistry nodes) {
        this(nodes.id());
    }

    private ResumeTokens(String node) {
        this.node = node;
    }

    /** The node that issued the token ('' for none named): its meeting is the only one where the token is good. */
    public static String nodeOf(String token) {
        int dot = token == null ? -1 : token.lastIndexOf('.');
        return dot <= 0 ? "" : token.substring(0, dot);
    }

    /** A new token for the participant; the one it had before stops working. */
    public String issue(String participantId, long roomId) {
        String token = node.isEmpty() ? SecretTokens.random(32) : node + "." + SecretTokens.random(32);
        String hash = hash(token);
        holders.put(hash, new Holder(participantId, roomId));
        String previous = current.put(participantId, hash);
        if (previous != null) {
            holders.remove(previous);
        }
        return token;
    }

    /** Whose place a token holds, without spending it; null when the token is unknown, spent or revoked. */
    public Holder holder(String token) {
        if (token == null || token.isEmpty() || token.length() > MAX_LENGTH) {
            return null;
        }
        return holders.get(hash(token));
    }

    /** Spends a token: its holder, or null when the token is unknown, spent or revoked. */
    public Holder redeem(String token) {
        if (token == null || token.isEmpty() || token.length() > MAX_LENGTH) {
            return null;
        }
        Holder holder = holders.remove(hash(token));
        if (holder != null) {
            current.remove(holder.participantId(), hash(token));
        }
        return holder;
    }

    /** The participant left: its token no longer works. */
    public void revoke(String participantId) {
        String hash = current.remove(participantId);
        if (hash != null) {
            holders.remove(hash);
        }
    }

    int size() {
        return holders.size();
    }

    private static String hash(String token) {
        return SecretTokens.sha256Hex(token);
    }
}
