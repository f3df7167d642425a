package offhours.ui;

import java.io.IOException;
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
    ServedPage served;
    try {
      served = new ServedPage(
          server,
          width < PHONE_BELOW
              ? HeadlessChromium.phone(files, width)
              : HeadlessChromium.start(files));
    } catch (RuntimeException | Error e) {
      server.close();
      throw e;
    }
    if (width >= PHONE_BELOW) {
      served.page.manage().window().setSize(new Dimension(width, 1100));
    }
    served.page.get(server.url().toString());
    return served;
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
