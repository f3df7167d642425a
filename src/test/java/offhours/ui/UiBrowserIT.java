// Needs: headless Chromium and ChromeDriver (Debian's chromium and chromium-driver; scripts/test
// installs or locates them and exports OFFHOURS_CHROMIUM and OFFHOURS_CHROMEDRIVER), moto_server,
// Maven (scripts/offhours builds the project if needed) and node/npm for the first conversion of
// the default model into the user's cache, which this test's own cache links to (TestCaches).
package offhours.ui;

import static offhours.ui.HeadlessChromium.card;
import static offhours.ui.HeadlessChromium.cards;
import static offhours.ui.HeadlessChromium.findCard;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import offhours.testing.TestCaches;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * What a user does with {@code scripts/offhours ui} on the local stack, in a real browser: opens the printed address,
 * uploads images through the file chooser and by drag and drop, waits for their labels, filters by label, status and
 * key, reads a rejected upload's reason and what a classification's scores are, sees a key made of markup as text,
 * reads when the controller looks next, what started its last run and the wake it learned, sees each classification
 * made under the settings the stack runs with, and stops the endpoint from the page.
 * Screenshots go to target/ui-*.png.
 */
class UiBrowserIT {

  private static final Path ROOT = Path.of("").toAbsolutePath();
  private static final Path DEMO = ROOT.resolve("src/demo/images");
  private static final String XSS_KEY = "<img src=x onerror=alert(1)>.png";
  /** A right-to-left override: obeyed, this PNG's key would read "coffeegnp.jpg". */
  private static final String REORDERED_KEY = "coffee\u202Egpj.png";

  private static final Duration DEADLINE = Duration.ofSeconds(150);
  /** A phone's width, in CSS pixels. */
  private static final int PHONE = 390;

  private static final String ISO_INSTANT = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:";

  @TempDir
  Path cache;

  @TempDir
  Path files;

