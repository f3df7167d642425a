package offhours.classify;

import static offhours.testing.LambdaContexts.remaining;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import offhours.testing.LambdaSqsJson;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.services.sagemakerruntime.model.SageMakerRuntimeException;

/**
 * The consumer's rules for the invocation's deadline: no record is started that the time left cannot cover, every
 * call is limited to the time left less what the later writes keep, and a call the deadline cut is retried with the
 * reason.
 */
class ClassifyDeadlineTest extends ClassifyRig {

  @Test
  void noRecordIsStartedThatTheRemainingTimeCannotCoverTheRestIsDeferredNotFailed()
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    handler("INVOKE_TIMEOUT_SECONDS", "30")
        .handleRequest(
            new ByteArrayInputStream(LambdaSqsJson.toJson(twoImages())), out, remaining(20_000));

    assertThat(LambdaSqsJson.response(out.toByteArray()).getBatchItemFailures()).isEmpty();
    assertThat(s3.gets).isEmpty();
    assertThat(runtime.requests).isEmpty();
    assertThat(sqs.sent)
        .hasSize(2)
        .allSatisfy(copy -> assertThat(
                copy.messageAttributes().get("offhours-deferral-reason").stringValue())
            .isEqualTo("not started: 20.0 s of this invocation remain, less"
                + " than the 36 s a record may need (INVOKE_TIMEOUT_SECONDS + 6 s)"));
  }

  @Test
  void theInvokeEndpointCallIsLimitedToTheTimeLeftBeforeTheDeadline() throws IOException {
    oneRecordAt(() -> 100_000, "INVOKE_TIMEOUT_SECONDS", "30");

    assertThat(runtime.requests)
        .singleElement()
        .satisfies(r -> assertThat(callTimeoutMillis(r)).isBetween(90_000L, 95_000L));
  }

  /**
   * The S3 client has no call timeout of its own; without this one a stalled GetObject would hold the record past
   * the deadline (70 s socket timeout per attempt) and Lambda would end the whole batch.
   */
  @Test
  void theImageDownloadIsLimitedToTheTimeLeftBeforeTheDeadline() throws IOException {
    oneRecordAt(() -> 100_000, "INVOKE_TIMEOUT_SECONDS", "30");

    assertThat(s3.gets)
        .singleElement()
        .satisfies(r -> assertThat(callTimeoutMillis(r)).isBetween(90_000L, 95_000L));
  }

  @Test
  void aDownloadCutAtTheDeadlineIsRetriedWithTheReason() throws IOException {
    s3.failWith = ApiCallTimeoutException.create(95_000);

    ByteArrayOutputStream out = oneRecordAt(() -> 100_000, "INVOKE_TIMEOUT_SECONDS", "30");

    assertHandedBack(out);
    assertThat(runtime.requests).isEmpty();
  }

  /**
   * The writes after InvokeEndpoint share the 6 s it leaves: each is cut before the deadline less what the later ones
   * keep (result 4 s, deferral 2.5 s, retry pause 1.5 s, ledger 0.5 s), and together they are the reserve a record is
   * started with.
   */
  @Test
  void theReserveIsWhatTheWritesAfterInvokeEndpointAndTheEndOfTheInvocationKeep() {
    assertThat(ObjectClassifier.RESERVE).isEqualTo(java.time.Duration.ofSeconds(6));
    assertThat(BatchScope.Write.RESULT.after()).isEqualTo(java.time.Duration.ofMillis(4_000));
    assertThat(BatchScope.Write.DEFERRAL.after()).isEqualTo(java.time.Duration.ofMillis(2_500));
    assertThat(BatchScope.Write.PACE.after()).isEqualTo(java.time.Duration.ofMillis(1_500));
    assertThat(BatchScope.Write.LEDGER.after()).isEqualTo(BatchScope.END);
  }

  @Test
  void theResultWriteIsLimitedToTheTimeLeftLessWhatTheLaterWritesKeep() throws IOException {
    oneRecordAt(() -> 100_000, "INVOKE_TIMEOUT_SECONDS", "30");

    assertThat(dynamo.puts)
        .singleElement()
        .satisfies(r -> assertThat(callTimeoutMillis(r)).isEqualTo(96_000L));
  }

  @Test
  void aResultWithNoTimeLeftForItsWriteIsNotWrittenAndTheMessageIsRetriedWithTheReason()
      throws IOException {
    java.util.concurrent.atomic.AtomicInteger left =
        new java.util.concurrent.atomic.AtomicInteger(100_000);
    runtime.answer = r -> {
      left.set(600); // InvokeEndpoint took all but 600 ms: less than the 250 ms floor + 500 ms end
      return "[0.1, 0.7, 0.05, 0.1, 0.05]";
    };
    ByteArrayOutputStream out = oneRecordAt(left::get, "INVOKE_TIMEOUT_SECONDS", "30");

    assertThat(dynamo.puts).isEmpty();
    assertHandedBack(out);
    assertThat(firstRecordDetail())
        .isEqualTo("the result of s3://offhours-images/a.jpg was not started: 600 ms of this"
            + " invocation remained, less than the 250 ms a call is given plus the 500 ms kept at"
            + " its end; SQS delivers the message again after its retry pause");
  }

  @Test
  void aResultWriteCutAtTheDeadlineIsRetriedWithTheReason() throws IOException {
    dynamo.failWith = ApiCallTimeoutException.create(96_000);
    ByteArrayOutputStream out = oneRecordAt(() -> 100_000, "INVOKE_TIMEOUT_SECONDS", "30");

    assertHandedBack(out);
    assertThat(firstRecordDetail())
        .isEqualTo("writing the result of s3://offhours-images/a.jpg was cut after 96000 ms, to"
            + " end before this invocation's deadline (DynamoDB did not answer in time); SQS"
            + " delivers the message again after its retry pause");
  }

  /** Without a deadline (tools, tests) a write cut by the client's own call timeout is an error like any other. */
  @Test
  void withoutADeadlineAWriteCutByTheClientsOwnTimeoutIsRetriedWithTheSdksWords()
      throws IOException {
    dynamo.failWith = ApiCallTimeoutException.create(50_000);
    ByteArrayOutputStream out = oneRecord(null, "INVOKE_TIMEOUT_SECONDS", "30");

    assertHandedBack(out);
    assertThat(firstRecordDetail())
        .startsWith("ApiCallTimeoutException: ")
        .doesNotContain("NullPointerException");
  }

  @Test
  void withoutADeadlineADeferralCutByTheClientsOwnTimeoutIsRetriedWithTheSdksWords()
      throws IOException {
    runtime.answer = r -> {
      throw SageMakerRuntimeException.builder().statusCode(503).build();
    };
    sqs.failWith = ApiCallTimeoutException.create(50_000);
    ByteArrayOutputStream out = oneRecord(null, "INVOKE_TIMEOUT_SECONDS", "30");

    assertHandedBack(out);
    assertThat(log.toString(StandardCharsets.UTF_8))
        .contains("could not send the deferred copy: ApiCallTimeoutException: ")
        .doesNotContain("NullPointerException");
  }

  @Test
  void theDeferredCopyIsSentWithinTheTimeLeftLessWhatTheRetryPauseAndTheLedgerKeep()
      throws IOException {
    runtime.answer = r -> {
      throw SageMakerRuntimeException.builder().statusCode(503).build();
    };

    oneRecordAt(() -> 100_000, "INVOKE_TIMEOUT_SECONDS", "30");

    assertThat(sqs.sent)
        .singleElement()
        .satisfies(r -> assertThat(callTimeoutMillis(r)).isEqualTo(97_500L));
  }

  @Test
  void aDeferredCopyCutAtTheDeadlineLeavesTheMessageToSqsWithTheReason() throws IOException {
    runtime.answer = r -> {
      throw SageMakerRuntimeException.builder().statusCode(503).build();
    };
    sqs.failWith = ApiCallTimeoutException.create(97_500);
    ByteArrayOutputStream out = oneRecordAt(() -> 100_000, "INVOKE_TIMEOUT_SECONDS", "30");

    assertHandedBack(out);
    assertThat(log.toString(StandardCharsets.UTF_8))
        .contains("sending the deferred copy was cut after 97500 ms, to end before this"
            + " invocation's deadline (SQS did not answer in time); SQS delivers the message again"
            + " after its retry pause");
  }

  @Test
  void theLedgerWriteIsLimitedToTheTimeLeftLessTheEndOfTheInvocation() throws IOException {
    oneRecordAt(
        () -> 100_000,
        "INVOKE_TIMEOUT_SECONDS",
        "30",
        "HOSTING",
        "serverless",
        "CONTROL_TABLE_NAME",
        "control",
        "SERVERLESS_MEMORY_MB",
        "2048");

    assertThat(dynamo.transactions)
        .singleElement()
        .satisfies(r -> assertThat(callTimeoutMillis(r))
            .as("99.5 s less the moments the add itself took")
            .isBetween(98_500L, 99_500L));
  }

  /** {@link #oneRecord} with the invocation's deadline {@code left} ms away (asked at each call). */
  private ByteArrayOutputStream oneRecordAt(java.util.function.IntSupplier left, String... settings)
      throws IOException {
    return oneRecord(remaining(left), settings);
  }

  /** The call timeout a request was sent with, in ms. */
  private static long callTimeoutMillis(software.amazon.awssdk.awscore.AwsRequest request) {
    return request
        .overrideConfiguration()
        .orElseThrow()
        .apiCallTimeout()
        .orElseThrow()
        .toMillis();
  }

  /** A duration as README writes it in seconds: 1500 ms -> "1.5". */
  private static String seconds(java.time.Duration d) {
    return java.math.BigDecimal.valueOf(d.toMillis(), 3).stripTrailingZeros().toPlainString();
  }

  /** README's Deadline section quotes what each of Classify's writes keeps, as BatchScope keeps it. */
  @Test
  void readmeQuotesWhatEachWriteKeeps() throws IOException {
    String readme =
        java.nio.file.Files.readString(java.nio.file.Path.of("README.md")).replaceAll("\\s+", " ");
    String reserve = seconds(BatchScope.RESERVE);
    java.time.Duration deferralShare =
        BatchScope.Write.RESULT.after().minus(BatchScope.Write.DEFERRAL.after());
    java.time.Duration paceShare =
        BatchScope.Write.DEFERRAL.after().minus(BatchScope.Write.PACE.after());
    List<String> quotes = List.of(
        "`INVOKE_TIMEOUT_SECONDS` ("
            + offhours.stack.FunctionVariables.CLASSIFY_ENV.get("INVOKE_TIMEOUT_SECONDS") + ":",
        "minus " + reserve + " s for the writes",
        "(INVOKE_TIMEOUT_SECONDS + " + reserve + " s)",
        "the result's PutItem is cut " + seconds(BatchScope.Write.RESULT.after())
            + " s before the deadline",
        "a deferred copy's SendMessage " + seconds(BatchScope.Write.DEFERRAL.after())
            + " s before it",
        "(ChangeMessageVisibilityBatch) " + seconds(BatchScope.Write.PACE.after()) + " s before it",
        "ledger write " + seconds(BatchScope.Write.LEDGER.after()) + " s before it (the last "
            + seconds(BatchScope.END) + " s return the batch response)",
        "Each is given at least " + offhours.aws.InvocationDeadline.FLOOR.toMillis() + " ms",
        "the " + seconds(deferralShare) + " s of the batch's time its SendMessage gets",
        "whose call gets " + seconds(paceShare) + " s of the batch's time");
    assertThat(quotes.stream().filter(quote -> !readme.contains(quote)).toList())
        .as("what README.md should say, from BatchScope's writes and RESERVE, and does not")
        .isEmpty();
  }
}
