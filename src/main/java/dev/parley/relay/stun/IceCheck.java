package dev.parley.relay.stun;

/**
 * The ICE attributes of a connectivity check (RFC 8445 section 7.1): USERNAME "remoteUfrag:localUfrag", PRIORITY of
 * the candidate the sender would learn as peer-reflexive, the role with its tie-breaker, and USE-CANDIDATE.
 *
 * @param priority unsigned 32-bit value, 0..4294967295
 */
public record IceCheck(String username, long priority, IceRole role, long tieBreaker, boolean useCandidate) {

    public IceCheck {
        if (username == null || username.isEmpty()) {
            throw new IllegalArgumentException("username required");
        }
        if (priority < 0 || priority > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("priority is an unsigned 32-bit value");
        }
        if (role == null) {
            throw new IllegalArgumentException("role required");
        }
    }

    /**
     * The check a controlling agent (our load generator or test client) sends towards a lite agent: USERNAME is the
     * remote (answering) agent's ufrag, a colon, then our own; integrity is keyed with the remote password.
     */
    public static IceCheck controlling(String remoteUfrag, String localUfrag, long priority, long tieBreaker,
            boolean useCandidate) {
        return new IceCheck(remoteUfrag + ":" + localUfrag, priority, IceRole.CONTROLLING, tieBreaker, useCandidate);
    }
}
