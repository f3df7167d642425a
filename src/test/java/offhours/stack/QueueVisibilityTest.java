package offhours.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each queue an SQS trigger reads hides a message for six of its function's timeouts plus the longest batching window
 * the trigger may have: a change to the function's Timeout or to what the window's parameter accepts, without the
 * queue, is reported ({@link QueueVisibility}).
 */
class QueueVisibilityTest {

  private static String template() throws IOException {
    return Files.readString(Path.of("template.yaml"));
  }

  private static List<String> differences(String template) {
    return QueueVisibility.differences(CloudFormationYaml.parse(template));
  }

  private static String changed(String template, String from, String to) {
    assertThat(template).as("template.yaml contains %s once", from).containsOnlyOnce(from);
    return template.replace(from, to);
  }

  @Test
  void everyTriggeredQueueOfTheTemplateHasRoomForItsFunctionAndItsWindow() throws IOException {
    assertThat(differences(template())).isEmpty();
  }

  @Test
  void aLongerClassifyTimeoutWithoutALongerQueueTimeoutIsReported() throws IOException {
    String longer = changed(
        template(),
        "      MemorySize: 1024\n      Timeout: 120\n",
        "      MemorySize: 1024\n      Timeout: 150\n");
    assertThat(differences(longer))
        .containsExactly("ImagesQueue VisibilityTimeout is 1020 but must be 6 x ClassifyFunction"
            + " Timeout (150) + the longest batching window of its Queue trigger (BatchingWindowSeconds"
            + " allows up to 300) = 1200");
  }

  @Test
  void aNarrowerBatchingWindowParameterIsReportedToo() throws IOException {
    String narrower = changed(
        template(),
        "AllowedPattern: \"^(0|[1-9][0-9]?|[12][0-9]{2}|300)$\"",
        "AllowedPattern: \"^(0|[1-9][0-9]?|1[0-9]{2}|200)$\"");
    assertThat(differences(narrower))
        .containsExactly("ImagesQueue VisibilityTimeout is 1020 but must be 6 x ClassifyFunction"
            + " Timeout (120) + the longest batching window of its Queue trigger (BatchingWindowSeconds"
            + " allows up to 200) = 920");
  }

  @Test
  void aBatchingWindowParameterWiderThanLambdaAllowsIsReported() throws IOException {
    String wider = changed(
        template(),
        "AllowedPattern: \"^(0|[1-9][0-9]?|[12][0-9]{2}|300)$\"",
        "AllowedPattern: \"^(0|[1-9][0-9]?|[1-5][0-9]{2}|600)$\"");
    assertThat(differences(wider))
        .containsExactly("ClassifyFunction Queue: the batching window must be 0..300 s, got 600");
  }

  @Test
  void theTimerQueueIsHeldToTheSameRule() throws IOException {
    String window = changed(
        template(),
        "            BatchSize: 10\n            MaximumBatchingWindowInSeconds: 0\n",
        "            BatchSize: 10\n            MaximumBatchingWindowInSeconds: 20\n");
    assertThat(differences(window))
        .containsExactly("ControllerTimerQueue VisibilityTimeout is 360 but must be 6 x"
            + " ControllerFunction Timeout (60) + the longest batching window of its Timer trigger"
            + " (MaximumBatchingWindowInSeconds 20) = 380");
  }

  @Test
  void theLargestValueAParameterAcceptsIsReadFromItsConstraint() throws IOException {
    ParameterConstraints constraints =
        new ParameterConstraints(CloudFormationYaml.parse(template()));
    assertThat(QueueVisibility.largestAccepted(constraints, "BatchingWindowSeconds"))
        .isEqualTo(StackSpec.MAX_BATCHING_WINDOW_SECONDS);
  }
}
