package dev.parley.relay.sdp;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks shared by the value parsers. Every failure is an {@link IllegalArgumentException} whose message says what
 * was wrong; {@link SdpParser} turns it into an {@link SdpParseException} carrying the line number.
 */
final class Syntax {

    private static final boolean[] TOKEN_CHARS = new boolean[128];

    static {
        for (char c = 0x21; c < 0x7f; c++) {
            TOKEN_CHARS[c] = c != '"' && c != '(' && c != ')' && c != ',' && c != '/' && (c < ':' || c > '@')
                    && c != '[' && c != '\\' && c != ']';
        }
    }

    private Syntax() {
    }

    /** Splits on runs of spaces, ignoring leading and trailing ones. */
    static List<String> words(String s) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = s.length();
        while (i < n) {
            while (i < n && s.charAt(i) == ' ') {
                i++;
            }
            int start = i;
            while (i < n && s.charAt(i) != ' ') {
                i++;
            }
            if (i > start) {
                out.add(s.substring(start, i));
            }
        }
        return out;
    }

    /** The text after the first {@code count} words, trimmed; empty when there is none. */
    static String afterWords(String s, int count) {
        int i = 0;
        int n = s.length();
        for (int w = 0; w < count; w++) {
            while (i < n && s.charAt(i) == ' ') {
                i++;
            }
            while (i < n && s.charAt(i) != ' ') {
                i++;
            }
        }
        return trimSpaces(s.substring(i));
    }

    static String trimSpaces(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && s.charAt(start) == ' ') {
            start++;
        }
        while (end > start && s.charAt(end - 1) == ' ') {
            end--;
        }
        return s.substring(start, end);
    }

    static int parseInt(String s, int min, int max, String what) {
        return (int) parseLong(s, min, max, what);
    }

    /** Plain decimal digits only (no sign, no spaces), within [min, max]. */
    static long parseLong(String s, long min, long max, String what) {
        if (s == null || s.isEmpty()) {
            throw new IllegalArgumentException(what + " is missing");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException(what + " '" + s + "' is not a number");
            }
        }
        int firstNonZero = 0;
        while (firstNonZero < s.length() - 1 && s.charAt(firstNonZero) == '0') {
            firstNonZero++;
        }
        if (s.length() - firstNonZero > 18) {
            throw new IllegalArgumentException(what + " " + s + " is out of range " + min + ".." + max);
        }
        long v = Long.parseLong(s.substring(firstNonZero));
        if (v < min || v > max) {
            throw new IllegalArgumentException(what + " " + v + " is out of range " + min + ".." + max);
        }
        return v;
    }

    /** A non-empty run of visible characters: no spaces, tabs or control characters. */
    static String word(String s, String what) {
        if (s == null || s.isEmpty()) {
            throw new IllegalArgumentException(what + " is missing");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c == 0x7f) {
                throw new IllegalArgumentException(what + " '" + s + "' contains a space or control character");
            }
        }
        return s;
    }

    /** RFC 8866 token: the characters allowed in attribute names and similar identifiers. */
    static String token(String s, String what) {
        if (s == null || s.isEmpty()) {
            throw new IllegalArgumentException(what + " is missing");
        }
        for (int i = 0; i < s.length(); i++) {
            if (!isTokenChar(s.charAt(i))) {
                throw new IllegalArgumentException(what + " '" + s + "' contains an invalid character");
            }
        }
        return s;
    }

    /** Free text for one SDP line: anything but the characters that would end or corrupt the line. */
    static String text(String s, String what) {
        if (s == null) {
            throw new IllegalArgumentException(what + " is missing");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\r' || c == '\n' || c == 0) {
                throw new IllegalArgumentException(what + " contains a line break or NUL character");
            }
        }
        return s;
    }

    static String optionalText(String s, String what) {
        return s == null ? null : text(s, what);
    }

    /** RFC 8866 token-char: %x21 / %x23-27 / %x2A-2B / %x2D-2E / %x30-39 / %x41-5A / %x5E-7E. */
    private static boolean isTokenChar(char c) {
        return c < 128 && TOKEN_CHARS[c];
    }
}
