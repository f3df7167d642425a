package offhours.classify;

import static offhours.classify.ClassifyHandlerTest.BUCKET;
import static offhours.classify.ClassifyHandlerTest.config;
import static offhours.classify.ClassifyHandlerTest.event;
import static offhours.classify.ClassifyHandlerTest.failures;
import static offhours.classify.ClassifyHandlerTest.message;
import static offhours.classify.ClassifyHandlerTest.notification;
import static offhours.classify.ClassifyHandlerTest.record;
import static offhours.classify.Fakes.image;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import offhours.inference.ImageFormat;
import offhours.stack.StackSpec;
import offhours.testing.LambdaSqsJson;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sagemakerruntime.model.InvokeEndpointRequest;
import software.amazon.awssdk.services.sagemakerruntime.model.ModelErrorException;
import software.amazon.awssdk.services.sagemakerruntime.model.SageMakerRuntimeException;
import software.amazon.awssdk.services.sagemakerruntime.model.ValidationErrorException;

/**
 * The consumer's rules for faults of the endpoint and inputs that slip through S3's own checks: each with the reason
 * it records ({@link ClassifyDeadlineTest}: the rules for the invocation's deadline).
 */
class ClassifyRulesTest extends ClassifyRig {

  static ModelErrorException crash(String message) {
    return ModelErrorException.builder()
        .statusCode(424)
        .originalStatusCode(500)
        .originalMessage(message)
        .build();
  }

  // ------------------------------------------------------------------ faults of the endpoint

  @Test
  void aModelCrashOnTwoDifferentImagesOfOneBatchDefersTheBatchInsteadOfCountingAgainstEachImage() {
    runtime.answer = r -> {
      throw crash("CUDA error: out of memory");
    };

    SQSBatchResponse response = run(twoImages(), "BATCH_CONCURRENCY", "1");

    assertThat(failures(response)).as("no receive is spent").isEmpty();
    assertThat(dynamo.puts).as("no verdict").isEmpty();
    assertThat(sqs.sent)
        .hasSize(2)
        .allSatisfy(
            copy -> assertThat(
                    copy.messageAttributes().get("offhours-deferral-reason").stringValue())
                .isEqualTo(
                    "the model failed on other images of this batch too"
                        + " (status 500): CUDA error: out of memory; the endpoint is at fault, not this image"));
  }

