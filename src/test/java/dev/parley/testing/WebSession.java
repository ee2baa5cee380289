package dev.parley.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * One browser-like visitor over real HTTP: keeps cookies, does not follow redirects (tests assert them), and sends
 * forms with the CSRF token of the page they came from, the way a browser submitting the page's form would.
 *
 * <p>The cookies belong to the session, not to its {@link HttpClient}, so many visitors can share one client and its
 * threads (the load generator's guests do). A request that gets no answer fails with an {@link AssertionError} whose
 * cause is the {@link IOException}.
 */
public final class WebSession {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
    private final HttpClient client;
    private String acceptLanguage = "en";

    public WebSession(int port) {
        this("http://127.0.0.1:" + port);
    }

    public WebSession(String baseUrl) {
        this(baseUrl, HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5))
                .build());
    }

    /** A visitor of its own on a shared client, which must not follow redirects nor keep cookies itself. */
    public WebSession(String baseUrl, HttpClient shared) {
        this.baseUrl = baseUrl;
        this.client = shared;
    }

    public WebSession acceptLanguage(String value) {
        this.acceptLanguage = value;
        return this;
    }

    public String baseUrl() {
        return baseUrl;
    }

    public Page get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET(), Map.of());
    }

    public Page get(String path, Map<String, String> headers) {
        return send(HttpRequest.newBuilder(uri(path)).GET(), headers);
    }

    /** Follows redirects like a browser (GET after 302/303) and returns the final page. */
    public Page follow(Page page) {
        Page current = page;
        for (int hops = 0; current.isRedirect() && hops < 10; hops++) {
            current = get(current.location());
        }
        return current;
    }

    /** Posts a form with the given fields and no CSRF token (to test that forgery is refused). */
    public Page postRaw(String path, Map<String, String> fields) {
        return send(HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(encode(fields))), Map.of());
    }

    /** Loads formPagePath, takes the CSRF token from its form, and posts the fields to action. */
    public Page submit(String formPagePath, String action, Map<String, String> fields) {
        Page formPage = get(formPagePath);
        assertThat(formPage.status()).as("form page %s", formPagePath).isEqualTo(200);
        return post(action, formPage.csrfToken(), fields);
    }

    public Page post(String path, String csrfToken, Map<String, String> fields) {
        return post(path, csrfToken, fields, Map.of());
    }

    public Page post(String path, String csrfToken, Map<String, String> fields, Map<String, String> headers) {
        Map<String, String> withToken = new LinkedHashMap<>(fields);
        withToken.put("_csrf", csrfToken);
        return send(HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(encode(withToken))), headers);
    }

    /** Posts a body of the given content type with the CSRF token in the X-CSRF-TOKEN header (as scripts do). */
    public Page postBody(String path, String csrfToken, String contentType, byte[] body) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)), Map.of("X-CSRF-TOKEN", csrfToken));
    }

    /** Any method (OPTIONS, DELETE, PATCH, ...) without a body, with the given headers. */
    public Page request(String method, String path, Map<String, String> headers) {
        return send(HttpRequest.newBuilder(uri(path)).method(method, HttpRequest.BodyPublishers.noBody()), headers);
    }

    /** Signs in through the login form; asserts that it worked. */
    public WebSession login(String email, String password) {
        Page result = submit("/login", "/login", Map.of("email", email, "password", password));
        assertThat(result.status()).isEqualTo(302);
        assertThat(result.location()).as("login redirect for %s", email).doesNotContain("/login?error");
        return this;
    }

    /**
     * As a visitor opening a room's link: the join ticket that the pre-join page asks for and the signalling's
     * {@code join} message carries. Asserts that the page opened and the ticket was given.
     */
    public String joinTicket(String slug, String displayName) {
        Page response = submit("/r/" + slug, "/r/" + slug + "/ticket", Map.of("displayName", displayName));
        assertThat(response.status()).as("ticket for %s: %s", displayName, response.body()).isEqualTo(200);
        try {
            String ticket = JSON.readTree(response.body()).path("ticket").asText("");
            assertThat(ticket).as("the ticket in %s", response.body()).isNotEmpty();
            return ticket;
        } catch (JsonProcessingException e) {
            throw new AssertionError("the ticket response is not JSON: " + response.body(), e);
        }
    }

    public Optional<HttpCookie> cookie(String name) {
        return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals(name)).findFirst();
    }

    /** Every value held for the cookie name (a cookie the test added and one the server set may sit side by side). */
    public List<String> cookieValues(String name) {
        return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals(name))
                .map(HttpCookie::getValue).toList();
    }

    public void addCookie(String name, String value) {
        HttpCookie cookie = new HttpCookie(name, value);
        cookie.setPath("/");
        cookie.setVersion(0);
        cookies.getCookieStore().add(URI.create(baseUrl), cookie);
    }

    /** Drops one cookie, as a browser does with a session cookie when it is closed. */
    public void removeCookie(String name) {
        cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals(name)).toList()
                .forEach(c -> cookies.getCookieStore().getURIs().forEach(uri -> cookies.getCookieStore().remove(uri, c)));
    }

    public void clearCookies() {
        cookies.getCookieStore().removeAll();
    }

    private URI uri(String path) {
        return URI.create(path.startsWith("http") ? path : baseUrl + path);
    }

    /** Posts raw bytes as the body (a file, as the meeting page shares one) with the given headers. */
    public Page postBytes(String path, byte[] body, Map<String, String> headers) {
        return send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofByteArray(body)), headers);
    }

    /** A GET whose body is kept as bytes (a download). */
    public HttpResponse<byte[]> getBytes(String path, Map<String, String> headers) {
        return exchange(HttpRequest.newBuilder(uri(path)).GET(), headers, HttpResponse.BodyHandlers.ofByteArray());
    }

    private Page send(HttpRequest.Builder builder, Map<String, String> headers) {
        return new Page(exchange(builder, headers, HttpResponse.BodyHandlers.ofString()));
    }

    private <T> HttpResponse<T> exchange(HttpRequest.Builder builder, Map<String, String> headers,
                                         HttpResponse.BodyHandler<T> body) {
        builder.setHeader("Accept", "text/html,application/xhtml+xml,*/*;q=0.8")
                .setHeader("Accept-Language", acceptLanguage)
                .timeout(Duration.ofSeconds(30));
        headers.forEach(builder::setHeader);
        HttpRequest request = builder.build();
        try {
            cookies.get(request.uri(), Map.of()).getOrDefault("Cookie", List.of())
                    .forEach(value -> builder.header("Cookie", value));
            HttpResponse<T> response = client.send(builder.build(), body);
            cookies.put(request.uri(), response.headers().map());
            return response;
        } catch (IOException e) {
            throw new AssertionError("HTTP request failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String encode(Map<String, String> fields) {
        return fields.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    /** A response, with its HTML parsed. */
    public static final class Page {
        private final HttpResponse<String> response;
        private Document document;

        Page(HttpResponse<String> response) {
            this.response = response;
        }

        public int status() {
            return response.statusCode();
        }

        public String body() {
            return response.body();
        }

        public boolean isRedirect() {
            return status() == 301 || status() == 302 || status() == 303 || status() == 307;
        }

        public String location() {
            return response.headers().firstValue("Location").orElseThrow(() ->
                    new AssertionError("no Location header; status " + status()));
        }

        public Optional<String> header(String name) {
            return response.headers().firstValue(name);
        }

        public List<String> headers(String name) {
            return response.headers().allValues(name);
        }

        public Document html() {
            if (document == null) {
                document = Jsoup.parse(body(), response.uri().toString());
            }
            return document;
        }

        /** The element with data-testid=id; fails when it is missing. */
        public Element byTestId(String id) {
            Element element = html().selectFirst("[data-testid=" + id + "]");
            if (element == null) {
                throw new AssertionError("no element with data-testid=" + id + " on " + response.uri()
                        + " (status " + status() + ")");
            }
            return element;
        }

        public boolean has(String testId) {
            return html().selectFirst("[data-testid=" + testId + "]") != null;
        }

        public String text(String testId) {
            return byTestId(testId).text();
        }

        public String csrfToken() {
            Element input = html().selectFirst("input[name=_csrf]");
            if (input == null) {
                throw new AssertionError("no CSRF token on " + response.uri());
            }
            return input.attr("value");
        }
    }
}
