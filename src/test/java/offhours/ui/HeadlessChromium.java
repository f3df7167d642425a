package offhours.ui;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.remote.RemoteWebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A headless Chromium ($OFFHOURS_CHROMIUM, else /usr/bin/chromium) with its profile in a test's folder, driven as plain
 * WebDriver over ChromeDriver's HTTP port ($OFFHOURS_CHROMEDRIVER, else /usr/bin/chromedriver): ChromeDriver would
 * also open a DevTools websocket, which these tests do not need (and which waits minutes for a timeout where it cannot
 * connect). Without Chromium or ChromeDriver the test fails saying how to get them.
 */
final class HeadlessChromium implements AutoCloseable {

  private static final Path TARGET = Path.of("target").toAbsolutePath();

  final WebDriver browser;
  private final ChromeDriverService service;

  private HeadlessChromium(ChromeDriverService service, WebDriver browser) {
    this.service = service;
    this.browser = browser;
  }

  /** Starts ChromeDriver and a browser with its profile under {@code dir} and these arguments besides the usual. */
  static HeadlessChromium start(Path dir, String... arguments) {
    return start(dir, new ChromeOptions(), arguments);
  }

  /**
   * As {@link #start}, the page shown as a phone {@code width} CSS pixels wide shows it (ChromeDriver's mobile
   * emulation: a viewport that wide, touch, overlay scrollbars), which a headless window, at least 500 px wide, cannot.
   */
  static HeadlessChromium phone(Path dir, int width) {
    ChromeOptions options = new ChromeOptions();
    options.setExperimentalOption(
        "mobileEmulation",
        Map.of(
            "deviceMetrics",
            Map.of("width", width, "height", 844, "pixelRatio", 1.0, "touch", true)));
    return start(dir, options);
  }

  private static HeadlessChromium start(Path dir, ChromeOptions options, String... arguments) {
    String binary = System.getenv().getOrDefault("OFFHOURS_CHROMIUM", "/usr/bin/chromium");
    String driver = System.getenv().getOrDefault("OFFHOURS_CHROMEDRIVER", "/usr/bin/chromedriver");
    if (!Files.isExecutable(Path.of(binary)) || !Files.isExecutable(Path.of(driver))) {
      fail("headless Chromium (" + binary + ") and ChromeDriver (" + driver
          + ") are needed: run scripts/test, which"
          + " installs or locates them, or install Debian's chromium and chromium-driver");
    }
    List<String> all = new ArrayList<>(List.of(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--user-data-dir=" + dir.resolve("chromium-profile")));
    all.addAll(List.of(arguments));
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(Path.of(driver).toFile())
        .usingAnyFreePort()
        .build();
    try {
      service.start();
      return new HeadlessChromium(
          service,
          new RemoteWebDriver(service.getUrl(), options.setBinary(binary).addArguments(all)));
    } catch (IOException e) {
      service.stop();
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      service.stop();
      throw e;
    }
  }

  /** The result cards the page's grid shows. */
  static List<WebElement> cards(WebDriver page) {
    return page.findElements(By.cssSelector("#grid .card"));
  }

  /**
   * The card of {@code key}, found by its data attribute's value (compared in Java: keys may hold any character), if
   * the page shows one.
   */
  static Optional<WebElement> findCard(WebDriver page, String key) {
    return cards(page).stream()
        .filter(c -> key.equals(c.getAttribute("data-key")))
        .findFirst();
  }

  /** The card of {@code key}; fails saying so when the page shows none. */
  static WebElement card(WebDriver page, String key) {
    return findCard(page, key).orElseThrow(() -> new AssertionError("no card for " + key));
  }

  /**
   * Drops {@code files} (name to bytes, in order) on the page's drop zone at once, as a browser does: one DataTransfer
   * holding a File for each, in a drop event. Names may hold any character a browser's File takes.
   */
  static void drop(WebDriver page, Map<String, byte[]> files) {
    List<List<String>> named = files.entrySet().stream()
        .map(f -> List.of(f.getKey(), Base64.getEncoder().encodeToString(f.getValue())))
        .toList();
    ((JavascriptExecutor) page).executeScript("""
        const transfer = new DataTransfer();
        for (const [name, base64] of arguments[0]) {
          const bytes = Uint8Array.from(atob(base64), c => c.charCodeAt(0));
          transfer.items.add(new File([bytes], name, {type: 'image/png'}));
        }
        const zone = document.getElementById('drop');
        zone.dispatchEvent(new DragEvent('dragover', {dataTransfer: transfer, bubbles: true, cancelable: true}));
        zone.dispatchEvent(new DragEvent('drop', {dataTransfer: transfer, bubbles: true, cancelable: true}));
        """, named);
  }

  /** Whether {@code page} shows a JavaScript alert (what a script injected through shown data would open). */
  static boolean alertShown(WebDriver page) {
    try {
      page.switchTo().alert();
      return true;
    } catch (NoAlertPresentException e) {
      return false;
    }
  }

  /**
   * Waits up to {@code deadline} for {@code condition}, which may throw while the page is still rendering (an element
   * replaced or not there yet, an assertion not yet true); past it, saves target/{@code screenshot} and fails with
   * what the page shows.
   */
  static void await(
      WebDriver page,
      Duration deadline,
      String screenshot,
      String what,
      Function<WebDriver, Boolean> condition) {
    try {
      new WebDriverWait(page, deadline, Duration.ofMillis(200))
          .ignoring(StaleElementReferenceException.class)
          .ignoring(NoSuchElementException.class)
          .ignoring(AssertionError.class)
          .withMessage(what)
          .until(condition);
    } catch (TimeoutException e) {
      screenshot(page, screenshot);
      throw new AssertionError(
          "gave up waiting for " + what + "; the page shows: "
              + page.findElement(By.tagName("body")).getText(),
          e);
    }
  }

  /** Saves what {@code page} shows to target/{@code name}. */
  static void screenshot(WebDriver page, String name) {
    try {
      Path file = ((TakesScreenshot) page).getScreenshotAs(OutputType.FILE).toPath();
      Files.createDirectories(TARGET);
      Files.copy(file, TARGET.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      browser.quit();
    } finally {
      service.stop();
    }
  }
}
