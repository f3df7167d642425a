// Needs: headless Chromium and ChromeDriver (Debian's chromium and chromium-driver; scripts/test
// installs or locates them and exports OFFHOURS_CHROMIUM and OFFHOURS_CHROMEDRIVER); no AWS
// service: the page's data is held in memory.
package offhours.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/**
 * The page by keyboard alone: Tab reaches every control, each has a name a screen reader says (the filters had only
 * their placeholder or their first option to show what they were), and where the focus is shows, the file chooser's
 * too (its input is invisible, so its label shows it). The screenshot goes to target/ui-keyboard.png.
 */
class UiKeyboardBrowserIT {

  private static final Duration DEADLINE = Duration.ofSeconds(60);

  @TempDir
  Path files;

  @Test
  void tabReachesEveryControlWithANameAndAVisibleFocus() throws Exception {
    UiData data = new MemoryUiData(() -> MemoryUiData.page(
        Map.of("known", false, "exact", false, "basis", "none known"),
        MemoryUiData.result("cat.png", "CLASSIFIED", null, "probabilities")));
    try (ServedPage served = ServedPage.open(data, files, 1440)) {
      WebDriver page = served.page;
      HeadlessChromium.await(
          page,
          DEADLINE,
          "ui-keyboard-failure.png",
          "the status and a result shown",
          d -> d.findElement(By.id("state")).getText().equals("Off")
              && !d.findElements(By.cssSelector("#grid .card")).isEmpty());

      List<String> reached = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        new Actions(page).sendKeys(Keys.TAB).perform();
        WebElement focused = page.switchTo().activeElement();
        String id = focused.getAttribute("id");
        if (reached.contains(id)) {
          break; // round the page once
        }
        if (id == null || id.isEmpty()) {
          continue; // the document itself, between the last control and the first
        }
        reached.add(id);
        assertThat(focused.getAccessibleName())
            .as("the accessible name of #%s", id)
            .isNotBlank();
        assertThat(focusShown(page, focused))
            .as("where the focus is, on #%s or the label that stands for it", id)
            .isNotEqualTo("none");
        if (id.equals("files")) {
          HeadlessChromium.screenshot(page, "ui-keyboard.png");
        }
      }
      assertThat(reached)
          .as("the controls Tab reaches")
          .contains("start", "stop", "auto", "files", "search", "label", "status");
    }
  }

  @Test
  void aCardsKeyIsATabStopWhereEnterOrSpaceShowsItWholeAsATapDoes() throws Exception {
    String longKey = "very/long/" + "abcdefghij".repeat(30) + "/the-file.jpg";
    UiData data = new MemoryUiData(() -> MemoryUiData.page(
        Map.of("known", false, "exact", false, "basis", "none known"),
        MemoryUiData.result(longKey, "CLASSIFIED", null, "probabilities")));
    try (ServedPage served = ServedPage.open(data, files, 1440)) {
      WebDriver page = served.page;
      HeadlessChromium.await(
          page,
          DEADLINE,
          "ui-keyboard-failure.png",
          "the result shown",
          d -> !d.findElements(By.cssSelector("#grid .card .key")).isEmpty());

      WebElement key = null;
      for (int i = 0; i < 20 && key == null; i++) {
        new Actions(page).sendKeys(Keys.TAB).perform();
        WebElement focused = page.switchTo().activeElement();
        if (focused.getDomAttribute("class") != null
            && focused.getDomAttribute("class").contains("key")) {
          key = focused;
        }
      }
      assertThat(key).as("the card's key, reached with Tab").isNotNull();
      assertThat(key.getAriaRole()).isEqualTo("button");
      assertThat(key.getAccessibleName()).isEqualTo(longKey);
      assertThat(focusShown(page, key)).as("where the focus is, on the key").isNotEqualTo("none");
      assertThat(clipped(page, key)).as("three lines of the key").isTrue();
      assertThat(key.getDomAttribute("aria-expanded")).isEqualTo("false");

      new Actions(page).sendKeys(Keys.ENTER).perform();
      assertThat(clipped(page, key)).as("the key after Enter").isFalse();
      assertThat(key.getDomAttribute("aria-expanded")).isEqualTo("true");
      HeadlessChromium.screenshot(page, "ui-keyboard-key.png");
      new Actions(page).sendKeys(Keys.SPACE).perform();
      assertThat(clipped(page, key)).as("the key after Space").isTrue();
      assertThat(key.getDomAttribute("aria-expanded")).isEqualTo("false");
    }
  }

  /** Whether some of {@code key}'s text is cut off, sideways or below. */
  private static boolean clipped(WebDriver page, WebElement key) {
    return (Boolean) ((JavascriptExecutor) page)
        .executeScript(
            "const e = arguments[0];"
                + " return e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1;",
            key);
  }

  /**
   * The outline style of what shows the focus on {@code focused}: itself, or where it is too small to see or
   * transparent (the file input), the label around it.
   */
  private static String focusShown(WebDriver page, WebElement focused) {
    return (String) ((JavascriptExecutor) page)
        .executeScript(
            "const e = arguments[0]; const r = e.getBoundingClientRect();"
                + " const seen = r.width >= 4 && r.height >= 4 && getComputedStyle(e).opacity !== '0'"
                + " ? e : e.closest('label');"
                + " return seen ? getComputedStyle(seen).outlineStyle : 'none';",
            focused);
  }
}
