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
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.ZoneId;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The meeting's features across browsers, Firefox ESR in Chinese and Chromium in English, in a network namespace of its
 * own like {@link FirefoxAndChromiumMeetingTest} (one meeting for all of it keeps the suite short).
 *
 * <p>Screen share: Chromium shares (its fake devices fake a screen), Firefox watches. Firefox cannot share in headless
 * mode here: without a display its getDisplayMedia finds no screen (NotFoundError, whatever the media prefs), so it is
 * the receiver. Firefox decodes the share as a track apart from Chromium's camera, at a larger frame size than the
 * camera layer it gets, shows it on its screen stage, and drops it when Chromium stops.
 *
 * <p>Hands, reactions, quality: each raises its hand and both lists show the queue in order with each one's place, in
 * each page's language; each one's reaction shows on the other's page; each shows the other's connection quality as
 * that page measured and reported it; a lowered hand leaves the queue.
 *
 * <p>Chat files: Chromium shares a PDF with everyone through the chat's file input and Firefox downloads exactly its
 * bytes; Firefox shares a note privately with Chromium, who downloads it; a program is refused with the page's words in
 * Chinese, and shared with nobody.
 *
 * <p>Host controls in Firefox: Firefox is the room's host (signed in), and mutes Chromium, asks it to unmute (Chromium
 * accepts), lowers its hand, locks the meeting and ends it; Chromium is told each time in English, and its page says
 * the host ended the meeting, with no Rejoin.
 */
