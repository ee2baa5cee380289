package dev.parley.recording;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The media tools recording needs, found and checked once: gst-launch-1.0 and the GStreamer elements that write each
 * track while a meeting is recorded, and ffmpeg/ffprobe with the encoders and filters that compose the tracks after it.
 * Each check runs one short process, bounded by a timeout; the result is kept, not refreshed.
 */
public final class MediaTools {

    private static final Logger log = LoggerFactory.getLogger(MediaTools.class);

    /** The default bound on each check's process. */
    public static final Duration DEFAULT_CHECK_TIMEOUT = Duration.ofSeconds(10);

    static final String FFMPEG_PACKAGE = "ffmpeg";
    static final String GST_TOOLS_PACKAGE = "gstreamer1.0-tools";

    /** Each GStreamer element the track writers use, and the Debian package that has it. */
    static final Map<String, String> GST_ELEMENTS = elements();

    static final List<String> FFMPEG_ENCODERS = List.of("libx264", "aac");

    /** The filters the compose graph uses; overlay, amix and adelay are the ones a trimmed build may lack. */
    static final List<String> FFMPEG_FILTERS = List.of("overlay", "amix", "adelay", "color", "scale", "setpts", "trim",
            "format", "aresample", "aformat", "apad", "atrim", "anullsrc");

    private static final Pattern GST_ELEMENT_LINE = Pattern.compile("^[\\w.-]+:\\s+([\\w.-]+):\\s");
    private static final Pattern CODEC_OR_FILTER_LINE = Pattern.compile("^\\s*[A-Z.|]{3,6}\\s+(\\S+)\\s");
    private static final Pattern FFMPEG_VERSION = Pattern.compile("version n?(\\d+)\\.");

    private final Path ffmpeg;
    private final Path ffprobe;
    private final Path gstLaunch;
    private final Path gstInspect;
    private final List<MissingTool> missing;
    private final boolean labels;
    private final int ffmpegMajorVersion;

    private MediaTools(Path ffmpeg, Path ffprobe, Path gstLaunch, Path gstInspect, List<MissingTool> missing,
            boolean labels, int ffmpegMajorVersion) {
        this.ffmpeg = ffmpeg;
        this.ffprobe = ffprobe;
        this.gstLaunch = gstLaunch;
        this.gstInspect = gstInspect;
        this.missing = List.copyOf(missing);
        this.labels = labels;
        this.ffmpegMajorVersion = ffmpegMajorVersion;
    }

    /** Finds the tools on the PATH and checks them, each check bounded by {@link #DEFAULT_CHECK_TIMEOUT}. */
    public static MediaTools detect() throws InterruptedException {
        return detect(MediaToolPaths.onPath(), DEFAULT_CHECK_TIMEOUT);
    }

    /** Finds the tools where the paths say and checks them, each check's process bounded by the timeout. */
    public static MediaTools detect(MediaToolPaths paths, Duration checkTimeout) throws InterruptedException {
        List<MissingTool> missing = new ArrayList<>();
        Path ffmpeg = locate(paths.ffmpeg(), FFMPEG_PACKAGE, missing);
        Path ffprobe = locate(paths.ffprobe(), FFMPEG_PACKAGE, missing);
        Path gstLaunch = locate(paths.gstLaunch(), GST_TOOLS_PACKAGE, missing);
        Path gstInspect = locate(paths.gstInspect(), GST_TOOLS_PACKAGE, missing);

        boolean labels = false;
        int version = 0;
        if (ffmpeg != null) {
            version = ffmpegMajorVersion(ffmpeg, checkTimeout);
            Set<String> encoders = listing(ffmpeg, "-encoders", checkTimeout);
            for (String encoder : FFMPEG_ENCODERS) {
                if (!encoders.contains(encoder)) {
                    missing.add(new MissingTool("the " + encoder + " encoder in " + ffmpeg, FFMPEG_PACKAGE));
                }
            }
            Set<String> filters = listing(ffmpeg, "-filters", checkTimeout);
            for (String filter : FFMPEG_FILTERS) {
                if (!filters.contains(filter)) {
                    missing.add(new MissingTool("the " + filter + " filter in " + ffmpeg, FFMPEG_PACKAGE));
                }
            }
            labels = filters.contains("drawtext") && drawtextWorks(ffmpeg, checkTimeout);
        }
        if (ffprobe != null && !runs(List.of(ffprobe.toString(), "-version"), checkTimeout)) {
            missing.add(new MissingTool(ffprobe + " (it does not run)", FFMPEG_PACKAGE));
        }
        if (gstLaunch != null && !runs(List.of(gstLaunch.toString(), "--version"), checkTimeout)) {
            missing.add(new MissingTool(gstLaunch + " (it does not run)", GST_TOOLS_PACKAGE));
        }
        if (gstInspect != null) {
            Set<String> elements = gstElements(gstInspect, checkTimeout);
            GST_ELEMENTS.forEach((element, debianPackage) -> {
                if (!elements.contains(element)) {
                    missing.add(new MissingTool("the GStreamer element " + element, debianPackage));
                }
            });
        }
        MediaTools tools = new MediaTools(ffmpeg, ffprobe, gstLaunch, gstInspect, missing, labels, version);
        if (tools.available()) {
            log.info("Recording tools found: {}, {}, {}; name labels in composed videos: {}", ffmpeg, ffprobe,
                    gstLaunch, labels ? "yes" : "no (ffmpeg's drawtext filter or a font is missing)");
        } else {
            log.warn("Recording is not available: {}", tools.reason());
        }
        return tools;
    }

    /** True when everything recording needs is here: the track writers and the composer. */
    public boolean available() {
        return missing.isEmpty();
    }

