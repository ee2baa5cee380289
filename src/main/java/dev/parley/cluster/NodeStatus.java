package dev.parley.cluster;

import java.util.Map;

/** What this node tells the others about itself (given by the meeting feature, which knows its meetings and relay). */
public interface NodeStatus {

    /** Meetings under way on this node. */
    int meetings();

    /**
     * People this node serves: those in its meetings, and those of other nodes' meetings whose media its relay carries
     * (cascading: such a browser counts on its meeting's node and on its media node, each doing part of its work).
     */
    int participants();

    /** Each meeting under way here: its room's id and how many people are in it. */
    Map<Long, Integer> peopleByRoom();

    /** Media packets the relay sent a second, lately. */
    long packetsPerSecond();

    /** Where browsers send this node's media: the announced addresses and the port, as words. */
    String mediaAddress();
}
