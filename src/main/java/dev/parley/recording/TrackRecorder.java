package dev.parley.recording;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one track to a file with a GStreamer pipeline of its own (gst-launch-1.0): a loopback UDP socket, a jitter
 * buffer that puts late (repaired) packets back in order and waits 400 ms for them, the codec's depayloader and a
 * Matroska/WebM muxer, without transcoding. Stopped with SIGINT, on which gst-launch (run with -e) sends end-of-stream
 * so the muxer writes its index and durations: the file is complete. A separate process per track keeps a crashing
 * muxer from taking the meeting, or the other tracks, with it.
 */
public final class TrackRecorder {

    private static final Logger log = LoggerFactory.getLogger(TrackRecorder.class);
    /** The jitter buffer's wait for late packets: a NACK's round trip, and some. */
    static final int JITTER_LATENCY_MILLIS = 400;
    private static final int SOCKET_BUFFER = 4 * 1024 * 1024;
    /** Starts on a port chosen here, for the recorder to bind (no /proc to read its own port from). */
    static final int START_ATTEMPTS = 3;

    private final Process process;
    private final InetSocketAddress address;
    private final Path file;
    private final TrackFormat format;
    private volatile boolean interrupted;
    private volatile long interruptedNanos;

    private TrackRecorder(Process process, InetSocketAddress address, Path file, TrackFormat format) {
        this.process = process;
        this.address = address;
        this.file = file;
        this.format = format;
    }

    /**
     * Starts a recorder writing {@code file} and returns once its socket is bound, so nothing sent to
     * {@link #address()} is lost.
     *
     * @throws IOException when the process cannot start or does not bind its socket within {@code readyTimeout}
     */
    public static TrackRecorder start(Path gstLaunch, TrackFormat format, Path file, Duration readyTimeout)
            throws IOException {
        return start(gstLaunch, format, file, readyTimeout, ProcessSockets.available());
    }

    /**
     * With {@code portFromKernel} (Linux), the recorder binds port 0 and its port is read from its own socket, so no
     * one else can take the port first. Elsewhere a free port is chosen and released for it to bind, and whether it is
     * bound is seen by trying to bind it here: another process, or that very check, could hold the port at the
     * moment the recorder binds it. The recorder then exits at start, and it is started again on another port, up to
     * {@link #START_ATTEMPTS} times. (A process that took the port and holds it would make the recorder seem ready.)
     */
    static TrackRecorder start(Path gstLaunch, TrackFormat format, Path file, Duration readyTimeout,
            boolean portFromKernel) throws IOException {
        try {
            for (int attempt = 1; ; attempt++) {
                try {
                    return startOnce(gstLaunch, format, file, readyTimeout, portFromKernel);
                } catch (ExitedAtStart e) {
                    if (portFromKernel || !e.portTaken || attempt == START_ATTEMPTS) {
                        throw e;
                    }
                    log.debug("{}; starting it again on another port", e.getMessage());
                }
            }
        } catch (IOException e) {
            removeLeftovers(file);
            throw e;
        }
    }

    /**
     * A recorder that did not start leaves no row, so nothing would ever read or list what it left in the recording's
     * folder (its log, whose reason the exception carries, and an empty or half-begun file); only the quota would
     * count it.
     */
    private static void removeLeftovers(Path file) {
        for (Path leftover : List.of(logOf(file), file)) {
            try {
                if (Files.isRegularFile(leftover)) {
                    Files.delete(leftover);
                }
            } catch (IOException e) {
                log.debug("Could not remove {}: {}", leftover, e.toString());
            }
        }
    }

