package dev.parley.relay;

/**
 * The relay refused a request: a bad or stale remote description, a transport that is gone, nothing to play. The code
 * is the signalling protocol's error code ({@code bad-sdp}, {@code stale-answer}, {@code not-joined},
 * {@code not-found}, ...); the message is safe to show to the client.
 */
public final class RelayException extends Exception {

    private final String code;

    public RelayException(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
