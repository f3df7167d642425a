package offhours.classify;

import static offhours.classify.ClassifyHandlerTest.event;
import static offhours.classify.ClassifyHandlerTest.message;
import static offhours.classify.ClassifyHandlerTest.notification;
import static offhours.testing.LambdaContexts.remaining;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import offhours.inference.InvocationUsage;
import offhours.testing.LambdaSqsJson;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SqsException;

class RetryPaceTest extends ClassifyRig {

  @Test
  void thePauseStartsAtRetrySecondsAndDoublesPerReceiveThreeTimesAtMost() {
    assertThat(List.of(0, 1, 2, 3, 4, 5, 1000))
        .extracting(receives -> RetryPace.seconds(receives, 30))
        .containsExactly(30, 30, 60, 120, 240, 240, 240);
    assertThat(RetryPace.seconds(7, 2)).isEqualTo(16);
    // The longest first pause, doubled to the cap, is far inside SQS's 12 hours.
    assertThat(RetryPace.seconds(Integer.MAX_VALUE, ClassifyConfig.MAX_RETRY_SECONDS))
        .isEqualTo(7_200);
  }

  /** template.yaml's comment on RETRY_SECONDS quotes the pauses a walk's receives get, as this class gives them. */
  @Test
  void theTemplateQuotesThePausesOfAWalk() throws IOException {
    int first =
        Integer.parseInt(offhours.stack.FunctionVariables.CLASSIFY_ENV.get("RETRY_SECONDS"));
    List<String> pauses = new ArrayList<>();
    for (int receives = 1; receives <= RetryPace.MAX_DOUBLINGS + 1; receives++) {
      pauses.add(String.valueOf(RetryPace.seconds(receives, first)));
    }
    assertThat(offhours.stack.TemplateComments.read())
        .contains("doubles it per receive up to " + RetryPace.MAX_DOUBLINGS + " times ("
            + String.join(", ", pauses) + " s)");
  }