  @Test
  void uploadWaitFilterReadAReasonAndStopTheEndpointFromThePage() throws Exception {
    TestCaches.sharingTheDefaultModel(cache);
    List<Path> chosen = List.of(
        copy("chelsea.png", "chelsea.png"),
        copy("rocket.jpg", "rocket.jpg"),
        copy("horse.png", XSS_KEY),
        copy("notes, not a photo.png", "notes, not a photo.png"),
        copy("notes, not a photo.png", "notes.txt"));

    Run start = offhours(List.of("local", "start"));
    assertThat(start.code()).as("offhours local start:\n%s", start.output()).isZero();
    Path tokenFile = cache.resolve("local/api-token");
    assertThat(Files.getPosixFilePermissions(tokenFile))
        .as("the API token file: the user's alone")
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    String apiLine = start
        .output()
        .lines()
        .filter(l -> l.startsWith("for the HTTP API: "))
        .findFirst()
        .orElseThrow(() ->
            new AssertionError("local start printed no line for the HTTP API:\n" + start.output()))
        .substring("for the HTTP API: ".length());
    Run status = bash(apiLine);
    assertThat(status.code())
        .as("the printed line: %s\n%s", apiLine, status.output())
        .isZero();
    assertThat(status.output())
        .as("GET /status through the printed line")
        .startsWith("{\"observedAt\":")
        .contains("\"controller\":{\"lastRunAt\":")
        .contains("\"oldestWaiting\":")
        .contains("\"nextUpload\":{\"startsAt\":");
    Process ui = null;
    HeadlessChromium chromium = null;
    WebDriver browser = null;
    try {
      ProcessBuilder command = new ProcessBuilder(
              ROOT.resolve("scripts/offhours").toString(), "ui")
          .directory(ROOT.toFile())
          .redirectErrorStream(true)
          .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
      command.environment().put("OFFHOURS_CACHE", cache.toString());
      ui = command.start();
      String url = printedAddress(ui);
      assertThat(url).matches("http://127\\.0\\.0\\.1:[0-9]+/\\?token=[0-9a-f]{48}");

      chromium = HeadlessChromium.start(files);
      browser = chromium.browser;
      browser.manage().window().setSize(new Dimension(1440, 1100));
      browser.get(url);
      WebDriver page = browser;
      await(page, "the page's first status", d -> !state(d).equals("UNKNOWN"));
      String origin = url.substring(0, url.indexOf("/?token="));
      assertThat(page.getCurrentUrl())
          .as("the address once the page loaded: no token for history or session restore")
          .isEqualTo(origin + "/");
      page.navigate().refresh();
      await(
          page,
          "the status after a reload, the token kept by the tab",
          d -> !state(d).equals("UNKNOWN"));
      await(
          page,
          "what the controller does next and what started its last run",
          d -> text(d, "next").startsWith("Next look: ")
              && text(d, "started").startsWith("Started by: "));
      // As 'endpoint status' says them, from the local stack's state file and the controller's
      // state: the working hours, when an upload made now is expected, the oldest wait.
      await(
          page,
          "the working hours, an upload made now and the oldest wait",
          d -> text(d, "hours").startsWith("Working hours: ")
              && text(d, "next-upload").startsWith("An upload made now: ")
              && text(d, "oldest").startsWith("Oldest waiting upload: "));
      assertThat(text(page, "hours"))
          .as("the local stack's state file records its working hours: no note of what it lacks")
          .matches("Working hours: .+: (open|closed) now( until \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d"
              + " \\S+|, no change ahead)");
      assertThat(text(page, "next-upload"))
          .as("the forecast by the controller's policy, its times in the stack's zone")
          .matches("An upload made now: (.*result expected by \\d{4}-\\d\\d-\\d\\d"
              + " \\d\\d:\\d\\d \\S+ \\(.+\\)|nothing will start the endpoint \\(.+\\))")
          .doesNotContain("unknown: ");
      assertThat(text(page, "oldest")).matches("Oldest waiting upload: (none|at most|waiting) .+");
      // A fresh local stack is off (its start swept S3's test event off the queue); a manual start
      // brings the endpoint up before the uploads, whatever the controller's policy makes of them.
      page.findElement(By.id("start")).click();
      await(
          page,
          "the manual start recorded by the controller",
          d -> d.findElement(By.id("reason")).getText().startsWith("manual start"));
      await(
          page,
          "the manual override shown",
          d -> text(d, "override").startsWith("Manual start until "));
      // With an end, the override names its time as the controller's reason does: in the stack's
      // zone, with the zone, not the browser's "11:59:00 PM".
      // Tomorrow's 23:59, a date-time in the stack's zone: "23:59" alone would have passed in the
      // minute before midnight.
      Run until =
          offhours(List.of("endpoint", "start", "--until", LocalDate.now().plusDays(1) + "T23:59"));
      assertThat(until.code()).as("endpoint start --until:\n%s", until.output()).isZero();
      await(
          page,
          "the override's end in the controller's words",
          d -> text(d, "reason").startsWith("manual start until ")
              && text(d, "override")
                  .equals("Manual start until "
                      + text(d, "reason")
                          .replaceFirst("^manual start until (\\S+ 23:59 [^\\s;,)]+).*$", "$1")
                      + ": the controller follows it, not the schedule"));
      assertThat(page.findElement(By.id("dlq-hint")).isDisplayed())
          .as("the dead-letter hint with no dead letters")
          .isFalse();
      page.findElement(By.id("files"))
          .sendKeys(String.join("\n", chosen.stream().map(Path::toString).toList()));
      dropFile(page, REORDERED_KEY, Files.readAllBytes(DEMO.resolve("coffee.png")));
      await(
          page,
          "five uploads listed as uploaded and one refused",
          d -> d.findElements(By.cssSelector("#uploads li.done")).size() == 5
              && d.findElements(By.cssSelector("#uploads li.failed")).size() == 1);
      assertThat(page.findElement(By.cssSelector("#uploads li.failed")).getText())
          .contains("notes.txt")
          .contains("would never get a result");
      HeadlessChromium.screenshot(page, "ui-uploading.png");

      List<String> keys =
          List.of("chelsea.png", "rocket.jpg", XSS_KEY, "notes, not a photo.png", REORDERED_KEY);
      await(
          page,
          "a result on the page for each upload",
          d -> keys.stream()
              .allMatch(k -> findCard(d, k)
                  .filter(c -> !c.getAttribute("data-status").equals("WAITING"))
                  .isPresent()));
      assertThat(alertShown(page)).as("an alert: the markup key ran as HTML").isFalse();
      assertThat(page.findElements(By.cssSelector("img[src='x']")))
          .as("an <img src=x> made from a key")
          .isEmpty();
      WebElement markup = card(page, XSS_KEY);
      assertThat(markup.findElement(By.className("key")).getText()).isEqualTo(XSS_KEY);
      assertThat(markup.getAttribute("data-status")).isEqualTo("CLASSIFIED");
      assertThat(card(page, REORDERED_KEY).findElement(By.className("key")).getText())
          .as("a key's bidirectional control shown as the CLI shows it, not obeyed")
          .isEqualTo("coffee\\u202egpj.png");

      WebElement rejected = card(page, "notes, not a photo.png");
      assertThat(rejected.getAttribute("data-status")).isEqualTo("REJECTED");
      assertThat(rejected.findElement(By.className("reason-text")).getText())
          .startsWith("unsupported format")
          .contains("looks like text");
      assertThat(rejected.findElement(By.className("hint-text")).getText())
          .as("what to do, in the words 'offhours results' prints")
          .startsWith("What to do (not JPEG or PNG): ");

      WebElement cat = card(page, "chelsea.png");
      // Classified under the settings the local stack runs with, which 'ui' resolves from the
      // state file and the labels file as Classify does, not from the newest classification.
      WebElement settings = cat.findElement(By.cssSelector(".meta .settings"));
      assertThat(settings.getText()).isEqualTo("current settings");
      assertThat(settings.getAttribute("title"))
          .endsWith("(compared with the model settings the local stack runs with)");
      assertThat(page.findElement(By.id("settings-summary")).isDisplayed())
          .as("no result under older settings to speak of")
          .isFalse();
      // What its scores are, where its label and confidence are read: the local model ends in a
      // softmax, so Scores=auto reads its answer as the model's own probabilities.
      WebElement scores = cat.findElement(By.cssSelector(".labels + .scores"));
      assertThat(scores.getAttribute("data-scores")).isEqualTo("probabilities");
      assertThat(scores.getText()).isEqualTo("probabilities from the model");
      assertThat(cat.findElement(By.cssSelector(".label.first .score")).getAttribute("title"))
          .matches("[01]\\.[0-9]{2} \\(probabilities from the model\\)");
      assertThat(rejected.findElements(By.cssSelector(".scores")))
          .as("a rejected upload has no scores")
          .isEmpty();
      String label = cat.findElement(By.cssSelector(".label.first .name")).getText();
      assertThat(cat.findElements(By.cssSelector(".label"))).hasSize(3);
      await(
          page,
          "chelsea.png's thumbnail, fetched with the token in a header",
          d -> !"0"
              .equals(card(d, "chelsea.png")
                  .findElement(By.cssSelector(".thumb img"))
                  .getAttribute("naturalWidth")));
      assertThat(cat.findElement(By.cssSelector(".thumb img")).getAttribute("src"))
          .startsWith("blob:")
          .doesNotContain("token");
      await(
          page,
          "the endpoint serving (the manual start keeps it on)",
          d -> state(d).equals("IN_SERVICE")
              && "ENABLED".equals(d.findElement(By.id("state")).getAttribute("data-trigger")));
      assertThat(page.findElement(By.id("state")).getText()).isEqualTo("Serving");
      // The wake the local controller measured, CreateEndpoint to a polling trigger, is what it
      // now expects.
      await(
          page,
          "the expected wake learned from the measured wakes",
          d -> text(d, "started")
              .matches(".* · a wake takes about .+, learned from \\d+ wakes? · a stop takes .+"));
      String started = text(page, "started");
      assertThat(started)
          .matches(
              "Started by: (schedule tick|endpoint state change|manual start|timer for .+) · .+");
      assertThat(started.substring(0, started.indexOf(" · ")))
          .as("what started the run, a timer's instant in the browser's format, not ISO-8601")
          .doesNotContainPattern(ISO_INSTANT);
      WebElement next = page.findElement(By.id("next"));
      String look = next.getText();
      assertThat(look).matches("Next look: .+\\)");
      if (!next.getAttribute("data-next-run-at").isEmpty()) {
        assertThat(look.substring(0, look.indexOf(" (")))
            .as("the instant the last run asked for, in the browser's format")
            .doesNotContainPattern(ISO_INSTANT);
      }
      await(
          page,
          "today's images in the savings chart",
          d -> d.findElement(By.id("per-image")).getText().startsWith("4 images"));
      HeadlessChromium.screenshot(page, "ui.png");
      // README's screenshot: the savings panel's title and its figure read on one line.
      SavingsHead wide = savingsHead(page);
      assertThat(wide.figure())
          .as("the savings figure at 1440 px: one line of text, beside the title (%s)", wide)
          .isNotBlank();
      assertThat(wide.figureHeight())
          .as("the figure's height at 1440 px, one line of %s px (%s)", wide.lineHeight(), wide)
          .isLessThan(1.5 * wide.lineHeight());
      assertThat(wide.besideTitle())
          .as("the figure on the title's line at 1440 px (%s)", wide)
          .isTrue();
      // A phone's page, 390 px wide through Chromium's emulation of one (a headless window is at
      // least 500 px wide), in a browser of its own beside the page at 1440 px. A phone shows a
      // figure too wide for it by widening the whole page, its panel with it: the page stays the
      // phone's width.
      try (HeadlessChromium phone =
          ServedPage.showing(URI.create(url), files.resolve("phone"), PHONE)) {
        WebDriver small = phone.browser;
        await(
            small,
            "today's images and the saving in the savings panel at " + PHONE + " px",
            d -> d.findElement(By.id("per-image")).getText().startsWith("4 images")
                && !text(d, "saved").isBlank());
        SavingsHead narrow = savingsHead(small);
        assertThat(narrow.pageWidth())
            .as("the page on a %s px phone: nothing widened it (%s)", PHONE, narrow)
            .isEqualTo(PHONE);
        assertThat(narrow.panelScrollWidth())
            .as("the savings panel at %s px: nothing wider than it (%s)", PHONE, narrow)
            .isLessThanOrEqualTo(narrow.panelClientWidth());
        assertThat(
                narrow.besideTitle()
                    ? narrow.figureLeft() >= narrow.titleRight()
                    : narrow.belowTitle())
            .as("the figure at %s px beside the title or under it, not over it (%s)", PHONE, narrow)
            .isTrue();
        HeadlessChromium.screenshot(small, "ui-" + PHONE + ".png");
      }

      new Select(page.findElement(By.id("label"))).selectByValue(label);
      await(
          page,
          "only " + label + " results",
          d -> cards(d).stream()
                  .allMatch(c -> c.findElement(By.className("badge")).getText().equals(label))
              && !cards(d).isEmpty());
      assertThat(cards(page))
          .extracting(c -> c.getAttribute("data-key"))
          .contains("chelsea.png")
          .doesNotContain("notes, not a photo.png");
      new Select(page.findElement(By.id("label"))).selectByValue("");

      new Select(page.findElement(By.id("status"))).selectByValue("REJECTED");
      await(
          page,
          "only the rejected upload",
          d -> cards(d).size() == 1
              && "REJECTED".equals(cards(d).getFirst().getAttribute("data-status")));
      new Select(page.findElement(By.id("status"))).selectByValue("");

      page.findElement(By.id("search")).sendKeys("rock");
      await(
          page,
          "the search for 'rock'",
          d -> cards(d).size() == 1
              && "rocket.jpg".equals(cards(d).getFirst().getAttribute("data-key")));
      page.findElement(By.id("search")).clear();
      page.findElement(By.id("search")).sendKeys(" ");

      assertThat(page.findElements(By.cssSelector("#chart rect.on")))
          .as("a bar of endpoint time today")
          .isNotEmpty();
      // "DATE: endpoint on X h of Y h, ...": Y, today's always-on, counts from the stack's start
      // minutes ago, not from midnight.
      String today =
          page.findElements(By.cssSelector("#chart g title")).getLast().getAttribute("textContent");
      assertThat(today)
          .as("hours to two places, not 0.17194444444444446")
          .matches(".* h of [0-9]+\\.[0-9]{2} h,.*");
      assertThat(Double.parseDouble(today.replaceFirst("^.* h of ([0-9.]+) h,.*$", "$1")))
          .as(today)
          .isLessThan(1.0);
      // And the saving says from when, to the minute, in the stack's zone.
      assertThat(page.findElement(By.id("saved")).getText())
          .matches(".* saved vs always-on since .+ [0-2][0-9]:[0-5][0-9] [A-Za-z_/+-]+ · .*");

      // An upload the filter leaves out still stops waiting once its result is written.
      new Select(page.findElement(By.id("status"))).selectByValue("REJECTED");
      dropFile(page, "filtered out.png", Files.readAllBytes(DEMO.resolve("chelsea.png")));
      await(
          page,
          "the sixth upload listed as uploaded (its waiting card added with it)",
          d -> d.findElements(By.cssSelector("#uploads li.done")).size() == 6);
      await(
          page,
          "the waiting card of an upload the status filter leaves out, gone with its result",
          d -> findCard(d, "filtered out.png").isEmpty());
      assertThat(cards(page)).allMatch(c -> "REJECTED".equals(c.getAttribute("data-status")));
      new Select(page.findElement(By.id("status"))).selectByValue("");
      page.findElement(By.id("stop")).click();
      await(page, "the endpoint stopped from the page", d -> state(d).equals("ABSENT"));
      assertThat(page.findElement(By.id("state")).getText()).isEqualTo("Off");
      assertThat(page.findElement(By.id("reason")).getText()).startsWith("manual stop");
      HeadlessChromium.screenshot(page, "ui-stopped.png");
      assertThat(alertShown(page)).isFalse();
      Run stop = offhours(List.of("local", "stop"));
      assertThat(stop.code()).as("offhours local stop:\n%s", stop.output()).isZero();
      assertThat(tokenFile).as("the API token after local stop").doesNotExist();
    } finally {
      if (chromium != null) {
        chromium.close();
      }
      if (ui != null) {
        ui.destroy();
        ui.waitFor(30, TimeUnit.SECONDS);
      }
      offhours(List.of("local", "stop"));
      Files.deleteIfExists(cache.resolve("models"));
    }
  }

