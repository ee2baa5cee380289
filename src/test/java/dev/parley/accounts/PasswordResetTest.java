package dev.parley.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.parley.audit.AuditEventRepository;
import dev.parley.testing.Fixtures;
import dev.parley.testing.WebSession;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * "Forgot password?" against a real SMTP server in this JVM (GreenMail): the request over HTTP, the mail as received,
 * its link followed, the new password used to sign in. The one Spring context of the project with an SMTP server; the
 * links point at the public URL, so the server listens on a port chosen beforehand and the public URL names it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@ActiveProfiles("test")
class PasswordResetTest {

    private static final int PORT = freePort();
    private static final String NEW_PASSWORD = "Cobalt-Meadow-Trumpet-64";
    private static final Pattern LINK = Pattern.compile("http://127\\.0\\.0\\.1:" + PORT
            + "/reset-password\\?token=([A-Za-z0-9_-]+)");
    private static final AtomicInteger ADDRESSES = new AtomicInteger();

    @RegisterExtension
    static final GreenMailExtension MAIL = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
            .withPerMethodLifecycle(false);

    @DynamicPropertySource
    static void smtpServerAndPublicUrl(DynamicPropertyRegistry registry) {
        registry.add("server.port", () -> PORT);
        registry.add("parley.rooms.public-url", () -> "http://127.0.0.1:" + PORT);
        registry.add("spring.mail.host", () -> "127.0.0.1");
        registry.add("spring.mail.port", () -> MAIL.getSmtp().getPort());
        registry.add("spring.mail.properties.mail.smtp.starttls.enable", () -> "false");
        registry.add("parley.password-reset.max-requests-per-email", () -> 2);
        registry.add("parley.password-reset.max-requests-per-address", () -> 4);
    }

    @Autowired
    Fixtures fixtures;

    @Autowired
    UserAccountRepository users;

    @Autowired
    AuditEventRepository auditEvents;

    @Autowired
    PasswordEncoder passwordEncoder;

    @Autowired
    JdbcTemplate jdbc;

    @BeforeEach
    void emptyMailboxes() throws Exception {
        MAIL.purgeEmailFromAllMailboxes();
    }

    @Test
    void theMailedLinkSetsANewPasswordEndsEverySessionAndWorksOnce() throws Exception {
        UserAccount member = fixtures.user(Role.MEMBER);
        WebSession signedInElsewhere = new WebSession(PORT);
        signedInElsewhere.submit("/login", "/login", Map.of("email", member.getEmail(),
                "password", Fixtures.PASSWORD, "remember-me", "on"));
        String rememberMe = signedInElsewhere.cookie(SignedInSessions.REMEMBER_ME_COOKIE).orElseThrow().getValue();

        WebSession browser = new WebSession(PORT);
        String forgotLink = browser.get("/login").byTestId("login-forgot").attr("href");
        assertThat(forgotLink).isEqualTo("/forgot-password");
        WebSession.Page answer = requestReset(browser, member.getEmail().toUpperCase(), nextAddress());
        assertThat(answer.location()).endsWith("/forgot-password");
        assertThat(browser.follow(answer).text("forgot-sent"))
                .startsWith("If an account with this address exists").contains("30 minutes");

        MimeMessage mail = receivedMails(1).get(0);
        assertThat(mail.getAllRecipients()).extracting(Object::toString).containsExactly(member.getEmail());
        assertThat(mail.getFrom()).extracting(Object::toString).containsExactly("noreply@127.0.0.1");
        assertThat(mail.getSubject()).isEqualTo("Reset your Parley password");
        String text = (String) mail.getContent();
        assertThat(text).startsWith("Hello " + member.getDisplayName()).contains("30 minutes");
        String link = link(text);
        String token = link.substring(link.indexOf("token=") + 6);
        List<String> stored = jdbc.queryForList("select token_hash from password_reset_token", String.class);
        assertThat(stored).as("only the token's hash is stored").contains(PasswordResets.hash(token))
                .noneMatch(hash -> hash.contains(token));

        WebSession.Page form = browser.get(link);
        assertThat(form.status()).isEqualTo(200);
        assertThat(form.has("reset-form")).isTrue();
        WebSession.Page weakAndDifferent = browser.post("/reset-password", form.csrfToken(),
                Map.of("token", token, "newPassword", "tulip", "confirmPassword", "tulips"));
        assertThat(weakAndDifferent.status()).isEqualTo(200);
        assertThat(weakAndDifferent.text("error-newPassword")).isEqualTo("Use at least 10 characters.");
        assertThat(weakAndDifferent.text("error-confirmPassword")).isEqualTo("The two new passwords differ.");

        WebSession.Page done = browser.post("/reset-password", weakAndDifferent.csrfToken(),
                Map.of("token", token, "newPassword", NEW_PASSWORD, "confirmPassword", NEW_PASSWORD));
        assertThat(done.location()).endsWith("/login?reset");
        assertThat(browser.follow(done).text("login-password-reset")).contains("Sign in with the new password");

        assertThat(signedInElsewhere.get("/profile").location()).as("the other session ended")
                .endsWith("/login?ended");
        WebSession remembered = new WebSession(PORT);
        remembered.addCookie(SignedInSessions.REMEMBER_ME_COOKIE, rememberMe);
        assertThat(remembered.get("/profile").location()).as("the remember-me login ended").contains("/login");
        WebSession.Page oldPassword = new WebSession(PORT).submit("/login", "/login",
                Map.of("email", member.getEmail(), "password", Fixtures.PASSWORD));
        assertThat(oldPassword.location()).endsWith("/login?error=bad");
        assertThat(new WebSession(PORT).login(member.getEmail(), NEW_PASSWORD).get("/profile").status())
                .isEqualTo(200);
        assertThat(auditEvents.findAll()).anySatisfy(event -> {
            assertThat(event.getAction()).isEqualTo("PASSWORD_RESET_BY_MAIL");
            assertThat(event.getTarget()).isEqualTo(member.getEmail());
        });

        WebSession.Page again = new WebSession(PORT).get(link);
        assertThat(again.status()).as("the link works once").isEqualTo(410);
        assertThat(again.text("reset-invalid")).contains("This link does not work any more");
        assertThat(again.byTestId("reset-ask-again").attr("href")).isEqualTo("/forgot-password");
        WebSession.Page replay = browser.post("/reset-password", browser.get("/login").csrfToken(),
                Map.of("token", token, "newPassword", "Velvet-Orchard-Compass-19",
                        "confirmPassword", "Velvet-Orchard-Compass-19"));
        assertThat(replay.status()).isEqualTo(410);
        assertThat(passwordEncoder.matches(NEW_PASSWORD, users.findById(member.getId()).orElseThrow()
                .getPasswordHash())).isTrue();
    }