    private static TrackRecorder startOnce(Path gstLaunch, TrackFormat format, Path file, Duration readyTimeout,
            boolean portFromKernel) throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        int chosen = portFromKernel ? 0 : freePort(loopback);
        Path output = logOf(file);
        Process process = processBuilder(gstLaunch, format, loopback, chosen, file).start();
        long deadline = System.nanoTime() + readyTimeout.toNanos();
        int port;
        while ((port = portFromKernel ? boundPort(process) : chosenPortIfTaken(loopback, chosen)) == 0) {
            if (!process.isAlive()) {
                String reason = reason(output);
                throw new ExitedAtStart("the recorder for " + file.getFileName() + " exited at start (code "
                        + process.exitValue() + ")" + reason, reason.contains("Address already in use"));
            }
            if (System.nanoTime() - deadline > 0) {
                process.destroyForcibly();
                waitQuietly(process);
                throw new IOException("the recorder for " + file.getFileName() + " did not start in time");
            }
            sleep(20);
        }
        return new TrackRecorder(process, new InetSocketAddress(loopback, port), file, format);
    }

    /**
     * Why gst-launch gave up, from its log, for the exception: its first error and the line of detail that names the
     * cause ("system error: No such file or directory", "bind failed: ... Address already in use"), or a pipeline it
     * could not build (a missing plugin); else nothing.
     */
    static String reason(Path output) {
        List<String> lines;
        try {
            lines = Files.readAllLines(output);
        } catch (IOException | UncheckedIOException e) {
            return "";
        }
        int first = 0;
        while (first < lines.size() && !lines.get(first).startsWith("ERROR:")
                && !lines.get(first).startsWith("WARNING: erroneous pipeline")) {
            first++;
        }
        if (first == lines.size()) {
            return "";
        }
        String reason = ": " + lines.get(first).strip();
        for (String line : lines.subList(first + 1, lines.size())) {
            if (line.startsWith("ERROR:")) {
                break;
            }
            if (!line.isBlank() && !line.startsWith("Additional debug info:") && !line.startsWith("../")) {
                reason += " (" + line.strip() + ")";
                break;
            }
        }
        return reason.length() > 400 ? reason.substring(0, 400) + "…" : reason;
    }

    private static void waitQuietly(Process process) {
        try {
            process.waitFor(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The recorder's process ended before its socket was bound; {@code portTaken}: because its port was. */
    private static final class ExitedAtStart extends IOException {
        private static final long serialVersionUID = 1L;
        private final boolean portTaken;

        ExitedAtStart(String message, boolean portTaken) {
            super(message);
            this.portTaken = portTaken;
        }
    }

    /** The port of the recorder's socket (its only UDP socket), or 0 while it has none. */
    private static int boundPort(Process process) {
        Set<Integer> ports = ProcessSockets.udpPorts(process.pid());
        ports.remove(0);
        return ports.isEmpty() ? 0 : ports.iterator().next();
    }

    private static int chosenPortIfTaken(InetAddress loopback, int port) {
        return isTaken(loopback, port) ? port : 0;
    }

    /** The recorder's process, its output (errors only, with -q) going to {@link #logOf} the file. */
    static ProcessBuilder processBuilder(Path gstLaunch, TrackFormat format, InetAddress address, int port,
            Path file) {
        ProcessBuilder builder = new ProcessBuilder(command(gstLaunch, format, address, port, file))
                .redirectErrorStream(true)
                .redirectOutput(logOf(file).toFile());
        builder.environment().put("LC_ALL", "C"); // its errors untranslated: read by reason(), and by operators
        return builder;
    }

    static Path logOf(Path file) {
        return file.resolveSibling(file.getFileName() + ".log");
    }

    static List<String> command(Path gstLaunch, TrackFormat format, InetAddress address, int port, Path file) {
        List<String> command = new ArrayList<>(List.of(gstLaunch.toString(), "-q", "-e",
                "udpsrc", "address=" + address.getHostAddress(), "port=" + port, "reuse=false",
                "buffer-size=" + SOCKET_BUFFER, "caps=" + format.caps(), "!",
                "rtpjitterbuffer", "latency=" + JITTER_LATENCY_MILLIS, "!"));
        command.addAll(List.of(format.depayToMuxer()));
        // Unbuffered: a recorder killed outright (a crash) loses what it had not yet written, not a buffer's worth.
        command.addAll(List.of("!", "filesink", "buffer-mode=unbuffered", "location=" + file.toAbsolutePath()));
        return command;
    }

    /**
     * Finishes the file: SIGINT (end-of-stream through the pipeline), then up to {@code grace} for the muxer to write
     * its index, then a forced stop.
     *
     * @return true when the recorder finished by itself (the file is complete)
     */
    public boolean stop(Duration grace) {
        if (!process.isAlive()) {
            return process.exitValue() == 0;
        }
        interrupt();
        try {
            if (process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                return process.exitValue() == 0;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.warn("The recorder for {} did not finish within {}; stopped by force", file.getFileName(), grace);
        process.destroyForcibly();
        return false;
    }

    /** Stops the recorder outright and removes what it wrote: a recorder no row names (its row could not be saved). */
    public void discard() {
        process.destroyForcibly();
        waitQuietly(process);
        removeLeftovers(file);
    }

    /**
     * Asks the recorder to finish (end-of-stream), once: a second SIGINT would make gst-launch give up waiting for the
     * end of the stream and leave the file unfinished.
     */
    public synchronized void interrupt() {
        if (!interrupted && process.isAlive()) {
            interrupted = true;
            interruptedNanos = System.nanoTime();
            interrupt(process.pid());
        }
    }

    /** When it was asked to finish (System.nanoTime), the end of its file's media; now if it was not asked. */
    public long interruptedNanos() {
        return interrupted ? interruptedNanos : System.nanoTime();
    }

    /** The recorder's own messages (gst-launch's errors), kept beside the file; empty when it said nothing. */
    public Path log() {
        return logOf(file);
    }

    /**
     * Sends SIGINT, which Java's Process cannot: its destroy() is SIGTERM, on which gst-launch stops without
     * end-of-stream and leaves the file without its index.
     */
    static void interrupt(long pid) {
        try {
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(pid)).redirectErrorStream(true).start();
            kill.getInputStream().readAllBytes();
            kill.waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            log.warn("Could not signal recorder {}: {}", pid, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public InetSocketAddress address() {
        return address;
    }

    public Path file() {
        return file;
    }

    public TrackFormat format() {
        return format;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    private static int freePort(InetAddress address) throws SocketException {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(address, 0))) {
            return socket.getLocalPort();
        }
    }

    private static boolean isTaken(InetAddress address, int port) {
        try (DatagramSocket socket = new DatagramSocket(null)) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(address, port));
            return false;
        } catch (BindException e) {
            return true;
        } catch (SocketException e) {
            return false;
        }
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the recorder started", e);
        }
    }
}
