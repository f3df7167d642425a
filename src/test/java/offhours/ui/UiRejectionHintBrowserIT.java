// Needs: headless Chromium and ChromeDriver (Debian's chromium and chromium-driver; scripts/test
// installs or locates them and exports OFFHOURS_CHROMIUM and OFFHOURS_CHROMEDRIVER); no AWS
// service: the page's data is held in memory.
package offhours.ui;

import static offhours.ui.HeadlessChromium.card;
import static offhours.ui.HeadlessChromium.cards;
import static offhours.ui.MemoryUiData.page;
import static offhours.ui.MemoryUiData.rejected;
import static offhours.ui.MemoryUiData.result;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import offhours.results.RejectionHint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * A rejected upload's card says what to do about it, under its reason, in the words {@code offhours results} says it
 * for its kind of reason, as text that says what it is (not a colour) and wraps whole on a narrow screen; a reason of
 * no known kind, and a classification, have no such line. The screenshot goes to target/ui-hint.png.
 */
class UiRejectionHintBrowserIT {

  private static final Duration DEADLINE = Duration.ofSeconds(60);
  private static final String TOO_LARGE = "photos/2026/holiday/panorama-of-the-whole-bay.jpg";

  @TempDir
  Path files;

  @Test
  void aRejectedCardSaysWhatToDoAboutItsKindOfReasonWholeOnANarrowScreen() throws Exception {
    Map<String, Object> answer = page(
        Map.of("known", false, "exact", false, "basis", "none known"),
        rejected(
            TOO_LARGE,
            "the model refused the image as too large (status 413): image of 20000 x 20000 pixels"),
        rejected("notes/odd.png", "a reason of no known kind <b>bold</b>"),
        result("cats/chelsea.png", "CLASSIFIED", null, "probabilities"));
    try (ServedPage served = ServedPage.open(new MemoryUiData(() -> answer), files, 390)) {
      WebDriver page = served.page;
      HeadlessChromium.await(
          page, DEADLINE, "ui-hint-failure.png", "three cards", d -> cards(d).size() == 3);

      WebElement hint = card(page, TOO_LARGE).findElement(By.className("hint-text"));
      assertThat(hint.getText())
          .isEqualTo("What to do (too large): " + RejectionHint.TOO_LARGE.todo())
          .isEqualTo(
              "What to do (too large): shrink it below the limit (fewer pixels, more compression)"
                  + " and upload it again under the same key");
      assertThat(hint.findElement(By.tagName("strong")).getText()).isEqualTo("What to do");
      assertThat(card(page, TOO_LARGE).findElements(By.cssSelector(".reason-text + .hint-text")))
          .as("under the reason")
          .hasSize(1);
      assertThat(whole(page, hint))
          .as("the hint, whole and on its card at 390 px")
          .isTrue();

      assertThat(card(page, "notes/odd.png")
              .findElement(By.className("reason-text"))
              .getText())
          .isEqualTo("a reason of no known kind <b>bold</b>");
      assertThat(card(page, "notes/odd.png").findElements(By.className("hint-text")))
          .as("a reason of no known kind has no hint")
          .isEmpty();
      assertThat(card(page, "cats/chelsea.png").findElements(By.className("hint-text")))
          .as("a classification has no hint")
          .isEmpty();
      ((JavascriptExecutor) page)
          .executeScript("arguments[0].scrollIntoView({block: 'center'})", hint);
      HeadlessChromium.screenshot(page, "ui-hint.png");
    }
  }

  /** Whether all of {@code e}'s text shows: none cut off, and its box within its card's and the window's width. */
  private static boolean whole(WebDriver page, WebElement e) {
    return (Boolean) ((JavascriptExecutor) page)
        .executeScript(
            "const e = arguments[0], box = e.getBoundingClientRect();"
                + " const card = e.closest('.card').getBoundingClientRect();"
                + " return e.scrollWidth <= e.clientWidth + 1 && e.scrollHeight <= e.clientHeight + 1"
                + " && box.left >= card.left && box.right <= card.right + 0.5"
                + " && card.right <= document.documentElement.clientWidth + 0.5;",
            e);
  }
}
