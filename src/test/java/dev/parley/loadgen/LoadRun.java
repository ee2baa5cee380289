package dev.parley.loadgen;

import dev.parley.relay.client.LatencyHistogram;
import dev.parley.relay.client.PacedSender;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The synthetic participants of a run, room by room, against one Parley (through its first node when there are
 * several): opens rooms, joins participants (a few at a time, publishers before receivers), waits until every receiver
 * gets every publisher's media, measures windows, and takes everyone out again.
 */
final class LoadRun implements AutoCloseable {

    /** One scheduled room and who is in it. */
    static final class Room {
        private final String slug;
        private final List<SyntheticParticipant> members = new CopyOnWriteArrayList<>();

        Room(String slug) {
            this.slug = slug;
        }

        String slug() {
            return slug;
        }

        List<SyntheticParticipant> members() {
            return List.copyOf(members);
        }
    }

    private final SharedRuntime runtime;
    private final ParleyWeb web;
    private final RelayObserver relay;
    private final PacedSender.Options media;
    private final PrintStream log;
    private final List<Room> rooms = new CopyOnWriteArrayList<>();
    private final AtomicInteger names = new AtomicInteger();
    private final UdpSockets sockets = new UdpSockets();

    private static final Duration NEGOTIATION_TIMEOUT = Duration.ofSeconds(10);

    /**
     * @param web where participants sign in and signal (node 1)
     * @param relay every node's relay
     */
    LoadRun(SharedRuntime runtime, ParleyWeb web, RelayObserver relay, PacedSender.Options media, PrintStream log) {
        this.runtime = runtime;
        this.web = web;
        this.relay = relay;
        this.media = media;
        this.log = log;
    }

    List<Room> rooms() {
        return List.copyOf(rooms);
    }

    List<SyntheticParticipant> participants() {
        List<SyntheticParticipant> all = new ArrayList<>();
        rooms.forEach(r -> all.addAll(r.members));
        return all;
    }

    int publishers() {
        return (int) participants().stream().filter(SyntheticParticipant::publishes).count();
    }

    Room openRoom(int capacity) throws IOException {
        int number = rooms.size() + 1;
        Room room = new Room(web.scheduleRoom("Load room " + number, Math.max(2, Math.min(capacity,
                Scenario.ROOM_LIMIT))));
        rooms.add(room);
        return room;
    }

    /** What to add to a room. */
    record Joining(Room room, int publishers, int receivers) {
    }

    void join(Room room, int publishers, int receivers) throws IOException, InterruptedException {
        join(List.of(new Joining(room, publishers, receivers)));
    }

    /**
     * Joins publishers, then receivers. Within a room publishers join one at a time, each after the room's
     * renegotiation settled: Parley refuses an answer when m-sections were added to the transport after the offer it
     * answers (bad-sdp "the answer lacks m-section N"), and a publisher's first answer adds sections to everyone
     * else in the room. Receivers add no sections, so they join in parallel; so do different rooms.
     *
     * @throws IOException listing the joins that failed; those that worked stay in their rooms
     */
    void join(List<Joining> joinings) throws IOException, InterruptedException {
        List<CompletableFuture<Void>> tasks = new ArrayList<>();
        for (Joining j : joinings) {
            tasks.add(CompletableFuture.runAsync(() -> {
                for (int i = 0; i < j.publishers(); i++) {
                    joinOne(j.room(), true);
                    awaitNegotiated(j.room());
                }
            }, runtime.joins()));
        }
        List<String> failures = collect(tasks);
        tasks.clear();
        for (Joining j : joinings) {
            for (int i = 0; i < j.receivers(); i++) {
                tasks.add(CompletableFuture.runAsync(() -> joinOne(j.room(), false), runtime.joins()));
            }
        }
        failures.addAll(collect(tasks));
        if (!failures.isEmpty()) {
            throw new IOException(failures.size() + " joins failed, e.g. " + failures.get(0));
        }
    }

    private void joinOne(Room room, boolean publisher) {
        String name = (publisher ? "pub-" : "rcv-") + names.incrementAndGet();
        try {
            SyntheticParticipant p = SyntheticParticipant.join(runtime, web, room.slug(), name, publisher, publisher,
                    media);
            room.members.add(p);
            if (p.endpoint().remoteAddress() != null) {
                relay.mediaPortSeen(p.endpoint().remoteAddress().getPort());
            }
        } catch (IOException e) {
            throw new CompletionException(e);
        }
    }

    private static List<String> collect(List<CompletableFuture<Void>> tasks) throws InterruptedException {
        List<String> failures = new ArrayList<>();
        for (CompletableFuture<Void> task : tasks) {
            try {
                task.get();
            } catch (java.util.concurrent.ExecutionException e) {
                Throwable cause = e.getCause() instanceof CompletionException && e.getCause().getCause() != null
                        ? e.getCause().getCause() : e.getCause();
                failures.add(cause.getMessage());
            }
        }
        return failures;
    }