  private Path copy(String demo, String as) throws IOException {
    return Files.copy(DEMO.resolve(demo), files.resolve(as), StandardCopyOption.REPLACE_EXISTING);
  }

  /** Drops a file on the drop zone as a browser does. */
  private static void dropFile(WebDriver page, String name, byte[] bytes) {
    HeadlessChromium.drop(page, Map.of(name, bytes));
  }

  /**
   * Where the savings panel's title and figure are, in CSS pixels, the figure's line height, and how wide the page is
   * laid out (innerWidth).
   */
  record SavingsHead(
      String figure,
      double titleTop,
      double titleBottom,
      double titleRight,
      double figureTop,
      double figureBottom,
      double figureLeft,
      double lineHeight,
      long panelScrollWidth,
      long panelClientWidth,
      long pageWidth) {

    double figureHeight() {
      return figureBottom - figureTop;
    }

    /** Whether the figure shares a line with the title. */
    boolean besideTitle() {
      return figureTop < titleBottom && titleTop < figureBottom;
    }

    boolean belowTitle() {
      return figureTop >= titleBottom;
    }
  }

  private static SavingsHead savingsHead(WebDriver page) {
    @SuppressWarnings("unchecked")
    List<Object> m = (List<Object>) ((JavascriptExecutor) page).executeScript("""
        const t = document.querySelector('.savings h2').getBoundingClientRect();
        const f = document.getElementById('saved');
        const r = f.getBoundingClientRect();
        const p = document.querySelector('.savings');
        return [f.textContent, t.top, t.bottom, t.right, r.top, r.bottom, r.left,
            parseFloat(getComputedStyle(f).lineHeight), p.scrollWidth, p.clientWidth, innerWidth];
        """);
    return new SavingsHead(
        (String) m.get(0),
        number(m.get(1)),
        number(m.get(2)),
        number(m.get(3)),
        number(m.get(4)),
        number(m.get(5)),
        number(m.get(6)),
        number(m.get(7)),
        (long) number(m.get(8)),
        (long) number(m.get(9)),
        (long) number(m.get(10)));
  }

