package dev.parley.loadgen;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.relay.client.EndpointConfig;
import dev.parley.relay.client.InboundStream;
import dev.parley.relay.client.OutboundStream;
import dev.parley.relay.client.PacedSender;
import dev.parley.relay.client.WebRtcEndpoint;
import dev.parley.relay.client.WebRtcException;
import dev.parley.testing.SignalingClient;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One synthetic meeting participant doing on the wire what a browser does: a guest's join ticket, the signalling
 * WebSocket, every server offer applied and answered (people joining later add m-sections), the ICE checks, the DTLS
 * client handshake and SRTP, then paced audio and video if it publishes, and receiving whatever the relay forwards.
 *
 * <p>A receive-only participant answers the sections Parley offers it to publish into as inactive, as a browser
 * without camera and microphone would, so the relay creates no producers for it.
 */
final class SyntheticParticipant implements AutoCloseable {

    /** A remote track as the latest answered offer lists it. */
    record Track(String mid, String participantId, String kind) {
    }

    private static final Duration FIRST_OFFER_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(20);

    private final String name;
    private final boolean publishAudio;
    private final boolean publishVideo;
    private final WebRtcEndpoint endpoint;
    private final SharedRuntime.WindowLatency latency;
    private final CountDownLatch firstAnswer = new CountDownLatch(1);
    private final List<String> problems = new CopyOnWriteArrayList<>();
    private volatile SignalingClient socket;
    private volatile String participantId;
    private volatile Map<String, Track> tracks = Map.of();
    private volatile int offersAnswered;
    private volatile PacedSender sender;

    private SyntheticParticipant(String name, boolean publishAudio, boolean publishVideo, WebRtcEndpoint endpoint,
            SharedRuntime.WindowLatency latency) {
        this.name = name;
        this.publishAudio = publishAudio;
        this.publishVideo = publishVideo;
        this.endpoint = endpoint;
        this.latency = latency;
    }

    /**
     * Joins a room and connects the media; a publisher starts sending. Blocks for the signalling, ICE and DTLS.
     *
     * @throws IOException when any step fails (the participant is closed then)
     */
    static SyntheticParticipant join(SharedRuntime runtime, ParleyWeb web, String slug, String name,
            boolean publishAudio, boolean publishVideo, PacedSender.Options media) throws IOException {
        String ticket = web.guestTicket(slug, name);
        SharedRuntime.WindowLatency latency = new SharedRuntime.WindowLatency(runtime.latency());
        WebRtcEndpoint endpoint = WebRtcEndpoint.open(EndpointConfig.builder().name(name)
                .timer(runtime.timer()).receiveLoop(runtime.nextReceiveLoop()).certificate(runtime.certificate())
                .mediaListener(latency)
                .receiveBufferBytes(4 << 20).build());
        SyntheticParticipant participant = new SyntheticParticipant(name, publishAudio, publishVideo, endpoint,
                latency);
        try {
            participant.start(runtime, web, ticket, media);
            return participant;
        } catch (IOException | RuntimeException e) {
            participant.close();
            throw e;
        }
    }

