// Needs: headless Chromium and ChromeDriver (Debian's chromium and chromium-driver; scripts/test
// installs or locates them and exports OFFHOURS_CHROMIUM and OFFHOURS_CHROMEDRIVER); no AWS
// service: the page's data is held in memory.
package offhours.ui;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import offhours.aws.PayloadLimits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

/**
 * The savings chart's sums under it count the day's images in words that fit the number: a stack's first upload reads
 * "1 image", not "1 images". The screenshot goes to target/ui-ledger.png.
 */
class UiLedgerBrowserIT {

  private static final Duration DEADLINE = Duration.ofSeconds(60);

  @TempDir
  Path files;

  /** How many images today's ledger row counts: the test changes it between page loads. */
  private final AtomicInteger images = new AtomicInteger();

  @Test
  void oneImageIsCountedInTheSingular() throws Exception {
    UiData data =
        new MemoryUiData(() ->
            MemoryUiData.page(Map.of("known", false, "exact", false, "basis", "none known"))) {
          @Override
          public Map<String, Object> ledger(int days) {
            String today = LocalDate.now().toString();
            return Map.of(
                "since",
                today,
                "days",
                List.of(Map.of(
                    "date", today,
                    "endpointHours", 0.01,
                    "images", images.get(),
                    "costUsd", 0.001,
                    "alwaysOnHours", 1.0,
                    "alwaysOnCostUsd", 0.115)));
          }
        };
    try (UiServer server = UiServer.start(
            data,
            0,
            () -> new UploadRules(PayloadLimits.INVOKE_ENDPOINT_BODY_BYTES, Optional.empty()));
        HeadlessChromium chromium = HeadlessChromium.start(files)) {
      WebDriver page = chromium.browser;
      for (int n : new int[] {1, 2, 0}) {
        images.set(n);
        page.get(server.url().toString());
        String expected = n + (n == 1 ? " image · " : " images · ");
        await(
            page,
            "the sums start with '" + expected + "'",
            d -> d.findElement(By.id("per-image")).getText().startsWith(expected));
      }
      HeadlessChromium.screenshot(page, "ui-ledger.png");
    }
  }

  private static void await(
      WebDriver page, String what, java.util.function.Function<WebDriver, Boolean> condition) {
    HeadlessChromium.await(page, DEADLINE, "ui-ledger-failure.png", what, condition);
  }
}
