package offhours.cli;

import static offhours.endpoint.ControlStateBuilder.controlState;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Map;
import java.util.Optional;
import offhours.endpoint.DynamoControlTable;
import offhours.testing.FakeDynamoDb;
import offhours.testing.MutableClock;
import offhours.testing.QueueAttributesSqs;
import offhours.ui.AwsUiData;
import offhours.ui.Refreshed;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;
import software.amazon.awssdk.services.cloudformation.model.DescribeStacksRequest;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The page of {@code offhours ui} on a deployed stack says the stack's settings as they are now, not as they were when
 * it started: after a {@code sam deploy} with other WorkingHours and MaxWaitMinutes, its status says the new ones once
 * a minute has passed; a read that fails leaves the last good ones, with a line that says so. Its DescribeStacks is a
 * fake CloudFormation's; time is the test's clock, moved by hand.
 */
class UiSettingsRefreshTest {

  /** A Wednesday, 22:00 in Berlin: outside working hours. */
  private static final Instant NOW = Instant.parse("2026-11-25T21:00:00Z");

  private static final Map<String, String> PARAMETERS = DeployedParameters.PROD;

  private final MutableClock clock = new MutableClock(NOW);
  /** DescribeStacks of stack prod: its parameters as deployed now. */
  private final DeployedParameters cloudFormation = new DeployedParameters(PARAMETERS);

  @Test
  void afterAnUpdateOfTheStackThePageSaysItsNewSettingsOnceAMinuteHasPassed() {
    AwsUiData page = page();
    Map<String, Object> before = page.status();
    assertThat(workingHours(before)).isEqualTo("Mon-Fri 08:00-19:00 Europe/Berlin");
    assertThat(reason(before)).contains("(MAX_WAIT_MINUTES=60 min)");

    // sam deploy --parameter-overrides WorkingHours="Mon-Sat 07:00-20:00" MaxWaitMinutes=15
    cloudFormation.deployed.put("WorkingHours", "Mon-Sat 07:00-20:00");
    cloudFormation.deployed.put("MaxWaitMinutes", "15");
    clock.advance(UiCommand.SETTINGS_TTL.minusSeconds(1));
    for (int poll = 0; poll < 30; poll++) {
      assertThat(workingHours(page.status())).isEqualTo("Mon-Fri 08:00-19:00 Europe/Berlin");
    }
    assertThat(cloudFormation.described)
        .as("no DescribeStacks within the minute")
        .isEmpty();

    clock.advance(Duration.ofSeconds(1));
    Map<String, Object> after = page.status();

    assertThat(workingHours(after)).isEqualTo("Mon-Sat 07:00-20:00 Europe/Berlin");
    assertThat(reason(after)).contains("(MAX_WAIT_MINUTES=15 min)");
    assertThat(after)
        .doesNotContainKey("settingsNote")
        .containsEntry("settingsReadAt", clock.now());
    assertThat(cloudFormation.described)
        .singleElement()
        .extracting(DescribeStacksRequest::stackName)
        .isEqualTo("prod");
  }

  @Test
  void aReadThatFailsLeavesTheLastGoodSettingsAndThePageSaysSinceWhenAndWhy() {
    AwsUiData page = page();
    Map<String, Object> before = page.status();
    cloudFormation.failWith = CloudFormationException.builder()
        .statusCode(400)
        .awsErrorDetails(AwsErrorDetails.builder()
            .errorCode("Throttling")
            .errorMessage("Rate exceeded")
            .build())
        .build();
    cloudFormation.deployed.put("WorkingHours", "Mon-Sat 07:00-20:00");

    clock.advance(UiCommand.SETTINGS_TTL);
    Map<String, Object> throttled = page.status();

    assertThat(throttled.get("schedule")).isEqualTo(before.get("schedule"));
    assertThat(throttled.get("nextUpload")).isEqualTo(before.get("nextUpload"));
    assertThat(throttled)
        .containsEntry("settingsReadAt", NOW)
        .containsEntry(
            "settingsNote",
            "The settings of stack prod could not be read again since 2026-11-25 22:01"
                + " Europe/Berlin (DescribeStacks of prod failed: Throttling: Rate exceeded):"
                + " the working hours, the forecast, the prices, the settings marks and the upload"
                + " limit are as read at 2026-11-25 22:00 Europe/Berlin.");

    cloudFormation.failWith = null;
    clock.advance(UiCommand.SETTINGS_TTL);
    Map<String, Object> again = page.status();

    assertThat(workingHours(again)).isEqualTo("Mon-Sat 07:00-20:00 Europe/Berlin");
    assertThat(again).doesNotContainKey("settingsNote");
  }

  @Test
  void aStackDeletedSinceIsSaidInTheNoteAndTheLastSettingsStay() {
    AwsUiData page = page();
    cloudFormation.failWith = CloudFormationException.builder()
        .statusCode(400)
        .awsErrorDetails(AwsErrorDetails.builder()
            .errorCode("ValidationError")
            .errorMessage("Stack with id prod does not exist")
            .build())
        .build();

    clock.advance(UiCommand.SETTINGS_TTL);
    Map<String, Object> status = page.status();

    assertThat(workingHours(status)).isEqualTo("Mon-Fri 08:00-19:00 Europe/Berlin");
    assertThat((String) status.get("settingsNote"))
        .contains("(DescribeStacks of prod failed: ValidationError: Stack with id prod does not"
            + " exist)");
  }

  /** The page of stack prod as {@code ui --stack prod} makes it, started at NOW, three uploads waiting. */
  private AwsUiData page() {
    FakeDynamoDb dynamo = new FakeDynamoDb();
    new DynamoControlTable(dynamo, "control")
        .save(
            controlState()
                .lastRun(NOW.minusSeconds(30), false)
                .backlogSince(Instant.parse("2026-11-25T20:40:00Z"))
                .build(),
            0);
    QueueAttributesSqs sqs = new QueueAttributesSqs(new ArrayList<>());
    sqs.attributes = Map.of(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "3");
    AwsUiData.StackView view = new AwsUiData.StackView(
        "stack prod",
        null,
        null,
        dynamo,
        sqs,
        "b",
        "q",
        "dlq",
        "results",
        "control",
        "e",
        Optional.empty(),
        false);
    Target target = TestTargets.deployed(Map.of(), PARAMETERS);
    Invocation call = call();
    StackSettingsReader reader = StackSettingsReader.deployed(target, "prod", cloudFormation);
    Refreshed<AwsUiData.PageSettings> settings = UiCommand.settings(call, target, view, reader);
    return new AwsUiData(view, clock, action -> Map.of(), settings::get);
  }

  private Invocation call() {
    return CliRun.quietCall(Path.of("unused"), clock, Map.of());
  }

  @SuppressWarnings("unchecked")
  private static String workingHours(Map<String, Object> status) {
    return (String) ((Map<String, Object>) status.get("schedule")).get("workingHours");
  }

  @SuppressWarnings("unchecked")
  private static String reason(Map<String, Object> status) {
    return (String) ((Map<String, Object>) status.get("nextUpload")).get("reason");
  }
}
