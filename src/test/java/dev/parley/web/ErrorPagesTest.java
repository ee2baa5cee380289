package dev.parley.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.accounts.Role;
import dev.parley.testing.Fixtures;
import dev.parley.testing.ParleyWebTest;
import dev.parley.testing.WebSession;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

@ParleyWebTest
class ErrorPagesTest {

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Test
    void notFoundIsAFriendlyPage() {
        WebSession.Page page = new WebSession(port).get("/no/such/page");
        // Anonymous visitors are asked to sign in first for unknown paths outside the public ones.
        assertThat(page.status()).isIn(302, 404);
        WebSession member = fixtures.signedIn(Role.MEMBER).session();
        WebSession.Page missing = member.get("/no/such/page");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.text("error-404")).contains("Not found");
        assertNoInternals(missing);
    }

    @Test
    void forbiddenIsAFriendlyPage() {
        WebSession member = fixtures.signedIn(Role.MEMBER).session();
        WebSession.Page page = member.get("/admin");
        assertThat(page.status()).isEqualTo(403);
        assertThat(page.text("error-403")).contains("Not allowed");
        assertNoInternals(page);
    }

    @Test
    void serverErrorsShowNoStackTrace() {
        WebSession member = fixtures.signedIn(Role.MEMBER).session();
        WebSession.Page page = member.get("/test/explode");
        assertThat(page.status()).isEqualTo(500);
        assertThat(page.text("error-500")).contains("Something went wrong");
        assertNoInternals(page);
        assertThat(page.body()).doesNotContain("secret detail");
    }

    @Test
    void badRequestsShowTheGenericPage() {
        WebSession member = fixtures.signedIn(Role.MEMBER).session();
        WebSession.Page page = member.get("/admin/users/not-a-number");
        assertThat(page.status()).isIn(400, 403);
        assertNoInternals(page);
    }

    private static void assertNoInternals(WebSession.Page page) {
        assertThat(page.body()).doesNotContain("Exception").doesNotContain("at dev.parley").doesNotContain("at org.")
                .doesNotContain("Whitelabel");
    }
}
