// Needs: headless Chromium and ChromeDriver (Debian's chromium and chromium-driver; scripts/test
// installs or locates them and exports OFFHOURS_CHROMIUM and OFFHOURS_CHROMEDRIVER); no AWS
// service: the page's data is held in memory.
package offhours.ui;

import static offhours.ui.HeadlessChromium.card;
import static offhours.ui.HeadlessChromium.cards;
import static offhours.ui.MemoryUiData.page;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * The page in a real browser marks each classification with whether it was made under the model settings the stack
 * runs with now (current, older, unknown, each explained in its title), says over the results how many of those shown
 * were made under older settings and what to run, shows what they are compared with as text however it is written,
 * and makes the marks anew when the settings to compare with change. The screenshot goes to target/ui-settings.png.
 */
class UiSettingsBrowserIT {

  private static final String XSS_KEY = "<img src=x onerror=alert(1)>.png";
  private static final String BASIS =
      "compared with the model settings stack <img src=x onerror=alert(2)>\u202Eprod's parameters set";
  private static final Duration DEADLINE = Duration.ofSeconds(60);

  @TempDir
  Path files;

  /** What GET /api/results answers now: the test changes it while the page polls. */
  private final AtomicReference<Map<String, Object>> answer = new AtomicReference<>();

  @Test
  void eachClassificationIsMarkedWithItsSettingsAndThePageSaysHowManyAreOlder() throws Exception {
    answer.set(page(
        Map.of("known", true, "exact", true, "basis", BASIS),
        result("cats/current.png", "CLASSIFIED", "current"),
        result("cats/older.png", "CLASSIFIED", "changed"),
        result(XSS_KEY, "CLASSIFIED", "changed"),
        result("cats/before.png", "CLASSIFIED", "unknown"),
        result("dogs/bad.png", "REJECTED", null),
        result("cats/odd.png", "CLASSIFIED", "constructor")));
    try (ServedPage served = ServedPage.open(new MemoryUiData(answer::get), files, 1440)) {
      WebDriver page = served.page;
      await(page, "six cards", d -> cards(d).size() == 6);

      assertThat(mark(page, "cats/current.png").getText()).isEqualTo("current settings");
      assertThat(mark(page, "cats/older.png").getText()).isEqualTo("older settings");
      assertThat(mark(page, "cats/older.png").getAttribute("title"))
          .startsWith("Classified under other model settings (labels, content type, accept or"
              + " scores) than the stack runs with now")
          .contains("scripts/offhours reprocess --settings stale classifies it again.")
          .endsWith("(compared with the model settings stack <img src=x onerror=alert(2)>"
              + "\\u202eprod's parameters set)");
      assertThat(mark(page, "cats/before.png").getText()).isEqualTo("settings unknown");
      assertThat(mark(page, "cats/before.png").getAttribute("title"))
          .startsWith("Classified before offhours recorded the settings");
      assertThat(mark(page, XSS_KEY).getAttribute("data-settings")).isEqualTo("changed");
      assertThat(card(page, "dogs/bad.png").findElements(By.cssSelector(".settings")))
          .as(
              "a verdict has no settings to speak of: the server sends null (ResultItem#settingsWord)")
          .isEmpty();
      assertThat(card(page, "cats/odd.png").findElements(By.cssSelector(".settings")))
          .as(
              "a word the page does not know, even one every object has a property for, gets no mark")
          .isEmpty();

      WebElement summary = page.findElement(By.id("settings-summary"));
      assertThat(summary.isDisplayed()).isTrue();
      assertThat(page.findElement(By.id("settings-count")).getText())
          .isEqualTo("3 results shown under older settings (2 changed, 1 unknown)");
      assertThat(summary.getText())
          .contains(
              "scripts/offhours reprocess --settings stale classifies them again (it sends only these;");
      assertThat(page.findElement(By.id("settings-basis")).getText())
          .as("the basis as text, its control shown as an escape")
          .isEqualTo("Compared with the model settings stack <img src=x onerror=alert(2)>"
              + "\\u202eprod's parameters set.");
      assertThat(page.findElements(By.cssSelector("img[src='x']")))
          .as("an <img src=x> made from a key or the basis")
          .isEmpty();
      assertThat(alertShown(page)).isFalse();
      HeadlessChromium.screenshot(page, "ui-settings.png");

      // The newest classification's settings changed (the CLI's fallback): the same results now
      // compare otherwise, and the page marks them anew.
      answer.set(page(
          Map.of(
              "known", true, "exact", false, "basis", "compared with the newest classification's"),
          result("cats/current.png", "CLASSIFIED", "changed"),
          result("cats/older.png", "CLASSIFIED", "current"),
          result(XSS_KEY, "CLASSIFIED", "current"),
          result("cats/before.png", "CLASSIFIED", "unknown"),
          result("dogs/bad.png", "REJECTED", null)));
      await(
          page,
          "the marks made anew",
          d -> "older settings".equals(mark(d, "cats/current.png").getText())
              && "current settings".equals(mark(d, "cats/older.png").getText()));
      assertThat(page.findElement(By.id("settings-count")).getText())
          .isEqualTo("2 results shown under older settings (1 changed, 1 unknown)");

      // No settings known: nothing to compare with, so no marks and no summary.
      answer.set(page(
          Map.of("known", false, "exact", false, "basis", "none known"),
          result("cats/current.png", "CLASSIFIED", "unknown"),
          result("cats/older.png", "CLASSIFIED", "unknown")));
      await(
          page,
          "two cards without marks",
          d -> cards(d).size() == 2
              && d.findElements(By.cssSelector("#grid .settings")).isEmpty());
      assertThat(page.findElement(By.id("settings-summary")).isDisplayed()).isFalse();
      assertThat(alertShown(page)).isFalse();
    }
  }

  private static Map<String, Object> result(String key, String status, String settings) {
    return MemoryUiData.result(key, status, settings, "probabilities");
  }

  private static WebElement mark(WebDriver page, String key) {
    return card(page, key).findElement(By.cssSelector(".meta .settings"));
  }

  private static boolean alertShown(WebDriver page) {
    return HeadlessChromium.alertShown(page);
  }

  private static void await(
      WebDriver page, String what, java.util.function.Function<WebDriver, Boolean> condition) {
    HeadlessChromium.await(page, DEADLINE, "ui-settings-failure.png", what, condition);
  }
}
