package dev.parley.relay.negotiation;

/** A remote description the relay cannot use; the code is the signalling protocol's error code. */
public final class NegotiationException extends Exception {

    private final String code;

    public NegotiationException(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
