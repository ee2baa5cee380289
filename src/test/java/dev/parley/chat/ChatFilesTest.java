package dev.parley.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.accounts.Role;
import dev.parley.meeting.MeetingFilesCleanup;
import dev.parley.rooms.RoomRepository;
import dev.parley.testing.Fixtures;
import dev.parley.testing.ParleyWebTest;
import dev.parley.testing.SignalingClient;
import dev.parley.testing.WebSession;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Files shared in a meeting's chat, over real HTTP and real signalling against the running application: who may share
 * and download (people in that meeting with their own key; a private file only its two ends), what the download looks
 * like (an attachment, not sniffed, sandboxed), the content check, the limits, and the files gone with the meeting.
 */
@ParleyWebTest
class ChatFilesTest {

    /** The first bytes of a PNG image (RFC 2083 signature) and an IHDR chunk. */
    static final byte[] PNG = concat(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'},
            "\0\0\0\rIHDR\0\0\0\1\0\0\0\1\10\2\0\0\0".getBytes(StandardCharsets.ISO_8859_1));
    static final byte[] PDF = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    RoomRepository rooms;

    @Autowired
    ChatProperties properties;

    @Autowired
    SharedFiles files;

    @Autowired
    MeetingFilesCleanup cleanup;

    @Test
    void peopleInTheMeetingShareAndDownloadAndNobodyElse() {
        Fixtures.SignedIn host = fixtures.signedIn(Role.HOST);
        long roomId = host.scheduleRoom("Files", 1);
        String slug = rooms.findById(roomId).orElseThrow().getSlug();
        String other = rooms.findById(host.scheduleRoom("Elsewhere", 1)).orElseThrow().getSlug();
        try (Member ada = Member.join(port, slug, "Ada");
             Member bob = Member.join(port, slug, "Bob");
             Member carl = Member.join(port, slug, "Carl");
             Member eve = Member.join(port, other, "Eve")) {
            WebSession.Page shared = ada.share("diagram.png", PNG, null);
            assertThat(shared.status()).as(shared.body()).isEqualTo(201);
            JsonNode message = bob.client.next("chat");
            assertThat(message.path("from").path("displayName").asText()).isEqualTo("Ada");
            assertThat(message.path("text").asText()).isEmpty();
            JsonNode file = message.path("file");
            assertThat(file.path("name").asText()).isEqualTo("diagram.png");
            assertThat(file.path("size").asLong()).isEqualTo(PNG.length);
            assertThat(file.path("type").asText()).isEqualTo("image/png");
            assertThat(ada.client.next("chat").path("file").path("id").asText()).as("the sender's copy")
                    .isEqualTo(file.path("id").asText());
            String id = file.path("id").asText();

            HttpResponse<byte[]> download = bob.download(slug, id);
            assertThat(download.statusCode()).isEqualTo(200);
            assertThat(download.body()).isEqualTo(PNG);
            assertThat(download.headers().firstValue("Content-Type")).hasValue("image/png");
            assertThat(download.headers().firstValue("Content-Disposition").orElse(""))
                    .startsWith("attachment").contains("diagram.png");
            assertThat(download.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
            assertThat(download.headers().firstValue("Content-Security-Policy").orElse("")).contains("sandbox");
            assertThat(download.headers().firstValue("Cache-Control").orElse("")).contains("no-store");

            Map<String, String> bobWithAdasId = Map.of("X-Parley-Participant", ada.id, "X-Parley-File-Key", bob.key);
            assertThat(bob.web.getBytes("/r/" + slug + "/files/" + id, bobWithAdasId).statusCode())
                    .as("a key is its own participant's").isEqualTo(403);
            assertThat(new WebSession(port).getBytes("/r/" + slug + "/files/" + id, Map.of()).statusCode())
                    .as("someone not in the meeting").isEqualTo(403);
            assertThat(eve.download(slug, id).statusCode()).as("someone in another room's meeting").isEqualTo(403);
            assertThat(eve.download(other, id).statusCode()).as("another room's file, asked in one's own")
                    .isEqualTo(404);
            assertThat(eve.share("x.png", PNG, null, slug).status()).as("sharing into another room").isEqualTo(403);

            WebSession.Page secret = ada.share("note.txt", "for Bob only".getBytes(StandardCharsets.UTF_8), bob.id);
            assertThat(secret.status()).as(secret.body()).isEqualTo(201);
            JsonNode toBob = bob.client.next("chat");
            assertThat(toBob.path("to").asText()).isEqualTo(bob.id);
            assertThat(toBob.path("file").path("type").asText()).isEqualTo("text/plain");
            String secretId = toBob.path("file").path("id").asText();
            assertThat(new String(bob.download(slug, secretId).body(), StandardCharsets.UTF_8)).isEqualTo("for Bob only");
            assertThat(carl.download(slug, secretId).statusCode()).as("a private file is not Carl's").isEqualTo(404);
            assertThat(carl.client.next("chat").path("file").path("id").asText()).as("Carl saw only the public one")
                    .isEqualTo(id);
            carl.client.send(Map.of("type", "ping", "id", 5));
            assertThat(carl.client.next("pong").path("id").asInt()).isEqualTo(5);

            Map<String, String> noCsrf = new HashMap<>(ada.headers("text/plain"));
            noCsrf.remove("X-CSRF-TOKEN");
            assertThat(ada.web.postBytes("/r/" + slug + "/files?name=a.txt", "x".getBytes(StandardCharsets.UTF_8),
                    noCsrf).status()).as("no CSRF token").isEqualTo(403);

            assertThat(Files.exists(properties.directory().resolve(Long.toString(roomId)).resolve(id))).isTrue();
        }
        assertThat(eventually(() -> files.forRoom(roomId).isEmpty()))
                .as("the meeting's own files go when it ends").isTrue();
        assertThat(storedFiles(roomId)).as("and their bytes").isEmpty();
    }

    @Test
    void whatIsRefusedIsSaidAndLeavesNothing() {
        Fixtures.SignedIn host = fixtures.signedIn(Role.HOST);
        long roomId = host.scheduleRoom("Checked", 1);
        String slug = rooms.findById(roomId).orElseThrow().getSlug();
        try (Member ada = Member.join(port, slug, "Ada");
             Member bob = Member.join(port, slug, "Bob");
             Member cyd = Member.join(port, slug, "Cyd")) {
            byte[] program = concat("MZ".getBytes(StandardCharsets.US_ASCII), new byte[200]);
            expectRefused(ada.share("setup.exe", program, null), 415, "file-dangerous");
            expectRefused(ada.share("invoice.pdf", program, null), 415, "file-dangerous");
            expectRefused(ada.share("report.pdf", PNG, null), 415, "file-mismatch");
            expectRefused(bob.share("page.txt", "<html><body><script>alert(1)</script>".getBytes(StandardCharsets.UTF_8),
                    null), 415, "file-dangerous");
            expectRefused(bob.share("picture.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>".getBytes(
                    StandardCharsets.UTF_8), null), 415, "file-dangerous");
            expectRefused(bob.share("notes.txt", new byte[] {0, 1, 2, 3, (byte) 0xff, 0}, null), 415, "file-mismatch");
            expectRefused(bob.share("empty.txt", new byte[0], null), 400, "file-empty");
            expectRefused(cyd.share("", "x".getBytes(StandardCharsets.UTF_8), null), 400, "file-bad-name");
            expectRefused(cyd.share("a\u202Egnp.exe", PNG, null), 400, "file-bad-name");
            byte[] tooLarge = new byte[(int) properties.maxFileSize().toBytes() + 1];
            expectRefused(cyd.share("big.bin", tooLarge, null), 413, "file-too-large");
            expectRefused(cyd.share("a.png", PNG, "p-nobody"), 400, "unknown-recipient");
            expectRefused(cyd.share("a.png", PNG, cyd.id), 400, "bad-message");

            assertThat(files.forRoom(roomId)).isEmpty();
            assertThat(storedFiles(roomId)).isEmpty();
            assertThat(incoming()).as("no part file stays behind").isEmpty();

            WebSession.Page accepted = bob.share("../../etc/passwd report.pdf", PDF, null);
            assertThat(accepted.status()).as(accepted.body()).isEqualTo(201);
            assertThat(ada.client.next("chat").path("file").path("name").asText())
                    .as("only the last part of a path is a name").isEqualTo("passwd report.pdf");

            Member dan = Member.join(port, slug, "Dan");
            int shared = 0;
            WebSession.Page last = null;
            for (int i = 0; i < 20; i++) {
                last = dan.share("n" + i + ".txt", ("note " + i).getBytes(StandardCharsets.UTF_8), null);
                if (last.status() != 201) {
                    break;
                }
                shared++;
            }
            assertThat(shared).as("a burst of five").isBetween(5, 6);
            expectRefused(last, 429, "rate-limited");
            dan.close();
        }
    }

    @Test
    void uploadsUnderWayAreCappedServerWide() throws Exception {
        Fixtures.SignedIn host = fixtures.signedIn(Role.HOST);
        String slug = rooms.findById(host.scheduleRoom("Busy", 1)).orElseThrow().getSlug();
        List<Member> members = new ArrayList<>();
        List<Socket> slow = new ArrayList<>();
        byte[] body = "a slow upload".getBytes(StandardCharsets.UTF_8);
        try {
            // Raw sockets: the head and the first bytes go out, the rest waits (the JDK's client sends nothing
            // before its body is complete).
            for (int m = 0; m < 4; m++) {
                Member member = Member.join(port, slug, "Slow " + m);
                members.add(member);
                for (int i = 0; i < SharedFiles.MAX_CONCURRENT_UPLOADS / 4; i++) {
                    slow.add(member.startUpload(port, "slow-" + m + "-" + i + ".txt", "text/plain", body.length,
                            Arrays.copyOf(body, 4)));
                }
            }
            assertThat(eventually(() -> incoming().size() >= SharedFiles.MAX_CONCURRENT_UPLOADS))
                    .as("every slow upload is under way").isTrue();
            Member late = Member.join(port, slug, "Late");
            members.add(late);
            expectRefused(late.share("on-time.txt", "hi".getBytes(StandardCharsets.UTF_8), null), 503, "file-busy");
            for (Socket socket : slow) {
                socket.getOutputStream().write(body, 4, body.length - 4);
                socket.getOutputStream().flush();
            }
            for (Socket socket : slow) {
                socket.setSoTimeout(30_000);
                String status = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
                assertThat(status).as("the slow ones finish").isEqualTo("HTTP/1.1 201");
            }
            assertThat(late.share("now.txt", "hi".getBytes(StandardCharsets.UTF_8), null).status())
                    .as("room again once they are done").isEqualTo(201);
        } finally {
            for (Socket socket : slow) {
                socket.close();
            }
            members.forEach(Member::close);
        }
    }

    /**
     * The sender's place in the meeting is checked again once the bytes are in: one who left (or was removed) while
     * an upload ran shared nothing, and nothing of it stays.
     */
    @Test
    void anUploadThatEndsAfterItsSenderLeftSharesNothing() throws Exception {
        Fixtures.SignedIn host = fixtures.signedIn(Role.HOST);
        long roomId = host.scheduleRoom("Gone", 1);
        String slug = rooms.findById(roomId).orElseThrow().getSlug();
        byte[] body = "shared after leaving".getBytes(StandardCharsets.UTF_8);
        try (Member ada = Member.join(port, slug, "Ada"); Member bob = Member.join(port, slug, "Bob")) {
            ada.client.next("participant-joined");
            int partsBefore = incoming().size();
            try (Socket upload = bob.startUpload(port, "late.txt", "text/plain", body.length,
                    Arrays.copyOf(body, 4))) {
                assertThat(eventually(() -> incoming().size() > partsBefore)).as("the upload is under way").isTrue();

                bob.client.send(Map.of("type", "leave"));
                assertThat(ada.client.next("participant-left").path("participantId").asText()).isEqualTo(bob.id);
                upload.getOutputStream().write(body, 4, body.length - 4);
                upload.getOutputStream().flush();
                upload.setSoTimeout(30_000);
                String answer = new String(upload.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(answer).startsWith("HTTP/1.1 403").contains("no longer in this meeting");
            }

            ada.client.send(Map.of("type", "ping", "id", 9));
            JsonNode next = ada.client.nextAny(Duration.ofSeconds(10));
            assertThat(next.path("type").asText()).as("no chat message for the file came first: %s", next)
                    .isEqualTo("pong");
            assertThat(files.forRoom(roomId)).as("no row").isEmpty();
            assertThat(storedFiles(roomId)).as("no bytes").isEmpty();
        }
    }

    /**
     * The cleanup at a node's start (of meetings that did not end cleanly) leaves the files of a meeting under way: in
     * a cluster their rows are in the database every node shares, and a node starting took them all.
     */
    @Test
    void theStartsCleanupLeavesTheFilesOfAMeetingUnderWay() {
        Fixtures.SignedIn host = fixtures.signedIn(Role.HOST);
        String slug = rooms.findById(host.scheduleRoom("Under way", 1)).orElseThrow().getSlug();
        try (Member ada = Member.join(port, slug, "Ada"); Member bob = Member.join(port, slug, "Bob")) {
            byte[] notes = "notes".getBytes(StandardCharsets.UTF_8);
            assertThat(ada.share("notes.txt", notes, null).status()).isEqualTo(201);
            String fileId = bob.client.next("chat").path("file").path("id").asText();

            cleanup.dropUnfinishedMeetingsFiles();
            assertThat(bob.download(slug, fileId).body()).as("still shared").isEqualTo(notes);
        }
    }

    /** A name of 200 characters, each two UTF-16 units (as emoji are), is a name like any other. */
    @Test
    void aLongNameOfEmojiIsShared() {
        Fixtures.SignedIn host = fixtures.signedIn(Role.HOST);
        String slug = rooms.findById(host.scheduleRoom("Emoji", 1)).orElseThrow().getSlug();
        String name = "😀".repeat(SharedFiles.MAX_NAME - 4) + ".txt";
        try (Member ada = Member.join(port, slug, "Ada")) {
            WebSession.Page shared = ada.share(name, "smile".getBytes(StandardCharsets.UTF_8), null);
            assertThat(shared.status()).as(shared.body()).isEqualTo(201);
            assertThat(ada.client.next("chat").path("file").path("name").asText()).isEqualTo(name);
        }
    }

    private static void expectRefused(WebSession.Page page, int status, String code) {
        assertThat(page.status()).as(page.body()).isEqualTo(status);
        assertThat(page.body()).contains("\"error\":\"" + code + "\"").contains("\"message\":");
    }

    private List<Path> storedFiles(long roomId) {
        return list(properties.directory().resolve(Long.toString(roomId)));
    }

    private List<Path> incoming() {
        return list(properties.directory().resolve(".incoming"));
    }

    private static List<Path> list(Path folder) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Polls a condition for up to 10 s (the server handles a leave after the socket closed). */
    static boolean eventually(java.util.function.BooleanSupplier condition) {
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return true;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return condition.getAsBoolean();
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    /** A guest in a meeting: its browser session, its signalling, and what its welcome gave it. */
    static final class Member implements AutoCloseable {
        final WebSession web;
        final SignalingClient client;
        final String id;
        final String key;
        final String csrf;
        final String slug;

        private Member(WebSession web, SignalingClient client, String id, String key, String csrf, String slug) {
            this.web = web;
            this.client = client;
            this.id = id;
            this.key = key;
            this.csrf = csrf;
            this.slug = slug;
        }

        static Member join(int port, String slug, String name) {
            WebSession web = new WebSession(port);
            String ticket = web.joinTicket(slug, name);
            String csrf = web.get("/r/" + slug).html().selectFirst("[data-meeting-app]").attr("data-csrf-token");
            SignalingClient client = SignalingClient.connect(port);
            Map<String, Object> join = new LinkedHashMap<>();
            join.put("type", "join");
            join.put("ticket", ticket);
            join.put("audio", false);
            join.put("video", false);
            client.send(join);
            JsonNode welcome = client.next("welcome");
            assertThat(welcome.path("fileKey").asText()).as("the welcome's file key").hasSizeGreaterThan(40);
            return new Member(web, client, welcome.path("participantId").asText(), welcome.path("fileKey").asText(),
                    csrf, slug);
        }

        Map<String, String> headers(String contentType) {
            return Map.of("X-Parley-Participant", id, "X-Parley-File-Key", key, "X-CSRF-TOKEN", csrf,
                    "Content-Type", contentType);
        }

        /**
         * An upload over a raw socket that sends its head and the first bytes of a body of {@code length} bytes, then
         * waits for the caller to send the rest (the JDK's client sends nothing before its body is complete).
         */
        Socket startUpload(int port, String name, String contentType, long length, byte[] first) throws IOException {
            Socket socket = new Socket("127.0.0.1", port);
            StringBuilder head = new StringBuilder("POST /r/" + slug + "/files?name=" + name + " HTTP/1.1\r\n"
                    + "Host: 127.0.0.1:" + port + "\r\nCookie: PARLEY_SESSION="
                    + web.cookie("PARLEY_SESSION").orElseThrow().getValue() + "\r\nContent-Length: " + length
                    + "\r\nConnection: close\r\n");
            headers(contentType).forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            OutputStream out = socket.getOutputStream();
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
            out.write(first);
            out.flush();
            return socket;
        }

        WebSession.Page share(String name, byte[] body, String to) {
            return share(name, body, to, slug);
        }

        WebSession.Page share(String name, byte[] body, String to, String inRoom) {
            String query = "name=" + URLEncoder.encode(name, StandardCharsets.UTF_8)
                    + (to == null ? "" : "&to=" + URLEncoder.encode(to, StandardCharsets.UTF_8));
            return web.postBytes("/r/" + inRoom + "/files?" + query, body, headers("application/octet-stream"));
        }

        HttpResponse<byte[]> download(String inRoom, String fileId) {
            return web.getBytes("/r/" + inRoom + "/files/" + fileId,
                    Map.of("X-Parley-Participant", id, "X-Parley-File-Key", key));
        }

        /** Leaves as the page does, so the meeting ends without waiting out a reconnection grace. */
        @Override
        public void close() {
            if (client.isOpen()) {
                client.send(Map.of("type", "leave"));
            }
            client.close();
        }
    }
}
