package dev.parley.loadgen;

import java.util.ArrayList;
import java.util.List;

/**
 * The shape of a fixed run: rooms, and in each the participants that publish (audio and/or video) and the ones that
 * only receive. Everyone receives everything the relay forwards to them.
 *
 * @param notes what the scenario had to adjust (e.g. a room clamped to the room form's limit)
 */
record Scenario(String name, List<RoomPlan> rooms, List<String> notes) {

    /** A bound on the generator's size: each participant holds a socket and a receive thread. */
    static final int MAX_PARTICIPANTS = 1000;

    /** The largest room the room form accepts (RoomForm.MAX_PARTICIPANTS_LIMIT). */
    static final int ROOM_LIMIT = dev.parley.rooms.RoomForm.MAX_PARTICIPANTS_LIMIT;

    record RoomPlan(int publishers, int receivers) {
        int size() {
            return publishers + receivers;
        }
    }

    Scenario {
        rooms = List.copyOf(rooms);
        notes = List.copyOf(notes);
    }

    int participants() {
        return rooms.stream().mapToInt(RoomPlan::size).sum();
    }

    int publishers() {
        return rooms.stream().mapToInt(RoomPlan::publishers).sum();
    }

    int largestRoom() {
        return rooms.stream().mapToInt(RoomPlan::size).max().orElse(0);
    }

    /** The fixed scenario the options name (not capacity, which grows step by step). */
    static Scenario of(LoadOptions options) {
        int rooms;
        int size;
        Integer publishers = options.publishers();
        switch (options.scenario()) {
            case "room10" -> {
                rooms = 1;
                size = 10;
            }
            case "rooms20x4" -> {
                rooms = 20;
                size = 4;
            }
            case "large" -> {
                rooms = 1;
                size = 102;
                if (publishers == null) {
                    publishers = 2;
                }
            }
            case "webinar" -> {
                rooms = 1;
                size = 300;
                if (publishers == null) {
                    publishers = 2;
                }
            }
            case "custom" -> {
                rooms = 1;
                size = 4;
            }
            default -> throw new IllegalArgumentException("not a fixed scenario: " + options.scenario());
        }
        if (options.rooms() != null) {
            rooms = options.rooms();
        }
        if (options.participants() != null) {
            size = options.participants();
        }
        int senders = publishers == null ? size : Math.min(publishers, size);
        int receivers = size - senders;
        List<String> notes = new ArrayList<>();
        if (size > ROOM_LIMIT) {
            int cut = size - ROOM_LIMIT;
            int fromReceivers = Math.min(cut, receivers);
            receivers -= fromReceivers;
            senders -= cut - fromReceivers;
            notes.add("the room form allows at most " + ROOM_LIMIT + " participants per room: running " + senders
                    + " publishers + " + receivers + " receivers instead of " + size);
        }
        List<RoomPlan> plans = new ArrayList<>();
        for (int i = 0; i < rooms; i++) {
            plans.add(new RoomPlan(senders, receivers));
        }
        Scenario scenario = new Scenario(options.scenario(), plans, notes);
        if (scenario.participants() > MAX_PARTICIPANTS) {
            throw new IllegalArgumentException(scenario.participants() + " participants: the generator runs at most "
                    + MAX_PARTICIPANTS);
        }
        return scenario;
    }
}
