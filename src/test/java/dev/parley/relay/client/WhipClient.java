package dev.parley.relay.client;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The HTTP half of WHIP (RFC 9725) and WHEP: POST an SDP offer with {@code Content-Type: application/sdp} and a
 * bearer token, get {@code 201 Created} with the answer and a {@code Location}; DELETE that location to end the
 * session. Status codes other than 2xx become {@link WhipException}s carrying the status and body, so tests can
 * assert them. Thread-safe.
 */
public final class WhipClient {

    public static final String APPLICATION_SDP = "application/sdp";

    private final HttpClient http;
    private final Duration requestTimeout;

    public WhipClient() {
        this(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER).build(), Duration.ofSeconds(10));
    }

    public WhipClient(HttpClient http, Duration requestTimeout) {
        this.http = Objects.requireNonNull(http, "http");
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
    }

    /**
     * POSTs the offer.
     *
     * @param bearerToken sent as {@code Authorization: Bearer <token>}; null sends no Authorization header
     * @throws WhipException on a status other than 2xx, or a 2xx without Location or answer
     */
    public WhipResource post(URI endpoint, String bearerToken, String offerSdp)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                .timeout(requestTimeout)
                .header("Content-Type", APPLICATION_SDP)
                .header("Accept", APPLICATION_SDP)
                .POST(HttpRequest.BodyPublishers.ofString(offerSdp, StandardCharsets.UTF_8));
        authorize(request, bearerToken);
        HttpResponse<String> response = http.send(request.build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        int status = response.statusCode();
        String body = response.body() == null ? "" : response.body();
        if (status < 200 || status > 299) {
            throw new WhipException("POST", endpoint, status, body, "the server refused the offer");
        }
        Optional<String> location = response.headers().firstValue("Location");
        if (location.isEmpty()) {
            throw new WhipException("POST", endpoint, status, body, "no Location header");
        }
        if (body.isBlank()) {
            throw new WhipException("POST", endpoint, status, body, "no SDP answer");
        }
        return new WhipResource(this, status, endpoint.resolve(location.get()), body, response.headers(),
                bearerToken);
    }

    /** DELETE with the token; returns the status code, whatever it is. */
    int delete(URI location, String bearerToken) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(location).timeout(requestTimeout).DELETE();
        authorize(request, bearerToken);
        return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static void authorize(HttpRequest.Builder request, String bearerToken) {
        if (bearerToken != null) {
            request.header("Authorization", "Bearer " + bearerToken);
        }
    }
}
