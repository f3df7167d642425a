package offhours.ui;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebDriver;

/**
 * The page of a {@link UiServer} over a test's data, on a free port with InvokeEndpoint's upload limit, open in
 * headless Chromium at a window {@code width} wide, or, under {@link #PHONE_BELOW}, shown as a phone that wide shows it
 * ({@link HeadlessChromium#phone}); closing it closes the browser, then the server.
 */
final class ServedPage implements AutoCloseable {

  final UiServer server;
  final WebDriver page;
  private final HeadlessChromium chromium;

  private ServedPage(UiServer server, HeadlessChromium chromium) {
    this.server = server;
    this.chromium = chromium;
    this.page = chromium.browser;
  }

  /** Headless Chromium's window is at least this wide: a narrower page is a phone's, emulated. */
  static final int PHONE_BELOW = 500;

  static ServedPage open(UiData data, Path files, int width) throws IOException {
    UiServer server = UiServer.start(data, 0, FixedPageSettings::uploadRules);
    try {
      return new ServedPage(server, showing(server.url(), files, width));
    } catch (RuntimeException | Error e) {
      server.close();
      throw e;
    }
  }

  /**
   * Headless Chromium showing {@code url} at {@code width} as {@link #open} shows a page: in a window that wide, or
   * under {@link #PHONE_BELOW} as a phone; for a test that shows one server's page at several widths.
   */
  static HeadlessChromium showing(URI url, Path files, int width) {
    HeadlessChromium chromium =
        width < PHONE_BELOW ? HeadlessChromium.phone(files, width) : HeadlessChromium.start(files);
    try {
      if (width >= PHONE_BELOW) {
        chromium.browser.manage().window().setSize(new Dimension(width, 1100));
      }
      chromium.browser.get(url.toString());
      return chromium;
    } catch (RuntimeException | Error e) {
      chromium.close();
      throw e;
    }
  }

  @Override
  public void close() {
    try {
      chromium.close();
    } finally {
      server.close();
    }
  }
}
