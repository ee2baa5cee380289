package dev.parley.testing;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * Parley's classes as a jar, and a class-data-sharing archive (JDK 13+ dynamic CDS) of the classes Parley loads from
 * start to shutdown, made once per build and shared by every Parley process the tests start. About thirty start in a
 * run of the suite; with the archive each starts about a third sooner (on the 2-core VM: 13.4 → 9.0 s with the tests'
 * quick-start flags, 16.1 → 12.8 s with the JVM's defaults), for one start of about 25 s that makes it.
 *
 * <p>The jar is why this exists: the JVM archives classes from jars only, and refuses to dump at all with a non-empty
 * directory such as {@code target/classes} on the classpath. The archive is only an optimisation: when it cannot be
 * made, the processes start from {@code target/classes} as before; a stale one the JVM itself refuses (it checks the
 * classpath's jars) and starts without.
 */
final class ClassDataSharing {

    /** {@code -Dparley.test.cds=false} starts every process without the archive. */
    private static final boolean ENABLED = Boolean.parseBoolean(System.getProperty("parley.test.cds", "true"));
    private static final Path DIRECTORY = Path.of("target", "parley-cds").toAbsolutePath();
    private static final Path CLASSES = ParleyProcess.CLASSES;
    private static final Duration TRAINING_START = Duration.ofSeconds(120);
    /** SIGTERM to exit, with the archive written on the way out (150 MB: a few seconds). */
    private static final Duration TRAINING_STOP = Duration.ofSeconds(90);

    /** The classpath to run Parley from, and the archive of its classes. */
    record Archive(String classpath, Path file) {
        List<String> jvmOptions() {
            return List.of("-XX:SharedArchiveFile=" + file);
        }
    }

    private static Optional<Archive> archive;

    private ClassDataSharing() {
    }

    /**
     * The archive for Parley on these runtime dependencies, made now if this build has none (once per JVM: a failure
     * is not tried again); empty when it cannot be made.
     */
    static synchronized Optional<Archive> archive(String dependencies) {
        if (archive == null) {
            archive = ENABLED ? make(dependencies) : Optional.empty();
        }
        return archive;
    }

    private static Optional<Archive> make(String dependencies) {
        Path jar = DIRECTORY.resolve("parley-classes.jar");
        Path file = DIRECTORY.resolve("parley.jsa");
        Path stamp = DIRECTORY.resolve("stamp");
        Archive made = new Archive(jar + File.pathSeparator + dependencies, file);
        try {
            String fingerprint = fingerprint(dependencies);
            if (Files.isRegularFile(jar) && Files.isRegularFile(file) && Files.isRegularFile(stamp)
                    && Files.readString(stamp, StandardCharsets.UTF_8).equals(fingerprint)) {
                return Optional.of(made);
            }
            Files.createDirectories(DIRECTORY);
            Files.deleteIfExists(stamp);
            Files.deleteIfExists(file);
            writeJar(jar);
            train(made);
            if (!Files.isRegularFile(file) || Files.size(file) == 0) {
                throw new IOException("the training run wrote no archive");
            }
            Files.writeString(stamp, fingerprint, StandardCharsets.UTF_8);
            return Optional.of(made);
        } catch (IOException | RuntimeException | AssertionError e) {
            System.err.println("Parley's test processes start without a class-data-sharing archive: " + e);
            return Optional.empty();
        }
    }

    /**
     * One Parley start to health and a page, then a graceful stop: the JVM writes what it loaded, under a temporary
     * name that becomes the archive's only once the process ended by itself (killed while writing, it is partial).
     */
    private static void train(Archive archive) throws IOException {
        Path partial = archive.file().resolveSibling(archive.file().getFileName() + ".partial");
        Files.deleteIfExists(partial);
        List<String> options = new ArrayList<>(ParleyProcess.TEST_JAVA_OPTIONS);
        options.addAll(List.of("-XX:ArchiveClassesAtExit=" + partial, "-Xlog:cds=off", "-Xlog:cds+dynamic=off"));
        List<String> launch = ParleyProcess.classpathCommand(options, archive.classpath());
        Path log = DIRECTORY.resolve("training.log");
        Files.deleteIfExists(log);
        ParleyProcess parley = ParleyProcess.builder().launch(launch)
                .arguments(List.of("--spring.datasource.url=jdbc:h2:mem:cds-training;DB_CLOSE_DELAY=-1"))
                .log(log).start(TRAINING_START);
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            // A page through Spring Security and Thymeleaf, so their classes are in the archive too.
            http.send(HttpRequest.newBuilder(URI.create(parley.baseUrl() + "/login")).timeout(Duration.ofSeconds(30))
                    .GET().build(), HttpResponse.BodyHandlers.discarding());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the archive is still made, with what the start loaded
        } finally {
            parley.stop(TRAINING_STOP); // kills it, and throws, when it does not end in time
        }
        if (Thread.currentThread().isInterrupted()) {
            throw new IOException("interrupted while the training run ended (it was killed)");
        }
        Files.move(partial, archive.file(), StandardCopyOption.REPLACE_EXISTING);
    }

    private static void writeJar(Path jar) throws IOException {
        Path partial = jar.resolveSibling(jar.getFileName() + ".partial");
        try (OutputStream file = Files.newOutputStream(partial);
             JarOutputStream out = new JarOutputStream(file);
             Stream<Path> tree = Files.walk(CLASSES)) {
            for (Path path : tree.sorted().toList()) {
                if (path.equals(CLASSES)) {
                    continue;
                }
                // Directory entries too: resources are looked up by directory (static/, db/migration/).
                boolean directory = Files.isDirectory(path);
                String name = CLASSES.relativize(path).toString().replace(File.separatorChar, '/')
                        + (directory ? "/" : "");
                JarEntry entry = new JarEntry(name);
                entry.setLastModifiedTime(Files.getLastModifiedTime(path));
                out.putNextEntry(entry);
                if (!directory) {
                    Files.copy(path, out);
                }
                out.closeEntry();
            }
        }
        Files.move(partial, jar, StandardCopyOption.REPLACE_EXISTING);
    }

    /** What the archive depends on: this JVM, the dependencies and every class and resource file (size and time). */
    private static String fingerprint(String dependencies) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        digest.update((System.getProperty("java.home") + '\n' + System.getProperty("java.vm.version") + '\n'
                + dependencies + '\n').getBytes(StandardCharsets.UTF_8));
        try (Stream<Path> tree = Files.walk(CLASSES)) {
            for (Path path : tree.sorted().toList()) {
                BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
                digest.update((CLASSES.relativize(path) + " " + attributes.size() + " "
                        + attributes.lastModifiedTime().toMillis() + '\n').getBytes(StandardCharsets.UTF_8));
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
