package dev.parley.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.testing.Browsers;
import dev.parley.testing.ParleyWebTest;
import dev.parley.testing.RoomForms;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The real flow in headless Chromium: an admin creates a host; the host signs in, schedules a room and copies its
 * link; a guest in a second browser opens the link and reaches the pre-join page, and reaches it too from the start
 * page's box with the bare room code. "Meet now" takes the host straight to the pre-join page of a room open at once.
 */
@Tag("browser")
@ParleyWebTest
class SchedulingFlowBrowserTest {

    @LocalServerPort
    int port;

    ChromeDriver staff;
    ChromeDriver guest;

    @AfterEach
    void closeBrowsers() {
        if (staff != null) {
            staff.quit();
        }
        if (guest != null) {
            guest.quit();
        }
    }

    @Test
    void adminCreatesHostWhoSchedulesARoomThatAGuestOpens() {
        staff = Browsers.chromium();
        String base = "http://127.0.0.1:" + port;

        signIn(staff, base, ParleyWebTest.ADMIN_EMAIL, ParleyWebTest.ADMIN_PASSWORD);
        staff.get(base + "/admin");
        click(staff, "admin-new-user");
        type(staff, "new-user-email", "browser.host@parley.test");
        type(staff, "new-user-name", "Browser Host");
        new Select(byTestId(staff, "new-user-role")).selectByValue("HOST");
        type(staff, "new-user-password", "Juniper-Compass-Violin-12");
        click(staff, "new-user-submit");
        assertThat(text(staff, "admin-user-email")).isEqualTo("browser.host@parley.test");
        click(staff, "logout");
        wait(staff).until(ExpectedConditions.urlContains("/login?logout"));

        signIn(staff, base, "browser.host@parley.test", "Juniper-Compass-Violin-12");
        assertThat(staff.getCurrentUrl()).endsWith("/rooms");
        click(staff, "schedule-room");
        type(staff, "room-title-input", "Browser meeting");
        new Select(byTestId(staff, "room-timezone-input")).selectByValue("UTC");
        setValue(staff, "room-start-input", RoomForms.local(LocalDateTime.now(ZoneOffset.UTC).plusMinutes(2)));
        click(staff, "room-save");
        assertThat(text(staff, "flash")).contains("Room scheduled");

        click(staff, "copy-link");
        wait(staff).until(d -> !text(d, "copy-status").isBlank());
        String link = byTestId(staff, "room-link").getAttribute("value");
        assertThat(link).matches("http://127\\.0\\.0\\.1:" + port + "/r/[A-Za-z0-9_-]{22}");
        click(staff, "copy-invitation");
        wait(staff).until(d -> !text(d, "invitation-copy-status").isBlank());
        assertThat(byTestId(staff, "stream-token").getAttribute("type")).isEqualTo("password");
        click(staff, "reveal-stream-token");
        assertThat(byTestId(staff, "stream-token").getAttribute("type")).as("the token, revealed").isEqualTo("text");
        assertThat(byTestId(staff, "reveal-stream-token").getAttribute("aria-pressed")).isEqualTo("true");

        guest = Browsers.chromium();
        guest.get(link);
        WebElement name = wait(guest).until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("[data-testid=prejoin-name]")));
        assertThat(name.getAttribute("value")).isEmpty();
        assertThat(text(guest, "prejoin-title")).isEqualTo("Browser meeting");
        assertThat(byTestId(guest, "join-button").isDisplayed()).isTrue();

        // The start page's box takes the bare room code as well as the link; anything else gets a message.
        String code = link.substring(link.lastIndexOf('/') + 1);
        guest.get(base + "/");
        type(guest, "join-link-input", "not a link");
        click(guest, "join-link-submit");
        assertThat(byTestId(guest, "join-link-error").isDisplayed()).isTrue();
        type(guest, "join-link-input", code);
        click(guest, "join-link-submit");
        wait(guest).until(ExpectedConditions.urlToBe(base + "/r/" + code));
        assertThat(text(guest, "prejoin-title")).isEqualTo("Browser meeting");

        // Meet now: a room open from this minute, straight to its pre-join page, ready to join.
        staff.get(base + "/rooms");
        click(staff, "meet-now");
        wait(staff).until(ExpectedConditions.urlMatches("/r/[A-Za-z0-9_-]{22}$"));
        assertThat(text(staff, "prejoin-title")).isEqualTo("Browser Host's meeting");
        assertThat(byTestId(staff, "join-button").isDisplayed()).isTrue();

        // The admin's live view, left open, shows the meeting once the host is in it, without a reload.
        signIn(guest, base, ParleyWebTest.ADMIN_EMAIL, ParleyWebTest.ADMIN_PASSWORD);
        guest.get(base + "/admin/live");
        byTestId(guest, "live-empty");
        ((JavascriptExecutor) guest).executeScript("window.parleyStillThisPage = true;");
        Browsers.enterMeeting(staff, "Browser Host", Duration.ofSeconds(30));
        WebElement row = new WebDriverWait(guest, Duration.ofSeconds(30)).until(
                ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid=live-participant]")));
        assertThat(row.getText()).contains("Browser Host");
        assertThat(((JavascriptExecutor) guest).executeScript("return window.parleyStillThisPage === true;"))
                .as("the same page, brought up to date in place").isEqualTo(true);

        staff.get(base + "/rooms");
        assertThat(staff.findElements(By.cssSelector("[data-testid=room-item]")).stream().map(WebElement::getText))
                .anyMatch(item -> item.contains("Browser Host's meeting"));
    }

    private static void signIn(WebDriver driver, String base, String email, String password) {
        driver.get(base + "/login");
        type(driver, "login-email", email);
        type(driver, "login-password", password);
        click(driver, "login-submit");
        wait(driver).until(d -> !d.getCurrentUrl().contains("/login"));
    }

    private static WebElement byTestId(WebDriver driver, String id) {
        return wait(driver).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-testid=" + id + "]")));
    }

    private static String text(WebDriver driver, String id) {
        return byTestId(driver, id).getText();
    }

    private static void type(WebDriver driver, String id, String value) {
        WebElement element = byTestId(driver, id);
        element.clear();
        element.sendKeys(value);
    }

    private static void setValue(WebDriver driver, String id, String value) {
        ((JavascriptExecutor) driver).executeScript("arguments[0].value = arguments[1];", byTestId(driver, id), value);
    }

    private static void click(WebDriver driver, String id) {
        wait(driver).until(ExpectedConditions.elementToBeClickable(By.cssSelector("[data-testid=" + id + "]"))).click();
    }

    private static WebDriverWait wait(WebDriver driver) {
        return new WebDriverWait(driver, Duration.ofSeconds(20));
    }
}
