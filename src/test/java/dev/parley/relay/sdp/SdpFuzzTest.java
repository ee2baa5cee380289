package dev.parley.relay.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Seeded mutations of the real-world samples, and random text: every input must either parse (and then every typed
 * accessor must work and write/parse must be stable) or raise SdpParseException. Nothing else may escape.
 *
 * <p>{@link #parse} is the coverage-guided (Jazzer) target; its seeds are in
 * {@code src/test/resources/dev/parley/relay/sdp/SdpFuzzTestInputs/parse}. See docs/fuzzing.md.
 */
class SdpFuzzTest {

    private static final int ITERATIONS = 50_000;

    private static final String[] TOKENS = {"", " ", "0", "-1", "1", "127", "128", "255", "256", "65535", "65536",
        "4294967295", "4294967296", "99999999999999999999", "x", ":", "/", "*", "~", ";", ",", "=", "typ", "a=",
        "send", "recv", "sendonly", "\t", "\r", "\u0000", "\u00e9", "\ud800", "sha-256", "AB:CD", "pt=1,x"};

    private static final char[] CHARS = " :/=;,~*-_.{}0123456789abcdefxyzABCDEFXYZ\r\n\t\u0000\u007f\u00e9\ud800\uffff"
            .toCharArray();

    @Test
    void mutatedSamplesParseStablyOrRaiseSdpParseException() {
        long cpuStart = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        SplittableRandom random = new SplittableRandom(0x5D9_F022L);
        int parsed = 0;
        int rejected = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            String input = random.nextInt(10) == 0 ? garbage(random) : mutate(random);
            if (check(input)) {
                parsed++;
            } else {
                rejected++;
            }
        }
        long cpuMillis = (java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpuStart)
                / 1_000_000;
        System.out.printf("sdp fuzz: %d parsed, %d rejected, %d ms CPU%n", parsed, rejected, cpuMillis);
        // Both outcomes must be well represented, or the mutations are not exploring anything.
        assertThat(parsed).isGreaterThan(ITERATIONS / 10);
        assertThat(rejected).isGreaterThan(ITERATIONS / 10);
    }

    @Test
    void mutatedCandidatesParseOrRaiseSdpParseException() {
        SplittableRandom random = new SplittableRandom(42);
        List<String> candidates = new ArrayList<>();
        for (String sample : SdpSamples.ALL) {
            for (String line : sample.split("\n")) {
                if (line.startsWith("a=candidate:")) {
                    candidates.add(line.substring(2));
                }
            }
        }
        for (int i = 0; i < 20_000; i++) {
            String input = mutateText(candidates.get(random.nextInt(candidates.size())), random);
            try {
                IceCandidate c = SdpParser.parseCandidate(input);
                assertThat(SdpParser.parseCandidate(c.format())).isEqualTo(c);
            } catch (SdpParseException expected) {
                // the one allowed outcome besides a candidate
            } catch (RuntimeException e) {
                throw new AssertionError("unexpected exception for candidate " + escape(input), e);
            }
        }
    }

    /** True when {@code input} parsed; fails the test on anything but SdpParseException. */
    /**
     * The input as UTF-8 text: {@link SdpParser#parse} returns a description whose accessors work and whose
     * write/parse/write is stable, or throws {@link SdpParseException} with a message and a plausible line number;
     * {@link SdpParser#parseCandidate} likewise returns or throws only SdpParseException.
     */
    @FuzzTest
    void parse(byte[] data) {
        String input = new String(data, StandardCharsets.UTF_8);
        check(input);
        try {
            if (SdpParser.parseCandidate(input) == null) {
                throw new AssertionError("parseCandidate returned null for " + escape(input));
            }
        } catch (SdpParseException e) {
            if (e.getMessage() == null || e.getMessage().isBlank()) {
                throw new AssertionError("SdpParseException without a message for " + escape(input), e);
            }
        } catch (RuntimeException | StackOverflowError e) {
            throw new AssertionError("unexpected exception from parseCandidate for input " + escape(input), e);
        }
    }

    private static boolean check(String input) {
        SessionDescription sdp;
        try {
            sdp = SdpParser.parse(input);
        } catch (SdpParseException e) {
            if (e.getMessage().isBlank() || e.lineNumber() < 0 || e.lineNumber() > input.length() + 2) {
                throw new AssertionError("bad exception " + e.getMessage() + " for input " + escape(input), e);
            }
            return false;
        } catch (RuntimeException | StackOverflowError e) {
            throw new AssertionError("unexpected exception for input " + escape(input), e);
        }
        String written;
        String rewritten;
        try {
            exercise(sdp);
            written = SdpWriter.write(sdp);
            rewritten = SdpWriter.write(SdpParser.parse(written));
        } catch (SdpParseException | RuntimeException e) {
            throw new AssertionError("accessors or round trip failed for input " + escape(input), e);
        }
        if (!rewritten.equals(written)) {
            throw new AssertionError("write/parse/write is unstable for input " + escape(input) + "\nfirst:  "
                    + escape(written) + "\nsecond: " + escape(rewritten));
        }
        return true;
    }

    private static String mutate(SplittableRandom random) {
        String base = SdpSamples.ALL[random.nextInt(SdpSamples.ALL.length)];
        if (random.nextBoolean()) {
            base = SdpSamples.crlf(base);
        }
        int rounds = 1 + random.nextInt(4);
        String text = base;
        for (int r = 0; r < rounds; r++) {
            text = random.nextInt(3) == 0 ? mutateText(text, random) : mutateLines(text, random);
        }
        return text;
    }

    private static String mutateLines(String text, SplittableRandom random) {
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
        int a = random.nextInt(lines.size());
        int b = random.nextInt(lines.size());
        switch (random.nextInt(4)) {
            case 0 -> lines.remove(a);
            case 1 -> lines.add(b, lines.get(a));
            case 2 -> {
                String tmp = lines.get(a);
                lines.set(a, lines.get(b));
                lines.set(b, tmp);
            }
            default -> lines.set(a, replaceToken(lines.get(a), random));
        }
        return String.join("\n", lines);
    }

    private static String replaceToken(String line, SplittableRandom random) {
        String[] parts = line.split(" ", -1);
        int i = random.nextInt(parts.length);
        String token = TOKENS[random.nextInt(TOKENS.length)];
        if (i == 0 && parts[0].length() > 2 && random.nextBoolean()) {
            // keep the "x=" or "a=name:" prefix and replace the first value instead
            int colon = parts[0].indexOf(':');
            int cut = colon > 0 ? colon + 1 : 2;
            parts[0] = parts[0].substring(0, cut) + token;
        } else {
            parts[i] = token;
        }
        return String.join(" ", parts);
    }

    private static String mutateText(String text, SplittableRandom random) {
        if (text.isEmpty()) {
            return String.valueOf(CHARS[random.nextInt(CHARS.length)]);
        }
        int at = random.nextInt(text.length());
        char c = CHARS[random.nextInt(CHARS.length)];
        return switch (random.nextInt(4)) {
            case 0 -> text.substring(0, at) + c + text.substring(at);
            case 1 -> text.substring(0, at) + c + text.substring(at + 1);
            case 2 -> text.substring(0, at);
            default -> text.substring(0, at) + text.substring(Math.min(text.length(), at + 1 + random.nextInt(40)));
        };
    }

    private static String garbage(SplittableRandom random) {
        StringBuilder sb = new StringBuilder();
        int n = random.nextInt(200);
        boolean sdpLike = random.nextBoolean();
        if (sdpLike) {
            sb.append("v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nt=0 0\n");
        }
        for (int i = 0; i < n; i++) {
            if (sdpLike && random.nextInt(8) == 0) {
                sb.append('\n').append("vostcbamxk".charAt(random.nextInt(10))).append('=');
            }
            sb.append(random.nextInt(4) == 0 ? (char) random.nextInt(0x10000) : CHARS[random.nextInt(CHARS.length)]);
        }
        return sb.toString();
    }

    /** Calls every typed accessor; any of them throwing means a value got past validation. */
    private static void exercise(SessionDescription s) {
        s.origin().nextVersion();
        s.sessionName();
        s.information();
        s.uri();
        s.emails();
        s.phones();
        s.timings();
        s.zoneAdjustments();
        s.groups();
        s.bundleMids();
        s.iceLite();
        s.msidSemantic();
        exerciseSection(s);
        for (MediaDescription m : s.media()) {
            exerciseSection(m);
            m.format();
            m.isRejected();
            m.payloadTypes();
            m.mid();
            m.direction();
            m.rtcpMux();
            m.rtcpRsize();
            for (RtpCodec c : m.codecs()) {
                c.parameters();
                c.apt();
                c.rtpmapValue();
            }
            for (Ssrc ssrc : m.ssrcs()) {
                ssrc.cname();
                ssrc.msid();
            }
            m.ssrcGroups();
            m.msids();
            m.msid();
            m.rids().forEach(Rid::format);
            m.simulcast().ifPresent(sc -> {
                sc.sendRids();
                sc.recvRids();
                sc.format();
            });
            m.candidates().forEach(IceCandidate::format);
            m.endOfCandidates();
            m.sctpPort();
            m.maxMessageSize();
            EffectiveMedia e = s.effective(m);
            e.iceUfrag();
            e.icePwd();
            e.iceOptions();
            e.fingerprints();
            e.setup();
            e.direction();
            e.connection();
            e.extmaps();
            e.extmapAllowMixed();
        }
    }

    private static void exerciseSection(SdpSection section) {
        section.connection();
        section.bandwidths();
        section.encryptionKey();
        section.unknownLines();
        section.iceUfrag();
        section.icePwd();
        section.iceOptions();
        section.fingerprints().forEach(Fingerprint::digest);
        section.setup();
        section.directionAttribute();
        section.extmaps().forEach(HeaderExtension::format);
        section.extmapAllowMixed();
    }

    private static String escape(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '\n') {
                sb.append("\\n");
            } else if (c == '\r') {
                sb.append("\\r");
            } else if (c < 0x20 || c >= 0x7f) {
                sb.append(String.format("\\u%04x", (int) c));
            } else if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }
}
