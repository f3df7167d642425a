// Needs: headless Chromium and ChromeDriver (Debian's chromium and chromium-driver; scripts/test
// installs or locates them and exports OFFHOURS_CHROMIUM and OFFHOURS_CHROMEDRIVER); no AWS
// service: the page's data is held in memory.
package offhours.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import offhours.aws.PayloadLimits;
import offhours.stack.Hosting;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;

/**
 * The page in a real browser refuses a file over the endpoint's limit, the one its server is given (the stack's: 4 MiB
 * for a serverless endpoint, else 6,291,456 bytes), or one offhours would never classify (a .gif) or name (a control
 * character), before sending it, and says what to do in the words of the server's own refusal (its size, the limit,
 * resize or re-encode it and upload it again), while a file beside it that the server takes is stored. What the
 * browser requested is read from its Resource Timing entries: a refused file makes no POST. Where the page could not
 * learn the limit, it sends the file and the server refuses it. The screenshots go to target/ui-upload*.png.
 */
class UiUploadBrowserIT {

  private static final Duration DEADLINE = Duration.ofSeconds(60);

  /** A file name that is markup: shown as these characters, never run. */
  private static final String MARKUP = "<img src=x onerror=alert(1)> big.png";

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
   * One drop of three files on a page whose server takes at most 1,000 bytes: the two over it get their rows at once,
   * in the server's words (a name of markup shown as text), and are never sent; the one within it is stored.
   */
  @Test
  void inOneDropOnlyTheFilesOverTheLimitAreRefusedAndNeitherIsSent() throws Exception {
    Map<String, Integer> stored = new ConcurrentHashMap<>();
    Map<String, byte[]> dropped = new LinkedHashMap<>();
    dropped.put(MARKUP, new byte[1_500]);
    dropped.put("small.png", new byte[] {(byte) 0x89, 'P', 'N', 'G'});
    dropped.put("edge.png", new byte[1_001]);
    try (UiServer server =
            UiServer.start(new Storing(stored), 0, () -> new UploadRules(1_000, Optional.empty()));
        HeadlessChromium chromium = HeadlessChromium.start(files)) {
      WebDriver page = open(chromium, server);
      HeadlessChromium.drop(page, dropped);
      awaitOneStoredAnd(page, 2, "ui-upload-drop-failure.png");

      assertThat(refusals(page))
          .containsExactlyInAnyOrder(
              "edge.png is 1.0 kB (1,001 bytes); the endpoint accepts at most 1.0 kB (1,000 bytes):"
                  + " resize or re-encode it under that size and upload it again",
              MARKUP + " is 1.5 kB; the endpoint accepts at most 1.0 kB: resize or re-encode it"
                  + " under that size and upload it again");
      assertThat(page.findElements(By.cssSelector("#uploads li.refused"))).hasSize(2);
      assertThat(page.findElements(By.cssSelector("#uploads li.refused .progress")))
          .as("no progress bar for a file that is not sent")
          .isEmpty();
      assertThat(page.findElements(By.cssSelector("#uploads li img"))).isEmpty();
      assertThat(HeadlessChromium.alertShown(page)).isFalse();
      assertThat(uploadsRequested(page))
          .as("the browser sent only the file within the limit")
          .containsExactly("/api/upload?key=small.png");
      assertThat(stored).isEqualTo(Map.of("small.png", 4));
      HeadlessChromium.screenshot(page, "ui-upload-drop.png");
    }
  }

  /**
   * One drop of a .gif within the limit, a file whose name holds a control character and a good .png: the first two
   * are refused at once in the server's words (the name before anything else), neither is sent, and the .png is
   * stored. A browser's File takes such a name as it is, and so does the page: only the server refuses it.
   */
  @Test
  void inOneDropAFileThatWouldGetNoResultOrABadNameIsRefusedUnsentAndTheImageIsStored()
      throws Exception {
    Map<String, Integer> stored = new ConcurrentHashMap<>();
    Map<String, byte[]> dropped = new LinkedHashMap<>();
    dropped.put("anim.gif", new byte[] {'G', 'I', 'F', '8', '9', 'a'});
    dropped.put("bell\u0007.png", new byte[] {(byte) 0x89, 'P', 'N', 'G'});
    dropped.put("good.png", new byte[] {(byte) 0x89, 'P', 'N', 'G'});
    try (UiServer server =
            UiServer.start(new Storing(stored), 0, () -> new UploadRules(1_000, Optional.empty()));
        HeadlessChromium chromium = HeadlessChromium.start(files)) {
      WebDriver page = open(chromium, server);
      HeadlessChromium.drop(page, dropped);
      HeadlessChromium.await(
          page,
          DEADLINE,
          "ui-upload-type-failure.png",
          "two uploads refused and one stored",
          d -> d.findElements(By.cssSelector("#uploads li.done")).size() == 1
              && d.findElements(By.cssSelector("#uploads li.refused")).size() == 2);

      assertThat(refusals(page))
          .containsExactlyInAnyOrder(
              "anim.gif would never get a result: offhours classifies keys ending in .jpg, .jpeg,"
                  + " .png (any case)",
              "an object key here may not contain control characters");
      assertThat(page.findElements(By.cssSelector("#uploads li.refused .progress")))
          .as("no progress bar for a file that is not sent")
          .isEmpty();
      assertThat(page.findElement(By.cssSelector("#uploads li.done .file")).getText())
          .isEqualTo("good.png");
      assertThat(uploadsRequested(page))
          .as("the browser sent only the image")
          .containsExactly("/api/upload?key=good.png");
      assertThat(stored).isEqualTo(Map.of("good.png", 4));
      HeadlessChromium.screenshot(page, "ui-upload-type.png");
    }
  }

