package dev.parley.chat;

import dev.parley.common.SecretTokens;
import dev.parley.common.VisibleText;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongPredicate;
import org.apache.tika.mime.MediaType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The files shared in meetings' chats: their bytes under {@link ChatProperties#directory()}, one folder per room, each
 * file named by its random id (never by the name its sender gave, which is only shown), and a {@link SharedFile} row
 * each. An upload streams to a part file, within the size limit and the free disk it must leave, then is checked
 * ({@link FileCheck}) and moved into place; a row exists only for complete, checked files.
 */
@Service
public class SharedFiles {

    private static final Logger log = LoggerFactory.getLogger(SharedFiles.class);
    /** The longest file name shown, in code points. */
    public static final int MAX_NAME = 200;
    private static final String INCOMING = ".incoming";
    /** Bytes without a row younger than this may be an upload that is being recorded; older ones are left-overs. */
    private static final Duration ORPHAN_AGE = Duration.ofHours(1);
    /** Uploads under way at once, server-wide: each holds a request thread while its bytes arrive. */
    static final int MAX_CONCURRENT_UPLOADS = 16;

    private final SharedFileRepository files;
    private final FileCheck check;
    private final ChatProperties properties;
    private final Clock clock;
    private final Semaphore uploads = new Semaphore(MAX_CONCURRENT_UPLOADS);
    /** The bytes that uploads under way may still write, which the free disk must hold beside its reserve. */
    private final AtomicLong claimed = new AtomicLong();

    SharedFiles(SharedFileRepository files, FileCheck check, ChatProperties properties, Clock clock) {
        this.files = files;
        this.check = check;
        this.properties = properties;
        this.clock = clock;
    }

    public long maxSize() {
        return properties.maxFileSize().toBytes();
    }

    /**
     * Takes an upload's body: streams it to disk, checks it, and records it.
     *
     * Not one transaction: a slow upload must not hold a database connection while its bytes arrive; the row is saved
     * on its own once the file is complete and checked.
     *
     * @param declaredLength the request's Content-Length, or -1 when it gave none
     * @throws FileRefusedException BAD_NAME, EMPTY, TOO_LARGE, DISK_FULL, MISMATCH or DANGEROUS
     */
    public SharedFile store(long roomId, String rawName, long declaredLength, InputStream body, Upload upload)
            throws IOException {
        String name = cleanName(rawName);
        if (declaredLength > maxSize()) {
            throw tooLarge();
        }
        Path incoming = Files.createDirectories(properties.directory().resolve(INCOMING));
        long usable = Files.getFileStore(incoming).getUsableSpace();
        if (!uploads.tryAcquire()) {
            throw new FileRefusedException(FileRefusedException.Reason.BUSY,
                    "The server is taking many files right now; try again in a moment.");
        }
        // Each upload under way holds as much as it may still write: the free disk is read once per upload, and
        // sixteen at once could otherwise each find room for themselves and together eat the reserve.
        long claim = declaredLength >= 0 ? declaredLength : maxSize();
        if (usable - claimed.addAndGet(claim) < properties.minFreeDisk().toBytes()) {
            claimed.addAndGet(-claim);
            uploads.release();
            log.warn("Refused a chat file: {} MB free on the disk of {}, {} MB must stay free", usable >> 20,
                    properties.directory(), properties.minFreeDisk().toMegabytes());
            throw new FileRefusedException(FileRefusedException.Reason.DISK_FULL,
                    "The server has no room for files right now.");
        }
        String id = newId();
        Path part = incoming.resolve(id + ".part");
        try {
            long size = copyWithin(body, part);
            if (size == 0) {
                throw new FileRefusedException(FileRefusedException.Reason.EMPTY, "The file is empty.");
            }
            MediaType type = check.check(part, name);
            Path target = Files.createDirectories(roomFolder(roomId)).resolve(id);
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
            SharedFile file;
            try {
                file = files.save(new SharedFile(id, roomId, name, type.toString(), size, upload, clock.instant()));
            } catch (RuntimeException e) {
                deleteBytes(target); // no row, no file: a room deleted meanwhile, or the database gone
                throw e;
            }
            log.info("Chat file {} shared in room {}: {} bytes of {}", id, roomId, size, type);
            return file;
        } finally {
            claimed.addAndGet(-claim);
            uploads.release();
            Files.deleteIfExists(part);
        }
    }

    public Optional<SharedFile> find(String id) {
        return id == null || id.length() > 32 ? Optional.empty() : files.findById(id);
    }

