// Needs: headless Chromium and ChromeDriver (Debian's chromium and chromium-driver; scripts/test
// installs or locates them and exports OFFHOURS_CHROMIUM and OFFHOURS_CHROMEDRIVER); no AWS
// service: the page's data is held in memory.
package offhours.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import offhours.aws.CredentialSources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;

/**
 * The page in a real browser shows the endpoint's state in its own words for the states it knows, and any other word
 * the status sends as that word, even one every object has a property for ("constructor", "__proto__"), where such a
 * word found the property and the status stopped being shown; while the stack's settings cannot be read again, it says
 * so, as text; when the stack or the page's own server does not answer, the page says which, in words and not by the
 * last state's colour, and that what it shows is from the last read, and it recovers when they answer again; a stack
 * that answers with an error is said as an error, not as unreachable; times a day or more ago read in days, a
 * result's exact time in its title, in the stack's zone. The screenshots go to target/ui-status.png,
 * target/ui-settings-note.png, target/ui-unreachable.png and target/ui-status-error.png.
 */
class UiStatusBrowserIT {

  private static final Duration DEADLINE = Duration.ofSeconds(60);

  @TempDir
  Path files;

  /** What GET /api/status answers now: the test changes it while the page polls. */
  private final AtomicReference<Map<String, Object>> status = new AtomicReference<>();

  @Test
  void aStateWordThePageDoesNotKnowShowsAsItselfEvenOneEveryObjectHas() throws Exception {
    UiData data =
        new MemoryUiData(() ->
            MemoryUiData.page(Map.of("known", false, "exact", false, "basis", "none known"))) {
          @Override
          public Map<String, Object> status() {
            return status.get();
          }
        };
    status.set(endpoint("IN_SERVICE", "first"));
    try (ServedPage served = ServedPage.open(data, files, 1440)) {
      WebDriver page = served.page;
      await(page, "a known state in the page's words", d -> pill(d).equals("Serving"));

      for (String word : new String[] {"constructor", "__proto__", "toString"}) {
        status.set(endpoint(word, "seen " + word));
        await(
            page,
            "the state " + word + " and the reason after it",
            d -> pill(d).equals(word)
                && d.findElement(By.id("reason")).getText().equals("seen " + word));
        assertThat(page.findElement(By.id("state")).getAttribute("data-state")).isEqualTo(word);
      }
      HeadlessChromium.screenshot(page, "ui-status.png");
      assertThat(HeadlessChromium.alertShown(page)).isFalse();
    }
  }

  @Test
  void whileTheStacksSettingsCannotBeReadAgainThePageSaysSoAndStillShowsTheLastGoodOnes()
      throws Exception {
    UiData data =
        new MemoryUiData(() ->
            MemoryUiData.page(Map.of("known", false, "exact", false, "basis", "none known"))) {
          @Override
          public Map<String, Object> status() {
            return status.get();
          }
        };
    String note = "The settings of stack prod could not be read again since 2026-11-25 22:01"
        + " Europe/Berlin (DescribeStacks of prod failed: Throttling: <b>Rate exceeded</b>): the"
        + " working hours, the forecast, the prices, the settings marks and the upload limit are as"
        + " read at 2026-11-25 22:00 Europe/Berlin.";
    Map<String, Object> withNote = new HashMap<>(endpoint("IN_SERVICE", "serving"));
    withNote.put(
        "schedule", Map.of("workingHours", "Mon-Fri 08:00-19:00 Europe/Berlin", "open", false));
    withNote.put("settingsNote", note);
    status.set(withNote);
    try (ServedPage served = ServedPage.open(data, files, 1440)) {
      WebDriver page = served.page;
      await(
          page,
          "the note and the working hours it is about",
          d -> d.findElement(By.id("settings-note")).isDisplayed()
              && d.findElement(By.id("hours")).getText().startsWith("Working hours: Mon-Fri"));
      assertThat(page.findElement(By.id("settings-note")).getText())
          .as("the server's words, markup as text")
          .isEqualTo(note);
      assertThat(page.findElements(By.cssSelector("#settings-note b"))).isEmpty();
      HeadlessChromium.screenshot(page, "ui-settings-note.png");

      Map<String, Object> readAgain = new HashMap<>(withNote);
      readAgain.remove("settingsNote");
      status.set(readAgain);
      await(
          page,
          "no note once a read succeeds",
          d -> !d.findElement(By.id("settings-note")).isDisplayed());
    }
  }

