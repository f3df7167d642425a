// Needs: headless Chromium and ChromeDriver (Debian's chromium and chromium-driver; scripts/test
// installs or locates them and exports OFFHOURS_CHROMIUM and OFFHOURS_CHROMEDRIVER); no AWS
// service: the page's data is held in memory.
package offhours.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

/**
 * The savings chart's sums under it count the day's images in words that fit the number: a stack's first upload reads
 * "1 image", not "1 images"; the chart is drawn at the width it is shown at, so its text is as large on a phone, and
 * its dates do not run into each other. The screenshots go to target/ui-ledger*.png.
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
    try (UiServer server = UiServer.start(data, 0, FixedPageSettings::uploadRules);
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

  /** A stack created after now by this machine's clock: the line under the chart says what the ledger says. */
  @Test
  void aLedgerWithNothingToCompareYetSaysSoUnderTheChart() throws Exception {
    String nothingYet = "nothing to compare yet: stack prod was created at 2026-11-25 13:00:03"
        + " Europe/Paris, not before now by this machine's clock (2026-11-25 13:00:02)";
    UiData data =
        new MemoryUiData(() ->
            MemoryUiData.page(Map.of("known", false, "exact", false, "basis", "none known"))) {
          @Override
          public Map<String, Object> ledger(int days) {
            String today = LocalDate.now().toString();
            return Map.of(
                "since",
                today,
                "sinceTime",
                "13:00",
                "nothingYet",
                nothingYet,
                "days",
                List.of(Map.of(
                    "date", today,
                    "endpointHours", 0.5,
                    "images", 0,
                    "costUsd", 0.05,
                    "alwaysOnHours", 0.0,
                    "alwaysOnCostUsd", 0.0)));
          }
        };
    try (UiServer server = UiServer.start(data, 0, FixedPageSettings::uploadRules);
        HeadlessChromium chromium = HeadlessChromium.start(files)) {
      WebDriver page = chromium.browser;
      page.get(server.url().toString());
      await(
          page,
          "the line under the chart says there is nothing to compare yet",
          d -> d.findElement(By.id("saved")).getText().equals(nothingYet));
    }
  }

  @Test
  void theChartIsDrawnAtTheWidthItIsShownAtItsDatesApart() throws Exception {
    UiData data =
        new MemoryUiData(() ->
            MemoryUiData.page(Map.of("known", false, "exact", false, "basis", "none known"))) {
          @Override
          public Map<String, Object> ledger(int days) {
            return MemoryUiData.fortnight();
          }
        };
    try (UiServer server = UiServer.start(data, 0, FixedPageSettings::uploadRules)) {
      for (int width : new int[] {390, 1440}) {
        try (HeadlessChromium chromium =
            ServedPage.showing(server.url(), files.resolve("w" + width), width)) {
          WebDriver page = chromium.browser;
          await(
              page,
              "the chart drawn at " + width + " px",
              d -> d.findElement(By.id("per-image")).getText().startsWith("560 images")
                  && ((Number) js(d, "return document.getElementById('chart').getScreenCTM().a"))
                          .doubleValue()
                      > 0);
          assertThat(((Number) js(page, "return document.getElementById('chart').getScreenCTM().a"))
                  .doubleValue())
              .as("the chart's scale at %s px: its 10 px text drawn 10 px high", width)
              .isCloseTo(1.0, org.assertj.core.data.Offset.offset(0.02));
          @SuppressWarnings("unchecked")
          List<Number> dates = (List<Number>)
              js(
                  page,
                  "return [...document.querySelectorAll('#chart text.tick')]"
                      + ".filter((t) => !t.textContent.endsWith('h'))"
                      + ".flatMap((t) => { const r = t.getBoundingClientRect(); return [r.left, r.right]; });");
          assertThat(dates).as("the dates under the bars at %s px", width).isNotEmpty();
          for (int i = 2; i < dates.size(); i += 2) {
            assertThat(dates.get(i).doubleValue())
                .as(
                    "date %s starts after the one before it ends, at %s px: %s",
                    i / 2, width, dates)
                .isGreaterThan(dates.get(i - 1).doubleValue());
          }
          assertThat(page.findElement(By.cssSelector(".legend")).getText())
              .as("the legend says what the number over a bar counts")
              .contains("over a bar: images that day");
          assertThat(page.findElement(By.id("observed")).getText())
              .as("this status has no read times: no dangling 'queue read' without one")
              .isEqualTo("The controller has not run yet");
          HeadlessChromium.screenshot(page, "ui-ledger-" + width + ".png");
        }
      }
    }
  }

  @Test
  void eachDaysNumbersAreATableAScreenReaderReadsItsTextAsText() throws Exception {
    String hostile = "2026-12-05<img src=x onerror=alert(3)>";
    UiData data =
        new MemoryUiData(() ->
            MemoryUiData.page(Map.of("known", false, "exact", false, "basis", "none known"))) {
          @Override
          public Map<String, Object> ledger(int days) {
            return Map.of(
                "since",
                "2026-12-05",
                "days",
                List.of(
                    day(hostile, 2.0, 40, 24.0, 92.0),
                    day(LocalDate.now().toString(), 0.5, 1, 10.25, 95.1)));
          }
        };
    try (ServedPage served = ServedPage.open(data, files, 1440)) {
      WebDriver page = served.page;
      await(
          page,
          "the sums",
          d -> d.findElement(By.id("per-image")).getText().startsWith("41 images"));

      assertThat(page.findElement(By.id("chart")).getDomAttribute("aria-describedby"))
          .as("the chart's description")
          .isEqualTo("chart-days");
      org.openqa.selenium.WebElement table = page.findElement(By.id("chart-days"));
      assertThat(table.getAriaRole()).as("a table to assistive technology").isEqualTo("table");
      assertThat(table.getAccessibleName()).isEqualTo("The chart's days");
      assertThat(js(
              page,
              "const r = document.getElementById('chart-days').parentElement.getBoundingClientRect();"
                  + " const page = document.documentElement;"
                  + " return [r.width, r.height, getComputedStyle(page.querySelector('#chart-days').parentElement)"
                  + ".overflow, page.scrollWidth <= page.clientWidth];"))
          .as("not shown on the page: in a box of 1 px that clips it, the page no wider for it")
          .isEqualTo(List.of(1L, 1L, "hidden", true));
      assertThat(js(
              page,
              "return [...document.querySelectorAll('#chart-days tr')]"
                  + ".map((r) => [...r.cells].map((c) => c.textContent));"))
          .isEqualTo(List.of(
              List.of("Day", "Endpoint on", "Always on", "Images", "Cost", "Per image", "Saved"),
              List.of(hostile, "2.00 h", "24 h", "40", "$0.02", "$0.0005", "92%"),
              List.of(
                  LocalDate.now().toString(), "0.50 h", "10.25 h", "1", "$0.02", "$0.02", "95%")));
      assertThat(HeadlessChromium.alertShown(page)).isFalse();
      HeadlessChromium.screenshot(page, "ui-ledger-table.png");
    }
  }

  private static Map<String, Object> day(
      String date, double endpointHours, int images, double alwaysOnHours, double savedPercent) {
    return Map.of(
        "date", date,
        "endpointHours", endpointHours,
        "images", images,
        "costUsd", 0.02,
        "costPerImageUsd", 0.02 / images,
        "alwaysOnHours", alwaysOnHours,
        "alwaysOnCostUsd", 2.76,
        "savedPercent", savedPercent);
  }

  private static Object js(WebDriver page, String script) {
    return ((org.openqa.selenium.JavascriptExecutor) page).executeScript(script);
  }

  private static void await(
      WebDriver page, String what, java.util.function.Function<WebDriver, Boolean> condition) {
    HeadlessChromium.await(page, DEADLINE, "ui-ledger-failure.png", what, condition);
  }
}