    /** Where a file's bytes lie. */
    /** The files of these ids that are still there, in one query; ids that cannot be a file's are left out. */
    public List<SharedFile> findAll(Collection<String> ids) {
        List<String> wellFormed = ids.stream().filter(id -> id != null && id.length() <= 32).distinct().toList();
        return wellFormed.isEmpty() ? List.of() : files.findAllById(wellFormed);
    }

    public Path path(SharedFile file) {
        return roomFolder(file.getRoomId()).resolve(file.getId());
    }

    public List<SharedFile> forRoom(long roomId) {
        return files.findByRoomIdOrderByUploadedAt(roomId);
    }

    /** A meeting ended: the files that were only its own go, up to that moment. */
    @Transactional
    public int deleteUnkept(long roomId, Instant until) {
        return delete(files.unkeptUntil(roomId, until));
    }

    /** The meetings' own files of the rooms {@code ended} names (at start: those with no meeting under way). */
    @Transactional
    public int deleteAllUnkept(LongPredicate ended) {
        return delete(files.unkept().stream().filter(file -> ended.test(file.getRoomId())).toList());
    }

    /** The retention of kept files ended before this moment. */
    @Transactional
    public int deleteKeptBefore(Instant before) {
        return delete(files.keptBefore(before));
    }

    /** The room's kept files (its host cleared its kept chat); a live meeting's own files stay its own. */
    @Transactional
    public int deleteKeptForRoom(long roomId) {
        return delete(files.keptOf(roomId));
    }

    /** A file stored for a sender who was no longer in the meeting once its bytes had arrived. */
    @Transactional
    public void discard(SharedFile file) {
        delete(List.of(file));
    }

    private int delete(List<SharedFile> gone) {
        files.deleteAll(gone);
        for (SharedFile file : gone) {
            deleteBytes(path(file));
        }
        return gone.size();
    }

    /**
     * Removes bytes no row names any more (a room deleted with its rows, a crash between the two) and part files of
     * uploads that never finished; young ones may belong to an upload under way and stay.
     */
    public int sweep() {
        Path root = properties.directory();
        if (!Files.isDirectory(root)) {
            return 0;
        }
        Instant old = clock.instant().minus(ORPHAN_AGE);
        int removed = 0;
        try (DirectoryStream<Path> folders = Files.newDirectoryStream(root)) {
            for (Path folder : folders) {
                if (!Files.isDirectory(folder)) {
                    continue;
                }
                boolean incoming = folder.getFileName().toString().equals(INCOMING);
                try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
                    for (Path entry : entries) {
                        if (olderThan(entry, old) && (incoming || !files.existsById(entry.getFileName().toString()))) {
                            deleteBytes(entry);
                            removed++;
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return removed;
    }

    /**
     * The name as shown: its last path segment, trimmed, visible text of at most {@link #MAX_NAME} code points.
     *
     * @throws FileRefusedException BAD_NAME
     */
    static String cleanName(String raw) {
        String name = raw == null ? "" : raw.strip();
        name = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1).strip();
        if (name.isEmpty() || name.equals(".") || name.equals("..") || name.length() > 4 * MAX_NAME
                || name.codePointCount(0, name.length()) > MAX_NAME || !VisibleText.Validator.accepts(name, false)) {
            throw new FileRefusedException(FileRefusedException.Reason.BAD_NAME, "A file needs a name of 1 to "
                    + MAX_NAME + " visible characters.");
        }
        return name;
    }

    private long copyWithin(InputStream body, Path part) throws IOException {
        long limit = maxSize();
        long size = 0;
        byte[] buffer = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(part)) {
            int n;
            while ((n = body.read(buffer)) != -1) {
                size += n;
                if (size > limit) {
                    throw tooLarge();
                }
                out.write(buffer, 0, n);
            }
        }
        return size;
    }

    private FileRefusedException tooLarge() {
        return new FileRefusedException(FileRefusedException.Reason.TOO_LARGE,
                "Files are limited to " + properties.maxFileSize().toMegabytes() + " MB.");
    }

    private Path roomFolder(long roomId) {
        return properties.directory().resolve(Long.toString(roomId));
    }

    private static String newId() {
        return SecretTokens.random(24); // 32 characters, unguessable: the id is also what a download names
    }

    private static boolean olderThan(Path path, Instant moment) throws IOException {
        FileTime modified = Files.getLastModifiedTime(path);
        return modified.toInstant().isBefore(moment);
    }

    private static void deleteBytes(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            log.warn("Could not delete chat file {}: {}", path.getFileName(), e.toString());
        }
    }
}
