package offhours.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import offhours.endpoint.cfn.EndpointCleanupHandler;
import offhours.endpoint.cfn.LiveVersionsHandler;
import org.junit.jupiter.api.Test;

/**
 * The numbers template.yaml's comments show, from what they stand for: StackSpec's constants, the custom resources'
 * budgets, and the template's own values a comment explains (a function's Timeout, a ServiceTimeout, an alarm's
 * periods). YAML has no way to name a value in a comment, so each is checked here instead.
 */
class TemplateCommentsTest {

  private static final int MIB = 1 << 20;

  private final StackResolver stack;

  TemplateCommentsTest() throws IOException {
    Map<String, String> parameters = new HashMap<>(FakeStack.REQUIRED_PARAMETERS);
    stack = new StackResolver(
        CloudFormationYaml.parse(Files.readString(Path.of("template.yaml"))),
        FakeStack.create(Map.of()).withParameters(parameters));
  }

  private long number(String logicalId, String property) {
    return Long.parseLong(String.valueOf(stack.properties(logicalId).get(property)));
  }

  private static long seconds(Duration d) {
    return d.toSeconds();
  }

  @Test
  void theCommentsQuoteTheValuesTheyExplain() throws IOException {
    String comments = TemplateComments.read();
    int queueVisibility = StackSpec.QUEUE.visibilityTimeoutSeconds();
    assertThat(queueVisibility % 60)
        .as("the images queue's visibility is whole minutes")
        .isZero();
    long cleanupServiceTimeout = number("EndpointCleanup", "ServiceTimeout");
    long apiAlarmPeriod = number("ApiServerErrorsAlarm", "Period");
    List<String> quotes = List.of(
        "A batch must fit in Classify's Timeout (" + StackSpec.CLASSIFY_TIMEOUT_SECONDS
            + " s) when each record takes the longest an endpoint may ("
            + StackSpec.CLASSIFY_TIMEOUT_SECONDS / StackSpec.maxBatchSize(1) + " s): BatchSize <= "
            + StackSpec.maxBatchSize(1) + " x BatchConcurrency",
        StackSpec.QUEUE.retentionSeconds() / 86_400 + " days: uploads wait out a long weekend",
        "6 x ClassifyFunction's Timeout (" + StackSpec.CLASSIFY_TIMEOUT_SECONDS + " s)",
        "BatchingWindowSeconds allows (" + StackSpec.MAX_BATCHING_WINDOW_SECONDS + " s)",
        "6 x ControllerFunction's Timeout (" + StackSpec.CONTROLLER_TIMEOUT_SECONDS + " s)",
        "not the queue's " + queueVisibility / 60 + " minutes",
        "where the queue's VisibilityTimeout would hide it " + queueVisibility / 60 + " minutes",
        "InvokeEndpoint takes " + Hosting.SCHEDULED.maxImageBytes() / MIB
            + " MB; a serverless endpoint " + Hosting.SERVERLESS.maxImageBytes() / MIB + " MB",
        "fires " + number("ApiServerErrorsAlarm", "EvaluationPeriods") * apiAlarmPeriod / 60
            + " minutes into a deployment",
        "as long as someone calls at least every " + apiAlarmPeriod / 60 + " minutes",
        "the cleanup waits up to " + seconds(EndpointCleanupHandler.BUDGET) + " s for that",
        "answers within the custom resource's ServiceTimeout (" + cleanupServiceTimeout + " s)",
        "fails the deletion after " + cleanupServiceTimeout / 60 + " minutes",
        "the function's Timeout (" + number("EndpointCleanupFunction", "Timeout")
            + " s) keeps its answer inside it",
        "Waits up to " + seconds(LiveVersionsHandler.BUDGET)
            + " s for the new versions to become Active",
        "answers within the custom resource's ServiceTimeout ("
            + number("LiveVersions", "ServiceTimeout") + " s)");
    assertThat(quotes.stream().filter(quote -> !comments.contains(quote)).toList())
        .as("what template.yaml's comments should say, from the values they explain, and do not")
        .isEmpty();
  }

  @Test
  void aCommentIsReadAcrossItsLineBreaksAndOnlyAsAComment() {
    String template = """
        Resources:
          # Waits up to 520 s
          #   for the versions
          Timeout: 590 # not a whole-line comment
        """;
    assertThat(TemplateComments.of(template)).isEqualTo("Waits up to 520 s for the versions");
  }
}
