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
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.MessageSource;

/**
 * The host controls in headless Chromium, in English and in Chinese, with a host and two guests: the host mutes a
 * guest (everyone sees the mute, the guest sees who did it), asks her to unmute (she accepts the prompt), sees both
 * guests' raised hands queued in order at the top of the list and lowers one (its owner is told), removes the
 * other guest without letting him back (his page says so, offers no Rejoin, and joining again is refused), locks the
 * meeting (a newcomer waits in the lobby, sees the room's name and her own camera, and is let in), and ends the
 * meeting (the guest's page says the host ended it).
 */
@Tag("browser")
@ParleyWebTest
class HostControlsBrowserTest {

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
    void theHostMutesLowersHandsRemovesWithABanAndEndsTheMeeting() {
        // Both languages in one meeting (one run keeps the suite short): the host and Bob read Chinese, Ada English.
        Locale hostLocale = Locale.SIMPLIFIED_CHINESE;
        Locale adaLocale = Locale.ENGLISH;
        Locale bobLocale = Locale.SIMPLIFIED_CHINESE;
        Fixtures.SignedIn hostAccount = fixtures.signedIn(Role.HOST);
        String link = hostAccount.link(hostAccount.scheduleRoom("Moderated", 1))
                .replace("127.0.0.1", "localhost");

        ChromeDriver host = browser(hostLocale.toLanguageTag());
        Browsers.signIn(host, port, hostAccount.account().getEmail(), PATIENCE);
        host.get(link);
        Browsers.enterMeeting(host, "Hostess", PATIENCE);
        ChromeDriver ada = browser(adaLocale.toLanguageTag());
        ada.get(link);
        Browsers.enterMeeting(ada, "Ada", PATIENCE);
        ChromeDriver bob = browser(bobLocale.toLanguageTag());
        bob.get(link);
        Browsers.enterMeeting(bob, "Bob", PATIENCE);
        String adaId = participantId(ada);
        String bobId = participantId(bob);
        wait(host).until(d -> d.findElements(By.cssSelector("[data-testid=participant-item]")).size() == 3);
        assertThat(ada.findElement(By.cssSelector("[data-testid=host-controls]")).isDisplayed())
                .as("a guest has no host controls").isFalse();
        assertThat(ada.findElements(By.cssSelector("[data-testid=host-menu]")).stream()
                .noneMatch(WebElement::isDisplayed)).isTrue();

        // Mute: Ada's microphone goes off on her page and everyone's; she is told by whom.
        hostMenu(host, adaId, "host-mute");
        wait(ada).until(d -> d.findElements(By.cssSelector(".toast")).stream()
                .anyMatch(t -> t.getText().equals(text("call.host.mutedYou", adaLocale, "Hostess"))));
        for (ChromeDriver page : List.of(ada, bob, host)) {
            wait(page).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(
                    "[data-testid=video-tile][data-participant-id='" + adaId + "'] [data-testid=muted-indicator]")));
        }
        assertThat(ada.findElement(By.cssSelector("[data-testid=mute-button]")).getAttribute("aria-pressed"))
                .as("her own microphone button shows it off").isNotEqualTo("true");

        // Ask to unmute: a prompt she accepts; nobody else unmutes her.
        hostMenu(host, adaId, "host-ask-unmute");
        WebElement prompt = wait(ada).until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("[data-testid=unmute-prompt]")));
        assertThat(prompt.getText()).contains(text("call.host.askedUnmute", adaLocale, "Hostess"));
        ada.findElement(By.cssSelector("[data-testid=unmute-accept]")).click();
        wait(bob).until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector(
                "[data-testid=video-tile][data-participant-id='" + adaId + "'] [data-testid=muted-indicator]")));

        // Hands: Bob's goes up, then Ada's; the host is told and sees the queue in that order at the top of the list,
        // lowers Bob's hand, and Bob is told by whom.
        bob.findElement(By.cssSelector("[data-testid=hand-button]")).click();
        wait(host).until(d -> "1".equals(handPosition(d, bobId)));
        wait(host).until(d -> d.findElements(By.cssSelector(".toast")).stream()
                .anyMatch(t -> t.getText().equals(text("call.hand.raised", hostLocale, "Bob"))));
        wait(bob).until(d -> d.findElement(By.cssSelector("[data-testid=hand-button] [data-label]")).getText()
                .equals(text("call.hand.lower", bobLocale)));
        ada.findElement(By.cssSelector("[data-testid=hand-button]")).click();
        wait(host).until(d -> "2".equals(handPosition(d, adaId)));
        assertThat(host.findElements(By.cssSelector("[data-testid=participant-item]")).stream().limit(2)
                .map(item -> item.getAttribute("data-participant-id"))).as("the queue heads the list")
                .containsExactly(bobId, adaId);
        assertThat(host.findElement(By.cssSelector("[data-testid=participant-item][data-participant-id='" + adaId
                + "'] [data-testid=participant-hand]")).getAttribute("aria-label"))
                .isEqualTo(text("call.hand.position", hostLocale, 2));
        hostMenu(host, bobId, "host-lower-hand");
        wait(bob).until(d -> d.findElements(By.cssSelector(".toast")).stream()
                .anyMatch(t -> t.getText().equals(text("call.host.loweredHand", bobLocale, "Hostess"))));
        wait(bob).until(d -> d.findElement(By.cssSelector("[data-testid=hand-button] [data-label]")).getText()
                .equals(text("call.hand.raise", bobLocale)));
        wait(host).until(d -> "1".equals(handPosition(d, adaId)) && handPosition(d, bobId).isEmpty());

        // Remove Bob and do not let him back.
        hostMenu(host, bobId, "host-remove-ban");
        WebElement left = wait(bob).until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("[data-testid=left]")));
        assertThat(left.getText()).contains(text("call.end.bannedBy", bobLocale, "Hostess"));
        assertThat(bob.findElement(By.cssSelector("[data-testid=rejoin-button]")).isDisplayed())
                .as("no Rejoin that cannot work").isFalse();
        wait(host).until(d -> d.findElements(By.cssSelector("[data-testid=participant-item]")).size() == 2);
        bob.get(link);
        Browsers.askToJoin(bob, "Bob", PATIENCE);
        WebElement refused = wait(bob).until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("[data-testid=meeting-error]")));
        assertThat(refused.getText()).contains(text("call.error.banned", bobLocale));

        // Lock: a newcomer waits in the lobby, sees the room's name and herself, and the host lets her in.
        wait(host).until(ExpectedConditions.elementToBeClickable(By.cssSelector("[data-testid=host-lock]"))).click();
        wait(host).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid=meeting-locked]")));
        ChromeDriver cyd = browser(adaLocale.toLanguageTag());
        cyd.get(link);
        Browsers.askToJoin(cyd, "Cyd", PATIENCE);
        WebElement lobby = wait(cyd).until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("[data-testid=lobby-waiting]")));
        assertThat(lobby.findElement(By.cssSelector("[data-testid=lobby-room-title]")).getText()).isEqualTo("Moderated");
        wait(cyd).until(d -> d.findElement(By.cssSelector("[data-testid=lobby-preview]")).isDisplayed()
                && ((Number) ((org.openqa.selenium.JavascriptExecutor) d).executeScript(
                        "return document.querySelector('[data-testid=lobby-preview]').readyState;")).intValue() >= 2);
        wait(host).until(ExpectedConditions.elementToBeClickable(By.cssSelector("[data-testid=lobby-admit]"))).click();
        wait(cyd).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid=meeting]")));

        // End the meeting for everyone.
        wait(host).until(ExpectedConditions.elementToBeClickable(By.cssSelector("[data-testid=host-end]"))).click();
        wait(host).until(ExpectedConditions.alertIsPresent()).accept();
        WebElement ended = wait(ada).until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("[data-testid=left]")));
        assertThat(ended.getText()).contains(text("call.end.meeting-ended", adaLocale));
        assertThat(ada.findElement(By.cssSelector("[data-testid=rejoin-button]")).isDisplayed()).isFalse();
        WebElement hostEnded = wait(host).until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("[data-testid=left]")));
        assertThat(hostEnded.getText()).contains(text("call.end.endedByYou", hostLocale));
    }

    // ------------------------------------------------------------------ helpers

    private ChromeDriver browser(String language) {
        ChromeDriver browser = Browsers.chromium();
        browsers.add(browser);
        // The language switcher stores the choice in a cookie for every page after it.
        browser.get("http://localhost:" + port + "/lang?lang=" + language + "&return=/");
        return browser;
    }

    /** Opens the host menu on a participant in the list and picks a control. */
    private static void hostMenu(ChromeDriver host, String participantId, String control) {
        By item = By.cssSelector("[data-testid=participant-item][data-participant-id='" + participantId + "']");
        wait(host).until(ExpectedConditions.elementToBeClickable(
                By.cssSelector("[data-testid=participant-item][data-participant-id='" + participantId
                        + "'] [data-testid=host-menu]"))).click();
        wait(host).until(d -> d.findElement(item).findElement(By.cssSelector("[data-testid=" + control + "]"))
                .isDisplayed());
        host.findElement(item).findElement(By.cssSelector("[data-testid=" + control + "]")).click();
    }

    /** A participant's place in the queue of raised hands as the list shows it; empty when their hand is down. */
    private static String handPosition(org.openqa.selenium.WebDriver page, String participantId) {
        return page.findElement(By.cssSelector("[data-testid=participant-item][data-participant-id='" + participantId
                + "'] [data-testid=participant-hand]")).getAttribute("data-position");
    }

    private static String participantId(ChromeDriver browser) {
        return (String) browser.executeScript("return window.parleyMeeting.participantId;");
    }

    private String text(String key, Locale locale, Object... args) {
        return messages.getMessage(key, args, locale);
    }

    /** Toasts come and go while a wait reads them: a vanished one is looked for again, not an error. */
    private static WebDriverWait wait(ChromeDriver browser) {
        WebDriverWait wait = new WebDriverWait(browser, PATIENCE);
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        return wait;
    }
}
