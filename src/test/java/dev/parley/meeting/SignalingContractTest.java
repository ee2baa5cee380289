package dev.parley.meeting;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * The signalling protocol is written down three times: the tables of docs/signaling.md, the records of
 * {@link ClientMessage} and {@link ServerMessage}, and the browser's static/js/meeting/protocol.js (what it sends and
 * reads) with session.js (which server messages it handles). This test fails as soon as they name different message
 * types or fields. The JavaScript is read as text: comments are dropped, string contents hidden while matching
 * brackets, and message objects found by their {@code type: '…'} property, readers by their method names.
 */
class SignalingContractTest {

    private static final Path DOC = Path.of("docs/signaling.md");
    private static final Path JS = Path.of("src/main/resources/static/js/meeting");
    /** Server types protocol.js reads although the server sends no such message (it tolerates a ping, see there). */
    private static final Set<String> TOLERATED_BY_JS = Set.of("ping");

    private final String doc = read(DOC);
    private final JsSource protocol = new JsSource(read(JS.resolve("protocol.js")));
    private final JsSource session = new JsSource(read(JS.resolve("session.js")));

    @Test
    void clientMessagesAgree() {
        Map<String, Set<String>> documented = docTable("### Client → server");
        Map<String, Set<String>> java = recordsOf(ClientMessage.class);
        Map<String, Set<String>> sent = protocol.sentMessages();
        session.sentMessages().forEach((type, fields) -> sent.merge(type, fields, SignalingContractTest::union));

        assertThat(java.keySet()).as("client message types: ClientMessage's records vs. docs/signaling.md")
                .isEqualTo(documented.keySet());
        assertThat(sent.keySet()).as("client message types: what protocol.js and session.js send vs. docs")
                .isEqualTo(documented.keySet());
        sameFields("ClientMessage's record", java, documented);
        sameFields("what protocol.js sends", sent, documented);
    }

    @Test
    void serverMessagesAgree() {
        Map<String, Set<String>> documented = docTable("### Server → client");
        Map<String, Set<String>> java = recordsOf(ServerMessage.class);
        Map<String, Set<String>> read = protocol.readers();
        Set<String> handled = session.caseLabels();

        assertThat(java.keySet()).as("server message types: ServerMessage's records vs. docs/signaling.md")
                .isEqualTo(documented.keySet());
        sameFields("ServerMessage's record", java, documented);
        assertThat(read.keySet()).as("server message types protocol.js reads vs. docs (besides %s)", TOLERATED_BY_JS)
                .containsAll(documented.keySet());
        assertThat(difference(read.keySet(), documented.keySet())).as("types protocol.js reads that are not documented")
                .isSubsetOf(TOLERATED_BY_JS);
        assertThat(handled).as("server message types session.js handles (case labels) vs. docs")
                .containsAll(documented.keySet());
        assertThat(difference(handled, read.keySet())).as("case labels in session.js that protocol.js never reads")
                .isEmpty();
        SoftAssertions softly = new SoftAssertions();
        documented.forEach((type, fields) -> softly.assertThat(read.get(type))
                .as("fields protocol.js reads from %s vs. docs/signaling.md", type).isSubsetOf(fields));
        softly.assertAll();
    }

    @Test
    void theParticipantObjectAgrees() {
        Matcher line = Pattern.compile("A `participant` is `\\{([^`]*)}`").matcher(doc);
        assertThat(line.find()).as("docs/signaling.md describes a participant as A `participant` is `{…}`").isTrue();
        Set<String> documented = matches(Pattern.compile("\"(\\w+)\":"), line.group(1));
        Set<String> java = components(ServerMessage.ParticipantInfo.class);
        Set<String> read = matches(Pattern.compile("\\braw\\??\\.(\\w+)"), protocol.functionBody("participant"));

        assertThat(java).as("a participant's fields: ServerMessage.ParticipantInfo vs. docs").isEqualTo(documented);
        assertThat(read).as("a participant's fields protocol.js reads vs. docs").isSubsetOf(documented);
    }

    @Test
    void byeReasonsAgree() {
        Matcher row = Pattern.compile("(?m)^\\| `bye` \\|(.*)$").matcher(doc);
        assertThat(row.find()).as("docs/signaling.md has a bye row listing its reasons").isTrue();
        String reasons = row.group(1).split("(?<!\\\\)\\|")[0];
        Set<String> documented = matches(Pattern.compile("`([a-z-]+)`"), reasons.replace("`reason`", ""));
        Set<String> java = Arrays.stream(ByeReason.values()).map(ByeReason::wireName)
                .collect(Collectors.toCollection(TreeSet::new));
        Matcher js = Pattern.compile("BYE_REASONS = new Set\\(\\[([^\\]]*)]").matcher(protocol.code);
        assertThat(js.find()).as("protocol.js lists BYE_REASONS").isTrue();
        Set<String> known = matches(Pattern.compile("'([a-z-]+)'"), js.group(1));

        assertThat(java).as("bye reasons: ByeReason vs. docs/signaling.md").isEqualTo(documented);
        assertThat(known).as("bye reasons: protocol.js BYE_REASONS vs. docs/signaling.md").isEqualTo(documented);
    }