  @Test
  void whenTheStackOrThePagesServerDoesNotAnswerThePageSaysSoAndRecovers() throws Exception {
    AtomicReference<String> failure = new AtomicReference<>();
    AtomicReference<RuntimeException> answeredError = new AtomicReference<>();
    UiData data =
        new MemoryUiData(() ->
            MemoryUiData.page(Map.of("known", false, "exact", false, "basis", "none known"))) {
          @Override
          public Map<String, Object> status() {
            if (failure.get() != null) {
              throw new IllegalStateException(failure.get());
            }
            if (answeredError.get() != null) {
              throw answeredError.get();
            }
            return status.get();
          }
        };
    Map<String, Object> serving = new HashMap<>(endpoint("IN_SERVICE", "serving"));
    serving.put("queue", Map.of("visible", 7, "inFlight", 0, "delayed", 0));
    serving.put("observedAt", java.time.Instant.now().toString());
    status.set(serving);
    try (ServedPage served = ServedPage.open(data, files, 1440)) {
      WebDriver page = served.page;
      await(
          page,
          "serving, 7 waiting",
          d -> pill(d).equals("Serving")
              && d.findElement(By.id("q-visible")).getText().equals("7"));

      // moto_server or AWS gone: the page's server answers 502 with what the SDK said.
      failure.set("Unable to execute HTTP request: Connect to 127.0.0.1:9 failed");
      await(page, "the stack unreachable", d -> pill(d).equals("Unreachable"));
      assertThat(page.findElement(By.id("state")).getAttribute("class"))
          .as("no green dot of the last state beside 'Unreachable'")
          .doesNotContain("on");
      assertThat(page.findElement(By.id("state")).getAttribute("data-state"))
          .isEqualTo("UNREACHABLE");
      assertThat(page.findElement(By.id("reason")).getText())
          .isEqualTo("the stack did not answer: " + failure.get());
      assertThat(page.findElement(By.id("observed")).getText())
          .as("the line under the counters no longer says the queue was just read")
          .startsWith("No answer since ")
          .contains("the counts and lines above are from the last read, at ")
          .doesNotContain("queue read");
      HeadlessChromium.screenshot(page, "ui-unreachable.png");

      failure.set(null);
      await(
          page,
          "serving again once the stack answers",
          d -> pill(d).equals("Serving")
              && d.findElement(By.id("observed")).getText().contains("queue read"));
      assertThat(page.findElement(By.id("state")).getAttribute("class")).contains("on");

      // The stack answers with an error of its own: an answer, so "Error", not "Unreachable".
      answeredError.set(DynamoDbException.builder()
          .statusCode(400)
          .awsErrorDetails(AwsErrorDetails.builder()
              .serviceName("DynamoDb")
              .errorCode("ThrottlingException")
              .errorMessage("Rate exceeded")
              .build())
          .build());
      await(page, "the stack's error answer", d -> pill(d).equals("Error"));
      assertThat(page.findElement(By.id("state")).getAttribute("data-state")).isEqualTo("ERROR");
      assertThat(page.findElement(By.id("state")).getAttribute("class")).doesNotContain("on");
      assertThat(page.findElement(By.id("reason")).getText())
          .isEqualTo("the stack answered with an error (DynamoDB, ThrottlingException, HTTP 400):"
              + " 'Rate exceeded'");
      assertThat(page.findElement(By.id("observed")).getText())
          .startsWith("Answered with an error since ")
          .contains("the counts and lines above are from the last read, at ");
      HeadlessChromium.screenshot(page, "ui-status-error.png");
      answeredError.set(null);
      await(page, "serving again after the error", d -> pill(d).equals("Serving"));

      // This machine's setup stopped the read before the stack was asked: no credentials.
      SdkClientException chain = SdkClientException.create(
          "Unable to load credentials from any of the providers in the chain");
      answeredError.set(SdkClientException.create(
          chain.getMessage(), new CredentialSources.NoCredentials("work", chain)));
      await(page, "this machine's setup", d -> pill(d).equals("Setup error"));
      assertThat(page.findElement(By.id("state")).getAttribute("data-state")).isEqualTo("SETUP");
      assertThat(page.findElement(By.id("reason")).getText())
          .startsWith("this machine has no AWS credentials for the page's reads (profile work)");
      assertThat(page.findElement(By.id("observed")).getText())
          .startsWith("Not asked, for this machine's setup, since ")
          .contains("the counts and lines above are from the last read, at ");
      answeredError.set(null);
      await(page, "serving again once set up", d -> pill(d).equals("Serving"));

      // The page's own server gone (Ctrl-C, the local stack stopped): fetch gets no answer.
      served.server.close();
      await(
          page,
          "the page's server unreachable",
          d -> pill(d).equals("Unreachable")
              && d.findElement(By.id("reason"))
                  .getText()
                  .startsWith(
                      "the page could not reach offhours ui: is scripts/offhours ui still running?"));
    }
  }