    /** Waits until everyone in the room has answered an offer carrying every publisher's tracks. */
    private void awaitNegotiated(Room room) {
        long deadline = System.nanoTime() + NEGOTIATION_TIMEOUT.toNanos();
        while (!negotiated(room) && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CompletionException(e);
            }
        }
    }

    private boolean negotiated(Room room) {
        List<SyntheticParticipant> members = room.members();
        for (SyntheticParticipant m : members) {
            for (SyntheticParticipant p : members) {
                if (p != m && p.participantId() != null && !m.hasTracksOf(p.participantId(),
                        p.publishedKinds(media))) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Receiver, publisher and kind of every stream that has not delivered a packet yet. */
    List<String> missingStreams() {
        List<String> missing = new ArrayList<>();
        for (Room room : rooms) {
            List<SyntheticParticipant> members = room.members();
            for (SyntheticParticipant receiver : members) {
                for (SyntheticParticipant publisher : members) {
                    if (publisher == receiver || publisher.participantId() == null) {
                        continue;
                    }
                    for (String kind : publisher.publishedKinds(media)) {
                        if (receiver.packetsFrom(publisher.participantId(), kind) == 0) {
                            missing.add(receiver.name() + " <- " + publisher.name() + " " + kind);
                        }
                    }
                }
            }
        }
        return missing;
    }

    /** Waits until every receiver has packets from every publisher's tracks; returns what is still missing. */
    List<String> awaitFlowing(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> missing = missingStreams();
        while (!missing.isEmpty() && System.nanoTime() - deadline < 0) {
            Thread.sleep(200);
            missing = missingStreams();
        }
        return missing;
    }

    /** Participants whose media or signalling is down, with the reason. */
    List<String> unhealthy() {
        List<String> out = new ArrayList<>();
        for (SyntheticParticipant p : participants()) {
            if (!p.healthy() || !p.signallingErrors().isEmpty()) {
                out.add(p.healthReport());
            }
        }
        return out;
    }

    /** Waits {@code warmup}, then measures a window of {@code window}: deltas of the relay and of the generator. */
    Figures measure(Duration warmup, Duration window) throws IOException, InterruptedException {
        if (!warmup.isZero()) {
            Thread.sleep(warmup.toMillis());
        }
        List<List<SyntheticParticipant>> byRoom = rooms.stream().map(Room::members).toList();
        List<SyntheticParticipant> everyone = byRoom.stream().flatMap(List::stream).toList();
        Set<Integer> ports = new HashSet<>();
        everyone.forEach(p -> ports.add(p.localPort()));
        Set<Integer> relayPorts = relay.mediaPorts();

        RelayObserver.Sample relayStart = relay.sample();
        HostCpu.Reading hostStart = HostCpu.read();
        GeneratorSnapshot generatorStart = GeneratorSnapshot.take(byRoom);
        runtime.latency().start();
        everyone.forEach(p -> p.windowLatency().start());
        long peak = relay.residentBytes();
        long relayQueue = -1;
        long generatorQueue = -1;
        long end = System.nanoTime() + window.toNanos();
        while (System.nanoTime() - end < 0) {
            Thread.sleep(Math.max(1, Math.min(250, (end - System.nanoTime()) / 1_000_000)));
            peak = Math.max(peak, relay.residentBytes());
            if (!relayPorts.isEmpty()) {
                relayQueue = Math.max(relayQueue, sockets.read(relayPorts).largestReceiveQueueBytes());
            }
            generatorQueue = Math.max(generatorQueue, sockets.read(ports).largestReceiveQueueBytes());
        }
        LatencyHistogram latency = runtime.latency().stop();
        Map<String, LatencyHistogram> byReceiver = new LinkedHashMap<>();
        everyone.forEach(p -> byReceiver.put(p.name(), p.windowLatency().stop()));
        GeneratorSnapshot generatorEnd = GeneratorSnapshot.take(byRoom);
        HostCpu.Reading hostEnd = HostCpu.read();
        RelayObserver.Sample relayEnd = relay.sample();
        int missing = missingStreams().size();
        return Figures.compute(rooms.size(), everyone.size(), publishers(), relayStart, relayEnd,
                new Figures.Sampled(peak, relayQueue, generatorQueue), hostStart, hostEnd,
                generatorEnd.since(generatorStart), latency,
                byReceiver, missing);
    }

    /** Stops every sender first, then takes everyone out (in parallel: each leave renegotiates the rest). */
    @Override
    public void close() {
        List<SyntheticParticipant> all = participants();
        all.forEach(SyntheticParticipant::stopSending);
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        for (SyntheticParticipant p : all) {
            closing.add(CompletableFuture.runAsync(p::close, runtime.joins()));
        }
        for (CompletableFuture<Void> c : closing) {
            try {
                c.join();
            } catch (CompletionException e) {
                log.println("closing a participant failed: " + e.getCause());
            }
        }
        rooms.forEach(r -> r.members.clear());
    }
}
