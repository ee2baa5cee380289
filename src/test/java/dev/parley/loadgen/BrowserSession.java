package dev.parley.loadgen;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One browser-like visitor of Parley's pages over a shared {@link HttpClient}: its own cookies (so many visitors share
 * one client and its threads), no redirects followed, and forms posted with the CSRF token of the page they came from.
 */
final class BrowserSession {

    private static final Pattern CSRF_INPUT = Pattern.compile("<input[^>]*\\bname=\"_csrf\"[^>]*>");
    private static final Pattern VALUE = Pattern.compile("\\bvalue=\"([^\"]*)\"");
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    record Response(int status, String body, String location) {
        boolean redirect() {
            return status == 301 || status == 302 || status == 303;
        }
    }

    private final HttpClient http;
    private final URI base;
    private final Map<String, String> cookies = new LinkedHashMap<>();

    BrowserSession(HttpClient http, URI base) {
        this.http = http;
        this.base = base;
    }

    URI base() {
        return base;
    }

    Response get(String path) throws IOException {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET());
    }

    Response post(String path, Map<String, String> fields) throws IOException {
        String body = fields.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** Loads the page, takes its form's CSRF token and posts the fields with it. */
    Response submit(String pagePath, String action, Map<String, String> fields) throws IOException {
        Response page = get(pagePath);
        if (page.status() != 200) {
            throw new IOException("GET " + pagePath + " answered " + page.status());
        }
        Map<String, String> withToken = new LinkedHashMap<>(fields);
        withToken.put("_csrf", csrfToken(page.body()));
        return post(action, withToken);
    }

    /** The value of the page's hidden {@code _csrf} input. */
    static String csrfToken(String html) throws IOException {
        Matcher input = CSRF_INPUT.matcher(html);
        if (input.find()) {
            Matcher value = VALUE.matcher(input.group());
            if (value.find()) {
                return value.group(1);
            }
        }
        throw new IOException("the page has no CSRF token");
    }

    private Response send(HttpRequest.Builder request) throws IOException {
        request.timeout(TIMEOUT).header("Accept", "text/html,application/json,*/*;q=0.8")
                .header("Accept-Language", "en");
        String cookieHeader = cookieHeader();
        if (!cookieHeader.isEmpty()) {
            request.header("Cookie", cookieHeader);
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        for (String setCookie : response.headers().allValues("Set-Cookie")) {
            String pair = setCookie.split(";", 2)[0];
            int eq = pair.indexOf('=');
            if (eq > 0) {
                synchronized (cookies) {
                    cookies.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
                }
            }
        }
        return new Response(response.statusCode(), response.body(),
                response.headers().firstValue("Location").orElse(null));
    }

    private String cookieHeader() {
        synchronized (cookies) {
            return cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining("; "));
        }
    }
}
