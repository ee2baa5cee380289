package dev.parley.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.accounts.Role;
import dev.parley.testing.Browsers;
import dev.parley.testing.Fixtures;
import dev.parley.testing.ParleyWebTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.MessageSource;

/**
 * The meeting's chat in headless Chromium, in English and in Chinese in one meeting: two participants chat to everyone and privately,
 * the unread badge counts what came while the chat was closed, markup shows as text, a link opens in a new tab without
 * an opener, and a third who joins late sees the public history but not the private message.
 */
@Tag("browser")
@ParleyWebTest
class ChatBrowserTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    MessageSource messages;

    final List<ChromeDriver> browsers = new ArrayList<>();

    @AfterEach
    void quit() {
        Browsers.quitAll(browsers, false);
    }

    @Test
    void participantsChatToEveryoneAndPrivatelyAndLateJoinersSeeThePublicHistory() {
        // Both languages in one meeting (one run keeps the suite short): Ada and Cyd read Chinese, Bob English.
        Locale locale = Locale.SIMPLIFIED_CHINESE;
        Locale bobLocale = Locale.ENGLISH;
        Fixtures.SignedIn host = fixtures.signedIn(Role.HOST);
        String link = host.link(host.scheduleRoom("Chat", 1));
        String home = "http://localhost:" + port + "/?from=chat";

        ChromeDriver ada = join(link, "Ada", "zh-CN");
        ChromeDriver bob = join(link, "Bob", "en");
        assertThat(ada.findElement(By.cssSelector("[data-testid=chat-button] .tool-label")).getText())
                .isEqualTo(text("call.chat.title", locale));

        open(ada);
        String markup = "Hello <b>everyone</b> <img src=x onerror=alert(1)>";
        say(ada, markup);
        say(ada, "Details: " + home + ".");
        awaitBadge(bob, "2");

        // The roster's updates rebuild the recipient's options (keeping the choice), so an option found may go stale.
        new WebDriverWait(ada, PATIENCE).ignoring(StaleElementReferenceException.class).until(d -> {
            Select recipient = new Select(d.findElement(By.cssSelector("[data-testid=chat-recipient]")));
            if (recipient.getOptions().stream().noneMatch(o -> o.getText().equals("Bob"))) {
                return false;
            }
            recipient.selectByVisibleText("Bob");
            return recipient.getFirstSelectedOption().getText().equals("Bob");
        });
        ada.findElement(By.cssSelector("[data-testid=chat-input]")).sendKeys("Only for Bob");
        ada.findElement(By.cssSelector("[data-testid=chat-send]")).click();
        awaitBadge(bob, "3");
        awaitMessages(ada, 3);
        WebElement sent = ada.findElements(By.cssSelector("[data-testid=chat-message]")).get(2);
        assertThat(sent.getAttribute("data-private")).isEqualTo("true");
        assertThat(sent.findElement(By.cssSelector("[data-testid=chat-message-private]")).getText())
                .isEqualTo(text("call.chat.privateTo", locale, "Bob"));
        assertThat(sent.findElement(By.cssSelector("[data-testid=chat-message-from]")).getText())
                .isEqualTo(text("call.chat.you", locale));

        open(bob);
        awaitBadge(bob, null);
        List<WebElement> seen = awaitMessages(bob, 3);
        WebElement first = seen.get(0);
        assertThat(first.findElement(By.cssSelector("[data-testid=chat-message-text]")).getText())
                .as("markup is shown as text").isEqualTo(markup);
        assertThat(first.findElements(By.cssSelector("b, img"))).as("and never becomes elements").isEmpty();
        assertThat(first.findElement(By.cssSelector("[data-testid=chat-message-from]")).getText()).isEqualTo("Ada");
        WebElement link2 = seen.get(1).findElement(By.cssSelector("a[data-testid=chat-link]"));
        assertThat(link2.getAttribute("href")).as("the trailing full stop is no part of the link").isEqualTo(home);
        assertThat(link2.getAttribute("target")).isEqualTo("_blank");
        assertThat(link2.getAttribute("rel")).isEqualTo("noopener noreferrer");
        WebElement secret = seen.get(2);
        assertThat(secret.getAttribute("data-private")).isEqualTo("true");
        assertThat(secret.findElement(By.cssSelector("[data-testid=chat-message-private]")).getText())
                .isEqualTo(text("call.chat.privateToYou", bobLocale));

        String meetingTab = bob.getWindowHandle();
        link2.click();
        new WebDriverWait(bob, PATIENCE).until(d -> d.getWindowHandles().size() == 2);
        String newTab = bob.getWindowHandles().stream().filter(h -> !h.equals(meetingTab)).findFirst().orElseThrow();
        bob.switchTo().window(newTab);
        new WebDriverWait(bob, PATIENCE).until(d -> home.equals(d.getCurrentUrl()));
        assertThat(bob.executeScript("return window.opener;")).as("opened without an opener").isNull();
        bob.close();
        bob.switchTo().window(meetingTab);

        say(bob, "Thanks Ada");
        awaitMessages(ada, 4);
        awaitBadge(ada, null); // Ada's chat is open

        ChromeDriver cyd = join(link, "Cyd", "zh-CN");
        awaitBadge(cyd, null);
        open(cyd);
        List<String> history = awaitMessages(cyd, 3).stream()
                .map(m -> m.findElement(By.cssSelector("[data-testid=chat-message-text]")).getText()).toList();
        assertThat(history).as("the public messages so far, not the private one")
                .containsExactly(markup, "Details: " + home + ".", "Thanks Ada");
        assertThat(cyd.findElements(By.cssSelector("[data-testid=chat-message][data-private=true]"))).isEmpty();
    }

    // ------------------------------------------------------------------ helpers

    private String text(String key, Locale locale, Object... args) {
        return messages.getMessage(key, args, locale);
    }

    private ChromeDriver join(String link, String name, String language) {
        ChromeDriver browser = Browsers.chromium();
        browsers.add(browser);
        // The language switcher stores the choice in a cookie for every page after it.
        browser.get("http://localhost:" + port + "/lang?lang=" + language + "&return=/");
        browser.get(link.replace("127.0.0.1", "localhost"));
        Browsers.enterMeeting(browser, name, PATIENCE);
        assertThat(browser.findElement(By.tagName("html")).getAttribute("lang")).startsWith(language.substring(0, 2));
        return browser;
    }

    private static void open(ChromeDriver browser) {
        wait(browser).until(ExpectedConditions.elementToBeClickable(By.cssSelector("[data-testid=chat-button]")))
                .click();
        wait(browser).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid=chat-panel]")));
    }

    /** Types a message to the chosen recipient and sends it with Enter. */
    private static void say(ChromeDriver browser, String text) {
        int before = browser.findElements(By.cssSelector("[data-testid=chat-message]")).size();
        WebElement input = wait(browser).until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("[data-testid=chat-input]")));
        input.sendKeys(text);
        input.sendKeys(Keys.ENTER);
        awaitMessages(browser, before + 1);
        assertThat(input.getAttribute("value")).as("the input is emptied once sent").isEmpty();
    }

    private static List<WebElement> awaitMessages(ChromeDriver browser, int count) {
        wait(browser).until(d -> d.findElements(By.cssSelector("[data-testid=chat-message]")).size() == count);
        return browser.findElements(By.cssSelector("[data-testid=chat-message]"));
    }

    /** The unread badge shows this count; null: it is hidden. */
    private static void awaitBadge(ChromeDriver browser, String count) {
        wait(browser).until(d -> {
            WebElement badge = d.findElement(By.cssSelector("[data-testid=chat-unread]"));
            return count == null ? !badge.isDisplayed() : badge.isDisplayed() && badge.getText().equals(count);
        });
    }

    private static WebDriverWait wait(ChromeDriver browser) {
        return new WebDriverWait(browser, PATIENCE);
    }
}
