package dev.parley.cluster;

import java.util.Map;

/** What this node tells the others about itself (given by the meeting feature, which knows its meetings and relay). */
public interface NodeStatus {

    /** Meetings under way on this node. */
    int meetings();

    /** People in those meetings. */
    int participants();

    /** Each meeting under way here: its room's id and how many people are in it. */
    Map<Long, Integer> peopleByRoom();

    /** Media packets the relay sent a second, lately. */
    long packetsPerSecond();

    /** Where browsers send this node's media: the announced addresses and the port, as words. */
    String mediaAddress();
}
