// Needs: headless Chromium and ChromeDriver (Debian's chromium and chromium-driver; scripts/test
// installs or locates them and exports OFFHOURS_CHROMIUM and OFFHOURS_CHROMEDRIVER); no AWS
// service: the page's data is held in memory.
package offhours.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;

/**
 * The page's layout at a desktop's 1440 px and a phone's 390 px: a status line with nothing to say takes no room (an
 * empty one left a gap between the lines that have words), and the upload list's rows keep their state words clear of
 * its scrollbar. The screenshots go to target/ui-layout-1440.png and target/ui-layout-390.png.
 */
class UiLayoutBrowserIT {

  private static final Duration DEADLINE = Duration.ofSeconds(60);

  @TempDir
  Path files;

  @Test
  void emptyStatusLinesTakeNoRoomAndTheUploadListsWordsClearItsScrollbar() throws Exception {
    UiData data =
        new MemoryUiData(() -> MemoryUiData.page(
            Map.of("known", false, "exact", false, "basis", "none known"),
            MemoryUiData.result("cat.png", "CLASSIFIED", null, "probabilities"),
            MemoryUiData.result("dog.png", "CLASSIFIED", null, "probabilities"))) {
          @Override
          public Map<String, Object> status() {
            return serving();
          }

          @Override
          public Map<String, Object> ledger(int days) {
            return MemoryUiData.fortnight();
          }
        };
    try (UiServer server = UiServer.start(data, 0, FixedPageSettings::uploadRules)) {
      for (int width : new int[] {1440, 390}) {
        try (HeadlessChromium chromium =
            ServedPage.showing(server.url(), files.resolve("w" + width), width)) {
          WebDriver page = chromium.browser;
          HeadlessChromium.await(
              page,
              DEADLINE,
              "ui-layout-failure.png",
              "the status, the chart and the results at " + width + " px",
              d -> d.findElement(By.id("state")).getText().equals("Serving")
                  && d.findElement(By.id("per-image")).getText().startsWith("560 images")
                  && d.findElements(By.cssSelector("#grid .card")).size() == 2);
          Map<String, byte[]> dropped = new LinkedHashMap<>();
          for (int i = 1; i <= 9; i++) {
            dropped.put("holiday-photo-" + i + ".png", new byte[] {(byte) 0x89, 'P', 'N', 'G'});
          }
          HeadlessChromium.drop(page, dropped);
          HeadlessChromium.await(
              page,
              DEADLINE,
              "ui-layout-failure.png",
              "nine uploads done at " + width + " px",
              d -> d.findElements(By.cssSelector("#uploads li.done")).size() == 9);
          HeadlessChromium.screenshot(page, "ui-layout-" + width + ".png");

          assertThat(page.findElement(By.id("override")).getText()).isEmpty();
          assertThat(
                  js(
                      page,
                      "return [...document.querySelectorAll('.counters > p')]"
                          + ".filter((p) => !p.textContent && p.getClientRects().length).map((p) => p.id);"))
              .as("the empty status lines that take room at %s px", width)
              .isEqualTo(List.of());
          @SuppressWarnings("unchecked")
          List<Number> gaps = (List<Number>) js(
              page,
              "const lines = [...document.querySelectorAll('.counters > p')]"
                  + ".filter((p) => p.getClientRects().length);"
                  + " return lines.slice(1).map((p, i) => p.getBoundingClientRect().top"
                  + " - lines[i].getBoundingClientRect().bottom);");
          assertThat(gaps)
              .as(
                  "the space between one status line and the next at %s px (the grid's 10 px gap and a"
                      + " line's 4 px margin)",
                  width)
              .hasSize(2)
              .allSatisfy(gap -> assertThat(gap.doubleValue()).isLessThanOrEqualTo(14.5));

          assertThat(
                  (Boolean)
                      js(
                          page,
                          "const l = document.getElementById('uploads'); return l.scrollHeight > l.clientHeight;"))
              .as("the upload list scrolls at %s px", width)
              .isTrue();
          @SuppressWarnings("unchecked")
          List<Number> clear = (List<Number>)
              js(
                  page,
                  "const l = document.getElementById('uploads');"
                      + " const edge = l.getBoundingClientRect().left + l.clientLeft + l.clientWidth;"
                      + " return [...l.querySelectorAll('.state')].map((s) => edge - s.getBoundingClientRect().right);");
          assertThat(clear)
              .as(
                  "how far each row's state word ends before the list's scrollbar, or its edge where the"
                      + " scrollbar overlays the list, at %s px",
                  width)
              .hasSize(9)
              .allSatisfy(px -> assertThat(px.doubleValue()).isGreaterThanOrEqualTo(8));
          if (width < ServedPage.PHONE_BELOW) {
            js(page, "document.getElementById('drop').scrollIntoView()");
            HeadlessChromium.screenshot(page, "ui-layout-" + width + "-uploads.png");
          }
        }
      }
    }
  }

  /** An endpoint serving, its queue, the next look; no override, no settings note, no upload waiting. */
  private static Map<String, Object> serving() {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("observedAt", Instant.now().toString());
    s.put(
        "endpoint",
        Map.of(
            "state", "IN_SERVICE",
            "name", "offhours-endpoint",
            "reason", "working hours",
            "why", "inside working hours Mon-Fri 08:00-19:00",
            "outcome", "ok",
            "observedAt", Instant.now().toString()));
    s.put("trigger", Map.of("state", "ENABLED"));
    s.put("queue", Map.of("visible", 3, "inFlight", 1, "delayed", 0));
    s.put("deadLetterQueue", Map.of("messages", 0));
    s.put(
        "controller",
        Map.of(
            "nextRunAt", Instant.now().plusSeconds(60).toString(), "nextRun", "its minute timer"));
    s.put("ledger", Map.of("timeZone", "Europe/Berlin"));
    return s;
  }

  private static Object js(WebDriver page, String script) {
    return ((JavascriptExecutor) page).executeScript(script);
  }
}
