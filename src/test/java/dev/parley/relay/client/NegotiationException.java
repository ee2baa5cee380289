package dev.parley.relay.client;

/** A remote description this endpoint cannot accept, or a negotiation call out of order. */
public class NegotiationException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    public NegotiationException(String message) {
        super(message);
    }

    public NegotiationException(String message, Throwable cause) {
        super(message, cause);
    }
}
