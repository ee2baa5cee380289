package dev.parley.cluster;

import java.time.Instant;
import java.util.Map;

/**
 * A Parley node as it last told the others (its heartbeat): where to reach it, where its media goes and its load.
 *
 * @param peopleByRoom each meeting on the node: its room's id and the people in it
 * @param cpu the process's share of the machine's CPU, 0 to 1, or -1 when not known
 * @param draining whether the node takes no new meetings and moves its own away (shutting down, or an admin's drain)
 */
public record Node(String id, String url, String mediaAddress, int meetings, int participants,
                   Map<Long, Integer> peopleByRoom, long packetsPerSecond, double cpu, Instant startedAt,
                   Instant seenAt, boolean draining, boolean self) {
}