  @Test
  void aCrashFoundAfterAnotherMessageOfTheBatchIsEvaluatedStillDefersBoth() throws Exception {
    // m1 crashes at once; m2's crash comes later, and no message is concluded before every one is
    // evaluated. Were m1 concluded early it would log its line (and count a receive) first: m2
    // waits up to 1 s for that line.
    CountDownLatch m1Concluded = new CountDownLatch(1);
    PrintStream watching = new PrintStream(log, true, StandardCharsets.UTF_8) {
      @Override
      public void println(String line) {
        super.println(line);
        if (line.contains("\"messageId\":\"m1\"")) {
          m1Concluded.countDown();
        }
      }
    };
    runtime.answer = r -> {
      if (ImageFormat.of(r.body().asByteArray()) == ImageFormat.PNG) {
        try {
          m1Concluded.await(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      throw crash("worker died");
    };
    ClassifyHandler handler = new ClassifyHandler(
        s3, sqs, dynamo, runtime, config("BATCH_CONCURRENCY", "2"), Clock.systemUTC(), watching);

    SQSBatchResponse response = LambdaSqsJson.invoke(handler, twoImages());

    assertThat(failures(response)).isEmpty();
    assertThat(sqs.sent).hasSize(2);
  }

  @Test
  void aBatchAfterAnEndpointWideCrashIsDeferredWithoutCallingTheEndpointAgain() {
    runtime.answer = r -> {
      throw crash("worker died");
    };
    s3.put(BUCKET, "c.jpg", image("rocket.jpg"), "e3");
    SQSEvent three = event(
        message("m1", notification("a.jpg", 112525L, "e1", "")),
        message("m2", notification("b.png", 240512L, "e2", "")),
        message("m3", notification("c.jpg", 1L, "e3", "")));

    run(three, "BATCH_CONCURRENCY", "1");

    assertThat(runtime.requests).hasSize(2);
    assertThat(sqs.sent).hasSize(3);
    assertThat(
            sqs.sent.get(2).messageAttributes().get("offhours-deferral-reason").stringValue())
        .isEqualTo(
            "endpoint unavailable earlier in this batch: the model failed on 2 different images in this batch"
                + " (status 500): worker died; the endpoint is at fault, not the images");
  }

  @Test
  void aModel5xxOnOneImageIsRetriedWithoutSendingTheProbeImage() {
    runtime.answer = r -> {
      throw crash("worker died");
    };

    SQSBatchResponse response = run(event(message("m1", notification("a.jpg", 112525L, "e1", ""))));

    assertThat(failures(response)).containsExactly("m1");
    assertThat(runtime.requests).as("the image only, no probe").hasSize(1);
    assertThat(dynamo.puts).isEmpty();
    assertThat(sqs.sent).isEmpty();
  }

  // ------------------------------------------------------------------ a model 4xx, checked with
  // the probe image

  static ModelErrorException unreadable(String message) {
    return ModelErrorException.builder()
        .statusCode(424)
        .originalStatusCode(400)
        .originalMessage(message)
        .build();
  }

  /** A model that answers offhours' probe image and a 400 for every other image. */
  static String readsOnlyTheProbe(InvokeEndpointRequest request) {
    if (Fakes.probe(request)) {
      return "[0.1, 0.7, 0.05, 0.1, 0.05]";
    }
    throw unreadable("image file is truncated");
  }

  @Test
  void theQueueKeepsAMessageForAsManyReceivesAsACrashVerdictNeeds() {
    // template.yaml's MaxReceiveCount accepts exactly what StackSpec.Queue does
    // (ParameterConstraintsTest);
    // below this, an image the model crashes on would reach the DLQ without its verdict.
    assertThat(StackSpec.Queue.MIN_RECEIVE_COUNT).isEqualTo(MessageClassifier.MODEL_CRASH_RECEIVES);
  }

  @Test
  void aModel4xxIsAVerdictAtOnceWhenTheModelReadsTheProbeImage() {
    runtime.answer = ClassifyRulesTest::readsOnlyTheProbe;

    SQSBatchResponse response = run(event(message("m1", notification("a.jpg", 112525L, "e1", ""))));

    assertThat(failures(response)).as("no retry: the 1st receive settles it").isEmpty();
    assertThat(sqs.sent).as("not deferred").isEmpty();
    assertThat(item("s3://offhours-images/a.jpg").get("status").s()).isEqualTo("REJECTED");
    assertThat(item("s3://offhours-images/a.jpg").get("reason").s())
        .isEqualTo("the model could not read the image (status 400): image file is truncated; it"
            + " read offhours' probe image meanwhile");
    assertThat(runtime.requests)
        .hasSize(2)
        .last()
        .satisfies(r -> assertThat(Fakes.probe(r)).isTrue());
  }

  @Test
  void aModel4xxWhenTheProbeImageFailsTooDefersTheBatchAndRejectsNothing() {
    // The Hugging Face toolkit's answer to a CUDA out-of-memory: a 400, for any image.
    runtime.answer = r -> {
      throw unreadable("CUDA out of memory");
    };
    SQSEvent batch = twoImages();
    batch.getRecords().forEach(m -> m.getAttributes().put("ApproximateReceiveCount", "3"));

    SQSBatchResponse response = run(batch, "BATCH_CONCURRENCY", "1");

    assertThat(failures(response)).as("no receive is spent").isEmpty();
    assertThat(dynamo.puts).as("no verdict, even on a 3rd receive").isEmpty();
    assertThat(runtime.requests)
        .as("a.jpg, then the probe image; b.png is not sent to a broken endpoint")
        .hasSize(2);
    assertThat(sqs.sent)
        .extracting(c -> c.messageAttributes().get("offhours-deferral-reason").stringValue())
        .containsExactly(
            "the model could not read the image (status 400): CUDA out of memory; it failed on"
                + " offhours' probe image too: the model could not read the image (status 400):"
                + " CUDA out of memory; the endpoint is at fault, not the image",
            "endpoint unavailable earlier in this batch: the model could not read the image (status"
                + " 400): CUDA out of memory; it failed on offhours' probe image too: the model"
                + " could not read the image (status 400): CUDA out of memory; the endpoint is at"
                + " fault, not the image");
    assertThat(sqs.sent)
        .allSatisfy(c -> assertThat(c.messageAttributes()).doesNotContainKey("offhours-throttles"));
  }

  @Test
  void aModel4xxWhenTheProbeImageIsThrottledDefersWithoutSpendingTheDeferralBudget() {
    runtime.answer = r -> {
      if (Fakes.probe(r)) {
        throw throttled();
      }
      throw unreadable("image file is truncated");
    };

    SQSBatchResponse response = run(event(message("m1", notification("a.jpg", 112525L, "e1", ""))));

    assertThat(failures(response)).as("no receive is spent").isEmpty();
    assertThat(dynamo.puts).as("no verdict while the endpoint is busy").isEmpty();
    assertThat(sqs.sent).hasSize(1);
    assertThat(sqs.sent.getFirst().messageAttributes())
        .as("a throttle: counted apart, not toward MAX_DEFERRALS")
        .containsKey("offhours-throttles")
        .doesNotContainKey("offhours-deferrals");
    assertThat(sqs.sent
            .getFirst()
            .messageAttributes()
            .get("offhours-deferral-reason")
            .stringValue())
        .contains(
            "it failed on offhours' probe image too: the endpoint is busy: it turned the request away",
            "the endpoint is busy, so the image is not judged now");
  }

  @Test
  void twoUnreadableImagesOfABatchAreBothRejectedAtOnceAfterOneProbe() {
    runtime.answer = ClassifyRulesTest::readsOnlyTheProbe;

    SQSBatchResponse response = run(twoImages(), "BATCH_CONCURRENCY", "2");

    assertThat(failures(response)).isEmpty();
    assertThat(sqs.sent).isEmpty();
    assertThat(item("s3://offhours-images/a.jpg").get("status").s()).isEqualTo("REJECTED");
    assertThat(item("s3://offhours-images/b.png").get("status").s()).isEqualTo("REJECTED");
    assertThat(runtime.requests.stream().filter(Fakes::probe))
        .as("the probe image, once for the batch")
        .hasSize(1);
    assertThat(runtime.requests).hasSize(3);
  }

  @Test
  void aModel4xxWithNoTimeLeftToSendTheProbeImageDefersInsteadOfRejecting() throws IOException {
    runtime.answer = ClassifyRulesTest::readsOnlyTheProbe;
    // 100 s remain before the image's call, 20 s after it: too little for another (30 s + 5 s).
    Context shrinking = (Context) java.lang.reflect.Proxy.newProxyInstance(
        Context.class.getClassLoader(),
        new Class<?>[] {Context.class},
        (proxy, method, args) -> switch (method.getName()) {
          case "getRemainingTimeInMillis" -> runtime.requests.isEmpty() ? 100_000 : 20_000;
          case "toString" -> "a context whose time runs short after the first call";
          default -> throw new UnsupportedOperationException("Context." + method.getName());
        });
    ByteArrayOutputStream out = oneRecord(shrinking, "INVOKE_TIMEOUT_SECONDS", "30");

    assertThat(LambdaSqsJson.response(out.toByteArray()).getBatchItemFailures()).isEmpty();
    assertThat(dynamo.puts).isEmpty();
    assertThat(runtime.requests).as("no probe sent").hasSize(1);
    assertThat(sqs.sent)
        .singleElement()
        .satisfies(c -> assertThat(
                c.messageAttributes().get("offhours-deferral-reason").stringValue())
            .isEqualTo("the model could not read the image (status 400): image file is truncated;"
                + " too little of this invocation remains to check that with offhours' probe"
                + " image; the endpoint is at fault, not the image"));
  }

  @Test
  void aValidationErrorOfUnknownWordingDefersTheBatch() throws IOException {
    runtime.answer = r -> {
      throw ValidationErrorException.builder()
          .statusCode(400)
          .awsErrorDetails(AwsErrorDetails.builder()
              .errorCode("ValidationError")
              .errorMessage("Something new went wrong")
              .build())
          .build();
    };

    SQSBatchResponse response = run(twoImages(), "BATCH_CONCURRENCY", "1");

    assertThat(failures(response)).isEmpty();
    assertThat(dynamo.puts).isEmpty();
    assertThat(runtime.requests).hasSize(1);
    assertThat(sqs.sent)
        .extracting(c -> c.messageAttributes().get("offhours-deferral-reason").stringValue())
        .containsExactly(
            "the endpoint refused the request with a ValidationError whose message offhours does not"
                + " know, so the image is not to blame and waits; what SageMaker answered is in the"
                + " function's log",
            "endpoint unavailable earlier in this batch: the endpoint refused the request with a"
                + " ValidationError whose message offhours does not know, so the image is not to"
                + " blame and waits; what SageMaker answered is in the function's log");
    assertThat(logLines().getFirst().get("records").get(0).get("service").asText())
        .as("where the reason sends an operator")
        .isEqualTo("ValidationError (HTTP 400): Something new went wrong");
  }

  @Test
  void aVerdictIsReplacedByALaterClassificationOfTheSameVersion() {
    runtime.answer = ClassifyRulesTest::readsOnlyTheProbe;
    SQSEvent one = event(message("m1", notification("a.jpg", 112525L, "e1", "")));
    run(one);
    assertThat(item("s3://offhours-images/a.jpg").get("status").s()).isEqualTo("REJECTED");

    runtime.answer = r -> "[0.1, 0.7, 0.05, 0.1, 0.05]";
    SQSBatchResponse again = run(one);

    assertThat(failures(again)).isEmpty();
    Map<String, AttributeValue> item = item("s3://offhours-images/a.jpg");
    assertThat(item.get("status").s()).isEqualTo("CLASSIFIED");
    assertThat(item).doesNotContainKey("reason");
    assertThat(dynamo.items).hasSize(1);
  }

  @Test
  void deferralsAreBoundedThenTheMessageWalksTheNormalReceivePathWithItsLastReason()
      throws IOException {
    String detail = detailAtTheDeferralBound(3);

    assertThat(sqs.sent).isEmpty();
    assertThat(detail)
        .isEqualTo("deferred 3 times, as"
            + " many as MAX_DEFERRALS allows: now retried through SQS receives, toward the DLQ; last reason: the"
            + " endpoint is off: it does not exist now");
  }

  @Test
  void aBoundOfOneDeferralIsSaidInTheSingular() throws IOException {
    assertThat(detailAtTheDeferralBound(1))
        .startsWith("deferred 1 time, as many as MAX_DEFERRALS allows");
  }

  /**
   * Runs a message already deferred {@code bound} times for an unavailable endpoint with MAX_DEFERRALS={@code bound}:
   * it walks toward the DLQ; returns what the log says of it.
   */
  private String detailAtTheDeferralBound(int bound) throws IOException {
    runtime.answer = r -> {
      throw Fakes.endpointNotFound();
    };
    SQSEvent event = event(message("m1", notification("a.jpg", 112525L, "e1", "")));
    deferredBefore(event, bound);

    SQSBatchResponse response = run(event, "MAX_DEFERRALS", Integer.toString(bound));

    assertThat(failures(response)).containsExactly("m1");
    return logLines().getFirst().get("records").get(1).get("detail").asText();
  }

  /** Marks the event's first message as deferred {@code times} already (its offhours-deferrals attribute). */
  private static void deferredBefore(SQSEvent event, int times) {
    SQSEvent.MessageAttribute count = new SQSEvent.MessageAttribute();
    count.setDataType("Number");
    count.setStringValue(Integer.toString(times));
    event.getRecords().getFirst().setMessageAttributes(Map.of("offhours-deferrals", count));
  }

  /** SageMaker's answer while the endpoint does not exist, word for word. */
  static ValidationErrorException endpointNotFound() {
    return ValidationErrorException.builder()
        .statusCode(400)
        .awsErrorDetails(AwsErrorDetails.builder()
            .errorCode("ValidationError")
            .errorMessage("Endpoint offhours-endpoint of account 123456789012 not found.")
            .build())
        .build();
  }

  static SageMakerRuntimeException throttled() {
    // A serverless endpoint at its MaxConcurrency: HTTP 400 ThrottlingException without a message.
    return (SageMakerRuntimeException) SageMakerRuntimeException.builder()
        .statusCode(400)
        .awsErrorDetails(
            AwsErrorDetails.builder().errorCode("ThrottlingException").build())
        .build();
  }

  @Test
  void aThrottledMessageIsDeferredWithoutSpendingTheDeferralBudgetEvenAtTheBound() {
    runtime.answer = r -> {
      throw throttled();
    };
    SQSEvent event = event(message("m1", notification("a.jpg", 112525L, "e1", "")));
    deferredBefore(event, 3);

    SQSBatchResponse response = run(event, "MAX_DEFERRALS", "3");

    assertThat(failures(response)).as("not walked toward the DLQ").isEmpty();
    assertThat(sqs.sent).singleElement().satisfies(copy -> {
      assertThat(copy.messageAttributes().get("offhours-deferrals").stringValue())
          .as("the count is carried, not incremented")
          .isEqualTo("3");
      assertThat(copy.messageAttributes().get("offhours-throttles").stringValue())
          .as("the throttle is counted apart")
          .isEqualTo("1");
      assertThat(copy.messageAttributes().get("offhours-deferral-reason").stringValue())
          .isEqualTo(
              "the endpoint is busy: it turned the request away as over its rate or concurrency");
    });
  }

  @Test
  void theRestOfABatchAfterAThrottleIsDeferredUncountedToo() {
    runtime.answer = r -> {
      throw throttled();
    };

    SQSBatchResponse response = run(twoImages(), "BATCH_CONCURRENCY", "1");

    assertThat(failures(response)).isEmpty();
    assertThat(runtime.requests).hasSize(1);
    assertThat(sqs.sent).hasSize(2).allSatisfy(copy -> {
      assertThat(copy.messageAttributes()).doesNotContainKey("offhours-deferrals");
      assertThat(copy.messageAttributes().get("offhours-deferral-reason").stringValue())
          .contains("the endpoint is busy");
    });
  }

  @Test
  void aDeferredCopyCarriesItsReasonForTheDlqAndReplacesAnOlderOne() {
    runtime.answer = r -> {
      throw SageMakerRuntimeException.builder().statusCode(503).build();
    };
    SQSEvent event = event(message("m1", notification("a.jpg", 112525L, "e1", "")));
    SQSEvent.MessageAttribute older = new SQSEvent.MessageAttribute();
    older.setDataType("String");
    older.setStringValue("an older reason");
    event.getRecords().getFirst().setMessageAttributes(Map.of("offhours-deferral-reason", older));

    run(event);

    assertThat(sqs.sent).singleElement().satisfies(copy -> {
      assertThat(copy.messageAttributes().get("offhours-deferrals").stringValue())
          .isEqualTo("1");
      assertThat(copy.messageAttributes().get("offhours-deferral-reason").stringValue())
          .isEqualTo("SageMaker could not serve the request now (HTTP 503)");
    });
  }

  @Test
  void anAbsentEndpointsDeferralReasonIsInOffhoursWordsAndOnlyTheLogKeepsSageMakersText()
      throws IOException {
    runtime.answer = r -> {
      throw endpointNotFound();
    };

    run(event(message("m1", notification("a.jpg", 112525L, "e1", ""))));

    assertThat(sqs.sent)
        .singleElement()
        .satisfies(copy -> assertThat(
                copy.messageAttributes().get("offhours-deferral-reason").stringValue())
            .as("what `dlq` shows: no account id, no SDK error code")
            .isEqualTo("the endpoint is off: it does not exist now"));
    JsonNode record = logLines().getFirst().get("records").get(0);
    assertThat(record.get("detail").asText())
        .isEqualTo("the endpoint is off: it does not exist now");
    assertThat(record.get("service").asText())
        .as("for an operator debugging the stack, as the controller's log says it")
        .isEqualTo("ValidationError (HTTP 400): Endpoint offhours-endpoint of account 123456789012"
            + " not found.");
  }

  @Test
  void aReasonQuotingControlCharactersOfTheContainerReachesTheQueueEscaped() {
    // A container's coloured log line as its error text: SQS would refuse ESC and NUL in the
    // attribute.
    runtime.answer = r -> {
      throw crash("\u001b[31mworker died\u001b[0m\u0000");
    };

    run(twoImages(), "BATCH_CONCURRENCY", "1");

    assertThat(sqs.sent)
        .hasSize(2)
        .extracting(c -> c.messageAttributes().get("offhours-deferral-reason").stringValue())
        .allSatisfy(reason -> assertThat(reason)
            .contains("(status 500): \\x1b[31mworker died\\x1b[0m\\x00;")
            .doesNotContain("\u001b", "\u0000"));
  }

  // ------------------------------------------------------------------ unexpected failures

  @Test
  void anUnexpectedFailureIsLoggedWithTheMessageIdAndTheExceptionOnTheInlinePath()
      throws IOException {
    runtime.answer = r -> {
      throw SageMakerRuntimeException.builder().statusCode(503).build();
    };
    sqs.failWith = new IllegalStateException("a bug in the deferral");

    SQSBatchResponse response = run(event(message("m1", notification("a.jpg", 112525L, "e1", ""))));

    assertThat(failures(response)).containsExactly("m1");
    assertUnexpectedLogged("m1");
  }

  @Test
  void anUnexpectedFailureIsLoggedTheSameWayOnTheWorkerPath() throws IOException {
    runtime.answer = r -> {
      throw SageMakerRuntimeException.builder().statusCode(503).build();
    };
    sqs.failWith = new IllegalStateException("a bug in the deferral");

    SQSBatchResponse response = run(twoImages(), "BATCH_CONCURRENCY", "2");

    assertThat(failures(response)).containsExactlyInAnyOrder("m1", "m2");
    assertUnexpectedLogged("m1");
    assertUnexpectedLogged("m2");
  }

  private void assertUnexpectedLogged(String messageId) throws IOException {
    assertThat(logLines())
        .filteredOn(l -> l.path("messageId").asText().equals(messageId))
        .singleElement()
        .satisfies(line -> {
          assertThat(line.get("level").asText()).isEqualTo("ERROR");
          assertThat(line.get("outcome").asText()).isEqualTo("RETRY");
          assertThat(line.get("error").asText())
              .isEqualTo("java.lang.IllegalStateException: a bug in the deferral");
          assertThat(line.get("stackTrace").asText()).contains("at offhours.classify.");
        });
  }

  // ------------------------------------------------------------------ inputs that slip through

  @Test
  void anEventForAnotherBucketIsRejectedUnderTheMessageWithoutTouchingThatBucket() {
    String body = notification("a.jpg", 1L, "e1", "")
        .replace("\"name\":\"" + BUCKET + "\"", "\"name\":\"someone-else\"");

    SQSBatchResponse response = run(event(message("m1", body)));

    assertThat(failures(response)).isEmpty();
    assertThat(s3.gets).isEmpty();
    Map<String, AttributeValue> item = item("sqs://offhours-queue/m1");
    assertThat(item.get("sk").s()).isEqualTo("m#record-0");
    assertThat(item.get("reason").s())
        .isEqualTo(
            "record 0 is about bucket someone-else; this function classifies uploads to offhours-images only");
  }

  @Test
  void anotherBucketsNameFromTheQueueIsQuotedEscapedAndCutInTheReason() {
    // Any sender to the queue writes the body: a name S3 would never allow, long and with an ESC.
    String name = "\u001b[2J" + "b".repeat(5000);
    String body = notification("a.jpg", 1L, "e1", "")
        .replace("\"name\":\"" + BUCKET + "\"", "\"name\":\"\\u001b[2J" + "b".repeat(5000) + "\"");

    run(event(message("m1", body)));

    String reason = item("sqs://offhours-queue/m1").get("reason").s();
    assertThat(reason)
        .startsWith("record 0 is about bucket \\x1b[2Jbbb")
        .contains("... (" + name.length() + " characters); this function classifies uploads to")
        .doesNotContain("\u001b")
        .hasSizeLessThan(200);
  }

  @Test
  void recordsWithoutEventNameOrVersionIdentityAreRejectedWithTheReason() {
    String noName = "{\"Records\":["
        + record("a.jpg", 1L, "e1", "").replace("\"eventName\":\"ObjectCreated:Put\",", "") + "]}";
    String noIdentity = "{\"Records\":["
        + record("b.png", 1L, "", "").replace(",\"sequencer\":\"00AB\"", "") + "]}";

    run(event(message("m1", noName), message("m2", noIdentity)));

    assertThat(item("sqs://offhours-queue/m1").get("reason").s())
        .isEqualTo("record 0 for s3://offhours-images/a.jpg has no eventName");
    assertThat(item("sqs://offhours-queue/m2").get("reason").s())
        .isEqualTo(
            "record 0 for s3://offhours-images/b.png"
                + " has no versionId, eTag or sequencer, so the object version it is about cannot be told apart from any other");
    assertThat(runtime.requests).isEmpty();
  }

  @Test
  void aBodyWithMoreRecordsThanAnyNotificationIsRejected() {
    String body = "{\"Records\":["
        + String.join(",", java.util.Collections.nCopies(150, record("a.jpg", 1L, "e1", "")))
        + "]}";

    run(event(message("m1", body)));

    assertThat(item("sqs://offhours-queue/m1").get("reason").s())
        .isEqualTo(
            "the message holds 150 records; S3 sends one per notification and offhours reads at most 100");
    assertThat(s3.gets).isEmpty();
  }

  @Test
  void nonFiniteScoresAreAContractErrorRetriedNotAVerdictNorACrash() throws IOException {
    runtime.answer = r -> "[0.1, 0.7, 0.05, 0.1, 1e999]";

    SQSBatchResponse response = run(event(message("m1", notification("a.jpg", 112525L, "e1", ""))));

    assertThat(failures(response)).containsExactly("m1");
    assertThat(dynamo.puts).isEmpty();
    assertThat(firstRecordDetail())
        .isEqualTo(
            "the endpoint's answer"
                + " does not fit the model's settings: the score at index 4 is not a finite number: [0.1, 0.7, 0.05, 0.1, 1e999]");
  }

  @Test
  void aModelRefusingTheContentTypeIsRetriedAsTheDeploymentsFaultNeverAVerdict() {
    runtime.answer = r -> {
      throw ModelErrorException.builder()
          .statusCode(424)
          .originalStatusCode(415)
          .originalMessage("unsupported media type")
          .build();
    };

    SQSBatchResponse response = run(event(message("m1", notification("a.jpg", 112525L, "e1", ""))));

    assertThat(failures(response)).containsExactly("m1");
    assertThat(dynamo.puts).isEmpty();
  }

  // ------------------------------------------------------------------ the request and what the
  // result records

  @Test
  void contentTypeAutoSendsEachImagesOwnTypeWithTheConfiguredAccept() {
    run(
        twoImages(),
        "CONTENT_TYPE",
        "auto",
        "ACCEPT",
        "application/json;verbose",
        "BATCH_CONCURRENCY",
        "1");

    assertThat(runtime.requests)
        .extracting(r -> r.contentType() + " " + r.accept())
        .containsExactly(
            "image/jpeg application/json;verbose", "image/png application/json;verbose");
  }

  @Test
  void theResultRecordsTheVariantThatAnsweredAndHowItsScoresWereRead() {
    runtime.variant = "offhours-model-v2";
    runtime.answer = r -> "[[2.0, 0.5, -1.0, 0.1, 0.3]]";

    run(
        event(message("m1", notification("a.jpg", 112525L, "e1", ""))),
        "MODEL_NAME",
        "offhours-model-v2");

    Map<String, AttributeValue> item = item("s3://offhours-images/a.jpg");
    assertThat(item.get("model").s()).isEqualTo("offhours-model-v2");
    assertThat(item.get("scores").s()).isEqualTo("logits");
    assertThat(item.get("topLabel").s()).isEqualTo("Drawing");
    assertThat(Double.parseDouble(item.get("topScore").n())).isBetween(0.5, 1.0);
  }

  /**
   * A stack update replaced the model and its labels: Classify's `live` version reads with the new labels while the
   * endpoint still runs the old model, until the controller has paused the trigger and replaced it. Five scores, five
   * labels: read, they would be written under the new model's class names.
   */
  @Test
  void anAnswerFromAnotherModelThanTheSettingsDescribeIsDeferredNotWrittenUnderTheirLabels() {
    runtime.variant = "offhours-model-old";

    SQSBatchResponse response = run(
        twoImages(),
        "MODEL_NAME",
        "offhours-model-new",
        "LABELS",
        "cat,dog,bird,fish,horse",
        "BATCH_CONCURRENCY",
        "1");

    assertThat(dynamo.puts).as("no result under the new labels").isEmpty();
    assertThat(failures(response)).as("no receive is spent").isEmpty();
    assertThat(runtime.requests)
        .as("the rest of the batch waits without invoking")
        .hasSize(1);
    assertThat(sqs.sent).hasSize(2);
    assertThat(sqs.sent
            .getFirst()
            .messageAttributes()
            .get("offhours-deferral-reason")
            .stringValue())
        .isEqualTo(
            "the endpoint answered from model offhours-model-old, but this function's settings are"
                + " for model offhours-model-new (a stack update is replacing one with the other); not read"
                + " with them, the message waits for the endpoint of offhours-model-new");
  }

  @Test
  void theVariantNamesItsModelWithoutRegardToCase() {
    runtime.variant = "Model-Qw3rTy8UiOp1";

    run(
        event(message("m1", notification("a.jpg", 112525L, "e1", ""))),
        "MODEL_NAME",
        "model-qw3rty8uiop1");

    assertThat(item("s3://offhours-images/a.jpg").get("status").s()).isEqualTo("CLASSIFIED");
    assertThat(sqs.sent).isEmpty();
  }

  @Test
  void withoutAVariantInTheAnswerTheResultRecordsTheStacksModel() {
    run(event(message("m1", notification("a.jpg", 112525L, "e1", ""))));

    assertThat(item("s3://offhours-images/a.jpg").get("model").s()).isEqualTo("offhours-model");
    assertThat(item("s3://offhours-images/a.jpg").get("scores").s()).isEqualTo("probabilities");
  }
}
