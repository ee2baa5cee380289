package dev.parley.web;

/** Redirect targets taken from a request may only point back into Parley. */
final class SafeRedirects {

    private SafeRedirects() {
    }

    static String localPath(String candidate) {
        if (candidate == null || candidate.isEmpty() || candidate.length() > 512
                || !candidate.startsWith("/") || candidate.startsWith("//") || candidate.startsWith("/\\")
                || candidate.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            return "/";
        }
        return candidate;
    }
}
