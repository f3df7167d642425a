// Needs: headless Chromium and ChromeDriver (Debian's chromium and chromium-driver; scripts/test
// installs or locates them and exports OFFHOURS_CHROMIUM and OFFHOURS_CHROMEDRIVER); no AWS
// service: the page's data is held in memory.
package offhours.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * A result's key on a narrow screen, where a touch screen shows no title: it wraps, up to three lines, so a key of 60
 * characters reads whole on a card (cut on one line it showed about 30), and a tap shows a longer one whole. The
 * screenshot goes to target/ui-narrow.png.
 */
class UiNarrowBrowserIT {

  private static final Duration DEADLINE = Duration.ofSeconds(60);

  private static final String HOSTILE =
      "it's \"quoted\" & <b>bold</b> <img src=x onerror=alert(2)>.png";
  private static final String LONG = "very/long/" + "abcdefghij".repeat(30) + "/the-file.jpg";

  @TempDir
  Path files;

  @Test
  void aKeyWrapsOnANarrowScreenAndATapShowsALongOneWhole() throws Exception {
    Map<String, Object> settings = Map.of("known", false, "exact", false, "basis", "none known");
    UiData data = new MemoryUiData(() -> MemoryUiData.page(
        settings,
        MemoryUiData.result(HOSTILE, "CLASSIFIED", null, "probabilities"),
        MemoryUiData.result(LONG, "REJECTED", null, null)));
    try (ServedPage served = ServedPage.open(data, files, 390)) {
      WebDriver page = served.page;
      HeadlessChromium.await(
          page,
          DEADLINE,
          "ui-narrow-failure.png",
          "both cards",
          d -> d.findElements(By.cssSelector("#grid .card .key")).size() == 2);
      WebElement hostile = key(page, HOSTILE);
      assertThat(clipped(page, hostile))
          .as("the 60-character key, whole on its card")
          .isFalse();
      assertThat(hostile.getText()).isEqualTo(HOSTILE);

      WebElement long_ = key(page, LONG);
      assertThat(clipped(page, long_))
          .as("a 323-character key, three lines of it")
          .isTrue();
      long_.click();
      assertThat(clipped(page, long_)).as("the long key after a tap").isFalse();
      HeadlessChromium.screenshot(page, "ui-narrow.png");
      long_.click();
      assertThat(clipped(page, long_)).as("the long key after a second tap").isTrue();
      assertThat(HeadlessChromium.alertShown(page)).isFalse();
    }
  }

  private static WebElement key(WebDriver page, String key) {
    return page.findElements(By.cssSelector("#grid .card")).stream()
        .filter(c -> key.equals(c.getAttribute("data-key")))
        .findFirst()
        .orElseThrow()
        .findElement(By.className("key"));
  }

  /** Whether some of {@code key}'s text is cut off, sideways or below. */
  private static boolean clipped(WebDriver page, WebElement key) {
    return (Boolean) ((JavascriptExecutor) page)
        .executeScript(
            "const e = arguments[0];"
                + " return e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1;",
            key);
  }
}
