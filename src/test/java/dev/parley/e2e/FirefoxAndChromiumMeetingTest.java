package dev.parley.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.testing.JsonLines;
import dev.parley.testing.NetworkNamespace;
import dev.parley.testing.RoomForms;
import dev.parley.testing.WebSession;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Firefox ESR and Chromium in one meeting. Firefox offers ICE candidates only on the interface of its default route,
 * never on loopback, so this test builds a network namespace of its own ({@link NetworkNamespace}): Parley, Firefox
 * and Chromium run inside it, media stays inside it (relay announced on the namespace's own address), and the test
 * reaches Parley's HTTP over a veth pair. Each browser must decode the other's video, receive its audio, and send media
 * to the relay. Each says something in the chat, which the other shows as text, its link as a link. Both stay on
 * their transports under 5 % loss, and Firefox also while its consent checks go unanswered. Then a visitor
 * comes and goes and another comes, whom both receive on the m-sections the first had.
 */
@Tag("browser")
class FirefoxAndChromiumMeetingTest {

    private static final File BROWSER_SCRIPTS = new File("src/test/browsers");
    private static final String ADMIN_EMAIL = "admin@parley.test";
    private static final String ADMIN_PASSWORD = "Quartz-Pelican-Harbor-58";
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(120);

    private NetworkNamespace namespace;

    @AfterEach
    void tearDown() throws Exception {
        if (namespace != null) {
            namespace.close();
        }
    }

    @Test
    void firefoxAndChromiumSeeAndHearEachOtherThroughTheRelayWhichRepairsTheirLosses() throws Exception {
        assertThat(new File(BROWSER_SCRIPTS, "node_modules/puppeteer-core")).as(
                "puppeteer-core is installed (.ci/run runs npm ci in src/test/browsers)").isDirectory();
        assertThat(new File(System.getenv().getOrDefault("PARLEY_FIREFOX", "/usr/bin/firefox-esr")).canExecute())
                .as("Debian's firefox-esr is installed (.ci/run installs it)").isTrue();
        namespace = NetworkNamespace.create(new File("target/cross-browser"));
        NetworkNamespace.Parley parley = namespace.startParley("cross-browser", List.of(
                "--parley.admin.email=" + ADMIN_EMAIL, "--parley.admin.password=" + ADMIN_PASSWORD),
                Duration.ofSeconds(180));

        WebSession admin = new WebSession(parley.viaVeth()).login(ADMIN_EMAIL, ADMIN_PASSWORD);
        long roomId = RoomForms.schedule(admin, RoomForms.valid("Firefox and Chromium", ZoneId.of("UTC"), 1));
        String path = RoomForms.path(RoomForms.link(admin, roomId));
        // Inside the namespace the browsers use its loopback for HTTP: a secure context, so they may use devices.
        String link = parley.inside() + path;

        JsonLines firefox = browser("firefox", link, "Firefox",
                "Hello from <i>Firefox</i>: https://example.org/firefox.");
        JsonLines chromium = browser("chromium", link, "Chromium", "Chromium here & <b>there</b>");

        for (JsonLines stats : List.of(firefox, chromium)) {
            JsonNode first = stats.await(s -> s.path("tiles").size() == 2 && frames(s) > 0 && audio(s) > 0,
                    STEP_TIMEOUT);
            JsonNode later = stats.await(s -> frames(s) > frames(first) + 20 && audio(s) > audio(first), STEP_TIMEOUT);
            assertThat(later.path("inbound")).as("one remote participant decoded").hasSize(1);
            assertThat(later.path("selected").path("address").asText()).isEqualTo(namespace.address());
            assertThat(later.path("selected").path("port").asInt()).isEqualTo(parley.mediaPort());
            assertThat(later.path("selected").path("protocol").asText()).as("UDP wins where it works").isEqualTo("udp");
        }

        // The chat: each shows the other's message as it was typed (markup as text), and Firefox's link as a link.
        JsonNode chromiumChat = chromium.await(s -> s.path("chat").size() == 2, STEP_TIMEOUT);
        JsonNode firefoxChat = firefox.await(s -> s.path("chat").size() == 2, STEP_TIMEOUT);
        for (JsonNode shown : List.of(chromiumChat.path("chat"), firefoxChat.path("chat"))) {
            List<String> texts = new ArrayList<>();
            shown.forEach(message -> {
                texts.add(message.path("from").asText() + ": " + message.path("text").asText());
                assertThat(message.path("elements").asInt()).as("no markup became elements").isZero();
                assertThat(message.path("private").asBoolean()).isFalse();
            });
            assertThat(texts).anyMatch(t -> t.endsWith("Hello from <i>Firefox</i>: https://example.org/firefox."))
                    .anyMatch(t -> t.endsWith("Chromium here & <b>there</b>"));
        }
        for (JsonNode shown : List.of(chromiumChat.path("chat"), firefoxChat.path("chat"))) {
            JsonNode links = null;
            for (JsonNode message : shown) {
                if (message.path("text").asText().contains("example.org")) {
                    links = message.path("links");
                }
            }
            assertThat(links).hasSize(1);
            assertThat(links.get(0).path("href").asText()).isEqualTo("https://example.org/firefox");
            assertThat(links.get(0).path("rel").asText()).isEqualTo("noopener noreferrer");
            assertThat(links.get(0).path("target").asText()).isEqualTo("_blank");
        }

        // Both browsers negotiate transport-wide congestion control for what they receive and report on it, so the
        // relay's estimate for each comes from that feedback, not from REMB.
        Pattern estimate = Pattern.compile("data-testid=\"live-estimate\"[^>]*data-source=\"([\\w-]+)\"");
        List<String> sources = new ArrayList<>();
        for (int attempt = 0; attempt < 20; attempt++) {
            sources.clear();
            Matcher m = estimate.matcher(admin.get("/admin/live", Map.of()).body());
            while (m.find()) {
                sources.add(m.group(1));
            }
            if (sources.size() == 2) {
                break;
            }
            Thread.sleep(1000);
        }
        assertThat(sources).as("the relay's estimate for Firefox and Chromium").containsExactly("transport-cc",
                "transport-cc");

        // Both publish simulcast (the page asks for three encodings by RID), and each receives one layer of the
        // other's: Admin -> Live names it by RID, which a single stream would not have.
        for (JsonLines stats : List.of(firefox, chromium)) {
            JsonNode now = stats.await(s -> s.path("outbound").size() == 3, STEP_TIMEOUT);
            List<String> rids = new ArrayList<>();
            now.path("outbound").forEach(layer -> rids.add(layer.path("rid").asText()));
            assertThat(rids).as("the encodings sent").containsExactlyInAnyOrder("l", "m", "h");
        }
        Pattern layer = Pattern.compile("data-testid=\"live-reception\" data-layer=\"(\\w+)\"");
        List<String> layers = new ArrayList<>();
        for (int attempt = 0; attempt < 20; attempt++) {
            layers.clear();
            Matcher m = layer.matcher(admin.get("/admin/live", Map.of()).body());
            while (m.find()) {
                layers.add(m.group(1));
            }
            if (layers.size() == 2 && layers.stream().allMatch(l -> l.matches("[lmh]"))) {
                break;
            }
            Thread.sleep(1000);
        }
        assertThat(layers).as("the layer each receives of the other's simulcast").hasSize(2)
                .allMatch(l -> l.matches("[lmh]"));

        // Now 5 % of the datagrams to and from the media port are lost (nftables in the namespace: the kernel has no
        // netem). Both browsers NACK what they miss; the relay answers from its cache as RTX, and asks each
        // publisher for what it lost on the way in. Media keeps flowing.
        // Neither browser takes that for a broken connection: it stays on the same transport (a new one would have a
        // new local port), the page never shows "reconnecting", and the peer connection ends the span connected.
        // Chromium stays connected throughout. Firefox may not: it sends each consent check once, without
        // retransmission (nICEr's consent context has maximum_transmits = 1), and reports "disconnected" when one
        // goes unanswered until the next, some 5 s later, is. With 5 % lost each way that is one check in ten; the
        // page keeps a "disconnected" connection whose bytes still go both ways, so a lost check costs no reconnection.
        Map<String, Long> before = repair(admin);
        NetworkNamespace.Rules loss = namespace.loseAtRandom(parley.mediaPort(), 5);
        for (JsonLines stats : List.of(firefox, chromium)) {
            String name = stats == firefox ? "Firefox" : "Chromium";
            JsonNode start = stats.await(s -> true, STEP_TIMEOUT);
            int port = start.path("selected").path("localPort").asInt();
            List<String> unsteady = new ArrayList<>();
            List<String> consentLost = new ArrayList<>();
            stats.await(s -> {
                if (!noteUnsteady(s, port, unsteady) && "disconnected".equals(s.path("media").asText())) {
                    (stats == firefox ? consentLost : unsteady).add(describe(s));
                }
                return frames(s) > frames(start) + 150 && "connected".equals(s.path("media").asText());
            }, STEP_TIMEOUT);
            assertThat(unsteady).as("%s under 5 %% loss, from port %d", name, port).isEmpty();
            if (!consentLost.isEmpty()) {
                System.out.printf("%s under 5 %% loss: a consent check went unanswered, connected again: %s%n", name,
                        consentLost);
            }
        }
        Map<String, Long> after = repair(admin);
        long requested = after.getOrDefault("requested", 0L) - before.getOrDefault("requested", 0L);
        long retransmitted = after.getOrDefault("retransmitted", 0L) - before.getOrDefault("retransmitted", 0L);
        System.out.printf("Under 5 %% loss: %d packets NACKed by the browsers, %d sent again by the relay, %s%n",
                requested, retransmitted, after);
        assertThat(requested).as("the browsers NACKed lost packets").isPositive();
        assertThat(retransmitted).as("the relay answered NACKs from its cache").isPositive();
        loss.remove();

        // Firefox's consent checks go unanswered (only the relay's STUN replies to it are dropped) while media flows
        // both ways. From the first unanswered check on, Firefox reports "disconnected"; the page sees bytes still
        // going both ways and keeps its transport, where it used to reconnect after 6 s. Answered again (7 s after the
        // first "disconnected" seen, within the 18 s or more before Firefox's consent would expire), it is connected.
        JsonNode steady = firefox.await(s -> "connected".equals(s.path("media").asText()), STEP_TIMEOUT);
        int firefoxPort = steady.path("selected").path("localPort").asInt();
        List<String> unheard = new ArrayList<>();
        NetworkNamespace.Rules stun = namespace.loseStun(parley.mediaPort(), firefoxPort);
        JsonNode disconnected = firefox.await(s -> {
            noteUnsteady(s, firefoxPort, unheard);
            return "disconnected".equals(s.path("media").asText());
        }, STEP_TIMEOUT);
        long answerAgain = System.nanoTime() + Duration.ofSeconds(7).toNanos();
        JsonNode stillUnheard = firefox.await(s -> {
            noteUnsteady(s, firefoxPort, unheard);
            return System.nanoTime() > answerAgain;
        }, STEP_TIMEOUT);
        stun.remove();
        JsonNode answered = firefox.await(s -> {
            noteUnsteady(s, firefoxPort, unheard);
            return "connected".equals(s.path("media").asText());
        }, STEP_TIMEOUT);
        assertThat(unheard).as("Firefox while its consent checks go unanswered, from port %d", firefoxPort).isEmpty();
        assertThat(frames(stillUnheard)).as("Firefox decoded video while disconnected").isGreaterThan(
                frames(disconnected));
        System.out.printf("Firefox's consent checks unanswered: disconnected for %d ms or more, on the same "
                + "transport%n", answered.path("t").asLong() - disconnected.path("t").asLong());

        // People come and go: a visitor joins and leaves, then another joins. Firefox and Chromium receive the second
        // on the m-sections the first had (the relay gives a section a browser answered inactive to the next track of
        // its kind), so their descriptions hold the tracks sent now, not everyone's who ever came.
        Client first = client("chromium", link, "First visitor");
        String firstId = participantId(first.lines());
        Map<JsonLines, List<String>> firstMids = new HashMap<>();
        Map<JsonLines, Integer> sections = new HashMap<>();
        for (JsonLines stats : List.of(firefox, chromium)) {
            JsonNode seen = stats.await(s -> framesFrom(s, firstId) > 0 && audioFrom(s, firstId) > 0, STEP_TIMEOUT);
            firstMids.put(stats, videoMids(seen, firstId));
            sections.put(stats, seen.path("transceivers").size());
            assertThat(firstMids.get(stats)).hasSize(1);
        }
        command(first.process(), "leave");
        for (JsonLines stats : List.of(firefox, chromium)) {
            List<String> mids = firstMids.get(stats);
            stats.await(s -> s.path("tiles").size() == 2 && inactive(s, mids), STEP_TIMEOUT);
        }
        command(first.process(), "stop");

        Client second = client("chromium", link, "Second visitor");
        String secondId = participantId(second.lines());
        for (JsonLines stats : List.of(firefox, chromium)) {
            JsonNode seen = stats.await(s -> framesFrom(s, secondId) > 0 && audioFrom(s, secondId) > 0, STEP_TIMEOUT);
            JsonNode later = stats.await(s -> framesFrom(s, secondId) > framesFrom(seen, secondId) + 20
                    && audioFrom(s, secondId) > audioFrom(seen, secondId), STEP_TIMEOUT);
            assertThat(videoMids(later, secondId)).as("the second visitor's video arrives on the first's section")
                    .isEqualTo(firstMids.get(stats));
            assertThat(later.path("transceivers").size()).as("no m-section added: %s", later.path("transceivers"))
                    .isEqualTo(sections.get(stats));
        }
        command(second.process(), "stop");
    }

    /**
     * Notes a sample in which the page reconnects or the browser left its transport, or its state is not one ICE
     * recovers from by itself; says whether it did.
     */
    private static boolean noteUnsteady(JsonNode sample, int port, List<String> unsteady) {
        String media = sample.path("media").asText();
        if (sample.path("reconnecting").asBoolean() || sample.path("selected").path("localPort").asInt() != port
                || !("connected".equals(media) || "disconnected".equals(media))) {
            unsteady.add(describe(sample));
            return true;
        }
        return false;
    }

    private static String describe(JsonNode sample) {
        return sample.path("media").asText() + " on port " + sample.path("selected").path("localPort")
                + (sample.path("reconnecting").asBoolean() ? ", reconnecting" : "") + " at " + sample.path("t");
    }

    private record Client(Process process, JsonLines lines) {
    }

    private Client client(String kind, String link, String name) throws IOException {
        Process process = namespace.startClient(List.of(System.getenv().getOrDefault("PARLEY_NODE", "node"),
                "join.mjs", kind, link, name, "180"), BROWSER_SCRIPTS, kind + "-" + name.replace(' ', '-'), true);
        return new Client(process, JsonLines.of(process, name, namespace::logs,
                namespace.logDir().toPath().resolve(kind + "-" + name.replace(' ', '-') + ".newest.json")));
    }

    /** A line to the browser script (see join.mjs): "leave" presses Leave, "stop" ends it. */
    private static void command(Process process, String line) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    private static String participantId(JsonLines lines) throws InterruptedException {
        return lines.await(s -> s.path("participantId").isTextual() && !s.path("participantId").asText().isEmpty(),
                STEP_TIMEOUT).path("participantId").asText();
    }

    private static double framesFrom(JsonNode stats, String participantId) {
        return stats.path("inbound").path(participantId).path("framesDecoded").asDouble();
    }

    private static double audioFrom(JsonNode stats, String participantId) {
        return stats.path("inbound").path(participantId).path("audioPackets").asDouble();
    }

    private static List<String> videoMids(JsonNode stats, String participantId) {
        List<String> mids = new ArrayList<>();
        stats.path("inbound").path(participantId).path("videoMids").forEach(mid -> mids.add(mid.asText()));
        return mids;
    }

    /** Whether the browser's transceivers on these mids are inactive now (it answered the offer that ended them). */
    private static boolean inactive(JsonNode stats, List<String> mids) {
        int found = 0;
        for (JsonNode transceiver : stats.path("transceivers")) {
            if (mids.contains(transceiver.path("mid").asText())) {
                if (!"inactive".equals(transceiver.path("direction").asText())) {
                    return false;
                }
                found++;
            }
        }
        return found == mids.size();
    }

    private static final Pattern REPAIR = Pattern.compile(
            "^parley_relay_repair_packets_total\\{[^}]*outcome=\"(\\w+)\"[^}]*\\} ([0-9.eE+]+)$", Pattern.MULTILINE);

    /** The relay's loss-repair counters, by outcome (requested, retransmitted, missed). */
    private static Map<String, Long> repair(WebSession admin) {
        String text = admin.get("/actuator/prometheus", Map.of("Accept", "text/plain")).body();
        Map<String, Long> byOutcome = new HashMap<>();
        Matcher line = REPAIR.matcher(text);
        while (line.find()) {
            byOutcome.merge(line.group(1), (long) Double.parseDouble(line.group(2)), Long::sum);
        }
        assertThat(byOutcome).as("repair counters on /actuator/prometheus").containsKey("requested");
        return byOutcome;
    }

    private JsonLines browser(String kind, String link, String name, String say) throws IOException {
        Process process = namespace.startClient(List.of("env", "PARLEY_CHAT_SAY=" + say,
                System.getenv().getOrDefault("PARLEY_NODE", "node"), "join.mjs", kind, link, name, "180"),
                BROWSER_SCRIPTS, kind, true);
        return JsonLines.of(process, kind, namespace::logs);
    }

    private static double frames(JsonNode stats) {
        double total = 0;
        for (JsonNode participant : stats.path("inbound")) {
            total += participant.path("framesDecoded").asDouble();
        }
        return total;
    }

    private static double audio(JsonNode stats) {
        double total = 0;
        for (JsonNode participant : stats.path("inbound")) {
            total += participant.path("audioPackets").asDouble();
        }
        return total;
    }
}