    @Test
    void unknownAndDisabledAddressesGetTheSameAnswerAndNoMail() throws Exception {
        UserAccount known = fixtures.user(Role.MEMBER);
        UserAccount disabled = fixtures.user(Role.HOST);
        UserAccount account = users.findById(disabled.getId()).orElseThrow();
        account.setEnabled(false);
        users.save(account);
        String unknown = "nobody-" + System.nanoTime() + "@parley.test";

        String knownAnswer = answerSeenBy(new WebSession(PORT), known.getEmail());
        receivedMails(1);
        MAIL.purgeEmailFromAllMailboxes();
        assertThat(answerSeenBy(new WebSession(PORT), unknown)).isEqualTo(knownAnswer);
        assertThat(answerSeenBy(new WebSession(PORT), disabled.getEmail())).isEqualTo(knownAnswer);

        // Mails go out one after the other: had the two requests above sent any, it would come before this one.
        UserAccount sentinel = fixtures.user(Role.MEMBER, "sentinel");
        WebSession chinese = new WebSession(PORT).acceptLanguage("zh-CN");
        requestReset(chinese, sentinel.getEmail(), nextAddress());
        List<MimeMessage> mails = receivedMails(1);
        assertThat(mails).hasSize(1);
        assertThat(mails.get(0).getAllRecipients()).extracting(Object::toString).containsExactly(sentinel.getEmail());
        assertThat(mails.get(0).getSubject()).as("the language of the page it was asked from")
                .isEqualTo("重置您的 Parley 密码");
        assertThat((String) mails.get(0).getContent()).contains("该链接只能使用一次，有效期 30 分钟");
        assertThat(auditEvents.findAll()).anySatisfy(event -> {
            assertThat(event.getAction()).isEqualTo("PASSWORD_RESET_REQUESTED");
            assertThat(event.getActor()).isEqualTo(unknown);
            assertThat(event.getDetails()).isEqualTo("no such account: no mail");
        });
    }

