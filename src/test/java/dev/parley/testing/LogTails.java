package dev.parley.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/**
 * What a failed browser or process test quotes of the logs its clients and servers wrote: the end of each file, and
 * a server log's warnings and errors from anywhere in it, so that a CI failure explains itself without the files.
 */
public final class LogTails {

    private static final int TAIL_CHARS = 3000;
    private static final int PROBLEM_LINES = 15;

    private LogTails() {
    }

    /** Every file of {@code directory} whose name {@code wanted} accepts, in name order. */
    public static String of(File directory, Predicate<String> wanted) {
        File[] files = directory.listFiles((dir, name) -> wanted.test(name));
        if (files == null) {
            return "(no logs in " + directory + ")";
        }
        Arrays.sort(files, Comparator.comparing(File::getName));
        StringBuilder text = new StringBuilder();
        for (File file : files) {
            text.append("--- ").append(file.getName()).append('\n').append(of(file));
        }
        return text.toString();
    }

    /** One file: its last lines, after its warnings and errors when it is a server's log. */
    public static String of(File file) {
        String content;
        try {
            content = Files.readString(file.toPath(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")\n";
        }
        StringBuilder text = new StringBuilder();
        List<String> problems = content.lines().filter(line -> line.contains(" WARN ") || line.contains(" ERROR "))
                .toList();
        if (!problems.isEmpty()) {
            text.append("(its last warnings and errors)\n")
                    .append(String.join("\n", problems.subList(Math.max(0, problems.size() - PROBLEM_LINES),
                            problems.size())))
                    .append("\n(its end)\n");
        }
        return text.append(content, Math.max(0, content.length() - TAIL_CHARS), content.length()).append('\n')
                .toString();
    }
}
