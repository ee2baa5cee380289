package dev.parley.relay.sdp;

/**
 * The one exception {@link SdpParser} throws: the input is not a session description this package accepts.
 * The message names the 1-based line number, what was wrong, and (shortened) the offending line.
 */
public final class SdpParseException extends Exception {

    private static final int MAX_QUOTED_LINE = 80;

    private final int lineNumber;
    private final String reason;

    public SdpParseException(int lineNumber, String reason, String line) {
        super(message(lineNumber, reason, line));
        this.lineNumber = lineNumber;
        this.reason = reason;
    }

    /** 1-based line number of the offending line; 0 when the input as a whole is unusable. */
    public int lineNumber() {
        return lineNumber;
    }

    /** What was wrong, without the line number or the quoted line. */
    public String reason() {
        return reason;
    }

    private static String message(int lineNumber, String reason, String line) {
        StringBuilder sb = new StringBuilder();
        if (lineNumber > 0) {
            sb.append("line ").append(lineNumber).append(": ");
        }
        sb.append(reason);
        if (line != null) {
            sb.append(" [").append(quote(line)).append(']');
        }
        return sb.toString();
    }

    private static String quote(String line) {
        StringBuilder sb = new StringBuilder();
        int end = Math.min(line.length(), MAX_QUOTED_LINE);
        for (int i = 0; i < end; i++) {
            char c = line.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                sb.append(String.format("\\x%02x", (int) c));
            } else {
                sb.append(c);
            }
        }
        if (line.length() > end) {
            sb.append("...");
        }
        return sb.toString();
    }
}
