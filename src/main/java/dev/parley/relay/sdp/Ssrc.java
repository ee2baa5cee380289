package dev.parley.relay.sdp;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The a=ssrc lines of one SSRC, grouped: source attributes in the order they first appear (the first occurrence of
 * a repeated attribute wins; an attribute without a value maps to "").
 */
public record Ssrc(long id, Map<String, String> attributes) {

    public Ssrc {
        SsrcAttribute.checkSsrc(id);
        attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    public Optional<String> cname() {
        return Optional.ofNullable(attributes.get("cname"));
    }

    /** The legacy per-SSRC msid ({@code a=ssrc:<id> msid:<stream> <track>}). */
    public Optional<Msid> msid() {
        String v = attributes.get("msid");
        if (v == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Msid.parse(v));
        } catch (IllegalArgumentException malformed) {
            return Optional.empty();
        }
    }
}
