package dev.parley.relay.client;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A session created by a WHIP or WHEP POST: the answer, and the resource URL ({@code Location}) to end it with
 * DELETE. {@link #close()} deletes once and ignores failures, for try-with-resources.
 */
public final class WhipResource implements AutoCloseable {

    private final WhipClient client;
    private final int statusCode;
    private final URI location;
    private final String answer;
    private final HttpHeaders headers;
    private final String bearerToken;
    private final AtomicBoolean deleted = new AtomicBoolean();

    WhipResource(WhipClient client, int statusCode, URI location, String answer, HttpHeaders headers,
            String bearerToken) {
        this.client = client;
        this.statusCode = statusCode;
        this.location = location;
        this.answer = answer;
        this.headers = headers;
        this.bearerToken = bearerToken;
    }

    /** The status of the POST (201 for a conforming server). */
    public int statusCode() {
        return statusCode;
    }

    /** The session's URL: the Location header resolved against the POST's URL. */
    public URI location() {
        return location;
    }

    /** The SDP answer. */
    public String answer() {
        return answer;
    }

    public HttpHeaders headers() {
        return headers;
    }

    /** Sends DELETE to the session URL with the same token and returns the status, whatever it is. */
    public int delete() throws IOException, InterruptedException {
        deleted.set(true);
        return client.delete(location, bearerToken);
    }

    /** DELETE once, unless {@link #delete()} was already called; failures are ignored. */
    @Override
    public void close() {
        if (deleted.compareAndSet(false, true)) {
            try {
                client.delete(location, bearerToken);
            } catch (IOException e) {
                // the server may already be gone; nothing to clean up on our side
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return "WhipResource[" + statusCode + " " + location + "]";
    }
}
