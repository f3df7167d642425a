package offhours.local.lambda;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import offhours.aws.AwsClients;
import offhours.aws.AwsClients.Service;
import offhours.aws.PayloadLimits;
import offhours.local.invocation.Invoked;
import offhours.testing.UnusedSqs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * A JSON function (the controller, in local mode) is one function whichever way it is reached, the Invoke API or the
 * scheduler (the timer queue's mapping: LocalLambdaIT): each invocation in one of its execution environments, with its
 * own timeout, and one that outlives it ends its environment, so the next starts a fresh one.
 */
class InvocationPathsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String NAME = "offhours-controller";
  private static final String TICK = "{\"source\":\"offhours.schedule\"}";
  /** Lambda's shortest timeout, for the function here (the controller's template Timeout is longer). */
  private static final Duration TIMEOUT = Duration.ofSeconds(1);

  // Never called: no mapping is created here.
  private final SqsClient sqs = UnusedSqs.client();
  private final LocalLambda local = LocalLambda.builder(sqs).start();
  private final AwsClients clients = AwsClients.local(
      Region.US_EAST_1, local.credentials(), Map.of(Service.LAMBDA, local.endpoint()));
  // The call's own timeout is a guard: an invocation the local Lambda never ends fails the test.
  private final LambdaClient lambda = clients.build(
      Service.LAMBDA,
      LambdaClient.builder()
          .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry())
              .apiCallTimeout(Duration.ofSeconds(30))));
  private final LocalScheduler scheduler = new LocalScheduler();

  private final AtomicInteger inits = new AtomicInteger();
  private final List<String> closed = new CopyOnWriteArrayList<>();
  private final List<Integer> remaining = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    scheduler.close();
    lambda.close();
    clients.close();
    local.close();
    sqs.close();
  }

  /**
   * Registers the function: each environment counts its init, opens a resource that records its closing, and its first
   * invocation waits until interrupted, outliving the timeout; its answer names its environment.
   */
  private void register() {
    local.registerJsonFunction(
        NAME,
        environment -> {
          int init = inits.incrementAndGet();
          environment.open(() -> closed.add("environment " + init));
          AtomicInteger runs = new AtomicInteger();
          return (event, context) -> {
            remaining.add(context.getRemainingTimeInMillis());
            if (init == 1 && runs.incrementAndGet() == 1) {
              try {
                Thread.sleep(Long.MAX_VALUE);
              } catch (InterruptedException e) {
                return Map.of("environment", init, "interrupted", true);
              }
            }
            return Map.of("environment", init);
          };
        },
        TIMEOUT);
  }

  private InvokeResponse invoke() {
    return lambda.invoke(
        r -> r.functionName(NAME).payload(SdkBytes.fromUtf8String("{\"action\":\"start\"}")));
  }

  /**
   * Lambda answers at most 6,291,556 bytes (PayloadLimits): a larger answer fails the invocation, as the API function's
   * page of results would on AWS, so local mode does not answer what AWS cannot.
   */
  @Test
  void anAnswerLargerThanLambdaReturnsFailsTheInvocation() {
    int limit = PayloadLimits.LAMBDA_RESPONSE_PAYLOAD_BYTES;
    // {"a":"..."}: 8 bytes around the text.
    local.registerJsonFunction(
        NAME,
        environment ->
            (event, context) -> Map.of("a", "x".repeat(((Number) event.get("n")).intValue())),
        Duration.ofSeconds(30));

    Invoked largest = local.invoker(NAME).invoke(("{\"n\":" + (limit - 8) + "}").getBytes(UTF_8));
    Invoked over = local.invoker(NAME).invoke(("{\"n\":" + (limit - 7) + "}").getBytes(UTF_8));

    assertThat(largest.failed()).isFalse();
    assertThat(largest.response()).hasSize(limit);
    assertThat(over.failed()).isTrue();
    assertThat(over.errorType()).isEqualTo("Function.ResponseSizeTooLarge");
    assertThat(over.errorMessage())
        .isEqualTo("Response payload size exceeded maximum allowed payload size (6291556 bytes).");
  }

  @Test
  void anInvokeIsCutAtTheFunctionsTimeoutAndEndsItsEnvironmentAndTheNextInvokeStartsAFreshOne()
      throws Exception {
    register();

    InvokeResponse cut = invoke();

    assertThat(cut.functionError()).isEqualTo("Unhandled");
    JsonNode error = JSON.readTree(cut.payload().asUtf8String());
    assertThat(error.path("errorType").asText()).isEqualTo("Sandbox.Timedout");
    assertThat(error.path("errorMessage").asText())
        .isEqualTo("RequestId: " + cut.responseMetadata().requestId()
            + " Error: Task timed out after 1.0 seconds");
    assertThat(closed).as("what the ended environment opened").containsExactly("environment 1");

    InvokeResponse next = invoke();
    assertThat(next.functionError()).isNull();
    assertThat(next.payload().asUtf8String()).isEqualTo("{\"environment\":2}");
    assertThat(inits).as("one cold start after the timeout").hasValue(2);
    assertThat(remaining)
        .as("each invocation's time, the function's timeout")
        .allSatisfy(left -> assertThat(left).isBetween(1, (int) TIMEOUT.toMillis()));
  }

  @Test
  void aScheduledRunIsAnInvocationOfTheSameFunctionCutAtItsTimeout() throws Exception {
    register();
    scheduler.schedule(NAME, Duration.ofHours(1), TICK, local.invoker(NAME));

    Invoked cut = scheduler.runNow(NAME);

    assertThat(cut.errorType()).isEqualTo("Sandbox.Timedout");
    assertThat(closed).containsExactly("environment 1");
    assertThat(new String(scheduler.runNow(NAME).response(), UTF_8))
        .isEqualTo("{\"environment\":2}");
    assertThat(invoke().payload().asUtf8String())
        .as("the Invoke API reaches the environment the scheduler's run left free")
        .isEqualTo("{\"environment\":2}");
    assertThat(inits).hasValue(2);
    assertThat(remaining)
        .as("each run's time, the function's timeout, not the scheduler's own")
        .allSatisfy(left -> assertThat(left).isBetween(1, (int) TIMEOUT.toMillis()));
  }
}
