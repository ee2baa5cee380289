package dev.parley.testing;

import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** A page in a browser driven by its stable {@code data-testid}s, each step waiting up to 20 s. */
public final class TestIds {

    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private final WebDriver driver;

    public TestIds(WebDriver driver) {
        this.driver = driver;
    }

    public WebElement byTestId(String id) {
        return waiting().until(ExpectedConditions.presenceOfElementLocated(selector(id)));
    }

    public String text(String id) {
        return byTestId(id).getText();
    }

    public void type(String id, String value) {
        WebElement element = byTestId(id);
        element.clear();
        element.sendKeys(value);
    }

    public void click(String id) {
        waiting().until(ExpectedConditions.elementToBeClickable(selector(id))).click();
    }

    public WebDriverWait waiting() {
        return new WebDriverWait(driver, PATIENCE);
    }

    private static By selector(String id) {
        return By.cssSelector("[data-testid='" + id + "']");
    }
}