@Tag("browser")
class FirefoxAndChromiumShareAndReactTest {

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
    void firefoxWatchesChromiumsScreenAndBothRaiseHandsAndReact() throws Exception {
        assertThat(new File(BROWSER_SCRIPTS, "node_modules/puppeteer-core")).as(
                "puppeteer-core is installed (.ci/run runs npm ci in src/test/browsers)").isDirectory();
        namespace = NetworkNamespace.create(new File("target/cross-browser-share"));
        NetworkNamespace.Parley parley = namespace.startParley("cross-browser-share", List.of(
                "--parley.admin.email=" + ADMIN_EMAIL, "--parley.admin.password=" + ADMIN_PASSWORD),
                Duration.ofSeconds(180));
        WebSession admin = new WebSession(parley.viaVeth()).login(ADMIN_EMAIL, ADMIN_PASSWORD);
        long roomId = RoomForms.schedule(admin, RoomForms.valid("Screen across browsers", ZoneId.of("UTC"), 1));
        String link = parley.inside() + RoomForms.path(RoomForms.link(admin, roomId));

        Process firefoxProcess = browser("firefox", link, "Firefox", "zh-CN", ADMIN_EMAIL + " " + ADMIN_PASSWORD);
        Process chromiumProcess = browser("chromium", link, "Chromium", "en", null);
        JsonLines firefox = JsonLines.of(firefoxProcess, "firefox", namespace::logs);
        JsonLines chromium = JsonLines.of(chromiumProcess, "chromium", namespace::logs);
        JsonNode chromiumSees = chromium.await(s -> s.path("tiles").size() == 2 && !s.path("participantId").isNull(),
                STEP_TIMEOUT);
        String chromiumId = chromiumSees.path("participantId").asText();
        firefox.await(s -> s.path("inbound").path(chromiumId).path("framesDecoded").asDouble() > 0, STEP_TIMEOUT);

        command(chromiumProcess, "share");
        chromium.await(s -> s.path("sharing").asBoolean(), STEP_TIMEOUT);
        JsonNode first = firefox.await(s -> s.path("screens").toString().contains(chromiumId)
                && s.path("inbound").path(chromiumId).path("screen").path("framesDecoded").asDouble() > 0,
                STEP_TIMEOUT);
        double framesBefore = first.path("inbound").path(chromiumId).path("screen").path("framesDecoded").asDouble();
        JsonNode later = firefox.await(s -> s.path("inbound").path(chromiumId).path("screen").path("framesDecoded")
                .asDouble() > framesBefore + 10, STEP_TIMEOUT);
        JsonNode received = later.path("inbound").path(chromiumId);
        System.out.printf("Firefox receives Chromium's screen at %sx%s and its camera %s high%n",
                received.path("screen").path("frameWidth"), received.path("screen").path("frameHeight"),
                received.path("frameHeight"));
        assertThat(received.path("screen").path("frameHeight").asInt()).as("the share at more than the camera layer")
                .isGreaterThan(received.path("frameHeight").asInt());
        assertThat(received.path("framesDecoded").asDouble()).as("the camera still decodes beside it").isPositive();

        command(chromiumProcess, "share");
        chromium.await(s -> !s.path("sharing").asBoolean(), STEP_TIMEOUT);
        JsonNode after = firefox.await(s -> s.path("screens").isEmpty()
                && s.path("inbound").path(chromiumId).path("screen").isMissingNode(), STEP_TIMEOUT);
        assertThat(after.path("tiles")).as("Chromium is still in the meeting").hasSize(2);
        String firefoxId = firefox.await(s -> !s.path("participantId").isNull(), STEP_TIMEOUT)
                .path("participantId").asText();

        // Hands: Firefox's first, then Chromium's; both lists put the queue on top, each in its own language.
        command(firefoxProcess, "hand");
        chromium.await(s -> handOf(s, firefoxId) == 1, STEP_TIMEOUT);
        firefox.await(s -> "放下手".equals(s.path("handButton").asText()), STEP_TIMEOUT);
        command(chromiumProcess, "hand");
        JsonNode queue = firefox.await(s -> handOf(s, chromiumId) == 2, STEP_TIMEOUT);
        assertThat(queue.path("list").get(0).path("id").asText()).as("the first hand heads the list").isEqualTo(firefoxId);
        assertThat(entryOf(queue, chromiumId).path("handLabel").asText()).isEqualTo("已举手，排在第 2 位");
        JsonNode chromiumQueue = chromium.await(s -> handOf(s, chromiumId) == 2, STEP_TIMEOUT);
        assertThat(entryOf(chromiumQueue, chromiumId).path("handLabel").asText())
                .isEqualTo("Hand raised, number 2 in the queue");

        // Reactions, each way.
        command(chromiumProcess, "react clap");
        firefox.await(s -> "clap".equals(s.path("reactions").path(chromiumId).path("last").asText()), STEP_TIMEOUT);
        command(firefoxProcess, "react heart");
        chromium.await(s -> "heart".equals(s.path("reactions").path(firefoxId).path("last").asText()), STEP_TIMEOUT);

        // Quality: each page measured its connection and the other shows it, in its own words.
        JsonNode firefoxSees = firefox.await(s -> !"unknown".equals(entryOf(s, chromiumId).path("quality").asText()),
                STEP_TIMEOUT);
        assertThat(entryOf(firefoxSees, chromiumId).path("qualityLabel").asText()).startsWith("网络连接：");
        JsonNode chromiumShows = chromium.await(s -> !"unknown".equals(entryOf(s, firefoxId).path("quality").asText()),
                STEP_TIMEOUT);
        assertThat(entryOf(chromiumShows, firefoxId).path("qualityLabel").asText()).startsWith("Connection: ");

        // Firefox lowers its hand: Chromium is first now.
        command(firefoxProcess, "hand");
        chromium.await(s -> handOf(s, chromiumId) == 1 && handOf(s, firefoxId) == 0, STEP_TIMEOUT);

        // Files in the chat, each way; the bytes that arrive are the bytes sent.
        Path folder = Files.createDirectories(Path.of("target/cross-browser-share/files"));
        byte[] pdf = ("%PDF-1.4\n" + "minutes ".repeat(4000) + "\n%%EOF\n").getBytes(StandardCharsets.US_ASCII);
        Path minutes = Files.write(folder.resolve("minutes.pdf"), pdf);
        command(chromiumProcess, "file " + minutes.toAbsolutePath());
        JsonNode firefoxChat = firefox.await(s -> chatFile(s, "minutes.pdf") != null, STEP_TIMEOUT);
        assertThat(chatFile(firefoxChat, "minutes.pdf").path("size").asText()).isEqualTo("31.3 KB");
        command(firefoxProcess, "fetch-file minutes.pdf");
        JsonNode fetched = firefox.await(s -> s.path("fetched").has("minutes.pdf"), STEP_TIMEOUT)
                .path("fetched").path("minutes.pdf");
        assertThat(fetched.path("ok").asBoolean()).as(fetched.toString()).isTrue();
        assertThat(fetched.path("sha256").asText()).isEqualTo(sha256(pdf));

        Path note = Files.writeString(folder.resolve("note-for-chromium.txt"), "只给你：明天见\n");
        command(firefoxProcess, "file " + note.toAbsolutePath() + " Chromium");
        JsonNode privately = chromium.await(s -> chatFile(s, "note-for-chromium.txt") != null, STEP_TIMEOUT);
        assertThat(chatEntry(privately, "note-for-chromium.txt").path("private").asBoolean()).isTrue();
        command(chromiumProcess, "fetch-file note-for-chromium.txt");
        JsonNode noteFetched = chromium.await(s -> s.path("fetched").has("note-for-chromium.txt"), STEP_TIMEOUT)
                .path("fetched").path("note-for-chromium.txt");
        assertThat(noteFetched.path("sha256").asText()).isEqualTo(sha256(Files.readAllBytes(note)));

        byte[] program = new byte[512];
        program[0] = 'M';
        program[1] = 'Z';
        Path setup = Files.write(folder.resolve("setup.exe"), program);
        command(firefoxProcess, "file " + setup.toAbsolutePath());
        JsonNode refused = firefox.await(s -> s.path("fileStatus").asText().startsWith("setup.exe"), STEP_TIMEOUT);
        assertThat(refused.path("fileStatus").asText()).isEqualTo("setup.exe：聊天中不能分享程序、脚本和网页。");
        JsonNode chromiumLater = chromium.await(s -> s.path("chat").size() >= 2, STEP_TIMEOUT);
        assertThat(chatFile(chromiumLater, "setup.exe")).as("a refused file reaches nobody").isNull();

        // Host controls from Firefox, the room's host, on Chromium: each told in English.
        command(firefoxProcess, "host mute " + chromiumId);
        chromium.await(s -> !s.path("micOn").asBoolean() && s.path("toasts").toString().contains(
                "Firefox muted your microphone. You can unmute yourself when you want to speak."), STEP_TIMEOUT);
        command(firefoxProcess, "host ask-unmute " + chromiumId);
        JsonNode asked = chromium.await(s -> !s.path("unmutePrompt").isNull(), STEP_TIMEOUT);
        assertThat(asked.path("unmutePrompt").asText()).contains("Firefox asks you to unmute your microphone.");
        assertThat(asked.path("micOn").asBoolean()).as("nobody is unmuted remotely").isFalse();
        command(chromiumProcess, "unmute-accept");
        chromium.await(s -> s.path("micOn").asBoolean(), STEP_TIMEOUT);
        command(firefoxProcess, "host lower-hand " + chromiumId);
        chromium.await(s -> handOf(s, chromiumId) == 0
                && s.path("toasts").toString().contains("Firefox lowered your hand."), STEP_TIMEOUT);
        firefox.await(s -> handOf(s, chromiumId) == 0, STEP_TIMEOUT);
        command(firefoxProcess, "host lock");
        command(firefoxProcess, "host end");
        JsonNode ended = chromium.await(s -> !s.path("left").isNull(), STEP_TIMEOUT);
        assertThat(ended.path("left").asText()).isEqualTo("The host ended the meeting.");
        assertThat(ended.path("rejoin").asBoolean()).as("no Rejoin that cannot work").isFalse();
        assertThat(firefox.await(s -> !s.path("left").isNull(), STEP_TIMEOUT).path("left").asText())
                .isEqualTo("您已为所有人结束会议。");
    }

