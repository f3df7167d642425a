// Needs: headless Chromium and ChromeDriver (Debian's chromium and chromium-driver; scripts/test
// installs or locates them and exports OFFHOURS_CHROMIUM and OFFHOURS_CHROMEDRIVER) and
// moto_server (started by AwsServicesExtension) for SQS and DynamoDB.
package offhours.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import offhours.api.StatusView;
import offhours.aws.AwsClients.Service;
import offhours.endpoint.Backlog;
import offhours.endpoint.Decision;
import offhours.endpoint.DynamoControlTable;
import offhours.endpoint.Endpoint;
import offhours.endpoint.HandedBackWhileServing;
import offhours.endpoint.LedgerPrices;
import offhours.endpoint.Mapping;
import offhours.results.LiveSettings;
import offhours.stack.Hosting;
import offhours.stack.StackSpec;
import offhours.testing.AwsServicesExtension;
import offhours.testing.AwsServicesExtension.AwsServices;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The page of the local stack says, beside the queue's counts, that uploads are handed back while the endpoint serves
 * when the controller last saw the endpoint InService and the trigger Enabled and the queue holds delayed uploads, and
 * says nothing of it otherwise. The stack's queues and tables are on moto_server, read over the wire by the page's own
 * {@link AwsUiData}, as {@code offhours ui} reads the local stack's; the controller's last decision is recorded as its
 * runs record it ({@link DynamoControlTable#recordDecision}), and no controller runs, so each record stands while the
 * test changes the queue. An upload handed back is a delayed copy on the queue, sent here as HandBacksIT sends it. The
 * screenshot goes to target/ui-handed-back.png.
 */
@ExtendWith(AwsServicesExtension.class)
class UiHandedBackBrowserIT {

  private static final Duration DEADLINE = Duration.ofSeconds(60);

  @TempDir
  Path files;

  @Test
  void thePageSaysUploadsAreHandedBackWhileTheEndpointServesAndOnlyThen(AwsServices services)
      throws Exception {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    SqsClient sqs = services.clients().build(Service.SQS, SqsClient.builder());
    DynamoDbClient dynamo = services.clients().build(Service.DYNAMODB, DynamoDbClient.builder());
    S3Client s3 = services.clients().build(Service.S3, S3Client.builder().forcePathStyle(true));
    String queueUrl = sqs.createQueue(r -> r.queueName("ui-it-queue-" + suffix)).queueUrl();
    String dlqUrl = sqs.createQueue(r -> r.queueName("ui-it-dlq-" + suffix)).queueUrl();
    String results = "ui-it-results-" + suffix;
    String controlTable = "ui-it-control-" + suffix;
    dynamo.createTable(StackSpec.RESULTS_TABLE.createTableRequest(results));
    dynamo.createTable(StackSpec.CONTROL_TABLE.createTableRequest(controlTable));
    DynamoControlTable control = new DynamoControlTable(dynamo, controlTable);
    Instant served = Instant.now().minusSeconds(5);
    control.recordDecision(
        decision(served, Mapping.TriggerState.ENABLED, "serving"), "schedule tick");

    try (AwsUiData data = new AwsUiData(
            new AwsUiData.StackView(
                "the local stack",
                s3,
                s3,
                dynamo,
                sqs,
                "ui-it-" + suffix,
                queueUrl,
                dlqUrl,
                results,
                controlTable,
                "offhours-endpoint-" + suffix,
                Optional.empty(),
                true),
            Clock.systemUTC(),
            action -> Map.of(),
            FixedPageSettings.of(
                new AwsUiData.Pricing(
                    ZoneOffset.UTC,
                    LedgerPrices.listed(Hosting.SCHEDULED, "ml.m5.large", 1, 0.115)),
                () -> new LiveSettings(null, false, "no classification yet"),
                seen -> new StatusView.Upcoming(null, "not read here", null, "not read here")));
        UiServer server = UiServer.start(data, 0, FixedPageSettings::uploadRules);
        HeadlessChromium chromium = HeadlessChromium.start(files)) {
      WebDriver page = chromium.browser;
      page.manage().window().setSize(new Dimension(1440, 1100));
      page.get(server.url().toString());
      await(
          page,
          "the serving endpoint and an empty queue",
          d -> "IN_SERVICE".equals(pill(d).getAttribute("data-state"))
              && "ENABLED".equals(pill(d).getAttribute("data-trigger"))
              && "0".equals(d.findElement(By.id("q-delayed")).getText()));
      assertThat(handedBack(page).isDisplayed()).as("nothing delayed: no line").isFalse();

      sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody("handed back").delaySeconds(600));
      await(page, "the line of uploads handed back", d -> handedBack(d).isDisplayed());
      assertThat(handedBack(page).findElement(By.tagName("strong")).getText())
          .startsWith("handed back while the endpoint serves: 1 upload delayed with the endpoint"
              + " InService and the Classify trigger Enabled when the controller last looked (its"
              + " run at ")
          .endsWith("before the queue was read; they may have changed since): invocations are"
              + " probably failing, and each upload goes round until MaxDeferrals, then toward the"
              + " DLQ");
      assertThat(handedBack(page).findElements(By.cssSelector(".caveat")))
          .extracting(WebElement::getText)
          .containsExactly(
              "(" + HandedBackWhileServing.CAVEAT + ")",
              "Why: " + HandedBackWhileServing.where(true));
      assertThat(page.findElement(By.id("q-delayed")).getText()).isEqualTo("1");
      assertThat(delayedCounter(page).getAttribute("class")).contains("alert");
      HeadlessChromium.screenshot(page, "ui-handed-back.png");

      // The controller's next run sees the trigger paused: the delayed upload stays, but nothing
      // feeds the endpoint now, so the line goes.
      control.recordDecision(
          decision(served.plusSeconds(1), Mapping.TriggerState.DISABLED, "stopping"),
          "schedule tick");
      await(
          page,
          "the line gone with the trigger paused",
          d -> "DISABLED".equals(pill(d).getAttribute("data-trigger"))
              && !handedBack(d).isDisplayed());
      assertThat(handedBack(page).getText()).isEmpty();
      assertThat(page.findElement(By.id("q-delayed")).getText()).isEqualTo("1");
      assertThat(delayedCounter(page).getAttribute("class")).doesNotContain("alert");
    }
  }

  /** A run that saw the endpoint InService and the trigger {@code trigger}, and took no step. */
  private static Decision decision(Instant at, Mapping.TriggerState trigger, String why) {
    return new Decision(
        at,
        true,
        "inside working hours",
        Endpoint.Status.of(Endpoint.State.IN_SERVICE, null, at.minusSeconds(900), null),
        trigger,
        Backlog.Snapshot.EMPTY,
        Decision.Action.NONE,
        why,
        "ok",
        false,
        null);
  }

  private static WebElement pill(WebDriver page) {
    return page.findElement(By.id("state"));
  }

  private static WebElement handedBack(WebDriver page) {
    return page.findElement(By.id("handed-back"));
  }

  private static WebElement delayedCounter(WebDriver page) {
    return page.findElement(By.cssSelector(".counter.delayed"));
  }

  private static void await(
      WebDriver page, String what, java.util.function.Function<WebDriver, Boolean> condition) {
    HeadlessChromium.await(page, DEADLINE, "ui-handed-back-failure.png", what, condition);
  }
}
