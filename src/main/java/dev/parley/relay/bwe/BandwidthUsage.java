package dev.parley.relay.bwe;

/** What the delay trend says about the path (draft-ietf-rmcat-gcc-02 section 5.4). */
public enum BandwidthUsage {
    /** The queue is steady. */
    NORMAL,
    /** The queue grows: sending faster than the path carries. */
    OVERUSING,
    /** The queue drains. */
    UNDERUSING
}
