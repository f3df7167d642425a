package offhours.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Predicate;
import offhours.api.ApiConfig;
import offhours.aws.AwsClients;
import offhours.aws.AwsClients.Service;
import offhours.classify.ClassifyConfig;
import offhours.endpoint.ControllerConfig;
import offhours.local.lambda.LocalLambda;
import offhours.stack.StackSpec;
import offhours.testing.IdleStackAws;
import offhours.testing.StubHttpServer;
import offhours.testing.StubHttpServer.Reply;
import offhours.testing.StubHttpServer.Request;
import offhours.testing.UnusedSqs;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Each of the stack's three functions on the local Lambda, as {@link StackFunctions} registers it, writes its own lines
 * to its execution environment's standard output: they show while the environment lives, and what its handler says
 * after the environment has ended (an invocation cut off, its AWS call failing after) shows nowhere, as a Lambda
 * environment shut down logs nothing.
 */
class StackFunctionsOutputTest {

  private static final LocalResources.Provisioned PROVISIONED = LocalFixtures.PROVISIONED;
  private static final LocalDeployment.Options OPTIONS = LocalFixtures.OPTIONS;
  private static final StackSpec.Names NAMES = StackSpec.Names.local();
  private static final ClassifyConfig CLASSIFY =
      ClassifyConfig.fromEnv(FunctionEnvironments.classify(NAMES, PROVISIONED, "", OPTIONS));
  private static final byte[] GET_STATUS = ("{\"version\":\"2.0\",\"routeKey\":\"GET /status\","
          + "\"rawPath\":\"/status\",\"requestContext\":{\"http\":{\"method\":\"GET\"},"
          + "\"requestId\":\"req-1\"}}")
      .getBytes(StandardCharsets.UTF_8);

  @Test
  void theApisRouteThatFailedIsSaidWhileItsEnvironmentLivesAndNotOnceItEnded() {
    Shown shown = afterAnInvocationAndOneCutOff(
        LocalDeployment.API_FUNCTION,
        GET_STATUS,
        StackFunctionsOutputTest::denied,
        request -> true,
        (lambda, stack) -> StackFunctions.api(
            lambda,
            stack,
            ApiConfig.fromEnv(
                FunctionEnvironments.api(NAMES, PROVISIONED, "uuid", "", OPTIONS), true),
            CLASSIFY,
            Clock.systemUTC()));

    assertThat(shown.answer()).as("the first invocation's answer").contains("\"statusCode\":502");
    assertThat(shown.cut()).as("what the cut-off invocation said").isEmpty();
    assertThat(shown.first())
        .singleElement()
        .asString()
        .startsWith("offhours api: GET /status failed (request req-1); AWS's answer: "
            + "AccessDeniedException");
  }

  @Test
  void classifysOutcomeLinesShowWhileItsEnvironmentLivesAndNotOnceItEnded() {
    Shown shown = afterAnInvocationAndOneCutOff(
        NAMES.classifyFunction(),
        event("sqs-s3-put.json"),
        StackFunctionsOutputTest::denied,
        request -> true,
        (lambda, stack) ->
            StackFunctions.classify(lambda, NAMES.classifyFunction(), stack, CLASSIFY));

    assertThat(shown.cut()).as("what the cut-off invocation said").isEmpty();
    // Its outcome, and the retry pause it could not set (ChangeMessageVisibilityBatch refused too).
    assertThat(shown.first())
        .isNotEmpty()
        .allSatisfy(line ->
            assertThat(line).contains("\"messageId\":\"059f36b4-87a3-44ab-83d2-661975509810\""))
        .first()
        .asString()
        .contains("\"outcome\":\"RETRY\"");
  }

  @Test
  void theControllersLinesShowWhileItsEnvironmentLivesAndNotOnceItEnded() {
    Shown shown = afterAnInvocationAndOneCutOff(
        LocalDeployment.CONTROLLER_FUNCTION,
        event("scheduler-tick.json"),
        IdleStackAws::answer,
        // The run's last call, its decision's record, is held: the run's EMF line shows, its
        // environment still there; what it says of the record, which the cut-off fails, does not.
        request -> "DynamoDB_20120810.PutItem".equals(request.header("X-Amz-Target"))
            && request.text().contains("{\"S\":\"decision\"}"),
        (lambda, stack) -> StackFunctions.controller(
            lambda,
            stack,
            ControllerConfig.fromEnvironment(
                FunctionEnvironments.controller(NAMES, PROVISIONED, "uuid", "", OPTIONS)),
            Clock.systemUTC()));

    assertThat(shown.first()).singleElement().asString().startsWith("{\"_aws\":");
    assertThat(shown.cut())
        .as("what the cut-off invocation said")
        .singleElement()
        .asString()
        .startsWith("{\"_aws\":");
  }

  /**
   * What a function's first invocation answered, and the lines each invocation showed on the JVM's standard output:
   * the first one's, and the cut-off one's.
   */
  private record Shown(String answer, List<String> first, List<String> cut) {}

  /**
   * Function {@code name}, which {@code register} registers with the local Lambda, invoked with {@code event} twice,
   * its AWS calls answered by {@code aws}: the first time at once; the second time, which is cut off, those
   * {@code held} picks only once the cut-off has ended its environment, so that whatever its handler says after them
   * must not show.
   */
  private Shown afterAnInvocationAndOneCutOff(
      String name,
      byte[] event,
      Function<Request, Reply> aws,
      Predicate<Request> held,
      BiConsumer<LocalLambda, AwsClients> register) {
    ByteArrayOutputStream shown = new ByteArrayOutputStream();
    PrintStream jvm = System.out;
    String answer;
    String first;
    // Set before the function's first environment starts (at its registration): on Lambda too a
    // function's output is the runtime's standard output from its init on.
    System.setOut(new PrintStream(shown, true, StandardCharsets.UTF_8));
    try (SqsClient unused = UnusedSqs.client();
        LocalLambda lambda = LocalLambda.builder(unused).start();
        StubHttpServer stub = StubHttpServer.start(request -> {
          if (cutting && held.test(request)) {
            awaitCut(lambda, name);
          }
          return aws.apply(request);
        });
        AwsClients stack = AwsClients.local(Region.US_EAST_1, everyService(stub.uri()))) {
      register.accept(lambda, stack);

      answer = new String(lambda.invoker(name).invoke(event).response(), StandardCharsets.UTF_8);
      first = shown.toString(StandardCharsets.UTF_8);
      cutting = true;
      lambda.cutNextInvocation(name, Duration.ofMillis(300));
      assertThat(lambda.invoker(name).invoke(event).errorType()).isEqualTo("Sandbox.Timedout");
      assertThat(lambda.cuts(name).cut()).isEqualTo(1);
    } finally {
      System.setOut(jvm);
    }
    // Each invocation ran on this thread: its handler has returned, its lines written or dropped.
    String all = shown.toString(StandardCharsets.UTF_8);
    return new Shown(
        answer, first.lines().toList(), all.substring(first.length()).lines().toList());
  }

  /** Whether AWS's answers are held: the second invocation's, which is cut off, from the call the test picks. */
  private volatile boolean cutting;

  /** Waits until the cut-off has ended the invocation's environment (its count is seen then). */
  private static void awaitCut(LocalLambda lambda, String name) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (lambda.cuts(name).cut() == 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Every call refused, as AWS refuses a role without the permission. */
  private static Reply denied(Request request) {
    return Reply.json(400, "{\"__type\":\"AccessDeniedException\",\"message\":\"denied\"}");
  }

  private static byte[] event(String fixture) {
    try {
      return Files.readAllBytes(Path.of("events", fixture));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
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
