package dev.parley.meeting;

/**
 * A client message the server refuses: its error code (docs/signaling.md, section 2) and a text safe to show go back
 * to the sender as an {@code error} message, and the connection stays up.
 */
public final class Refusal extends RuntimeException {

    private final String code;

    public Refusal(String code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
