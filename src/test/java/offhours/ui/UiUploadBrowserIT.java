// Needs: headless Chromium and ChromeDriver (Debian's chromium and chromium-driver; scripts/test
// installs or locates them and exports OFFHOURS_CHROMIUM and OFFHOURS_CHROMEDRIVER); no AWS
// service: the page's data is held in memory.
package offhours.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import offhours.aws.PayloadLimits;
import offhours.stack.Hosting;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebDriver;

/**
 * The page in a real browser refuses a file over the endpoint's limit, the one the page is given (the stack's: 4 MiB
 * for a serverless endpoint, else 6,291,456 bytes), and says what to do, in the words of the verdict such a file would
 * get (its size, the limit, resize or re-encode it and upload it again), while a file within the limit beside it is
 * stored. The screenshots go to target/ui-upload.png and target/ui-upload-serverless.png.
 */
class UiUploadBrowserIT {

  private static final Duration DEADLINE = Duration.ofSeconds(60);

  @TempDir
  Path files;

  @TempDir
  Path chosen;

  @Test
  void aFileOverTheEndpointsLimitIsRefusedWithWhatToDoAndTheOtherIsStored() throws Exception {
    String refusal =
        refusalOfOneOfTwo(PayloadLimits.INVOKE_ENDPOINT_BODY_BYTES, 6_300_000, "ui-upload.png");
    assertThat(refusal)
        .isEqualTo("big.png is 6.3 MB (6,300,000 bytes); the endpoint accepts at most 6.3 MB"
            + " (6,291,456 bytes): resize or re-encode it under that size and upload it again");
  }

  /**
   * The page of a stack hosted serverless (HOSTING=serverless: offhours.cli.ImageLimit gives the page that endpoint's
   * limit, ImageLimitTest) refuses a 5 MB file, which the other hostings would take, by the serverless 4 MiB.
   */
  @Test
  void onAServerlessStackAFiveMegabyteFileIsRefusedByItsFourMebibytes() throws Exception {
    String refusal = refusalOfOneOfTwo(
        Hosting.SERVERLESS.maxImageBytes(), 5_000_000, "ui-upload-serverless.png");
    assertThat(refusal)
        .isEqualTo("big.png is 5.0 MB; the endpoint accepts at most 4.2 MB: resize or re-encode it"
            + " under that size and upload it again");
  }

  /**
   * Chooses big.png of {@code bigBytes} and a small PNG on a page that refuses uploads over {@code limit}; returns
   * what the page says of the refused one, once the small one is stored. The screenshot goes to target/{@code shot}.
   */
  private String refusalOfOneOfTwo(long limit, int bigBytes, String shot) throws Exception {
    Path big = Files.write(chosen.resolve("big.png"), new byte[bigBytes]);
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
    try (UiServer server = UiServer.start(data, 0, limit, Optional.empty());
        HeadlessChromium chromium = HeadlessChromium.start(files)) {
      WebDriver page = chromium.browser;
      page.manage().window().setSize(new Dimension(1440, 1100));
      page.get(server.url().toString());

      page.findElement(By.id("files")).sendKeys(big + "\n" + small);
      HeadlessChromium.await(
          page,
          DEADLINE,
          shot.replace(".png", "-failure.png"),
          "one upload refused and one stored",
          d -> d.findElements(By.cssSelector("#uploads li.failed")).size() == 1
              && d.findElements(By.cssSelector("#uploads li.done")).size() == 1);

      String refusal =
          page.findElement(By.cssSelector("#uploads li.failed .state")).getText();
      assertThat(page.findElement(By.cssSelector("#uploads li.done .file")).getText())
          .isEqualTo("small.png");
      assertThat(stored).isEqualTo(Map.of("small.png", 4));
      HeadlessChromium.screenshot(page, shot);
      return refusal;
    }
  }
}
