package dev.parley.chat;

/** A file that cannot be shared, and why in a word the page turns into a sentence. */
public class FileRefusedException extends RuntimeException {

    public enum Reason { EMPTY, TOO_LARGE, BAD_NAME, MISMATCH, DANGEROUS, DISK_FULL, BUSY }

    private final Reason reason;

    public FileRefusedException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
