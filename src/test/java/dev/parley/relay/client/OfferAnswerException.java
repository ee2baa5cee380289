package dev.parley.relay.client;

/**
 * A remote description this endpoint cannot accept, or an offer/answer call out of order (RFC 3264's model).
 *
 * <p>Unchecked: it reports a broken server or test to the test. The relay's own
 * {@code dev.parley.relay.negotiation.NegotiationException} is a different thing: a checked rejection carrying the
 * signalling protocol's error code for the browser. Connecting failures are {@link WebRtcException}s.
 */
public class OfferAnswerException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    public OfferAnswerException(String message) {
        super(message);
    }

    public OfferAnswerException(String message, Throwable cause) {
        super(message, cause);
    }
}
