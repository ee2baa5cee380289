package dev.parley.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Debian Chromium driven by Debian's chromedriver, so Selenium never downloads a browser. Each browser gets a
 * fresh profile, fake camera and microphone, and loopback ICE candidates (media stays on 127.0.0.1).
 */
public final class Browsers {

    public static final String CHROMIUM = env("PARLEY_CHROMIUM", "/usr/bin/chromium");
    public static final String CHROMEDRIVER = env("PARLEY_CHROMEDRIVER", "/usr/bin/chromedriver");

    private Browsers() {
    }

    public static ChromeDriver chromium() {
        return chromium(List.of());
    }

    public static ChromeDriver chromium(List<String> extraArguments) {
        if (!new File(CHROMIUM).canExecute() || !new File(CHROMEDRIVER).canExecute()) {
            throw new IllegalStateException("Browser tests need Debian's chromium and chromium-driver ("
                    + CHROMIUM + ", " + CHROMEDRIVER + "); .ci/run installs them with apt-get");
        }
        Path profile;
        try {
            profile = Files.createTempDirectory("parley-chromium-");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments(
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                "--autoplay-policy=no-user-gesture-required", "--allow-loopback-in-peer-connection",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--disable-quic", "--disable-default-apps", "--mute-audio",
                "--window-size=1280,900", "--user-data-dir=" + profile);
        options.addArguments(extraArguments);
        options.setExperimentalOption("prefs", Map.of("intl.accept_languages", "en-US,en"));
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, java.util.logging.Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        return driver;
    }

    /**
     * On a room's pre-join page already loaded: types {@code name}, joins, and waits until the meeting shows (the
     * lobby, if the room has one, is the caller's to handle before that).
     */
    public static void enterMeeting(ChromeDriver browser, String name, Duration patience) {
        askToJoin(browser, name, patience);
        new WebDriverWait(browser, patience).until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("[data-testid=meeting]")));
    }

    /**
     * On a room's pre-join page already loaded: types {@code name} and presses Join, once the page lets it; what comes
     * next (the meeting, the lobby, a refusal) is the caller's to wait for.
     */
    public static void askToJoin(ChromeDriver browser, String name, Duration patience) {
        WebDriverWait wait = new WebDriverWait(browser, patience);
        WebElement nameField = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("[data-testid=prejoin-name]")));
        nameField.clear();
        nameField.sendKeys(name);
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("[data-testid=join-button]"))).click();
    }

    /** Signs in with the sign-in form of the Parley on {@code port}, with the tests' one password. */
    public static void signIn(ChromeDriver browser, int port, String email, Duration patience) {
        browser.get("http://localhost:" + port + "/login");
        WebDriverWait wait = new WebDriverWait(browser, patience);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid=login-email]")))
                .sendKeys(email);
        browser.findElement(By.cssSelector("[data-testid=login-password]")).sendKeys(Fixtures.PASSWORD);
        browser.findElement(By.cssSelector("[data-testid=login-submit]")).click();
        wait.until(d -> !d.getCurrentUrl().contains("/login"));
    }

    /** Quits every browser, first printing its console if {@code printConsole}; one already gone is skipped. */
    public static void quitAll(List<ChromeDriver> browsers, boolean printConsole) {
        for (ChromeDriver browser : browsers) {
            try {
                if (printConsole) {
                    printConsole(browser);
                }
                browser.quit();
            } catch (RuntimeException e) {
                // the browser is gone already
            }
        }
    }

    /** Prints the browser's console log to standard output, for a failing test's report; best effort. */
    public static void printConsole(ChromeDriver browser) {
        try {
            for (LogEntry entry : browser.manage().logs().get(LogType.BROWSER)) {
                System.out.println("[browser] " + entry.getLevel() + " " + entry.getMessage());
            }
        } catch (RuntimeException e) {
            // logs are best effort
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
