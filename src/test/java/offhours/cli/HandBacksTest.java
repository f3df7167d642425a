package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.lambda.model.GetEventSourceMappingResponse;
import software.amazon.awssdk.services.sagemaker.model.DescribeEndpointResponse;

class HandBacksTest {

  private static final String SAYS = "handed back while the endpoint serves: ";

  @Test
  void delayedUploadsBesideAServingEndpointAndAnEnabledTriggerSayInvocationsFail() {
    HandBacks failing = new HandBacks("InService", "Enabled", 3, false);

    assertThat(failing.whileServing()).isTrue();
    assertThat(failing.line())
        .hasValue(SAYS + "3 uploads delayed with the endpoint InService and the Classify trigger"
            + " Enabled: invocations are probably failing, and each upload goes round until"
            + " MaxDeferrals, then toward the DLQ (inferred from the counts: a busy endpoint's"
            + " throttles are handed back too, and a copy waits DeferSeconds, so one may date from"
            + " a moment of outage). Why: the Classify function's log group (Logs Insights: filter"
            + " outcome = 'DEFERRED'), each DEFERRED line's records[].detail; 'offhours dlq show"
            + " ID' for one that reached the DLQ (offhours-deferral-reason)");
  }

  @Test
  void theLocalStackIsToldToReadItsStackLog() {
    assertThat(new HandBacks("InService", "Enabled", 1, true).line().orElseThrow())
        .contains(SAYS + "1 upload delayed")
        .contains(
            "Why: the Classify function's log, local/logs/stack.log under the cache directory")
        .doesNotContain("Logs Insights");
  }

  @Test
  void noOtherStateSaysIt() {
    for (HandBacks quiet : new HandBacks[] {
      new HandBacks("Creating", "Enabled", 3, false),
      new HandBacks("Updating", "Enabled", 3, false),
      new HandBacks(null, "Disabled", 3, false), // absent: off hours
      new HandBacks("InService", "Disabled", 3, false),
      new HandBacks("InService", "Enabling", 3, false),
      new HandBacks("InService", null, 3, false),
      new HandBacks("InService", "Enabled", 0, false),
      new HandBacks("InService", "Enabled", -1, false), // no queue
    }) {
      assertThat(quiet.whileServing()).as(quiet.toString()).isFalse();
      assertThat(quiet.line()).as(quiet.toString()).isEmpty();
      ObjectNode json = Json.object();
      quiet.putJson(json);
      assertThat(json.get("handedBack").isNull()).as(quiet.toString()).isTrue();
    }
  }

  @Test
  void jsonCarriesTheCountTheLineAndThatItIsAnInference() {
    HandBacks failing = new HandBacks("InService", "Enabled", 2, false);
    ObjectNode json = Json.object();
    failing.putJson(json);

    JsonNode handedBack = json.get("handedBack");
    assertThat(handedBack.get("delayed").asLong()).isEqualTo(2);
    assertThat(handedBack.get("inferred").asBoolean()).isTrue();
    assertThat(handedBack.get("says").asText()).isEqualTo(failing.line().orElseThrow());
    assertThat(handedBack.get("why").asText())
        .startsWith("the Classify function's log group")
        .endsWith("(offhours-deferral-reason)");
  }

  @Test
  void readsTheStatesFromWhatTheCommandsDescribe() {
    assertThat(HandBacks.of(
            DescribeEndpointResponse.builder().endpointStatus("InService").build(),
            GetEventSourceMappingResponse.builder().state("Enabled").build(),
            4,
            true))
        .isEqualTo(new HandBacks("InService", "Enabled", 4, true));
    assertThat(HandBacks.of(null, null, 4, false)).isEqualTo(new HandBacks(null, null, 4, false));
  }

  @Test
  void endpointStatusSaysItAfterTheTriggerInTextAndJson() {
    HandBacks failing = new HandBacks("InService", "Enabled", 5, false);
    EndpointReport report = new EndpointReport(
        "offhours-endpoint",
        DescribeEndpointResponse.builder().endpointStatus("InService").build(),
        HostingStatus.scheduled(),
        "uuid-1",
        GetEventSourceMappingResponse.builder().state("Enabled").build(),
        null,
        null,
        null,
        null,
        ZoneId.of("Europe/Berlin"),
        failing,
        EndpointStatusTest.noSettings());

    assertThat(report.render().lines().toList())
        .containsSubsequence(
            "classify mapping uuid-1: Enabled (uploads are being classified)",
            failing.line().orElseThrow());
    assertThat(report.toJson().get("handedBack").get("delayed").asLong()).isEqualTo(5);
  }

  @Test
  void queueSaysItUnderItsCountsAndOnlyThen() {
    MoveTasks.Latest none = new MoveTasks.Latest(null, null);
    HandBacks failing = new HandBacks("InService", "Enabled", 2, false);

    assertThat(QueueCommand.render(
                new QueueCommand.Counts(0, 0, 2, 0),
                "http://h/1/q",
                "http://h/1/dlq",
                none,
                failing)
            .lines()
            .toList())
        .containsExactly(
            "queue q: 0 visible, 0 in flight, 2 delayed",
            failing.line().orElseThrow(),
            "dead-letter queue dlq: 0",
            "last move task of the dead-letter queue: none");
    assertThat(QueueCommand.render(
            new QueueCommand.Counts(0, 0, 2, 0),
            "http://h/1/q",
            "http://h/1/dlq",
            none,
            new HandBacks("Creating", "Disabled", 2, false)))
        .doesNotContain(SAYS);
  }

  @Test
  void aRefusedReadLeavesTheLineUnknownWithWhyInsteadOfFailingTheCommand() {
    AwsServiceException denied = AwsServiceException.builder()
        .statusCode(400)
        .awsErrorDetails(AwsErrorDetails.builder()
            .errorCode("AccessDeniedException")
            .errorMessage("not authorized to perform sagemaker:DescribeEndpoint")
            .build())
        .build();
    HandBacks unknown = HandBacks.readOrSay(
        () -> {
          throw denied;
        },
        "reading the endpoint needs sagemaker:DescribeEndpoint",
        false);

    assertThat(unknown.whileServing()).isFalse();
    assertThat(unknown.line())
        .contains("handed back while the endpoint serves: unknown (reading the endpoint needs"
            + " sagemaker:DescribeEndpoint: AccessDeniedException: not authorized to perform"
            + " sagemaker:DescribeEndpoint)");
    ObjectNode json = Json.object();
    unknown.putJson(json);
    assertThat(json.get("handedBack").isNull()).isTrue();
    assertThat(json.get("handedBackNote").asText()).startsWith("unknown (reading the endpoint");
    HandBacks read =
        HandBacks.readOrSay(() -> new HandBacks("InService", "Enabled", 2, false), "unused", false);
    assertThat(read.whileServing()).as("what was read, when nothing is refused").isTrue();
  }
}
