// Needs: headless Chromium and ChromeDriver (Debian's chromium and chromium-driver; scripts/test
// installs or locates them and exports OFFHOURS_CHROMIUM and OFFHOURS_CHROMEDRIVER); no AWS
// service: the page's data is held in memory.
package offhours.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebDriver;

/**
 * The page in a real browser refuses a file over the endpoint's limit and says what to do, in the words of the verdict
 * such a file would get (its size, the limit, resize or re-encode it and upload it again), while a file within the
 * limit beside it is stored. The screenshot goes to target/ui-upload.png.
 */
class UiUploadBrowserIT {

  private static final Duration DEADLINE = Duration.ofSeconds(60);

  @TempDir
  Path files;

  @TempDir
  Path chosen;

  @Test
  void aFileOverTheEndpointsLimitIsRefusedWithWhatToDoAndTheOtherIsStored() throws Exception {
    Path big = Files.write(chosen.resolve("big.png"), new byte[6_300_000]);
    Path small = Files.write(chosen.resolve("small.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G'});
    Map<String, Integer> stored = new ConcurrentHashMap<>();
    UiData data =
        new MemoryUiData(() ->
            MemoryUiData.page(Map.of("known", false, "exact", false, "basis", "none known"))) {
          @Override
          public void upload(String key, byte[] bytes) {
            stored.put(key, bytes.length);
          }
        };
    try (UiServer server = UiServer.start(data, 0);
        HeadlessChromium chromium = HeadlessChromium.start(files)) {
      WebDriver page = chromium.browser;
      page.manage().window().setSize(new Dimension(1440, 1100));
      page.get(server.url().toString());

      page.findElement(By.id("files")).sendKeys(big + "\n" + small);
      HeadlessChromium.await(
          page,
          DEADLINE,
          "ui-upload-failure.png",
          "one upload refused and one stored",
          d -> d.findElements(By.cssSelector("#uploads li.failed")).size() == 1
              && d.findElements(By.cssSelector("#uploads li.done")).size() == 1);

      assertThat(page.findElement(By.cssSelector("#uploads li.failed .state")).getText())
          .isEqualTo("big.png is 6.3 MB (6,300,000 bytes); the endpoint accepts at most 6.3 MB"
              + " (6,291,456 bytes): resize or re-encode it under that size and upload it again");
      assertThat(page.findElement(By.cssSelector("#uploads li.done .file")).getText())
          .isEqualTo("small.png");
      assertThat(stored).isEqualTo(Map.of("small.png", 4));
      HeadlessChromium.screenshot(page, "ui-upload.png");
    }
  }
}