  @Test
  void timesADayOrMoreAgoReadInDaysAndTheirTitleSaysTheTimeInTheStacksZone() throws Exception {
    java.time.Instant classified =
        java.time.Instant.now().minus(Duration.ofDays(3).plusHours(1));
    Map<String, Object> result =
        new HashMap<>(MemoryUiData.result("cat.png", "CLASSIFIED", null, "probabilities"));
    result.put("classifiedAt", classified.toString());
    UiData data =
        new MemoryUiData(() -> MemoryUiData.page(
            Map.of("known", false, "exact", false, "basis", "none known"), result)) {
          @Override
          public Map<String, Object> status() {
            return status.get();
          }
        };
    Map<String, Object> seen = new HashMap<>();
    seen.put("state", "ABSENT");
    seen.put("observedAt", java.time.Instant.now().minus(Duration.ofDays(2)).toString());
    Map<String, Object> withZone = new HashMap<>(endpoint("ABSENT", "off"));
    withZone.put("endpoint", seen);
    withZone.put("observedAt", java.time.Instant.now().toString());
    withZone.put("ledger", Map.of("timeZone", "Europe/Berlin"));
    status.set(withZone);
    try (ServedPage served = ServedPage.open(data, files, 1440)) {
      WebDriver page = served.page;
      await(
          page,
          "the result's card",
          d -> !d.findElements(By.cssSelector("#grid .card time")).isEmpty());
      org.openqa.selenium.WebElement when = page.findElement(By.cssSelector("#grid .card time"));
      assertThat(when.getText()).isEqualTo("3 d ago");
      assertThat(when.getAttribute("title"))
          .as("the exact time, in the stack's zone, named")
          .isEqualTo(java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
                  .format(classified.atZone(java.time.ZoneId.of("Europe/Berlin")))
              + " Europe/Berlin");
      assertThat(page.findElement(By.id("observed")).getText())
          .startsWith("Controller saw this 2 d ago; queue read ");
    }
  }

  private static Map<String, Object> endpoint(String state, String reason) {
    return Map.of(
        "endpoint",
        Map.of("state", state, "name", "offhours-endpoint", "reason", reason),
        "trigger",
        Map.of("state", "ENABLED"));
  }

  private static String pill(WebDriver page) {
    return page.findElement(By.id("state")).getText();
  }

  private static void await(
      WebDriver page, String what, java.util.function.Function<WebDriver, Boolean> condition) {
    HeadlessChromium.await(page, DEADLINE, "ui-status-failure.png", what, condition);
  }
}
