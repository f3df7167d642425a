// Needs: headless Chromium and ChromeDriver (Debian's chromium and chromium-driver; scripts/test
// installs or locates them and exports OFFHOURS_CHROMIUM and OFFHOURS_CHROMEDRIVER); no AWS
// service: the page's data is held in memory.
package offhours.ui;

import static offhours.ui.HeadlessChromium.card;
import static offhours.ui.HeadlessChromium.cards;
import static offhours.ui.MemoryUiData.page;
import static offhours.ui.MemoryUiData.result;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * The page in a real browser says what each classification's scores are, where its label and confidence are read:
 * the model's own probabilities, or a softmax offhours applied to the model's logits (GET /results' {@code scores}).
 * A word the page does not know, markup included, shows as unknown and its text only in the note's title; a verdict
 * has no scores to speak of. The screenshot goes to target/ui-scores.png.
 */
class UiScoresBrowserIT {

  private static final String MARKUP = "<img src=x onerror=alert(3)>";
  private static final Duration DEADLINE = Duration.ofSeconds(60);

  @TempDir
  Path files;

  @Test
  void eachClassificationSaysWhatItsScoresAreAndAWordThePageDoesNotKnowReadsUnknown()
      throws Exception {
    Map<String, Object> answer = page(
        Map.of("known", false, "exact", false, "basis", "none known"),
        result("cats/probabilities.png", "CLASSIFIED", "current", "probabilities"),
        result("cats/logits.png", "CLASSIFIED", "current", "logits"),
        result("cats/markup.png", "CLASSIFIED", "current", MARKUP),
        result("cats/inherited.png", "CLASSIFIED", "current", "constructor"),
        result("cats/unrecorded.png", "CLASSIFIED", "current", null),
        result("dogs/bad.png", "REJECTED", null, null));
    try (ServedPage served = ServedPage.open(new MemoryUiData(() -> answer), files, 1440)) {
      WebDriver page = served.page;
      HeadlessChromium.await(
          page, DEADLINE, "ui-scores-failure.png", "six cards", d -> cards(d).size() == 6);

      WebElement own = note(page, "cats/probabilities.png");
      assertThat(own.getText()).isEqualTo("probabilities from the model");
      assertThat(own.getAttribute("data-scores")).isEqualTo("probabilities");
      assertThat(scoreTitle(page, "cats/probabilities.png"))
          .isEqualTo("0.90 (probabilities from the model)");

      WebElement softmax = note(page, "cats/logits.png");
      assertThat(softmax.getText()).isEqualTo("softmax of the model's logits");
      assertThat(softmax.getAttribute("title"))
          .isEqualTo("The model answered logits; offhours applied a softmax to read them as"
              + " probabilities, which the model itself did not state.");
      assertThat(scoreTitle(page, "cats/logits.png"))
          .isEqualTo("0.90 (softmax of the model's logits)");

      WebElement markup = note(page, "cats/markup.png");
      assertThat(markup.getText()).isEqualTo("scores of unknown kind");
      assertThat(markup.getAttribute("data-scores")).isEqualTo("unknown");
      assertThat(markup.getAttribute("class")).isEqualTo("scores unknown");
      assertThat(markup.getAttribute("title"))
          .as("the word as text, in the title only")
          .isEqualTo("This result says its numbers are \"" + MARKUP
              + "\", which this page does not know.");
      assertThat(note(page, "cats/inherited.png").getAttribute("data-scores"))
          .as("a word that names a property every object inherits is no kind the page knows")
          .isEqualTo("unknown");
      assertThat(note(page, "cats/unrecorded.png").getAttribute("title"))
          .isEqualTo("This result does not say how its numbers were read.");
      assertThat(card(page, "dogs/bad.png").findElements(By.cssSelector(".scores")))
          .as("a verdict has no scores")
          .isEmpty();

      assertThat(page.findElements(By.cssSelector("img[src='x']")))
          .as("an <img src=x> made from a scores word")
          .isEmpty();
      assertThat(HeadlessChromium.alertShown(page)).isFalse();
      HeadlessChromium.screenshot(page, "ui-scores.png");
    }
  }

  /** The note under the labels of {@code key}'s card. */
  private static WebElement note(WebDriver page, String key) {
    return card(page, key).findElement(By.cssSelector(".labels + .scores"));
  }

  /** The title of the top label's score on {@code key}'s card. */
  private static String scoreTitle(WebDriver page, String key) {
    return card(page, key).findElement(By.cssSelector(".label.first .score")).getAttribute("title");
  }
}