    /** True when the after-the-meeting part (ffmpeg and ffprobe with their encoders and filters) is here. */
    public boolean canCompose() {
        return ffmpeg != null && ffprobe != null
                && missing.stream().noneMatch(m -> m.debianPackage().equals(FFMPEG_PACKAGE));
    }

    /** What is missing, in the order checked; empty when {@link #available()}. */
    public List<MissingTool> missing() {
        return missing;
    }

    /** Plain words for the log and the admin: what is missing and which Debian packages provide it; "" if nothing. */
    public String reason() {
        if (missing.isEmpty()) {
            return "";
        }
        return missing.stream().map(MissingTool::toString).collect(Collectors.joining("; "))
                + ". Install: apt-get install " + String.join(" ", packagesToInstall());
    }

    /** The Debian packages that would provide what is missing, each once. */
    public Set<String> packagesToInstall() {
        Set<String> packages = new LinkedHashSet<>();
        missing.forEach(m -> packages.add(m.debianPackage()));
        return packages;
    }

    /** True when ffmpeg can draw text (drawtext and a font), so that an empty tile can show a name. */
    public boolean labels() {
        return labels;
    }

    /** The ffmpeg found, or an exception naming the missing package. */
    public Path ffmpeg() {
        return require(ffmpeg, "ffmpeg", FFMPEG_PACKAGE);
    }

    public Path ffprobe() {
        return require(ffprobe, "ffprobe", FFMPEG_PACKAGE);
    }

    public Path gstLaunch() {
        return require(gstLaunch, "gst-launch-1.0", GST_TOOLS_PACKAGE);
    }

    public Path gstInspect() {
        return require(gstInspect, "gst-inspect-1.0", GST_TOOLS_PACKAGE);
    }

    /** ffmpeg 7 reads a filter graph from a file with "-/filter_complex"; older ones need -filter_complex_script. */
    List<String> filterGraphFileOption(Path script) {
        return ffmpegMajorVersion > 0 && ffmpegMajorVersion < 7
                ? List.of("-filter_complex_script", script.toString())
                : List.of("-/filter_complex", script.toString());
    }

    private static Path require(Path path, String name, String debianPackage) {
        if (path == null) {
            throw new IllegalStateException(name + " was not found (Debian package " + debianPackage + ")");
        }
        return path;
    }

    private static Path locate(String configured, String debianPackage, List<MissingTool> missing) {
        Path found = find(configured);
        if (found == null) {
            String where = configured.contains("/") ? "not found at " + configured : "not found on the PATH";
            missing.add(new MissingTool(configured + " (" + where + ")", debianPackage));
        }
        return found;
    }

    static Path find(String configured) {
        if (configured.contains("/")) {
            Path path = Path.of(configured);
            return Files.isRegularFile(path) && Files.isExecutable(path) ? path.toAbsolutePath() : null;
        }
        String pathVariable = System.getenv("PATH");
        if (pathVariable == null) {
            return null;
        }
        for (String dir : pathVariable.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, configured);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate.toAbsolutePath();
            }
        }
        return null;
    }

    private static int ffmpegMajorVersion(Path ffmpeg, Duration timeout) throws InterruptedException {
        ToolProcess.Output out = ToolProcess.capture(List.of(ffmpeg.toString(), "-hide_banner", "-version"), timeout);
        if (!out.stdout().isEmpty()) {
            Matcher m = FFMPEG_VERSION.matcher(out.stdout().get(0));
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
        }
        return 0; // a git build ("version N-...") is recent: treat it as new
    }

    private static Set<String> listing(Path ffmpeg, String what, Duration timeout) throws InterruptedException {
        ToolProcess.Output out = ToolProcess.capture(List.of(ffmpeg.toString(), "-hide_banner", what), timeout);
        Set<String> names = new LinkedHashSet<>();
        for (String line : out.stdout()) {
            Matcher m = CODEC_OR_FILTER_LINE.matcher(line);
            if (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    private static boolean drawtextWorks(Path ffmpeg, Duration timeout) throws InterruptedException {
        return runs(List.of(ffmpeg.toString(), "-hide_banner", "-nostdin", "-loglevel", "error", "-f", "lavfi", "-i",
                "color=c=black:s=64x64:d=0.1", "-vf", "drawtext=text=Aa:fontcolor=white", "-f", "null", "-"), timeout);
    }

    private static Set<String> gstElements(Path gstInspect, Duration timeout) throws InterruptedException {
        ToolProcess.Output out = ToolProcess.capture(List.of(gstInspect.toString()), timeout);
        Set<String> names = new LinkedHashSet<>();
        for (String line : out.stdout()) {
            Matcher m = GST_ELEMENT_LINE.matcher(line);
            if (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    private static boolean runs(List<String> command, Duration timeout) throws InterruptedException {
        try {
            return ToolProcess.capture(command, timeout).result().succeeded();
        } catch (MediaToolException e) {
            return false;
        }
    }

    private static Map<String, String> elements() {
        String good = "gstreamer1.0-plugins-good";
        String bad = "gstreamer1.0-plugins-bad";
        Map<String, String> elements = new LinkedHashMap<>();
        elements.put("udpsrc", good);
        elements.put("rtpjitterbuffer", good);
        elements.put("rtpvp8depay", good);
        elements.put("rtpvp9depay", good);
        elements.put("rtpopusdepay", good);
        elements.put("rtph264depay", good);
        elements.put("h264parse", bad);
        elements.put("opusparse", bad);
        elements.put("webmmux", good);
        elements.put("matroskamux", good);
        elements.put("filesink", "libgstreamer1.0-0");
        return Collections.unmodifiableMap(elements);
    }
}
