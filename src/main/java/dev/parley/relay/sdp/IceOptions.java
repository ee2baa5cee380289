package dev.parley.relay.sdp;

import java.util.ArrayList;
import java.util.List;

/**
 * The a=ice-options value: option tags separated by spaces (RFC 8839). libdatachannel separates them with commas
 * ({@code ice2,trickle}), so commas are accepted as separators too.
 */
final class IceOptions {

    private IceOptions() {
    }

    static List<String> parse(String value) {
        List<String> out = new ArrayList<>();
        for (String word : Syntax.words(value.replace(',', ' '))) {
            out.add(word);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("ice-options has no option");
        }
        return out;
    }

    static String format(List<String> options) {
        if (options.isEmpty()) {
            throw new IllegalArgumentException("ice-options has no option");
        }
        StringBuilder sb = new StringBuilder();
        for (String o : options) {
            Syntax.word(o, "ice option");
            if (o.indexOf(',') >= 0) {
                throw new IllegalArgumentException("ice option '" + o + "' contains ','");
            }
            sb.append(sb.length() == 0 ? "" : " ").append(o);
        }
        return sb.toString();
    }
}
