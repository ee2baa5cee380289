package dev.parley.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.accounts.Role;
import dev.parley.chat.ChatFilesTest.Member;
import dev.parley.rooms.RoomRepository;
import dev.parley.testing.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The free disk that chat files must leave holds against uploads at once: each upload under way counts what it may
 * still write. The reserve is set, as the context starts, to leave room for two uploads of the size they declare
 * (512 MB) and not three, with 256 MB to spare either way for whatever else writes to this disk meanwhile.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class ChatFileDiskReserveTest {

    private static final long MB = 1 << 20;
    private static final long DECLARED = 512 * MB;
    private static final Path FOLDER = Path.of(System.getProperty("java.io.tmpdir"), "parley-test-files",
            UUID.randomUUID().toString());

    @DynamicPropertySource
    static void roomForTwo(DynamicPropertyRegistry registry) throws IOException {
        Files.createDirectories(FOLDER);
        long usable = Files.getFileStore(FOLDER).getUsableSpace();
        registry.add("parley.chat.directory", FOLDER::toString);
        registry.add("parley.chat.max-file-size", () -> DECLARED + "B");
        registry.add("parley.chat.min-free-disk", () -> Math.max(0, usable - 2 * DECLARED - 256 * MB) + "B");
    }

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    RoomRepository rooms;

    @Test
    void uploadsUnderWayHoldWhatTheyMayStillWrite() throws Exception {
        Fixtures.SignedIn host = fixtures.signedIn(Role.HOST);
        String slug = rooms.findById(host.scheduleRoom("Reserve", 1)).orElseThrow().getSlug();
        List<Member> members = new ArrayList<>();
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                Member member = Member.join(port, slug, "Large " + i);
                members.add(member);
                sockets.add(startLarge(member, "large-" + i + ".bin"));
            }
            assertThat(ChatFilesTest.eventually(() -> parts() == 2)).as("both uploads are under way").isTrue();

            Member third = Member.join(port, slug, "Third");
            members.add(third);
            Socket refused = startLarge(third, "third.bin");
            sockets.add(refused);
            refused.setSoTimeout(30_000);
            String answer = new String(refused.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertThat(answer).as("no room for a third beside the reserve").isEqualTo("HTTP/1.1 507");

            sockets.get(0).close();
            sockets.get(1).close();
            assertThat(ChatFilesTest.eventually(() -> parts() == 0)).as("the cut uploads are gone").isTrue();
            Socket again = startLarge(third, "again.bin");
            sockets.add(again);
            assertThat(ChatFilesTest.eventually(() -> parts() == 1)).as("their room is free again").isTrue();
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
            members.forEach(Member::close);
        }
    }

    /** An upload that declares 512 MB and sends its first 4 KiB only. */
    private Socket startLarge(Member member, String name) throws IOException {
        return member.startUpload(port, name, "application/octet-stream", DECLARED, new byte[4096]);
    }

    private static long parts() {
        Path incoming = FOLDER.resolve(".incoming");
        if (!Files.isDirectory(incoming)) {
            return 0;
        }
        try (Stream<Path> entries = Files.list(incoming)) {
            return entries.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