    /** Each documented type's fields as one source has them, every difference reported at once. */
    private static void sameFields(String source, Map<String, Set<String>> actual,
                                   Map<String, Set<String>> documented) {
        SoftAssertions softly = new SoftAssertions();
        documented.forEach((type, fields) -> softly.assertThat(actual.get(type))
                .as("fields of %s: %s vs. docs/signaling.md", type, source).isEqualTo(fields));
        softly.assertAll();
    }

    // ------------------------------------------------------------------ docs/signaling.md

    /** A table's rows: the type in the first column, the top-level field names of the second ({…}, […] left out). */
    private Map<String, Set<String>> docTable(String heading) {
        int start = doc.indexOf(heading);
        assertThat(start).as("docs/signaling.md has a section %s", heading).isNotNegative();
        int end = doc.indexOf("\n#", start + heading.length());
        Map<String, Set<String>> types = new TreeMap<>();
        for (String row : doc.substring(start, end < 0 ? doc.length() : end).split("\n")) {
            if (!row.startsWith("| `")) {
                continue;
            }
            String[] cells = row.split("(?<!\\\\)\\|");
            String type = firstCode(cells[1]);
            Set<String> fields = new TreeSet<>();
            for (String part : splitTopLevel(cells[2])) {
                String field = firstCode(part);
                if (field != null) {
                    fields.add(field);
                }
            }
            types.put(type, fields);
        }
        assertThat(types).as("rows in the table under %s", heading).isNotEmpty();
        return types;
    }

    private static String firstCode(String text) {
        Matcher m = Pattern.compile("`([^`]+)`").matcher(text);
        return m.find() ? m.group(1) : null;
    }

