package dev.parley.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.accounts.Role;
import dev.parley.accounts.UserAccount;
import dev.parley.testing.Fixtures;
import dev.parley.testing.ParleyWebTest;
import dev.parley.testing.RoomForms;
import dev.parley.testing.WebSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

@ParleyWebTest
class LocalisationTest {

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Test
    void bothLanguagesHaveEveryMessage() throws IOException {
        Properties english = load("/i18n/messages.properties");
        Properties chinese = load("/i18n/messages_zh_CN.properties");
        assertThat(chinese.keySet()).containsExactlyInAnyOrderElementsOf(english.keySet());
        chinese.forEach((key, value) -> assertThat((String) value).as(key.toString()).isNotBlank());
    }

    @Test
    void theBrowsersLanguageChoosesTheTexts() {
        WebSession.Page chinese = new WebSession(port).acceptLanguage("zh-CN,zh;q=0.9,en;q=0.5").get("/login");
        assertThat(chinese.html().select("html").attr("lang")).isEqualTo("zh-CN");
        assertThat(chinese.text("login-submit")).isEqualTo("登录");

        WebSession.Page traditional = new WebSession(port).acceptLanguage("zh-TW").get("/login");
        assertThat(traditional.text("login-submit")).isEqualTo("登录");

        WebSession.Page french = new WebSession(port).acceptLanguage("fr-FR,fr;q=0.9").get("/login");
        assertThat(french.text("login-submit")).isEqualTo("Sign in");
    }

    @Test
    void theSwitcherOverridesTheBrowserAndReturnsToThePage() {
        WebSession browser = new WebSession(port).acceptLanguage("en");
        WebSession.Page login = browser.get("/login");
        String switchLink = login.byTestId("lang-zh").attr("href");
        assertThat(switchLink).contains("return=/login");

        WebSession.Page switched = browser.get(switchLink);
        assertThat(switched.status()).isEqualTo(302);
        assertThat(switched.location()).endsWith("/login");
        assertThat(browser.get("/login").text("login-submit")).isEqualTo("登录");

        assertThat(browser.get("/lang?lang=en&return=https://evil.example/").location())
                .as("the switcher never redirects off-site").endsWith("/");
        assertThat(browser.get("/login").text("login-submit")).isEqualTo("Sign in");
        assertThat(browser.get("/lang?lang=en&return=//evil.example").location()).doesNotContain("evil");
    }

    @Test
    void datesAreShownInTheViewersZoneAndLanguage() {
        UserAccount host = fixtures.user(Role.HOST);
        WebSession session = new WebSession(port).acceptLanguage("zh-CN").login(host.getEmail(), Fixtures.PASSWORD);
        session.addCookie(ViewerTime.TIME_ZONE_COOKIE, "Asia/Shanghai");
        java.util.Map<String, String> form = RoomForms.valid("时区测试", ZoneId.of("Europe/Berlin"), 24 * 60);
        long id = RoomForms.schedule(session, form);

        LocalDateTime berlin = LocalDateTime.parse(form.get("start"));
        LocalDateTime shanghai = berlin.atZone(ZoneId.of("Europe/Berlin")).withZoneSameInstant(ZoneId.of("Asia/Shanghai"))
                .toLocalDateTime();
        String expected = DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM, FormatStyle.SHORT)
                .withLocale(Locale.SIMPLIFIED_CHINESE).format(shanghai);
        WebSession.Page page = session.get("/rooms/" + id);
        assertThat(page.text("room-when")).contains(expected).contains("Asia/Shanghai");

        // A zone chosen in the profile wins over the browser's.
        session.submit("/profile", "/profile", Map.of("displayName", "Host", "timeZone", "America/Los_Angeles"));
        String la = DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM, FormatStyle.SHORT)
                .withLocale(Locale.SIMPLIFIED_CHINESE)
                .format(berlin.atZone(ZoneId.of("Europe/Berlin")).withZoneSameInstant(ZoneId.of("America/Los_Angeles")));
        assertThat(session.get("/rooms/" + id).text("room-when")).contains(la);
    }

    @Test
    void validationMessagesAreTranslatedToo() {
        UserAccount host = fixtures.user(Role.HOST);
        WebSession session = new WebSession(port).acceptLanguage("zh-CN").login(host.getEmail(), Fixtures.PASSWORD);
        WebSession.Page page = session.submit("/rooms/new", "/rooms", RoomForms.valid("", ZoneId.of("UTC"), 60));
        assertThat(page.text("error-title")).isEqualTo("请为会议室填写标题。");
    }

    private static Properties load(String resource) throws IOException {
        Properties properties = new Properties();
        try (InputStream in = LocalisationTest.class.getResourceAsStream(resource)) {
            properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return properties;
    }
}