  @Test
  void onlyTheFailedMessagesOfABatchArePausedEachForItsReceives() throws IOException {
    // a.jpg is classified; the model crashes (5xx) on b.png, on its 2nd receive: retried.
    runtime.answer = RetryPaceTest::crashesOnChelsea;
    SQSEvent.SQSMessage ok = received("m1", "a.jpg", 112525L, "e1", 1);
    SQSEvent.SQSMessage crashed = received("m2", "b.png", 240512L, "e2", 2);

    SQSBatchResponse response = run(event(ok, crashed), "BATCH_CONCURRENCY", "2");

    assertThat(response.getBatchItemFailures())
        .extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
        .containsExactly("m2");
    assertThat(sqs.paced).singleElement().satisfies(call -> {
      assertThat(call.queueUrl()).isEqualTo(ClassifyHandlerTest.config().queueUrl());
      assertThat(call.entries())
          .extracting(
              ChangeMessageVisibilityBatchRequestEntry::receiptHandle,
              ChangeMessageVisibilityBatchRequestEntry::visibilityTimeout)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("handle-m2", 60));
    });
    JsonNode line = retries();
    assertThat(line.get("level").asText()).isEqualTo("INFO");
    assertThat(line.get("retries").get(0).get("pace").asText()).isEqualTo("received again in 60 s");
  }

  @Test
  void aFailureIsRetriedSoonOnlyOnceItsLaterReceivesWaitTheVisibilityTimeout() throws IOException {
    // The result of a.jpg cannot be written: DynamoDB may be out for minutes, so after one quick
    // retry the message is not hurried through receives that walk it toward the DLQ.
    dynamo.failWith = new IllegalStateException("DynamoDB is unreachable");

    JsonNode line = retriedSoonOnceThenAfterTheVisibilityTimeout();
    assertThat(line.get("level").asText()).isEqualTo("INFO");
  }

  @Test
  void aWrongDeploymentIsAFailureNotAWalk() throws IOException {
    // The model refuses the content type (415): the deployment's fault, which a person fixes in
    // minutes or hours; its receives are not hurried toward the DLQ (README's table says so).
    runtime.answer = r -> {
      throw software.amazon.awssdk.services.sagemakerruntime.model.ModelErrorException.builder()
          .statusCode(424)
          .originalStatusCode(415)
          .originalMessage("unsupported media type")
          .build();
    };

    retriedSoonOnceThenAfterTheVisibilityTimeout();
  }

  /**
   * Runs a.jpg's message on its 1st and its 2nd receive, each failing: the 1st is paced 30 s, the 2nd is left to the
   * visibility timeout, and its log line says so. Returns that line.
   */
  private JsonNode retriedSoonOnceThenAfterTheVisibilityTimeout() throws IOException {
    SQSBatchResponse first = run(event(received("m1", "a.jpg", 112525L, "e1", 1)));
    assertThat(first.getBatchItemFailures()).hasSize(1);
    assertThat(sqs.paced)
        .singleElement()
        .satisfies(call -> assertThat(call.entries())
            .extracting(ChangeMessageVisibilityBatchRequestEntry::visibilityTimeout)
            .containsExactly(30));
    sqs.paced.clear();
    log.reset();

    SQSBatchResponse second = run(event(received("m1", "a.jpg", 112525L, "e1", 2)));

    assertThat(second.getBatchItemFailures()).hasSize(1);
    assertThat(sqs.paced).as("no call: the visibility timeout is the plan").isEmpty();
    JsonNode line = retries();
    assertThat(line.get("retries").get(0).get("pace").asText())
        .isEqualTo("received again after the queue's visibility timeout: " + RetryPace.OUTAGE);
    return line;
  }

  @Test
  void aCrashWhoseVerdictCannotBeWrittenIsAFailureNotAWalk() throws IOException {
    // On its 3rd receive the crash gets its verdict, but DynamoDB refuses it: maybe an outage.
    runtime.answer = r -> {
      throw ClassifyRulesTest.crash("boom");
    };
    dynamo.failWith = new IllegalStateException("DynamoDB is unreachable");

    SQSBatchResponse response = run(event(received("m1", "a.jpg", 112525L, "e1", 3)));

    assertThat(response.getBatchItemFailures()).hasSize(1);
    assertThat(sqs.paced).as("not hurried toward the DLQ").isEmpty();
    assertThat(retries().get("retries").get(0).get("pace").asText())
        .isEqualTo("received again after the queue's visibility timeout: " + RetryPace.OUTAGE);
  }

  @Test
  void anUploadPastMaxDeferralsWalksToTheDlqOnTheDoublingPause() throws IOException {
    runtime.answer = r -> {
      throw ClassifyRulesTest.endpointNotFound();
    };
    SQSEvent.SQSMessage past = received("m1", "a.jpg", 112525L, "e1", 3);
    SQSEvent.MessageAttribute deferrals = new SQSEvent.MessageAttribute();
    deferrals.setDataType("Number");
    deferrals.setStringValue("2");
    past.setMessageAttributes(Map.of("offhours-deferrals", deferrals));

    SQSBatchResponse response = run(event(past), "MAX_DEFERRALS", "2");

    assertThat(response.getBatchItemFailures()).hasSize(1);
    assertThat(sqs.sent).as("no deferred copy past the limit").isEmpty();
    assertThat(sqs.paced)
        .singleElement()
        .satisfies(call -> assertThat(call.entries())
            .extracting(ChangeMessageVisibilityBatchRequestEntry::visibilityTimeout)
            .containsExactly(120));
  }

  @Test
  void nothingIsSentNorLoggedForABatchWithoutFailures() throws IOException {
    SQSBatchResponse response = run(event(received("m1", "a.jpg", 112525L, "e1", 1)));

    assertThat(response.getBatchItemFailures()).isEmpty();
    assertThat(sqs.paced).isEmpty();
    assertThat(logLines()).noneSatisfy(l -> assertThat(l.has("retries")).isTrue());
  }

  @Test
  void aRefusedCallLeavesTheMessagesToTheVisibilityTimeoutAndSaysSo() throws IOException {
    runtime.answer = r -> {
      throw ClassifyRulesTest.crash("boom");
    };
    sqs.failPacingWith = accessDenied();

    SQSBatchResponse response = run(event(received("m1", "a.jpg", 112525L, "e1", 1)));

    assertThat(response.getBatchItemFailures())
        .as("still reported failed: SQS delivers it again, only later")
        .singleElement()
        .satisfies(f -> assertThat(f.getItemIdentifier()).isEqualTo("m1"));
    JsonNode line = retries();
    assertThat(line.get("level").asText()).isEqualTo("WARN");
    assertThat(line.get("retries").get(0).get("pace").asText())
        .startsWith("received again after the queue's visibility timeout:"
            + " ChangeMessageVisibilityBatch failed: ")
        .contains("AccessDenied");
  }

  @Test
  void aRefusedEntryIsLoggedAndTheOthersArePaused() throws IOException {
    // The model crashes on b.png (retried); a.jpg is classified but its result cannot be written.
    runtime.answer = RetryPaceTest::crashesOnChelsea;
    dynamo.failWith = new IllegalStateException("DynamoDB is unreachable");
    sqs.refuse.add("handle-m1");

    SQSBatchResponse response = run(
        event(received("m1", "a.jpg", 112525L, "e1", 1), received("m2", "b.png", 240512L, "e2", 1)),
        "BATCH_CONCURRENCY",
        "2");

    assertThat(response.getBatchItemFailures())
        .extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
        .containsExactly("m1", "m2");
    assertThat(sqs.paced)
        .singleElement()
        .satisfies(call -> assertThat(call.entries())
            .extracting(ChangeMessageVisibilityBatchRequestEntry::receiptHandle)
            .containsExactly("handle-m1", "handle-m2"));
    JsonNode line = retries();
    assertThat(line.get("level").asText()).isEqualTo("WARN");
    assertThat(line.get("retries").get(0).get("pace").asText())
        .isEqualTo("received again after the queue's visibility timeout: SQS refused its change:"
            + " ReceiptHandleIsInvalid: The input receipt handle is invalid.");
    assertThat(line.get("retries").get(1).get("pace").asText()).isEqualTo("received again in 30 s");
  }

  @Test
  void withNoTimeLeftNothingIsSentAndTheLogSaysTheMessageWaitsTheVisibilityTimeout()
      throws IOException {
    AtomicInteger left = new AtomicInteger(100_000);
    runtime.answer = r -> {
      left.set(600); // InvokeEndpoint took all but 600 ms: less than the 250 ms floor + 500 ms end
      return "[0.1, 0.7, 0.05, 0.1, 0.05]";
    };

    ByteArrayOutputStream out =
        invoke(event(received("m1", "a.jpg", 112525L, "e1", 1)), remaining(left::get));

    assertHandedBack(out);
    assertThat(sqs.paced).isEmpty();
    assertThat(retries().get("retries").get(0).get("pace").asText())
        .isEqualTo("received again after the queue's visibility timeout: the retry pause of 1"
            + " message was not started: 600 ms of this invocation remained, less than the 250 ms"
            + " a call is given plus the 500 ms kept at its end");
  }

  @Test
  void theCallKeepsTheLedgersShareOfTheInvocation() throws IOException {
    runtime.answer = r -> {
      throw ClassifyRulesTest.crash("boom");
    };

    invoke(event(received("m1", "a.jpg", 112525L, "e1", 1)), remaining(100_000));

    assertThat(sqs.paced)
        .singleElement()
        .satisfies(r -> assertThat(
                r.overrideConfiguration().orElseThrow().apiCallTimeout().orElseThrow())
            .isEqualTo(java.time.Duration.ofMillis(98_500)));
  }

  @Test
  void tenEntriesGoToACallAndAMessageWithoutAReceiptHandleIsLeftUntouched() {
    ByteArrayOutputStream lines = new ByteArrayOutputStream();
    RetryPace pace = new RetryPace(
        () -> sqs,
        "https://sqs.us-east-1.amazonaws.com/1/q",
        30,
        new OutcomeLog(new PrintStream(lines, true, StandardCharsets.UTF_8)));
    List<RetryPace.FailedMessage> failed = new ArrayList<>();
    for (int i = 1; i <= 12; i++) {
      failed.add(
          new RetryPace.FailedMessage(queued("m" + i, "handle-m" + i), RetryPace.RetryCause.WALK));
    }
    failed.add(new RetryPace.FailedMessage(queued("m13", null), RetryPace.RetryCause.FAILURE));

    pace.pace(failed, new BatchScope(BatchScope.NO_DEADLINE, new InvocationUsage()));

    assertThat(sqs.paced).extracting(r -> r.entries().size()).containsExactly(10, 2);
    assertThat(sqs.paced.get(1).entries())
        .extracting(ChangeMessageVisibilityBatchRequestEntry::receiptHandle)
        .containsExactly("handle-m11", "handle-m12");
    assertThat(lines.toString(StandardCharsets.UTF_8))
        .contains("{\"messageId\":\"m13\",\"receives\":1,\"pace\":\"received again after the"
            + " queue's visibility timeout: the event gave no receipt handle\"}");
  }

  private static QueueMessage queued(String id, String handle) {
    return new QueueMessage(
        id, handle, "{}", Map.of("ApproximateReceiveCount", "1"), Map.of(), null);
  }

  @Test
  void snapStartPrimingSetsThePauseOfAReceiptHandleNoMessageHasOnTheFunctionsQueue() {
    sqs.refuse.add(Priming.NO_MESSAGE.receiptHandle());

    handler().beforeCheckpoint(null);

    assertThat(sqs.paced)
        .as("the call a failed batch makes, built by the same code")
        .singleElement()
        .satisfies(call -> {
          assertThat(call.queueUrl()).isEqualTo(ClassifyHandlerTest.config().queueUrl());
          assertThat(call.entries()).singleElement().satisfies(entry -> {
            assertThat(entry.receiptHandle())
                .isEqualTo(Priming.NO_MESSAGE.receiptHandle())
                .as("SQS issues base64 handles, moto_server lower-case letters: none is this")
                .doesNotMatch("[A-Za-z0-9+/=]+");
            assertThat(entry.visibilityTimeout()).isEqualTo(30);
          });
        });
  }

  @Test
  void thePrimingPauseIsWarmWhetherSqsRefusesItsEntryOrTheWholeCallAndNeitherIsLogged()
      throws IOException {
    // Real SQS and moto_server answer 200 with the entry failed: ReceiptHandleIsInvalid.
    sqs.refuse.add(Priming.NO_MESSAGE.receiptHandle());
    int entryRefused = handler().prime();
    sqs.failPacingWith = accessDenied();
    int callRefused = handler().prime();
    sqs.failPacingWith = SdkClientException.create("Unable to execute HTTP request: refused");
    int unanswered = handler().prime();

    assertThat(callRefused).isEqualTo(entryRefused);
    assertThat(unanswered).as("nothing answered: not warm").isEqualTo(entryRefused - 1);
    assertThat(logLines())
        .as("no message was paced, so no pace failed")
        .noneMatch(l -> l.has("retries"))
        .noneMatch(l -> l.get("level").asText().equals("WARN"));
  }

  /** SQS's answer to a role without sqs:ChangeMessageVisibility. */
  private static SqsException accessDenied() {
    return (SqsException) SqsException.builder()
        .statusCode(403)
        .awsErrorDetails(AwsErrorDetails.builder()
            .errorCode("AccessDenied")
            .errorMessage("not authorized to perform: sqs:ChangeMessageVisibility")
            .build())
        .build();
  }

  /** A message of an upload as the event source mapping delivers it, on its {@code receives}th receive. */
  private static SQSEvent.SQSMessage received(
      String id, String key, long size, String eTag, int receives) {
    SQSEvent.SQSMessage m = message(id, notification(key, size, eTag, ""));
    m.setReceiptHandle("handle-" + id);
    m.getAttributes().put("ApproximateReceiveCount", Integer.toString(receives));
    return m;
  }

  /** The model: it crashes (5xx) on b.png, chelsea's bytes, and classifies anything else. */
  private static String crashesOnChelsea(
      software.amazon.awssdk.services.sagemakerruntime.model.InvokeEndpointRequest r) {
    if (!Fakes.probe(r) && r.body().asByteArray().length == Fakes.image("chelsea.png").length) {
      throw ClassifyRulesTest.crash("boom");
    }
    return "[0.1, 0.7, 0.05, 0.1, 0.05]";
  }

  private ByteArrayOutputStream invoke(SQSEvent event, Context context) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    handler().handleRequest(new ByteArrayInputStream(LambdaSqsJson.toJson(event)), out, context);
    return out;
  }

  /** The batch's one line about its retries. */
  private JsonNode retries() throws IOException {
    return logLines().stream()
        .filter(l -> l.has("retries"))
        .reduce((a, b) -> {
          throw new AssertionError("more than one retries line: " + a + ", " + b);
        })
        .orElseThrow(() -> new AssertionError("no retries line in " + log));
  }

  /** Seconds as README writes a number of minutes: 90 -> "1.5", 4110 -> "68.5". */
  private static String minutes(int seconds) {
    return new java.math.BigDecimal(seconds)
        .divide(java.math.BigDecimal.valueOf(60))
        .stripTrailingZeros()
        .toPlainString();
  }

  /**
   * README's outcome table, its Retry pause section and its MaxReceiveCount row quote what these pauses add up to
   * with the stack's defaults: each is computed here from RetryPace, RETRY_SECONDS' default, the queue's
   * VisibilityTimeout and MaxReceiveCount (StackSpec, which template.yaml is tied to) and the receive a crash is
   * rejected on, so that none of them can change without README.
   */
  @Test
  void readmeQuotesThePausesAndWhatTheyAddUpToWithTheStacksDefaults() throws IOException {
    String readme =
        java.nio.file.Files.readString(java.nio.file.Path.of("README.md")).replaceAll("\\s+", " ");
    int retrySeconds =
        Integer.parseInt(offhours.stack.FunctionVariables.CLASSIFY_ENV.get("RETRY_SECONDS"));
    int receives = offhours.stack.StackSpec.QUEUE.maxReceiveCount();
    int visibility = offhours.stack.StackSpec.QUEUE.visibilityTimeoutSeconds();
    int crash = MessageClassifier.MODEL_CRASH_RECEIVES;
    List<Integer> pauses = new ArrayList<>();
    for (int receive = 1; receive <= receives; receive++) {
      pauses.add(RetryPace.seconds(receive, retrySeconds));
    }
    int toVerdict =
        pauses.subList(0, crash - 1).stream().mapToInt(Integer::intValue).sum();
    int walkToDlq = pauses.stream().mapToInt(Integer::intValue).sum();
    int outage = retrySeconds + (receives - 1) * visibility;
    String visibilityMinutes = minutes(visibility);
    List<String> quotes = List.of(
        "`RETRY_SECONDS` (" + retrySeconds + ")",
        "up to " + RetryPace.seconds(Integer.MAX_VALUE, retrySeconds) + " s ("
            + String.join(", ", pauses.stream().map(String::valueOf).toList()) + " s)",
        "`REJECTED` on the " + crash + "rd receive (" + minutes(toVerdict)
            + " minutes after the first)",
        "verdict after " + minutes(toVerdict) + " minutes, and with `MaxReceiveCount` " + receives
            + " such an upload reaches the DLQ in about " + minutes(walkToDlq) + " minutes",
        "retried " + retrySeconds + " s later, then after the queue's visibility timeout",
        "after " + receives + " receives (about " + Math.round(outage / 60.0)
            + " minutes) in the DLQ",
        "`VisibilityTimeout` ends, " + visibilityMinutes + " minutes",
        "its verdict " + minutes((crash - 1) * visibility) + " minutes after the first receive",
        "reach the DLQ " + minutes(receives * visibility) + " minutes after",
        "`MaxReceiveCount` " + receives + " a backlog outlasts an outage of over an hour ("
            + retrySeconds + " s + " + (receives - 1) + " x " + visibilityMinutes + " minutes)",
        receives + " receives: about " + minutes(walkToDlq) + " minutes past `MaxDeferrals`, "
            + Math.round(outage / 60.0) + " for an unexpected error");
    assertThat(outage).as("an outage of over an hour").isGreaterThan(3600);
    assertThat(quotes.stream().filter(quote -> !readme.contains(quote)).toList())
        .as(
            "what README.md should say, computed from RetryPace, RETRY_SECONDS' default, StackSpec.QUEUE and"
                + " MODEL_CRASH_RECEIVES, and does not")
        .isEmpty();
  }
}