    /** Splits at commas outside brackets of any kind. */
    private static List<String> splitTopLevel(String text) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int from = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '{' || c == '[' || c == '(') {
                depth++;
            } else if (c == '}' || c == ']' || c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(text.substring(from, i));
                from = i + 1;
            }
        }
        parts.add(text.substring(from));
        return parts;
    }

    // ------------------------------------------------------------------ Java

    /** The permitted records of a sealed message interface: wire name to component names. */
    private static Map<String, Set<String>> recordsOf(Class<?> sealed) {
        return Arrays.stream(sealed.getPermittedSubclasses()).collect(Collectors.toMap(SignalingCodec::typeName,
                SignalingContractTest::components, (a, b) -> a, TreeMap::new));
    }

    private static Set<String> components(Class<?> record) {
        return Arrays.stream(record.getRecordComponents()).map(RecordComponent::getName)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    // ------------------------------------------------------------------ JavaScript

    /**
     * A JavaScript file as text, in two copies of equal length: {@code code} without comments, and {@code shape}, the
     * same with the contents of string literals blanked, for finding brackets and commas that are really code.
     */
    static final class JsSource {
        private static final Pattern TYPE_PROPERTY = Pattern.compile("\\btype\\s*:\\s*(['\"])([a-z-]+)\\1");
        private static final Pattern KEY = Pattern.compile("^\\s*(?:'([^']+)'|\"([^\"]+)\"|([A-Za-z_$][\\w$]*))");

        final String code;
        final String shape;

        JsSource(String source) {
            StringBuilder code = new StringBuilder(source);
            StringBuilder shape = new StringBuilder(source);
            int i = 0;
            while (i < source.length()) {
                char c = source.charAt(i);
                if (c == '/' && source.startsWith("//", i)) {
                    int end = source.indexOf('\n', i);
                    i = blank(code, shape, i, end < 0 ? source.length() : end);
                } else if (c == '/' && source.startsWith("/*", i)) {
                    int end = source.indexOf("*/", i + 2);
                    i = blank(code, shape, i, end < 0 ? source.length() : end + 2);
                } else if (c == '\'' || c == '"' || c == '`') {
                    int end = i + 1;
                    while (end < source.length() && source.charAt(end) != c) {
                        end += source.charAt(end) == '\\' ? 2 : 1;
                    }
                    for (int j = i + 1; j < end && j < source.length(); j++) {
                        shape.setCharAt(j, ' ');
                    }
                    i = end + 1;
                } else {
                    i++;
                }
            }
            this.code = code.toString();
            this.shape = shape.toString();
        }

        private static int blank(StringBuilder code, StringBuilder shape, int from, int to) {
            for (int j = from; j < to; j++) {
                if (code.charAt(j) != '\n') {
                    code.setCharAt(j, ' ');
                    shape.setCharAt(j, ' ');
                }
            }
            return to;
        }

        /** Where the bracket opened at {@code open} closes. */
        int closing(int open) {
            int depth = 0;
            for (int i = open; i < shape.length(); i++) {
                char c = shape.charAt(i);
                if (c == '{' || c == '[' || c == '(') {
                    depth++;
                } else if ((c == '}' || c == ']' || c == ')') && --depth == 0) {
                    return i;
                }
            }
            throw new AssertionError("unbalanced bracket at " + open);
        }

        /** The object literal {@code const readers = {…}} as [start, end), or null when the file has none. */
        int[] readersBlock() {
            Matcher m = Pattern.compile("const\\s+readers\\s*=\\s*\\{").matcher(shape);
            return m.find() ? new int[] {m.end() - 1, closing(m.end() - 1) + 1} : null;
        }

        /** Where the innermost bracket around {@code at} opens. */
        int opening(int at) {
            int depth = 0;
            for (int i = at - 1; i >= 0; i--) {
                char c = shape.charAt(i);
                if (c == '}' || c == ']' || c == ')') {
                    depth++;
                } else if ((c == '{' || c == '[' || c == '(') && depth-- == 0) {
                    return i;
                }
            }
            throw new AssertionError("no bracket around " + at);
        }

        /**
         * The messages the file builds to send: each object literal with a {@code type: '…'} property, outside the
         * readers (whose literals are what was received), as type to its other keys; literals of one type merge.
         */
        Map<String, Set<String>> sentMessages() {
            int[] readers = readersBlock();
            Map<String, Set<String>> messages = new TreeMap<>();
            Matcher m = TYPE_PROPERTY.matcher(code);
            while (m.find()) {
                boolean inString = shape.charAt(m.start()) != 't';
                if (inString || readers != null && m.start() >= readers[0] && m.start() < readers[1]) {
                    continue;
                }
                int open = opening(m.start());
                Set<String> keys = messages.computeIfAbsent(m.group(2), type -> new TreeSet<>());
                keys.addAll(topLevelKeys(open, closing(open)));
                keys.remove("type");
            }
            return messages;
        }

        private Set<String> topLevelKeys(int open, int close) {
            Set<String> keys = new TreeSet<>();
            int from = open + 1;
            int depth = 0;
            for (int i = open + 1; i <= close; i++) {
                char c = shape.charAt(i);
                if (c == '{' || c == '[' || c == '(') {
                    depth++;
                } else if ((c == '}' || c == ']' || c == ')') && depth > 0) {
                    depth--;
                } else if ((c == ',' || i == close) && depth == 0) {
                    Matcher key = KEY.matcher(code.substring(from, i));
                    if (key.find()) {
                        keys.add(key.group(1) != null ? key.group(1)
                                : key.group(2) != null ? key.group(2) : key.group(3));
                    }
                    from = i + 1;
                }
            }
            return keys;
        }

        /** The methods of {@code readers}: type to the fields each reads from its parameter ({@code m.field}). */
        Map<String, Set<String>> readers() {
            int[] block = readersBlock();
            assertThat(block).as("protocol.js keeps its server message readers in const readers = {…}").isNotNull();
            Map<String, Set<String>> readers = new TreeMap<>();
            Pattern method = Pattern.compile("(?:'([a-z-]+)'|([a-z]+))\\s*\\(\\s*(\\w+)\\s*\\)\\s*\\{");
            int i = block[0] + 1;
            Matcher m = method.matcher(code);
            while (m.find(i) && m.start() < block[1] - 1) {
                int bodyEnd = closing(m.end() - 1);
                String type = m.group(1) != null ? m.group(1) : m.group(2);
                Pattern field = Pattern.compile("\\b" + m.group(3) + "\\??\\.(\\w+)");
                readers.put(type, matches(field, code.substring(m.end(), bodyEnd)));
                i = bodyEnd + 1;
            }
            assertThat(readers).as("methods found in protocol.js's readers").isNotEmpty();
            return readers;
        }

        /** The body of {@code function name(…) {…}}. */
        String functionBody(String name) {
            Matcher m = Pattern.compile("function\\s+" + name + "\\s*\\([^)]*\\)\\s*\\{").matcher(shape);
            assertThat(m.find()).as("function %s in protocol.js", name).isTrue();
            return code.substring(m.end(), closing(m.end() - 1));
        }

        /** The string labels of every {@code case '…':}. */
        Set<String> caseLabels() {
            return matches(Pattern.compile("\\bcase\\s+['\"]([a-z-]+)['\"]\\s*:"), code);
        }
    }

    // ------------------------------------------------------------------ helpers

    private static Set<String> matches(Pattern pattern, String text) {
        Set<String> found = new TreeSet<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new TreeSet<>(a);
        all.addAll(b);
        return all;
    }

    private static Set<String> difference(Set<String> a, Set<String> b) {
        Set<String> rest = new TreeSet<>(a);
        rest.removeAll(b);
        return rest;
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