    @Test
    void expiredLinksAreRefusedWithAClearPage() throws Exception {
        UserAccount member = fixtures.user(Role.MEMBER);
        requestReset(new WebSession(PORT), member.getEmail(), nextAddress());
        String link = link((String) receivedMails(1).get(0).getContent());
        String token = link.substring(link.indexOf("token=") + 6);
        jdbc.update("update password_reset_token set expires_at = created_at where token_hash = ?",
                PasswordResets.hash(token));

        WebSession browser = new WebSession(PORT).acceptLanguage("zh-CN");
        WebSession.Page expired = browser.get(link);
        assertThat(expired.status()).isEqualTo(410);
        assertThat(expired.text("reset-invalid")).contains("此链接已失效");
        WebSession.Page refused = browser.post("/reset-password", browser.get("/forgot-password").csrfToken(),
                Map.of("token", token, "newPassword", NEW_PASSWORD, "confirmPassword", NEW_PASSWORD));
        assertThat(refused.status()).isEqualTo(410);
        assertThat(passwordEncoder.matches(Fixtures.PASSWORD, users.findById(member.getId()).orElseThrow()
                .getPasswordHash())).as("the password stays").isTrue();
        assertThat(browser.get("/reset-password?token=cut-sho").status()).isEqualTo(410);
        assertThat(browser.get("/reset-password").status()).isEqualTo(410);
    }

    @Test
    void requestsAreLimitedPerEmailAndPerClientAddress() throws Exception {
        UserAccount member = fixtures.user(Role.MEMBER);
        assertThat(requestReset(new WebSession(PORT), member.getEmail(), nextAddress()).status()).isEqualTo(302);
        assertThat(requestReset(new WebSession(PORT), member.getEmail(), nextAddress()).status()).isEqualTo(302);
        WebSession.Page third = requestReset(new WebSession(PORT), member.getEmail(), nextAddress());
        assertThat(third.status()).as("a third mail to one address within the hour").isEqualTo(429);
        assertThat(third.text("form-errors")).contains("Too many reset requests");

        String sprayer = nextAddress();
        for (int i = 0; i < 4; i++) {
            assertThat(requestReset(new WebSession(PORT), "spray-" + i + "-" + System.nanoTime() + "@parley.test",
                    sprayer).status()).isEqualTo(302);
        }
        UserAccount sentinel = fixtures.user(Role.MEMBER, "sentinel");
        assertThat(requestReset(new WebSession(PORT), sentinel.getEmail(), sprayer).status())
                .as("a fifth request from one client address within the hour").isEqualTo(429);

        requestReset(new WebSession(PORT), sentinel.getEmail(), nextAddress());
        List<MimeMessage> mails = receivedMails(3);
        assertThat(mails).extracting(PasswordResetTest::recipient)
                .containsExactly(member.getEmail(), member.getEmail(), sentinel.getEmail());
    }

    @Test
    void badAddressesAreToldOnTheForm() {
        WebSession browser = new WebSession(PORT);
        WebSession.Page page = requestReset(browser, "not an address", nextAddress());
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.text("error-email")).isEqualTo("Enter a valid e-mail address.");
        WebSession.Page forged = browser.postRaw("/forgot-password", Map.of("email", "a@parley.test"));
        assertThat(forged.status()).as("no CSRF token").isEqualTo(403);
    }

    /** Asks for a reset link from the given client address (through the proxy header Parley trusts from loopback). */
    private static WebSession.Page requestReset(WebSession browser, String email, String clientAddress) {
        Map<String, String> from = Map.of("X-Forwarded-For", clientAddress);
        WebSession.Page form = browser.get("/forgot-password", from);
        assertThat(form.status()).isEqualTo(200);
        return browser.post("/forgot-password", form.csrfToken(), Map.of("email", email), from);
    }

    /** Everything a visitor learns from asking: the status, where it leads and what that page says. */
    private static String answerSeenBy(WebSession browser, String email) {
        WebSession.Page answer = requestReset(browser, email, nextAddress());
        WebSession.Page shown = browser.follow(answer);
        return answer.status() + " " + answer.location() + " " + shown.status() + " " + shown.text("forgot-sent");
    }

    private static List<MimeMessage> receivedMails(int count) {
        assertThat(MAIL.waitForIncomingEmail(10_000, count)).as("%d mail(s) arrive", count).isTrue();
        return Arrays.asList(MAIL.getReceivedMessages());
    }

    private static String recipient(MimeMessage mail) {
        try {
            return mail.getAllRecipients()[0].toString();
        } catch (MessagingException e) {
            throw new AssertionError(e);
        }
    }

    private static String link(String text) {
        Matcher m = LINK.matcher(text);
        assertThat(m.find()).as("a reset link in: %s", text).isTrue();
        return m.group();
    }

    private static String nextAddress() {
        int n = ADDRESSES.incrementAndGet();
        return "203.0.113." + (n % 250 + 1);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
