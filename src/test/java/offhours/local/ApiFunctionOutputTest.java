package offhours.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import offhours.api.ApiConfig;
import offhours.aws.AwsClients;
import offhours.aws.AwsClients.Service;
import offhours.classify.ClassifyConfig;
import offhours.local.lambda.LocalLambda;
import offhours.stack.StackSpec;
import offhours.testing.StubHttpServer;
import offhours.testing.StubHttpServer.Reply;
import offhours.testing.UnusedSqs;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The API function on the local Lambda writes its own lines (here a route that failed) to its execution environment's
 * standard output: they show while the environment lives, and what its handler says after the environment has ended
 * (an invocation cut off, its AWS call failing after) shows nowhere, as a Lambda environment shut down logs nothing.
 */
class ApiFunctionOutputTest {

  private static final LocalResources.Provisioned PROVISIONED = new LocalResources.Provisioned(
      "offhours-images",
      "http://127.0.0.1:1/000000000000/offhours-queue",
      "arn:aws:sqs:us-east-1:000000000000:offhours-queue",
      "http://127.0.0.1:1/000000000000/offhours-dlq",
      "arn:aws:sqs:us-east-1:000000000000:offhours-dlq",
      "offhours-results",
      "offhours-control",
      "http://127.0.0.1:1/000000000000/offhours-queue-timer",
      "arn:aws:sqs:us-east-1:000000000000:offhours-queue-timer");
  private static final LocalDeployment.Options OPTIONS =
      LocalDeployment.Options.defaults(Path.of("cache"));
  private static final byte[] GET_STATUS = ("{\"version\":\"2.0\",\"routeKey\":\"GET /status\","
          + "\"rawPath\":\"/status\",\"requestContext\":{\"http\":{\"method\":\"GET\"},"
          + "\"requestId\":\"req-1\"}}")
      .getBytes(StandardCharsets.UTF_8);

  @Test
  void aRouteThatFailedIsSaidWhileItsEnvironmentLivesAndNotOnceItEnded() {
    ByteArrayOutputStream shown = new ByteArrayOutputStream();
    PrintStream jvm = System.out;
    // Set before the function's first environment starts (at its registration): on Lambda too a
    // function's output is the runtime's standard output from its init on.
    System.setOut(new PrintStream(shown, true, StandardCharsets.UTF_8));
    try (SqsClient unused = UnusedSqs.client();
        LocalLambda lambda = LocalLambda.builder(unused).start();
        // Every call refused: at once for the first invocation, and for the second only once its
        // cut-off has ended its environment.
        StubHttpServer aws = StubHttpServer.start(request -> {
          if (cutting) {
            awaitCut(lambda);
          }
          return Reply.json(400, "{\"__type\":\"AccessDeniedException\",\"message\":\"denied\"}");
        });
        AwsClients stack = AwsClients.local(Region.US_EAST_1, everyService(aws.uri()))) {
      StackFunctions.api(
          lambda,
          stack,
          ApiConfig.fromEnv(
              FunctionEnvironments.api(StackSpec.Names.local(), PROVISIONED, "uuid", "", OPTIONS),
              true),
          ClassifyConfig.fromEnv(
              FunctionEnvironments.classify(StackSpec.Names.local(), PROVISIONED, "", OPTIONS)),
          Clock.systemUTC());

      assertThat(new String(
              lambda.invoker(LocalDeployment.API_FUNCTION).invoke(GET_STATUS).response(),
              StandardCharsets.UTF_8))
          .as("the first invocation's answer")
          .contains("\"statusCode\":502");
      cutting = true;
      lambda.cutNextInvocation(LocalDeployment.API_FUNCTION, Duration.ofMillis(300));
      assertThat(lambda.invoker(LocalDeployment.API_FUNCTION).invoke(GET_STATUS).errorType())
          .isEqualTo("Sandbox.Timedout");
      assertThat(lambda.cuts(LocalDeployment.API_FUNCTION).cut()).isEqualTo(1);
    } finally {
      System.setOut(jvm);
    }
    // Each invocation ran on this thread: its handler has returned, its line written or dropped.
    assertThat(shown.toString(StandardCharsets.UTF_8).lines())
        .singleElement()
        .asString()
        .startsWith("offhours api: GET /status failed (request req-1); AWS's answer: "
            + "AccessDeniedException");
  }

  /** Whether AWS's answers are held: the second invocation's, which is cut off. */
  private volatile boolean cutting;

  /** Waits until the cut-off has ended the invocation's environment (its count is seen then). */
  private static void awaitCut(LocalLambda lambda) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (lambda.cuts(LocalDeployment.API_FUNCTION).cut() == 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static Map<Service, URI> everyService(URI uri) {
    Map<Service, URI> endpoints = new EnumMap<>(Service.class);
    for (Service service : Service.values()) {
      endpoints.put(service, uri);
    }
    return endpoints;
  }
}
