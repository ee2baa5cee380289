package dev.parley.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.testing.ParleyWebTest;
import dev.parley.testing.WebSession;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Issue 8: the language switcher's return path is data, never a URI template, and never leaves Parley. */
@ParleyWebTest
class LanguageReturnPathTest {

    @LocalServerPort
    int port;

    @Test
    void bracesAreReturnedToAsAPathNotExpanded() {
        WebSession browser = new WebSession(port);
        WebSession.Page page = browser.get("/lang?lang=zh-CN&return=" + encode("/{anything}"));
        assertThat(page.status()).isEqualTo(302);
        assertThat(URI.create(page.location()).getRawPath()).isEqualTo("/%7Banything%7D");
    }

    @Test
    void anyReturnPathRedirectsWithinParley() {
        WebSession browser = new WebSession(port);
        for (String returnTo : List.of("/{a}/{b}", "/rooms?x={y}", "/%7B", "/%", "/%zz", "/%2F%2Fevil.example", "/a b", "/ünïcödé/会议", "/😀",
                "/a\\b", "/\\evil.example", "//evil.example/", "https://evil.example/", "/\u202Eevil", "{x}",
                "/" + "x".repeat(600), "", "/r/abc?lang=en#top")) {
            WebSession.Page page = browser.get("/lang?return=" + encode(returnTo));
            assertThat(page.status()).as(returnTo).isEqualTo(302);
            URI location = URI.create(page.location());
            assertThat(location.getHost()).as(returnTo).isIn(null, "127.0.0.1");
            assertThat(location.getRawPath()).as(returnTo).startsWith("/").doesNotStartWith("//");
            assertThat(location.getRawPath()).as(returnTo).doesNotContain("{", "}", "\\", " ");
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
