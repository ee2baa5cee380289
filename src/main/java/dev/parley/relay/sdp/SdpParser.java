package dev.parley.relay.sdp;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses SDP text (RFC 8866) into a {@link SessionDescription}. Accepts CRLF or LF line ends and trailing blank
 * lines; keeps unknown attributes and unknown line types. Rejects, with {@link SdpParseException} and nothing else,
 * anything whose structure or whose understood values are malformed. Stateless and thread-safe.
 */
public final class SdpParser {

    private final List<String> lines;
    private final List<Timing> timings = new ArrayList<>();
    private final List<List<String>> repeats = new ArrayList<>();
    private SessionDescription session;
    private MediaDescription current;

    private SdpParser(List<String> lines) {
        this.lines = lines;
    }

    public static SessionDescription parse(String sdp) throws SdpParseException {
        if (sdp == null) {
            throw new SdpParseException(0, "no SDP text (null)", null);
        }
        return new SdpParser(splitLines(sdp)).run();
    }

    /**
     * Parses one trickled candidate as the browser's {@code RTCIceCandidate.candidate} gives it
     * ({@code candidate:...}), also accepting an {@code a=} prefix or the bare value. An empty string (the browser's
     * end-of-candidates marker) is not a candidate and is rejected.
     */
    public static IceCandidate parseCandidate(String text) throws SdpParseException {
        if (text == null) {
            throw new SdpParseException(0, "no candidate text (null)", null);
        }
        String v = text.strip();
        if (v.startsWith("a=")) {
            v = v.substring(2);
        }
        if (v.startsWith("candidate:")) {
            v = v.substring("candidate:".length());
        }
        try {
            Syntax.text(v, "candidate");
            return IceCandidate.parse(v);
        } catch (IllegalArgumentException e) {
            throw new SdpParseException(1, "bad candidate: " + e.getMessage(), text);
        }
    }

    static List<String> splitLines(String sdp) {
        List<String> out = new ArrayList<>();
        int start = 0;
        while (true) {
            int nl = sdp.indexOf('\n', start);
            int end = nl < 0 ? sdp.length() : nl;
            int e = end > start && sdp.charAt(end - 1) == '\r' ? end - 1 : end;
            out.add(sdp.substring(start, e));
            if (nl < 0) {
                break;
            }
            start = nl + 1;
        }
        while (!out.isEmpty() && out.get(out.size() - 1).isBlank()) {
            out.remove(out.size() - 1);
        }
        return out;
    }

    private SessionDescription run() throws SdpParseException {
        for (int i = 0; i < lines.size(); i++) {
            String text = lines.get(i);
            try {
                line(i + 1, text);
            } catch (IllegalArgumentException e) {
                throw new SdpParseException(i + 1, e.getMessage(), text);
            }
        }
        String missing = lines.isEmpty() ? "v=0" : lines.size() == 1 ? "o=" : lines.size() == 2 ? "s=" : null;
        if (missing != null) {
            throw new SdpParseException(lines.size() + 1, "SDP ends before its " + missing + " line", null);
        }
        if (timings.isEmpty()) {
            throw new SdpParseException(lines.size() + 1, "SDP has no t= line", null);
        }
        List<Timing> withRepeats = new ArrayList<>();
        for (int i = 0; i < timings.size(); i++) {
            withRepeats.add(new Timing(timings.get(i).start(), timings.get(i).stop(), repeats.get(i)));
        }
        session.setTimings(withRepeats);
        return session;
    }

    private void line(int number, String text) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("empty line");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\r') {
                throw new IllegalArgumentException("carriage return inside a line");
            }
            if (c == 0) {
                throw new IllegalArgumentException("NUL character inside a line");
            }
        }
        if (text.length() < 2 || text.charAt(1) != '=') {
            throw new IllegalArgumentException("expected <type>=<value>");
        }
        char type = text.charAt(0);
        String value = text.substring(2);
        if (type < 'a' || type > 'z') {
            throw new IllegalArgumentException("line type '" + type + "' is not a lower-case letter");
        }
        switch (number) {
            case 1 -> {
                if (type != 'v') {
                    throw new IllegalArgumentException("SDP must start with v=0");
                }
                if (!value.equals("0")) {
                    throw new IllegalArgumentException("unsupported SDP version '" + value + "', expected 0");
                }
            }
            case 2 -> {
                if (type != 'o') {
                    throw new IllegalArgumentException("expected the o= line after v=0");
                }
                session = new SessionDescription(Origin.parse(value));
            }
            case 3 -> {
                if (type != 's') {
                    throw new IllegalArgumentException("expected the s= line after o=");
                }
                session.setSessionName(value);
            }
            default -> {
                if (current == null) {
                    sessionLine(type, value, text);
                } else {
                    mediaLine(type, value, text);
                }
            }
        }
    }

    private void sessionLine(char type, String value, String text) {
        switch (type) {
            case 'v', 'o', 's' -> throw new IllegalArgumentException("duplicate " + type + "= line");
            case 'i' -> {
                once(type, session.information().isPresent());
                session.setInformation(value);
            }
            case 'u' -> {
                once(type, session.uri().isPresent());
                session.setUri(value);
            }
            case 'e' -> session.addEmail(value);
            case 'p' -> session.addPhone(value);
            case 'c' -> {
                once(type, session.connection().isPresent());
                session.setConnection(Connection.parse(value));
            }
            case 'b' -> session.addBandwidth(Bandwidth.parse(value));
            case 't' -> {
                timings.add(Timing.parse(value));
                repeats.add(new ArrayList<>());
            }
            case 'r' -> {
                if (timings.isEmpty()) {
                    throw new IllegalArgumentException("r= line before any t= line");
                }
                repeats.get(repeats.size() - 1).add(value);
            }
            case 'z' -> {
                once(type, session.zoneAdjustments().isPresent());
                session.setZoneAdjustments(value);
            }
            case 'k' -> {
                once(type, session.encryptionKey().isPresent());
                session.setEncryptionKey(value);
            }
            case 'a' -> session.attributes().add(Attribute.parse(value));
            case 'm' -> {
                if (timings.isEmpty()) {
                    throw new IllegalArgumentException("no t= line before the first m= line");
                }
                startMedia(value);
            }
            default -> session.addUnknownLine(text);
        }
    }

    private void mediaLine(char type, String value, String text) {
        switch (type) {
            case 'm' -> startMedia(value);
            case 'i' -> {
                once(type, current.information().isPresent());
                current.setInformation(value);
            }
            case 'c' -> {
                once(type, current.connection().isPresent());
                current.setConnection(Connection.parse(value));
            }
            case 'b' -> current.addBandwidth(Bandwidth.parse(value));
            case 'k' -> {
                once(type, current.encryptionKey().isPresent());
                current.setEncryptionKey(value);
            }
            case 'a' -> current.attributes().add(Attribute.parse(value));
            case 'v', 'o', 's', 'u', 'e', 'p', 't', 'r', 'z' ->
                    throw new IllegalArgumentException(type + "= line is not allowed in a media section");
            default -> current.addUnknownLine(text);
        }
    }

    private void startMedia(String value) {
        try {
            current = MediaDescription.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad m= line: " + e.getMessage(), e);
        }
        session.addMedia(current);
    }

    private static void once(char type, boolean alreadySeen) {
        if (alreadySeen) {
            throw new IllegalArgumentException("duplicate " + type + "= line");
        }
    }
}
