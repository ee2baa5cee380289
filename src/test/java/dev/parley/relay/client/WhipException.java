package dev.parley.relay.client;

import java.io.IOException;
import java.net.URI;

/** A WHIP/WHEP request answered with a status other than 2xx, or a 2xx answer that breaks the protocol. */
public class WhipException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String method;
    private final URI uri;
    private final int statusCode;
    private final String body;

    public WhipException(String method, URI uri, int statusCode, String body, String message) {
        super(method + " " + uri + " -> " + statusCode + ": " + message);
        this.method = method;
        this.uri = uri;
        this.statusCode = statusCode;
        this.body = body;
    }

    public String method() {
        return method;
    }

    public URI uri() {
        return uri;
    }

    /** The HTTP status the server answered with. */
    public int statusCode() {
        return statusCode;
    }

    /** The response body (for Parley, a JSON error), possibly empty. */
    public String body() {
        return body;
    }
}
