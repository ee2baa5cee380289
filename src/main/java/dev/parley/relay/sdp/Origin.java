package dev.parley.relay.sdp;

import java.math.BigInteger;
import java.util.List;

/**
 * The o= line: {@code o=<username> <sess-id> <sess-version> <nettype> <addrtype> <unicast-address>}.
 * Session id and version are kept as decimal strings because RFC 8866 does not bound them.
 */
public record Origin(String username, String sessionId, String sessionVersion, String netType, String addrType,
                     String address) {

    public Origin {
        Syntax.word(username, "origin username");
        digits(sessionId, "origin session id");
        digits(sessionVersion, "origin session version");
        Syntax.word(netType, "origin network type");
        Syntax.word(addrType, "origin address type");
        Syntax.word(address, "origin address");
    }

    /** An origin for a description this server creates: {@code o=- <id> <version> IN IP4 127.0.0.1}. */
    public static Origin of(long sessionId, long sessionVersion) {
        return new Origin("-", Long.toUnsignedString(sessionId), Long.toUnsignedString(sessionVersion), "IN", "IP4",
                "127.0.0.1");
    }

    static Origin parse(String value) {
        List<String> w = Syntax.words(value);
        if (w.size() != 6) {
            throw new IllegalArgumentException("o= line needs 6 fields "
                    + "(username sess-id sess-version nettype addrtype address), found " + w.size());
        }
        return new Origin(w.get(0), w.get(1), w.get(2), w.get(3), w.get(4), w.get(5));
    }

    /** The same origin with the session version increased by one, as a renegotiated offer must carry. */
    public Origin nextVersion() {
        String next = new BigInteger(sessionVersion).add(BigInteger.ONE).toString();
        return new Origin(username, sessionId, next, netType, addrType, address);
    }

    String format() {
        return username + ' ' + sessionId + ' ' + sessionVersion + ' ' + netType + ' ' + addrType + ' ' + address;
    }

    private static void digits(String s, String what) {
        Syntax.word(s, what);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException(what + " '" + s + "' is not a number");
            }
        }
    }
}