  private static double number(Object value) {
    return ((Number) value).doubleValue();
  }

  private static String text(WebDriver page, String id) {
    return page.findElement(By.id(id)).getText();
  }

  private static String state(WebDriver page) {
    return page.findElement(By.id("state")).getAttribute("data-state");
  }

  private static boolean alertShown(WebDriver page) {
    return HeadlessChromium.alertShown(page);
  }

  private static void await(
      WebDriver page, String what, java.util.function.Function<WebDriver, Boolean> condition) {
    HeadlessChromium.await(page, DEADLINE, "ui-failure.png", what, condition);
  }

  /** The address 'offhours ui' prints on its first line, read as it runs. */
  private static String printedAddress(Process ui) throws Exception {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(ui.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
      StringBuilder seen = new StringBuilder();
      try {
        for (String l; (l = out.readLine()) != null; ) {
          seen.append(l).append('\n');
          int at = l.indexOf("http://127.0.0.1:");
          if (l.startsWith("offhours ui for ") && at >= 0) {
            return l.substring(at).strip();
          }
        }
      } catch (IOException e) {
        seen.append(e);
      }
      throw new IllegalStateException("offhours ui printed no address:\n" + seen);
    });
    String url = line.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    CompletableFuture.runAsync(() -> out.lines().forEach(l -> {})); // keep draining its output
    return url;
  }

  private record Run(int code, String output) {}

  private Run bash(String line) throws Exception {
    return run(List.of("bash", "-c", line));
  }

  private Run offhours(List<String> args) throws Exception {
    List<String> command =
        new ArrayList<>(List.of(ROOT.resolve("scripts/offhours").toString()));
    command.addAll(args);
    return run(command);
  }

  private Run run(List<String> command) throws Exception {
    Path out = Files.createTempFile(files, "offhours", ".txt");
    ProcessBuilder pb = new ProcessBuilder(command)
        .directory(ROOT.toFile())
        .redirectErrorStream(true)
        .redirectOutput(out.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    pb.environment().putAll(Map.of("OFFHOURS_CACHE", cache.toString()));
    Process process = pb.start();
    if (!process.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail(String.join(" ", command) + " did not finish within " + DEADLINE + ":\n"
          + Files.readString(out));
    }
    return new Run(process.exitValue(), Files.readString(out));
  }
}
