package dev.parley.relay.sdp;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** One a=fmtp line: {@code <format> <format specific parameters>}. */
record Fmtp(String format, String parameters) {

    static Fmtp parse(String value) {
        String v = Syntax.trimSpaces(value);
        int space = v.indexOf(' ');
        String format = space < 0 ? v : v.substring(0, space);
        Syntax.word(format, "fmtp format");
        String params = space < 0 ? "" : Syntax.trimSpaces(v.substring(space + 1));
        return new Fmtp(format, params);
    }

    /** The payload type this line is for, or -1 when the format is not a payload type number. */
    int payloadType() {
        try {
            return Syntax.parseInt(format, 0, 127, "fmtp payload type");
        } catch (IllegalArgumentException notAPayloadType) {
            return -1;
        }
    }

    /**
     * {@code a=b;c=d} as an ordered map; a parameter without '=' (e.g. telephone-event's {@code 0-15}) maps to "".
     * The first occurrence of a repeated name wins.
     */
    static Map<String, String> parameterMap(String parameters) {
        Map<String, String> out = new LinkedHashMap<>();
        if (parameters != null) {
            for (String part : parameters.split(";")) {
                String p = part.trim();
                if (p.isEmpty()) {
                    continue;
                }
                int eq = p.indexOf('=');
                String name = eq < 0 ? p : p.substring(0, eq).trim();
                String val = eq < 0 ? "" : p.substring(eq + 1).trim();
                out.putIfAbsent(name, val);
            }
        }
        return Collections.unmodifiableMap(out);
    }

    static String formatParameters(Map<String, String> parameters) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : parameters.entrySet()) {
            if (sb.length() > 0) {
                sb.append(';');
            }
            sb.append(e.getKey());
            if (!e.getValue().isEmpty()) {
                sb.append('=').append(e.getValue());
            }
        }
        return sb.toString();
    }
}
