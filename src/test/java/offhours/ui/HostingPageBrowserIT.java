// Needs: headless Chromium and ChromeDriver (Debian's chromium and chromium-driver; scripts/test
// installs or locates
// them and exports OFFHOURS_CHROMIUM and OFFHOURS_CHROMEDRIVER) and Maven (scripts/offhours builds
// if needed).
package offhours.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * {@code scripts/offhours simulate --html FILE} writes a page that really draws in a headless browser with the
 * network off: the options table, each option's billed bands on the timeline, the backlog, and the savings curve with
 * one point per budget. The screenshot goes to target/hosting-page.png.
 */
class HostingPageBrowserIT {

  private static final Path ROOT = Path.of("").toAbsolutePath();

  @TempDir
  Path files;

  @Test
  void theSimulatedWeekPageDrawsItsTimelineAndItsCurveWithoutTheNetwork() throws Exception {
    Path page = files.resolve("week <1>.html");
    Process p = new ProcessBuilder(
            ROOT.resolve("scripts/offhours").toString(), "simulate", "--html", page.toString())
        .directory(ROOT.toFile())
        .redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
        .start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as(output).isZero();
    assertThat(output).contains("wrote " + page);
    String html = Files.readString(page);
    assertThat(html).doesNotContain("<script", "http://", "src=");

    try (HeadlessChromium chromium =
        HeadlessChromium.start(files, "--proxy-server=127.0.0.1:9", "--window-size=1200,1400")) {
      WebDriver browser = chromium.browser;
      browser.manage().window().setSize(new Dimension(1200, 1400));
      browser.get(page.toUri().toString());

      assertThat(browser.getTitle()).isEqualTo("offhours: hosting options on 'office-hours'");
      assertThat(browser.findElements(By.cssSelector("#options tr"))).hasSize(10);
      WebElement timeline = browser.findElement(By.id("timeline"));
      assertThat(timeline.getRect().getWidth()).isGreaterThan(800);
      List<WebElement> options = browser.findElements(By.cssSelector("#timeline g.option"));
      assertThat(options)
          .extracting(o -> o.getAttribute("data-option"))
          .containsExactly(
              "always on",
              "seed's UTC cron",
              "offhours working hours",
              "offhours, budget 60 min",
              "offhours scale-to-zero, budget 60 min",
              "scale-to-zero",
              "serverless",
              "asynchronous",
              "batch transform");
      for (WebElement o : options) {
        String name = o.getAttribute("data-option");
        if (name.equals("serverless")) {
          assertThat(o.getText()).contains("billed per request");
        } else {
          List<WebElement> bands = o.findElements(By.cssSelector("rect.band"));
          assertThat(bands).as(name).isNotEmpty();
          assertThat(bands.getFirst().getRect().getWidth()).as(name).isPositive();
        }
      }
      assertThat(browser.findElements(By.cssSelector("#timeline rect.up")).size())
          .isGreaterThan(10);
      assertThat(browser
              .findElement(By.cssSelector("#timeline path.backlog"))
              .getRect()
              .getHeight())
          .isPositive();
      List<WebElement> points = browser.findElements(By.cssSelector("#savings-curve circle.point"));
      assertThat(points).hasSize(6);
      assertThat(browser.findElement(By.id("savings-curve")).getText())
          .contains("15 min", "next-opening", "by working hours alone");
      HeadlessChromium.screenshot(browser, "hosting-page.png");
    }
  }
}
