package dev.parley.turn;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One TURN server URL as browsers take it in {@code RTCIceServer.urls} (RFC 7065): {@code turn:} or {@code turns:}
 * (TURN over TLS), a host name or address, an optional port and an optional {@code ?transport=udp|tcp}. Checked at
 * start-up, so a typo stops Parley with a clear message instead of leaving browsers without a relay.
 *
 * <p>{@code turns:} needs a host name: Firefox skips a TURN-over-TLS server given by address without a word (it will
 * not try TLS without a name to check the certificate against), which would leave exactly the people behind the
 * strictest networks without a relay.
 *
 * @param url the URL in lower case
 */
public record TurnUrl(String url) {

    static final int MAX_LENGTH = 255;
    private static final Pattern SHAPE = Pattern.compile(
            "(?i)(turns?):(\\[[0-9a-f:.]+]|[a-z0-9]([a-z0-9.-]*[a-z0-9])?)(?::(\\d{1,5}))?(?:\\?transport=([a-z]+))?");

    /**
     * @throws IllegalArgumentException with a message naming the URL and what is wrong with it
     */
    public static TurnUrl parse(String text) {
        String url = text.strip();
        if (url.isEmpty()) {
            throw new IllegalArgumentException("an empty TURN URL (two commas in a row?)");
        }
        if (url.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("a TURN URL longer than " + MAX_LENGTH + " characters");
        }
        Matcher m = SHAPE.matcher(url);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + url + "' is not a TURN URL: expected turn:HOST[:PORT]"
                    + "[?transport=udp|tcp] or turns:HOST[:PORT], e.g. turn:turn.example.org:3478?transport=udp or "
                    + "turns:turn.example.org:443");
        }
        String scheme = m.group(1).toLowerCase(Locale.ROOT);
        if (m.group(4) != null) {
            int port = Integer.parseInt(m.group(4));
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("'" + url + "': the port must be from 1 to 65535");
            }
        }
        String transport = m.group(5) == null ? null : m.group(5).toLowerCase(Locale.ROOT);
        if (transport != null && !transport.equals("udp") && !transport.equals("tcp")) {
            throw new IllegalArgumentException("'" + url + "': transport must be udp or tcp");
        }
        if (scheme.equals("turns") && isAddress(m.group(2))) {
            throw new IllegalArgumentException("'" + url + "': turns: needs the TURN server's host name, the one its "
                    + "certificate names (Firefox does not use TURN over TLS to a bare address), e.g. "
                    + "turns:turn.example.org:443");
        }
        if (scheme.equals("turns") && "udp".equals(transport)) {
            throw new IllegalArgumentException("'" + url + "': turns: is TURN over TLS, which runs on TCP; "
                    + "drop ?transport=udp");
        }
        return new TurnUrl(scheme + ":" + m.group(2).toLowerCase(Locale.ROOT)
                + (m.group(4) == null ? "" : ":" + m.group(4)) + (transport == null ? "" : "?transport=" + transport));
    }

    private static boolean isAddress(String host) {
        return host.startsWith("[") || host.matches("[0-9.]+");
    }

    @Override
    public String toString() {
        return url;
    }
}
