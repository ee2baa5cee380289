package dev.parley.relay.sdp;

import java.util.Optional;

/** The media direction attributes of RFC 8866 section 6.7, seen from the side that wrote the description. */
public enum Direction {
    SENDRECV("sendrecv"),
    SENDONLY("sendonly"),
    RECVONLY("recvonly"),
    INACTIVE("inactive");

    private final String attributeName;

    Direction(String attributeName) {
        this.attributeName = attributeName;
    }

    /** The attribute name as written in SDP, e.g. {@code sendonly}. */
    public String attributeName() {
        return attributeName;
    }

    /** The direction an answer takes to match this offered one: sendonly and recvonly swap. */
    public Direction reverse() {
        return switch (this) {
            case SENDONLY -> RECVONLY;
            case RECVONLY -> SENDONLY;
            default -> this;
        };
    }

    public boolean sends() {
        return this == SENDRECV || this == SENDONLY;
    }

    public boolean receives() {
        return this == SENDRECV || this == RECVONLY;
    }

    public static Optional<Direction> fromAttributeName(String name) {
        for (Direction d : values()) {
            if (d.attributeName.equals(name)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    static Direction parse(String name) {
        return fromAttributeName(name)
                .orElseThrow(() -> new IllegalArgumentException("unknown direction '" + name + "'"));
    }
}
