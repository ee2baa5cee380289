package dev.parley.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** A program using Parley's REST API over real HTTP, with a token made the way a person makes one (the profile). */
public final class ApiClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10)).build();

    private final String base;

    public ApiClient(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    public record Response(int status, Map<String, java.util.List<String>> headers, String body) {

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (status " + status + "): " + body, e);
            }
        }

        public Optional<String> header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream()).findFirst();
        }

        /** Asserts a problem detail (RFC 9457) with this status; returns it. */
        public JsonNode problem(int expectedStatus) {
            assertThat(status).as("status of %s", body).isEqualTo(expectedStatus);
            assertThat(header("Content-Type").orElse("")).as("content type").startsWith("application/problem+json");
            JsonNode problem = json();
            assertThat(problem.path("status").asInt()).isEqualTo(expectedStatus);
            assertThat(problem.path("title").asText()).isNotBlank();
            return problem;
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    public Response get(String path, String token) {
        return call("GET", path, token, null, Map.of());
    }

    public Response send(String method, String path, String token, Object body) {
        try {
            return call(method, path, token, body == null ? null : JSON.writeValueAsString(body), Map.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Any request; a null token sends no Authorization header, a null body none. */
    public Response call(String method, String path, String token, String jsonBody, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(jsonBody))
                .header("Accept", "application/json, application/problem+json");
        if (jsonBody != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        headers.forEach(request::header);
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.headers().map(), response.body());
        } catch (IOException e) {
            throw new AssertionError("HTTP request failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * Makes a token on Profile → API tokens as the signed-in session and returns its secret, read from the page that
     * shows it once. Scopes by their names in the form (ROOMS_READ, ...); days null for no expiry.
     */
    public static String makeToken(WebSession session, String name, Integer days, String... scopes) {
        WebSession.Page page = session.get("/profile/api-tokens");
        assertThat(page.status()).as("the tokens page").isEqualTo(200);
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("name", name);
        fields.put("expiresInDays", days == null ? "" : days.toString());
        String body = fields.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"))
                + Arrays.stream(scopes).map(scope -> "&scopes=" + enc(scope)).collect(Collectors.joining());
        WebSession.Page made = session.postBody("/profile/api-tokens", page.csrfToken(),
                "application/x-www-form-urlencoded", body.getBytes(StandardCharsets.UTF_8));
        assertThat(made.status()).as("making a token: %s", made.body()).isEqualTo(302);
        String secret = session.get(made.location()).byTestId("api-token-secret").attr("value");
        assertThat(secret).matches("parley_[A-Za-z0-9_-]{43}");
        return secret;
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
