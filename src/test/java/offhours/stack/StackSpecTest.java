package offhours.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class StackSpecTest {

  @Test
  void queueKeepsMessagesFourteenDaysAndHidesThemSixFunctionTimeoutsAndTheLongestBatchingWindow() {
    assertThat(StackSpec.QUEUE.retentionSeconds()).isEqualTo(14 * 24 * 3600);
    assertThat(StackSpec.QUEUE.visibilityTimeoutSeconds())
        .isEqualTo(6 * StackSpec.CLASSIFY_TIMEOUT_SECONDS + StackSpec.MAX_BATCHING_WINDOW_SECONDS)
        .isEqualTo(1020);
    assertThat(StackSpec.QUEUE.maxReceiveCount()).isEqualTo(5);
  }

  @Test
  void theTimerQueueHasNoBatchingWindowSoSixControllerTimeoutsHideAMessage() {
    assertThat(StackSpec.TIMER_QUEUE.batchingWindowSeconds()).isZero();
    assertThat(StackSpec.TIMER_QUEUE.visibilityTimeoutSeconds())
        .isEqualTo(6 * StackSpec.CONTROLLER_TIMEOUT_SECONDS)
        .isEqualTo(360);
  }

  @Test
  void theApiFunctionAnswersBeforeApiGatewaysThirtySecondsRunOut() {
    // API Gateway ends an HTTP API's integration after 30 s and answers 503 for it: the function
    // ends first, with its own answer.
    assertThat(StackSpec.API_TIMEOUT_SECONDS)
        .as("StackSpec.API_TIMEOUT_SECONDS (template.yaml ApiFunction Timeout)")
        .isLessThan(30);
  }

  @Test
  void aFunctionTimeoutWhoseSixfoldExceedsTwelveHoursIsImpossibleForLambdaAnyway() {
    assertThat(StackSpec.Queue.forTrigger(900, 300, 5).visibilityTimeoutSeconds())
        .isEqualTo(5700);
    assertThatThrownBy(() -> StackSpec.Queue.forTrigger(901, 0, 5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a Lambda timeout is 1..900 s, got 901");
  }

  @Test
  void aBatchingWindowLambdaWouldRefuseIsRejectedWithItsRange() {
    assertThatThrownBy(() -> StackSpec.Queue.forTrigger(120, 301, 5))
        .hasMessage("the batching window must be 0..300 s, got 301");
    assertThatThrownBy(() -> StackSpec.Queue.forTrigger(120, -1, 5))
        .hasMessage("the batching window must be 0..300 s, got -1");
    assertThatThrownBy(() -> new StackSpec.Trigger(10, 301, 5))
        .hasMessage("the batching window must be 0..300 s, got 301");
  }

  @Test
  void queueSettingsOutsideSqsLimitsAreRejectedWithTheLimit() {
    assertThatThrownBy(() -> new StackSpec.Queue(1_209_601, 720, 5))
        .hasMessage("SQS retention must be 60..1209600 s, got 1209601");
    assertThatThrownBy(() -> new StackSpec.Queue(1_209_600, 43_201, 5))
        .hasMessage("SQS visibility timeout must be 0..43200 s, got 43201");
    assertThatThrownBy(() -> new StackSpec.Queue(1_209_600, 720, 1001))
        .hasMessage("maxReceiveCount must be 3..1000 (an image the model crashes on gets its"
            + " verdict on receive 3), got 1001");
  }

  @Test
  void fewerReceivesThanAModelCrashVerdictNeedsAreRejected() {
    assertThatThrownBy(() -> new StackSpec.Queue(1_209_600, 720, 2))
        .hasMessage("maxReceiveCount must be 3..1000 (an image the model crashes on gets its"
            + " verdict on receive 3), got 2");
    assertThat(new StackSpec.Queue(1_209_600, 720, 3).maxReceiveCount()).isEqualTo(3);
  }

  @Test
  void redrivePolicyNamesTheDeadLetterQueueAndTheReceiveLimit() {
    assertThat(StackSpec.QUEUE.redrivePolicy("arn:aws:sqs:us-east-1:123456789012:offhours-dlq"))
        .isEqualTo(
            "{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:123456789012:offhours-dlq\",\"maxReceiveCount\":\"5\"}");
  }

  @Test
  void notificationCoversEveryCaseVariantOfTheImageSuffixesWithLowerCaseRuleNames() {
    assertThat(StackSpec.NOTIFICATION.suffixes())
        .hasSize(8 + 16 + 8)
        .doesNotHaveDuplicates()
        .startsWith(".jpg", ".jpG", ".jPg")
        .contains(".Jpg", ".JPeg", ".jpEG", ".Png", ".PNG")
        .endsWith(".PNG");
    assertThat(StackSpec.NOTIFICATION.suffixes())
        .allSatisfy(s -> assertThat(s.toLowerCase(Locale.ROOT)).isIn(StackSpec.IMAGE_EXTENSIONS));
    assertThat(StackSpec.NOTIFICATION.filterRuleName()).isEqualTo("suffix");
    assertThat(StackSpec.NOTIFICATION.event()).isEqualTo("s3:ObjectCreated:*");
  }

  @Test
  void theNotificationsPredicateSaysWhichKeysGetAResult() {
    assertThat(List.of("IMG_1.Jpg", "a.Png", "b.JPeg", "photo.jpg", "x/y z.PNG", ".jpeg"))
        .allMatch(StackSpec.NOTIFICATION::matches);
    assertThat(List.of("notes.txt", "a.jpg.txt", "jpg", "a.jp g", "a.gif", "a.JPG ", "a.pngx"))
        .noneMatch(StackSpec.NOTIFICATION::matches);
  }

  @Test
  void overlappingSuffixesAreRefusedAsS3RefusesThem() {
    assertThatThrownBy(() ->
            new StackSpec.Notification("s3:ObjectCreated:*", "suffix", List.of(".jpg", "jpg")))
        .hasMessage("S3 refuses overlapping suffixes: jpg and .jpg");
  }

  @Test
  void triggerNeedsAtLeastTwoConcurrentInvocationsAsLambdaDoes() {
    assertThat(StackSpec.TRIGGER).isEqualTo(new StackSpec.Trigger(10, 5, 5));
    assertThatThrownBy(() -> new StackSpec.Trigger(10, 5, 1))
        .hasMessage("maximum concurrency must be 2..1000, got 1");
    assertThatThrownBy(() -> new StackSpec.Trigger(11, 0, 5))
        .hasMessage("a batch size over 10 needs a batching window of at least 1 s, got 0");
  }

  @Test
  void resultsTableKeysIncludeTheLabelAndStatusIndexes() {
    assertThat(StackSpec.RESULTS_TABLE.keyAttributes())
        .containsExactly("pk", "sk", "topLabel", "classifiedAt", "status");
    assertThat(StackSpec.CONTROL_TABLE.keyAttributes()).containsExactly("pk", "sk");
    assertThat(new TableSchema("pk", "sk", List.of(new TableSchema.Index("i", "pk", "x")))
            .keyAttributes())
        .containsExactly("pk", "sk", "x");
  }

  @Test
  void localNamesFollowTheContracts() {
    StackSpec.Names names = StackSpec.Names.local();
    assertThat(names.bucket()).isEqualTo("offhours-images");
    assertThat(names.queue()).isEqualTo("offhours-queue");
    assertThat(names.deadLetterQueue()).isEqualTo("offhours-dlq");
    assertThat(names.resultsTable()).isEqualTo("offhours-results");
    assertThat(names.controlTable()).isEqualTo("offhours-control");
    assertThat(names.endpoint()).isEqualTo("offhours-endpoint");
    assertThatThrownBy(() -> new StackSpec.Names("b", "q", " ", "r", "c", "m", "ec", "e", "f"))
        .hasMessage("every resource name must be non-blank, got  ");
  }

  @Test
  void environmentDefaultsFollowTheContracts() {
    assertThat(FunctionVariables.CLASSIFY_ENV)
        .containsEntry("TOP_K", "3")
        .containsEntry("MAX_IMAGE_BYTES", "6291456")
        .containsEntry("BATCH_CONCURRENCY", "8")
        .containsEntry("DEFER_SECONDS", "60");
    assertThat(FunctionVariables.CONTROLLER_ENV)
        .containsEntry("IDLE_STOP_MINUTES", "15")
        .containsEntry("CREATE_TIMEOUT_MINUTES", "45")
        .containsEntry("DRAIN_TIMEOUT_MINUTES", "10")
        .containsKeys("MAPPING_UUID", "DLQ_URL", "CONTROL_TABLE_NAME", "TIMER_QUEUE_URL");
    assertThat(FunctionVariables.API_ENV)
        .as("only the controller arms its timer")
        .containsKeys("MAPPING_UUID", "DLQ_URL")
        .doesNotContainKey("TIMER_QUEUE_URL");
  }

  /** README quotes these limits as facts; each is computed here from the one place that holds it. */
  @Test
  void readmeQuotesTheStacksLimitsAsStackSpecHoldsThem() throws java.io.IOException {
    String readme =
        java.nio.file.Files.readString(java.nio.file.Path.of("README.md")).replaceAll("\\s+", " ");
    java.text.NumberFormat grouped = java.text.NumberFormat.getIntegerInstance(Locale.ROOT);
    List<String> quotes = List.of(
        "`MAX_IMAGE_BYTES` (from the event's size, before any download): "
            + grouped.format(Hosting.SCHEDULED.maxImageBytes())
            + " bytes (InvokeEndpoint's Body maximum), and "
            + grouped.format(Hosting.SERVERLESS.maxImageBytes()) + " with `Hosting=serverless`",
        "A key over S3's " + grouped.format(StackSpec.MAX_KEY_BYTES) + " bytes",
        "over " + grouped.format(StackSpec.MAX_KEY_BYTES) + " bytes); 2.",
        "A class name is at most " + offhours.results.ResultsTable.MAX_PARTITION_KEY_BYTES
            + " bytes of UTF-8",
        "(" + StackSpec.QUEUE.retentionSeconds() / 86_400 + " days' retention",
        "cut "
            + java.math.BigDecimal.valueOf(offhours.aws.InvocationDeadline.END.toMillis(), 3)
                .stripTrailingZeros()
                .toPlainString()
            + " s before the function's " + StackSpec.API_TIMEOUT_SECONDS + " s Timeout",
        "the timer queue's " + StackSpec.TIMER_QUEUE.visibilityTimeoutSeconds() / 60
            + "-minute visibility timeout");
    assertThat(quotes.stream().filter(quote -> !readme.contains(quote)).toList())
        .as(
            "what README.md should say, from StackSpec, Hosting, ResultsTable and InvocationDeadline, and"
                + " does not")
        .isEmpty();
  }
}