  /** A page that could not read GET /api/status knows no limit: it sends the file, and the server refuses it. */
  @Test
  void whenThePageCouldNotLearnTheLimitTheServerRefusesTheFile() throws Exception {
    Map<String, Integer> stored = new ConcurrentHashMap<>();
    UiData unreachable = new Storing(stored) {
      @Override
      public Map<String, Object> status() {
        throw new IllegalStateException("the stack's queue is gone");
      }
    };
    try (UiServer server =
            UiServer.start(unreachable, 0, () -> new UploadRules(1_000, Optional.empty()));
        HeadlessChromium chromium = HeadlessChromium.start(files)) {
      WebDriver page = open(chromium, server);
      HeadlessChromium.drop(
          page, Map.of("big.png", new byte[1_500], "small.png", new byte[] {1, 2, 3, 4}));
      awaitOneStoredAnd(page, 1, "ui-upload-unknown-limit-failure.png");

      assertThat(refusals(page))
          .containsExactly("big.png is 1.5 kB; the endpoint accepts at most 1.0 kB: resize or"
              + " re-encode it under that size and upload it again");
      assertThat(page.findElements(By.cssSelector("#uploads li.refused"))).isEmpty();
      assertThat(uploadsRequested(page))
          .containsExactlyInAnyOrder("/api/upload?key=big.png", "/api/upload?key=small.png");
      assertThat(stored).isEqualTo(Map.of("small.png", 4));
    }
  }

  /**
   * Chooses big.png of {@code bigBytes} and a small PNG on a page that refuses uploads over {@code limit}; returns
   * what the page says of the refused one, once the small one is stored and having checked that big.png was not
   * sent. The screenshot goes to target/{@code shot}.
   */
  private String refusalOfOneOfTwo(long limit, int bigBytes, String shot) throws Exception {
    Path big = Files.write(chosen.resolve("big.png"), new byte[bigBytes]);
    Path small = Files.write(chosen.resolve("small.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G'});
    Map<String, Integer> stored = new ConcurrentHashMap<>();
    try (UiServer server =
            UiServer.start(new Storing(stored), 0, () -> new UploadRules(limit, Optional.empty()));
        HeadlessChromium chromium = HeadlessChromium.start(files)) {
      WebDriver page = open(chromium, server);
      page.findElement(By.id("files")).sendKeys(big + "\n" + small);
      awaitOneStoredAnd(page, 1, shot.replace(".png", "-failure.png"));

      assertThat(page.findElement(By.cssSelector("#uploads li.done .file")).getText())
          .isEqualTo("small.png");
      assertThat(uploadsRequested(page)).containsExactly("/api/upload?key=small.png");
      assertThat(stored).isEqualTo(Map.of("small.png", 4));
      HeadlessChromium.screenshot(page, shot);
      return page.findElement(By.cssSelector("#uploads li.refused .state")).getText();
    }
  }

  /** The page's data in memory, keeping the size of each upload in {@code stored}. */
  private static class Storing extends MemoryUiData {
    private final Map<String, Integer> stored;

    Storing(Map<String, Integer> stored) {
      super(() -> MemoryUiData.page(Map.of("known", false, "exact", false, "basis", "none known")));
      this.stored = stored;
    }

    @Override
    public void upload(String key, byte[] bytes) {
      stored.put(key, bytes.length);
    }
  }

  /** Opens the page and waits for its first GET /api/status, answered or not: what it knows of the limit then. */
  private static WebDriver open(HeadlessChromium chromium, UiServer server) {
    WebDriver page = chromium.browser;
    page.manage().window().setSize(new Dimension(1440, 1100));
    page.get(server.url().toString());
    HeadlessChromium.await(
        page,
        DEADLINE,
        "ui-upload-status-failure.png",
        "the page's first status",
        d -> !d.findElement(By.id("state")).getText().equals("Connecting"));
    return page;
  }

  private static void awaitOneStoredAnd(WebDriver page, int refused, String shot) {
    HeadlessChromium.await(
        page,
        DEADLINE,
        shot,
        refused + " upload(s) refused, each saying why, and one stored",
        d -> d.findElements(By.cssSelector("#uploads li.done")).size() == 1
            && refusals(d).size() == refused
            && refusals(d).stream().allMatch(r -> r.contains("resize")));
  }

  /** What the failed upload rows say. */
  private static List<String> refusals(WebDriver page) {
    return page.findElements(By.cssSelector("#uploads li.failed .state")).stream()
        .map(e -> e.getText())
        .toList();
  }

  /**
   * The uploads (POST /api/upload, path and query) the browser made, from its Resource Timing entries: each request
   * an XMLHttpRequest made, whatever its answer. The page's checks (/api/upload/check) are other paths.
   */
  @SuppressWarnings("unchecked")
  private static List<String> uploadsRequested(WebDriver page) {
    return (List<String>) ((JavascriptExecutor) page).executeScript("""
        return performance.getEntriesByType('resource')
            .filter((e) => e.initiatorType === 'xmlhttprequest')
            .map((e) => new URL(e.name))
            .filter((u) => u.pathname === '/api/upload')
            .map((u) => u.pathname + u.search);
        """);
  }
}
