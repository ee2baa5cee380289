package dev.parley.relay.sdp;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An a=candidate attribute (RFC 8839 section 5.1):
 * {@code <foundation> <component> <transport> <priority> <address> <port> typ <type> [raddr <a>] [rport <p>]
 * *(<name> <value>)}. The address may be an mDNS {@code .local} name; never trust it over the source address of a
 * connectivity check.
 *
 * @param raddr      related address, or null
 * @param rport      related port, or null
 * @param tcpType    RFC 6544 tcptype (active, passive, so), or null
 * @param extensions the other name/value pairs in order (generation, network-id, ufrag, ...)
 */
public record IceCandidate(String foundation, int component, String transport, long priority, String address,
                           int port, String type, String raddr, Integer rport, String tcpType,
                           Map<String, String> extensions) {

    public static final String HOST = "host";
    public static final String SRFLX = "srflx";
    public static final String PRFLX = "prflx";
    public static final String RELAY = "relay";

    public IceCandidate {
        Syntax.word(foundation, "candidate foundation");
        if (component < 1 || component > 256) {
            throw new IllegalArgumentException("candidate component " + component + " is out of range 1..256");
        }
        Syntax.word(transport, "candidate transport");
        if (priority < 0 || priority > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("candidate priority " + priority + " is out of range 0..4294967295");
        }
        Syntax.word(address, "candidate address");
        checkPort(port, "candidate port");
        Syntax.word(type, "candidate type");
        if (raddr != null) {
            Syntax.word(raddr, "candidate raddr");
        }
        if (rport != null) {
            checkPort(rport, "candidate rport");
        }
        if (tcpType != null) {
            Syntax.word(tcpType, "candidate tcptype");
        }
        Map<String, String> copy = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : extensions.entrySet()) {
            String name = Syntax.word(e.getKey(), "candidate extension name");
            if (name.equals("typ") || name.equals("raddr") || name.equals("rport") || name.equals("tcptype")) {
                throw new IllegalArgumentException("candidate extension '" + name + "' has its own field");
            }
            copy.put(name, Syntax.word(e.getValue(), "candidate extension value"));
        }
        extensions = Collections.unmodifiableMap(copy);
    }

    /** A host candidate as an ICE-lite server announces its own socket. */
    public static IceCandidate host(String foundation, int component, String transport, long priority,
                                    String address, int port) {
        return new IceCandidate(foundation, component, transport, priority, address, port, HOST, null, null, null,
                Map.of());
    }

    /** RFC 8445 section 5.1.2.1: {@code 2^24 * type preference + 2^8 * local preference + (256 - component)}. */
    public static long priority(int typePreference, int localPreference, int component) {
        if (typePreference < 0 || typePreference > 126 || localPreference < 0 || localPreference > 65535
                || component < 1 || component > 256) {
            throw new IllegalArgumentException("priority inputs out of range");
        }
        return ((long) typePreference << 24) + ((long) localPreference << 8) + (256 - component);
    }

    public boolean isUdp() {
        return transport.equalsIgnoreCase("udp");
    }

    public boolean isTcp() {
        return transport.equalsIgnoreCase("tcp");
    }

    /** Whether the address is an mDNS name (RFC 8839 with draft-ietf-mmusic-mdns-ice-candidates). */
    public boolean isMdns() {
        return address.endsWith(".local");
    }

    static IceCandidate parse(String value) {
        List<String> w = Syntax.words(value);
        if (w.size() < 8) {
            throw new IllegalArgumentException("candidate needs at least 8 fields "
                    + "(foundation component transport priority address port typ type), found " + w.size());
        }
        if (!w.get(6).equals("typ")) {
            throw new IllegalArgumentException("candidate field 7 must be 'typ', found '" + w.get(6) + "'");
        }
        if ((w.size() - 8) % 2 != 0) {
            throw new IllegalArgumentException("candidate extension '" + w.get(w.size() - 1) + "' has no value");
        }
        String raddr = null;
        Integer rport = null;
        String tcpType = null;
        Map<String, String> extensions = new LinkedHashMap<>();
        for (int i = 8; i < w.size(); i += 2) {
            String name = w.get(i);
            String val = w.get(i + 1);
            switch (name) {
                case "raddr" -> raddr = val;
                case "rport" -> rport = Syntax.parseInt(val, 0, 65535, "candidate rport");
                case "tcptype" -> tcpType = val;
                case "typ" -> throw new IllegalArgumentException("candidate has two 'typ' fields");
                default -> extensions.putIfAbsent(name, val);
            }
        }
        return new IceCandidate(w.get(0), Syntax.parseInt(w.get(1), 1, 256, "candidate component"), w.get(2),
                Syntax.parseLong(w.get(3), 0, 0xFFFFFFFFL, "candidate priority"), w.get(4),
                Syntax.parseInt(w.get(5), 0, 65535, "candidate port"), w.get(7), raddr, rport, tcpType, extensions);
    }

    /** The attribute value, without the {@code candidate:} prefix (what the browser's trickle API calls candidate). */
    public String format() {
        StringBuilder sb = new StringBuilder()
                .append(foundation).append(' ').append(component).append(' ').append(transport).append(' ')
                .append(priority).append(' ').append(address).append(' ').append(port).append(" typ ").append(type);
        if (raddr != null) {
            sb.append(" raddr ").append(raddr);
        }
        if (rport != null) {
            sb.append(" rport ").append(rport);
        }
        if (tcpType != null) {
            sb.append(" tcptype ").append(tcpType);
        }
        for (Map.Entry<String, String> e : extensions.entrySet()) {
            sb.append(' ').append(e.getKey()).append(' ').append(e.getValue());
        }
        return sb.toString();
    }

    private static void checkPort(int port, String what) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(what + " " + port + " is out of range 0..65535");
        }
    }
}