    private void start(SharedRuntime runtime, ParleyWeb web, String ticket, PacedSender.Options media)
            throws IOException {
        socket = SignalingClient.open(runtime.http(), web.base(), this::onMessage);
        Map<String, Object> join = new LinkedHashMap<>();
        join.put("type", "join");
        join.put("ticket", ticket);
        join.put("audio", publishAudio);
        join.put("video", publishVideo);
        socket.sendAsync(join);
        try {
            if (!firstAnswer.await(FIRST_OFFER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IOException(name + ": no offer within " + FIRST_OFFER_TIMEOUT + problemSuffix());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (offersAnswered == 0) {
            throw new IOException(name + ": the first offer could not be answered" + problemSuffix());
        }
        try {
            endpoint.connect(CONNECT_TIMEOUT);
        } catch (WebRtcException e) {
            throw new IOException(name + ": " + e.getMessage() + " [" + endpoint.iceStats() + ", "
                    + endpoint.counters() + "]" + problemSuffix(), e);
        }
        if (publishAudio || publishVideo) {
            sender = endpoint.startPacedSending(media.withAudio(media.audio() && publishAudio)
                    .withVideo(media.video() && publishVideo));
        }
    }

    private String problemSuffix() {
        return problems.isEmpty() ? "" : " (" + String.join("; ", problems) + ")";
    }

    /** Signalling messages, one at a time on the HTTP client's executor. */
    private void onMessage(JsonNode message) {
        String type = message.path("type").asText();
        switch (type) {
            case "welcome" -> participantId = message.path("participantId").asText();
            case "offer" -> answer(message);
            case "error" -> problems.add("error " + message.path("code").asText() + ": "
                    + message.path("message").asText());
            case "bye" -> problems.add("bye: " + message.path("reason").asText());
            case "lobby" -> problems.add("held in the lobby");
            case "invalid-json" -> problems.add("the server sent invalid JSON");
            default -> {
                // participant-joined/-left/-updated, pong: nothing to do
            }
        }
    }

    private void answer(JsonNode offer) {
        try {
            Set<String> declined = new HashSet<>();
            String audioMid = textOrNull(offer.path("publish").path("audio"));
            String videoMid = textOrNull(offer.path("publish").path("video"));
            if (!publishAudio && audioMid != null) {
                declined.add(audioMid);
            }
            if (!publishVideo && videoMid != null) {
                declined.add(videoMid);
            }
            endpoint.applyOffer(offer.path("sdp").asText(), declined);
            String answer = endpoint.createAnswer();
            Map<String, Track> listed = new HashMap<>();
            for (JsonNode t : offer.path("tracks")) {
                Track track = new Track(t.path("mid").asText(), t.path("participantId").asText(),
                        t.path("kind").asText());
                listed.put(track.mid(), track);
            }
            tracks = Map.copyOf(listed);
            Map<String, Object> reply = new LinkedHashMap<>();
            reply.put("type", "answer");
            reply.put("version", offer.path("version").asInt());
            reply.put("sdp", answer);
            socket.sendAsync(reply);
            offersAnswered = offersAnswered + 1;
        } catch (RuntimeException e) {
            problems.add("offer " + offer.path("version").asInt() + " failed: " + e.getMessage());
        } finally {
            firstAnswer.countDown();
        }
    }

    private static String textOrNull(JsonNode node) {
        return node.isTextual() ? node.asText() : null;
    }

    String name() {
        return name;
    }

    String participantId() {
        return participantId;
    }

    boolean publishes() {
        return publishAudio || publishVideo;
    }

    /** The kinds this participant sends ("audio", "video") given what the run sends at all. */
    List<String> publishedKinds(PacedSender.Options media) {
        List<String> kinds = new ArrayList<>();
        if (publishAudio && media.audio()) {
            kinds.add("audio");
        }
        if (publishVideo && media.video()) {
            kinds.add("video");
        }
        return kinds;
    }

    /** This receiver's probe latency over the current measurement window. */
    SharedRuntime.WindowLatency windowLatency() {
        return latency;
    }

    WebRtcEndpoint endpoint() {
        return endpoint;
    }

    int localPort() {
        return endpoint.localAddress().getPort();
    }

    /** Whether the media connection is up and the signalling socket open. */
    boolean healthy() {
        SignalingClient s = socket;
        return endpoint.state() == WebRtcEndpoint.State.CONNECTED && s != null && !s.isClosed();
    }

    String healthReport() {
        SignalingClient s = socket;
        return name + ": media " + endpoint.state() + (endpoint.failureReason() != null ? " ("
                + endpoint.failureReason() + ")" : "") + ", signalling " + (s == null ? "not open"
                : s.isClosed() ? "closed " + s.closeReason() : "open") + problemSuffix();
    }

    /** Whether the last answered offer lists a track of each of these kinds from that participant. */
    boolean hasTracksOf(String publisherId, List<String> kinds) {
        for (String kind : kinds) {
            boolean listed = false;
            for (Track t : tracks.values()) {
                if (t.participantId().equals(publisherId) && t.kind().equals(kind)) {
                    listed = true;
                    break;
                }
            }
            if (!listed) {
                return false;
            }
        }
        return true;
    }

    /** Errors the server sent about this participant's messages (e.g. a refused answer). */
    List<String> signallingErrors() {
        return problems.stream().filter(p -> p.startsWith("error ")).toList();
    }

    /** RTP packets received from a participant's track of this kind ("audio", "video"); 0 if not (yet) offered. */
    long packetsFrom(String publisherId, String kind) {
        long n = 0;
        for (Track t : tracks.values()) {
            if (t.participantId().equals(publisherId) && t.kind().equals(kind)) {
                n += endpoint.receivedPackets(t.mid());
            }
        }
        return n;
    }

    /** Probes with a latency, per publisher and kind; for checks, not per packet. */
    long probesFrom(String publisherId, String kind) {
        long n = 0;
        for (Track t : tracks.values()) {
            if (t.participantId().equals(publisherId) && t.kind().equals(kind)) {
                for (InboundStream s : endpoint.inboundStreams(t.mid())) {
                    n += s.latency().count();
                }
            }
        }
        return n;
    }

    List<InboundStream> inboundStreams() {
        return endpoint.inboundStreams();
    }

    List<OutboundStream> outboundStreams() {
        return endpoint.outboundStreams();
    }

    /** Stops sending (before the others leave, so that nobody measures a departure as loss). */
    void stopSending() {
        PacedSender s = sender;
        if (s != null) {
            s.stop();
        }
    }

    @Override
    public void close() {
        stopSending();
        SignalingClient s = socket;
        if (s != null) {
            if (!s.isClosed()) {
                s.sendAsync(Map.of("type", "leave"));
            }
            s.close();
        }
        endpoint.close();
    }

    @Override
    public String toString() {
        return name + (participantId != null ? " (" + participantId + ")" : "");
    }
}
