package dev.parley.cluster;

import java.time.Instant;

/**
 * A Parley node as it last told the others (its heartbeat): where to reach it, where its media goes and its load.
 *
 * @param cpu the process's share of the machine's CPU, 0 to 1, or -1 when not known
 */
public record Node(String id, String url, String mediaAddress, int meetings, int participants, long packetsPerSecond,
                   double cpu, Instant startedAt, Instant seenAt, boolean self) {
}
