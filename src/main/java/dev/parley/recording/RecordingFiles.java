package dev.parley.recording;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Where recordings lie: one folder per recording under {@link RecordingProperties#directory()}, named by its random id,
 * holding its track files (named by the track's id) and the composed file. Names come from ids Parley made, never
 * from what a user typed.
 */
@Component
public class RecordingFiles {

    private static final Logger log = LoggerFactory.getLogger(RecordingFiles.class);
    static final String COMPOSED = "composed.mp4";
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,32}");

    private final Path root;

    RecordingFiles(RecordingProperties properties) {
        this.root = properties.directory().toAbsolutePath().normalize();
    }

    Path root() {
        return root;
    }

    Path folder(String recordingId) {
        if (!ID.matcher(recordingId).matches()) {
            throw new IllegalArgumentException("not a recording id");
        }
        return root.resolve(recordingId);
    }

    Path createFolder(String recordingId) throws IOException {
        return Files.createDirectories(folder(recordingId));
    }

    public Path track(RecordingTrack track) {
        return folder(track.getRecordingId()).resolve(track.getFileName());
    }

    public Path composed(Recording recording) {
        return folder(recording.getId()).resolve(COMPOSED);
    }

    /** The bytes of every file under the recordings folder: what the quota counts. */
    long usedBytes() {
        if (!Files.isDirectory(root)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).mapToLong(RecordingFiles::sizeOf).sum();
        } catch (IOException | UncheckedIOException e) {
            log.warn("Could not measure the recordings folder: {}", e.toString());
            return 0;
        }
    }

    /** Free bytes on the disk that holds the recordings folder (or its nearest existing parent). */
    long freeBytes() {
        Path existing = root;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        try {
            return existing == null ? Long.MAX_VALUE : Files.getFileStore(existing).getUsableSpace();
        } catch (IOException e) {
            return Long.MAX_VALUE;
        }
    }

    static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    /** Deletes a recording's folder and everything in it. */
    void delete(String recordingId) {
        Path folder = folder(recordingId);
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    log.warn("Could not delete {}: {}", path, e.toString());
                }
            });
        } catch (IOException e) {
            log.warn("Could not delete recording folder {}: {}", folder, e.toString());
        }
    }

    /** Deletes folders no recording row names (their room was deleted, say); returns how many went. */
    int sweep(Set<String> known) {
        return sweep(known, Instant.MAX);
    }

    /**
     * As {@link #sweep(Set)}, but only folders last changed before the instant: a recording's folder is made just
     * before its row, so a folder younger than that may belong to a recording starting now.
     */
    int sweep(Set<String> known, Instant changedBefore) {
        if (!Files.isDirectory(root)) {
            return 0;
        }
        int removed = 0;
        try (Stream<Path> folders = Files.list(root)) {
            for (Path folder : folders.filter(Files::isDirectory).toList()) {
                String name = folder.getFileName().toString();
                if (ID.matcher(name).matches() && !known.contains(name) && changedBefore(folder, changedBefore)) {
                    delete(name);
                    removed++;
                }
            }
        } catch (IOException e) {
            log.warn("Could not sweep the recordings folder: {}", e.toString());
        }
        return removed;
    }

    private static boolean changedBefore(Path folder, Instant instant) {
        if (instant.equals(Instant.MAX)) {
            return true;
        }
        try {
            return Files.getLastModifiedTime(folder).toInstant().isBefore(instant);
        } catch (IOException e) {
            return false;
        }
    }

    /** The size of a file of this folder, or 0 when it is not there. */
    long size(Path file) {
        return Files.isRegularFile(file) ? sizeOf(file) : 0;
    }
}
