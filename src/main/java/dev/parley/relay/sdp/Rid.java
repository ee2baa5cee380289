package dev.parley.relay.sdp;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An a=rid line (RFC 8851): {@code <rid-id> send|recv [pt=<fmt>,<fmt>;<restriction>=<value>;...]}, e.g.
 * {@code a=rid:h send} or {@code a=rid:q send max-width=320;max-height=180}.
 *
 * @param payloadTypes the {@code pt=} list, empty when absent
 * @param restrictions the other parameters in order (a parameter without '=' maps to "")
 */
public record Rid(String id, RidDirection direction, List<Integer> payloadTypes, Map<String, String> restrictions) {

    public Rid {
        checkId(id);
        if (direction == null) {
            throw new IllegalArgumentException("rid direction is missing");
        }
        payloadTypes = List.copyOf(payloadTypes);
        for (int pt : payloadTypes) {
            if (pt < 0 || pt > 127) {
                throw new IllegalArgumentException("rid payload type " + pt + " is out of range 0..127");
            }
        }
        Map<String, String> copy = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : restrictions.entrySet()) {
            String name = Syntax.word(e.getKey(), "rid restriction name");
            String value = Syntax.text(e.getValue(), "rid restriction value");
            if (name.equals("pt") || name.indexOf(';') >= 0 || name.indexOf('=') >= 0 || value.indexOf(';') >= 0
                    || value.indexOf(' ') >= 0) {
                throw new IllegalArgumentException("rid restriction '" + name + "=" + value + "' is not writable");
            }
            copy.put(name, value);
        }
        restrictions = Collections.unmodifiableMap(copy);
    }

    public static Rid send(String id) {
        return new Rid(id, RidDirection.SEND, List.of(), Map.of());
    }

    static Rid parse(String value) {
        List<String> w = Syntax.words(value);
        if (w.size() < 2 || w.size() > 3) {
            throw new IllegalArgumentException("rid needs <rid-id> send|recv [<parameters>]");
        }
        RidDirection direction = RidDirection.parse(w.get(1));
        List<Integer> pts = new ArrayList<>();
        Map<String, String> restrictions = new LinkedHashMap<>();
        if (w.size() == 3) {
            for (String param : w.get(2).split(";")) {
                if (param.isEmpty()) {
                    continue;
                }
                int eq = param.indexOf('=');
                String name = eq < 0 ? param : param.substring(0, eq);
                String val = eq < 0 ? "" : param.substring(eq + 1);
                if (name.equals("pt")) {
                    for (String pt : val.split(",", -1)) {
                        pts.add(Syntax.parseInt(pt, 0, 127, "rid payload type"));
                    }
                } else {
                    restrictions.putIfAbsent(name, val);
                }
            }
        }
        return new Rid(w.get(0), direction, pts, restrictions);
    }

    String format() {
        StringBuilder sb = new StringBuilder(id).append(' ').append(direction.value());
        StringBuilder params = new StringBuilder();
        if (!payloadTypes.isEmpty()) {
            params.append("pt=");
            for (int i = 0; i < payloadTypes.size(); i++) {
                params.append(i == 0 ? "" : ",").append(payloadTypes.get(i));
            }
        }
        for (Map.Entry<String, String> e : restrictions.entrySet()) {
            params.append(params.length() == 0 ? "" : ";").append(e.getKey());
            if (!e.getValue().isEmpty()) {
                params.append('=').append(e.getValue());
            }
        }
        if (params.length() > 0) {
            sb.append(' ').append(params);
        }
        return sb.toString();
    }

    /** RFC 8851 rid-syntax: letters, digits, '-' and '_'. */
    static String checkId(String id) {
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException("rid id is missing");
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
                    || c == '_';
            if (!ok) {
                throw new IllegalArgumentException("rid id '" + id + "' may hold only letters, digits, '-' and '_'");
            }
        }
        return id;
    }
}