    /** The chat entry with a file of that name, as join.mjs reports the chat; a missing node when there is none. */
    private static JsonNode chatEntry(JsonNode stats, String name) {
        for (JsonNode entry : stats.path("chat")) {
            if (name.equals(entry.path("file").path("name").asText(null))) {
                return entry;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    /** The file of that name in the page's chat (its name and size as shown), or null. */
    private static JsonNode chatFile(JsonNode stats, String name) {
        JsonNode entry = chatEntry(stats, name);
        return entry.isMissingNode() ? null : entry.path("file");
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** A participant's entry in a page's participant list, as join.mjs reports it. */
    private static JsonNode entryOf(JsonNode stats, String participantId) {
        for (JsonNode entry : stats.path("list")) {
            if (entry.path("id").asText().equals(participantId)) {
                return entry;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    /** The participant's place in the queue of raised hands on that page; 0 when their hand is down. */
    private static int handOf(JsonNode stats, String participantId) {
        return entryOf(stats, participantId).path("hand").asInt(0);
    }

    /** A browser script in the namespace; signIn ("e-mail password") signs in first, making it the room's host. */
    private Process browser(String kind, String link, String name, String language, String signIn)
            throws IOException {
        return namespace.startClient(List.of("env", "PARLEY_LANG=" + language,
                "PARLEY_SIGN_IN=" + (signIn == null ? "" : signIn),
                System.getenv().getOrDefault("PARLEY_NODE", "node"), "join.mjs", kind, link, name, "300"),
                BROWSER_SCRIPTS, kind, true);
    }

    /** A line to the browser script (see join.mjs): "share" presses the share button. */
    private static void command(Process process, String line) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }
}
