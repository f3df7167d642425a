package offhours.endpoint;

import static org.assertj.core.api.Assertions.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import offhours.aws.AwsClients;
import offhours.aws.AwsClients.Service;
import offhours.aws.InvocationDeadline;
import offhours.aws.UsageLedger;
import offhours.inference.ModelContract;
import offhours.testing.StubHttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.lambda.model.UpdateEventSourceMappingRequest;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;
import software.amazon.awssdk.services.sagemakerruntime.model.InvokeEndpointRequest;

/**
 * Every call of the controller's clients ends before the run's deadline ({@link RunDeadline}); a loopback server that
 * never answers stands in for SageMaker, so only the deadline's cut can end a call.
 */
class RunDeadlineTest {

  private final CountDownLatch never = new CountDownLatch(1);
  private final StubHttpServer stalled = StubHttpServer.start(request -> {
    try {
      never.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return StubHttpServer.Reply.empty(500);
  });

  @AfterEach
  void close() {
    never.countDown();
    stalled.close();
  }

  private SageMakerClient sageMaker(AwsClients clients, Supplier<InvocationDeadline> run) {
    return clients
        .sharing(new RunDeadline(run))
        .build(Service.SAGEMAKER, SageMakerClient.builder());
  }

  private AwsClients local() {
    URI uri = stalled.uri();
    return AwsClients.local(Region.EU_CENTRAL_1, Map.of(Service.SAGEMAKER, uri));
  }

  @Test
  void aStalledDescribeIsCutWhereItLeavesTheLaterStepsTheirShares() {
    long left = RunDeadline.AFTER_READS.toMillis() + 300;
    try (AwsClients clients = local();
        SageMakerClient sageMaker = sageMaker(clients, () -> new InvocationDeadline(() -> left))) {

      assertThatThrownBy(() -> sageMaker.describeEndpoint(b -> b.endpointName("offhours-endpoint")))
          .isInstanceOf(ApiCallTimeoutException.class)
          .hasMessage("SageMaker's DescribeEndpoint was cut after 300 ms, 8000 ms before this"
              + " controller run's deadline (the function's Timeout), to leave the run's later"
              + " steps their time");
      assertThat(RunDeadline.outOfTime(new RuntimeException(
              "wrapped",
              ApiCallTimeoutException.create("SageMaker's DescribeEndpoint was cut", null))))
          .as("a cut read reads as out of time, however it is wrapped")
          .isTrue();
    }
  }

  @Test
  void withTooLittleLeftTheCallIsNotSentAndSaysSo() {
    try (AwsClients clients = local();
        SageMakerClient sageMaker = sageMaker(clients, () -> new InvocationDeadline(() -> 600))) {

      Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(
          () -> sageMaker.deleteEndpoint(b -> b.endpointName("offhours-endpoint")));

      assertThat(RunDeadline.outOfTime(thrown)).isTrue();
      assertThat(thrown)
          .isInstanceOf(InvocationDeadline.NoTimeLeft.class)
          .hasMessage("SageMaker's DeleteEndpoint of this controller run was not started: 600 ms"
              + " of this invocation remained, less than the 250 ms a call is given plus the 500"
              + " ms kept at its end");
      assertThat(stalled.requests()).isEmpty();
    }
  }

  @Test
  void withoutALambdaContextARequestIsLeftAsItIs() {
    SdkRequest request = UpdateEventSourceMappingRequest.builder().uuid("u").build();

    assertThat(modify(InvocationDeadline.NONE, request, "UpdateEventSourceMapping"))
        .isSameAs(request);
  }

  @Test
  void aCallWithoutATimeoutOfItsOwnIsGivenTheTimeLeftLessItsKeep() {
    SdkRequest modified = modify(
        new InvocationDeadline(() -> 40_000),
        UpdateEventSourceMappingRequest.builder().uuid("u").build(),
        "UpdateEventSourceMapping");

    assertThat(((UpdateEventSourceMappingRequest) modified).overrideConfiguration())
        .hasValueSatisfying(c -> assertThat(c.apiCallTimeout()).contains(Duration.ofSeconds(35)));
  }

  @Test
  void theProbeKeepsItsOwnThirtySecondsUntilTheDeadlineLeavesLess() {
    InvokeEndpointRequest probe = InvokeEndpointRequest.builder()
        .endpointName("e")
        .overrideConfiguration(c -> c.apiCallTimeout(TestInvocation.PROBE_TIMEOUT))
        .build();

    assertThat(modify(new InvocationDeadline(() -> 59_000), probe, "InvokeEndpoint"))
        .as("a run that read quickly: the probe's own 30 s end first")
        .isSameAs(probe);
    assertThat(((InvokeEndpointRequest)
                modify(new InvocationDeadline(() -> 25_000), probe, "InvokeEndpoint"))
            .overrideConfiguration())
        .as("after slow reads the probe is cut 10 s before the deadline: its writes still fit")
        .hasValueSatisfying(c -> assertThat(c.apiCallTimeout()).contains(Duration.ofSeconds(15)));
  }

  /** The controller's adapter of the endpoint, its runtime client's calls cut by {@code run}'s deadline. */
  private SageMakerEndpoint endpoint(AwsClients clients, Supplier<InvocationDeadline> run) {
    AwsClients bounded = clients.sharing(new RunDeadline(run));
    return new SageMakerEndpoint(
        bounded.build(Service.SAGEMAKER, SageMakerClient.builder()),
        bounded.build(Service.SAGEMAKER_RUNTIME, SageMakerRuntimeClient.builder()),
        "offhours-endpoint",
        "offhours-endpoint-config",
        SageMakerEndpointTest.STACK,
        ModelContract.builtIn(List.of("Drawing", "Hentai", "Neutral", "Porn", "Sexy")),
        null,
        UsageLedger.NONE);
  }

  @Test
  void aProbeTheRunsDeadlineCutOrDidNotStartIsNoAnswerNeitherFailedNorOk() {
    URI uri = stalled.uri();
    long left = RunDeadline.AFTER_PROBE.toMillis() + 300;
    try (AwsClients clients = AwsClients.local(
        Region.EU_CENTRAL_1, Map.of(Service.SAGEMAKER, uri, Service.SAGEMAKER_RUNTIME, uri))) {

      Endpoint.Probe cut =
          endpoint(clients, () -> new InvocationDeadline(() -> left)).probe();
      Endpoint.Probe notStarted =
          endpoint(clients, () -> new InvocationDeadline(() -> 600)).probe();

      assertThat(cut.cut()).isTrue();
      assertThat(cut.ok()).isFalse();
      assertThat(cut.detail())
          .isEqualTo("SageMakerRuntime's InvokeEndpoint was cut after 300 ms, 10000 ms before"
              + " this controller run's deadline (the function's Timeout), to leave the run's"
              + " later steps their time");
      assertThat(notStarted.cut()).isTrue();
      assertThat(notStarted.detail())
          .startsWith("SageMakerRuntime's InvokeEndpoint of this controller run was not started");
    }
    assertThat(RunDeadline.cutByRun(ApiCallTimeoutException.create(30_000)))
        .as("the probe's own 30 s ran out: the endpoint did not answer in time, a failure")
        .isFalse();
  }

  @Test
  void theDecisionsRecordTheLastCallKeepsOnlyTheEndWhileTheStateWriteKeepsItsThreeSeconds() {
    URI uri = stalled.uri();
    // As after the timer's SendMessage was cut 1.5 s before the deadline.
    long left = RunDeadline.AFTER_TIMER.toMillis();
    try (AwsClients clients = AwsClients.local(Region.EU_CENTRAL_1, Map.of(Service.DYNAMODB, uri));
        DynamoDbClient dynamo = clients
            .sharing(new RunDeadline(() -> new InvocationDeadline(() -> left)))
            .build(Service.DYNAMODB, DynamoDbClient.builder())) {
      DynamoControlTable control = new DynamoControlTable(dynamo, "offhours-control");
      Decision decision = new Decision(
          Instant.parse("2026-01-14T09:00:00Z"),
          true,
          "working hours",
          Endpoint.Status.ABSENT,
          Mapping.TriggerState.DISABLED,
          Backlog.Snapshot.EMPTY,
          Decision.Action.CREATE_ENDPOINT,
          "endpoint absent",
          "ok",
          false,
          null);

      assertThatThrownBy(() -> control.recordDecision(decision, null))
          .isInstanceOf(ApiCallTimeoutException.class)
          .hasMessageStartingWith(
              "DynamoDb's PutItem was cut after 1000 ms, 500 ms before this controller run's"
                  + " deadline");
      assertThatThrownBy(() -> control.save(ControlState.INITIAL.withVersion(1), 0))
          .as("a state write, which the timer and the decision follow")
          .hasMessageStartingWith(
              "DynamoDb's PutItem was cut after 250 ms, 3000 ms before this controller run's"
                  + " deadline");
    }
  }

  @Test
  void theSharesAddUpInsideTheControllersMinute() {
    assertThat(RunDeadline.keep("PutItem")).isEqualTo(Duration.ofMillis(3_000));
    assertThat(RunDeadline.keep("DescribeEndpoint")).isEqualTo(Duration.ofMillis(8_000));
    assertThat(RunDeadline.keep("GetEventSourceMapping")).isEqualTo(Duration.ofMillis(8_000));
    assertThat(RunDeadline.keep("CreateEndpoint")).isEqualTo(Duration.ofMillis(5_000));
    assertThat(RunDeadline.keep("SendMessage")).isEqualTo(Duration.ofMillis(1_500));
    assertThat(RunDeadline.AFTER_DECISION).isEqualTo(Duration.ofMillis(500));
    assertThat(RunDeadline.keep("InvokeEndpoint")).isEqualTo(Duration.ofMillis(10_000));
    assertThat(TestInvocation.PROBE_TIMEOUT.plus(RunDeadline.AFTER_PROBE))
        .as("a probe that takes its full 30 s leaves its writes their 10 s in the 60 s Timeout")
        .isLessThan(Duration.ofSeconds(60));
    assertThat(RunDeadline.AFTER_PROBE_LEDGER)
        .as("the probe's ledger write keeps what the probe leaves it, less its own 2 s")
        .isEqualTo(RunDeadline.AFTER_PROBE.minusSeconds(2));
  }

  @Test
  void aWholeRunOnStalledServicesEndsBeforeItsDeadlineHavingDecidedNothing() {
    URI uri = stalled.uri();
    Map<Service, URI> everything = new java.util.EnumMap<>(Service.class);
    for (Service service : Service.values()) {
      everything.put(service, uri);
    }
    List<String> logged = new ArrayList<>();
    long left = RunDeadline.AFTER_STATE.toMillis() + 300; // the state's GetItem is given 300 ms
    try (AwsClients clients = AwsClients.local(Region.EU_CENTRAL_1, everything)) {
      ControllerHandler handler = new ControllerHandler(
          clients,
          ControllerConfig.fromEnvironment(Rig.ENV),
          Clock.fixed(Instant.parse("2026-01-14T09:00:00Z"), ZoneOffset.UTC));

      Map<String, Object> out = handler.handleRequest(Map.of(), context(left, logged));

      assertThat(out).containsEntry("action", "OUT_OF_TIME");
      assertThat(logged)
          .singleElement(as(STRING))
          .startsWith("event: 2026-01-14T09:00:00Z -> OUT_OF_TIME: the run's reads did not"
              + " answer before its deadline (DynamoDb's GetItem was cut after 300 ms, 3000 ms"
              + " before this controller run's deadline");
    }
  }

  private static Context context(long remainingMillis, List<String> logged) {
    LambdaLogger logger = new LambdaLogger() {
      @Override
      public void log(String message) {
        logged.add(message);
      }

      @Override
      public void log(byte[] message) {}
    };
    return (Context) Proxy.newProxyInstance(
        Context.class.getClassLoader(),
        new Class<?>[] {Context.class},
        (proxy, method, args) -> switch (method.getName()) {
          case "getRemainingTimeInMillis" -> (int) remainingMillis;
          case "getLogger" -> logger;
          default -> throw new UnsupportedOperationException("Context." + method.getName());
        });
  }

  private static SdkRequest modify(
      InvocationDeadline deadline, SdkRequest request, String operation) {
    ExecutionAttributes attributes = new ExecutionAttributes();
    attributes.putAttribute(SdkExecutionAttribute.OPERATION_NAME, operation);
    attributes.putAttribute(SdkExecutionAttribute.SERVICE_NAME, "Service");
    return new RunDeadline(() -> deadline).modifyRequest(() -> request, attributes);
  }

  /** A duration as README writes it in seconds: 1500 ms -> "1.5". */
  private static String seconds(Duration d) {
    return java.math.BigDecimal.valueOf(d.toMillis(), 3).stripTrailingZeros().toPlainString();
  }

  /** README's Deadline section quotes what each of the controller's calls keeps, as RunDeadline keeps it. */
  @Test
  void readmeQuotesWhatEachCallKeeps() throws java.io.IOException {
    String readme =
        java.nio.file.Files.readString(java.nio.file.Path.of("README.md")).replaceAll("\\s+", " ");
    long floor = InvocationDeadline.FLOOR.toMillis();
    List<String> quotes = List.of(
        "The controller keeps to its own " + offhours.stack.StackSpec.CONTROLLER_TIMEOUT_SECONDS
            + " s Timeout",
        "(at least " + floor + " ms; with less left it is not started)",
        "GetQueueAttributes) keeps " + seconds(RunDeadline.AFTER_READS) + " s",
        "the test invocation (" + TestInvocation.PROBE_TIMEOUT.toSeconds() + " s at most) keeps "
            + seconds(RunDeadline.AFTER_PROBE) + " s, and its serverless ledger write "
            + seconds(RunDeadline.AFTER_PROBE_LEDGER) + " s",
        "PutRetentionPolicy) and a ledger write keep " + seconds(RunDeadline.AFTER_STEP) + " s",
        "the control table's reads and writes keep " + seconds(RunDeadline.AFTER_STATE)
            + " s, so the write that records what the run did still has "
            + seconds(RunDeadline.AFTER_STEP.minus(RunDeadline.AFTER_STATE)) + " s",
        "the timer's SendMessage keeps " + seconds(RunDeadline.AFTER_TIMER) + " s",
        "keeps only the " + seconds(RunDeadline.AFTER_DECISION) + " s end (so it has "
            + seconds(RunDeadline.AFTER_TIMER.minus(RunDeadline.AFTER_DECISION))
            + " s after a SendMessage cut, not the " + floor + " ms floor a "
            + seconds(RunDeadline.AFTER_STATE) + " s keep would leave it)",
        "The test invocation before the trigger is enabled can take "
            + TestInvocation.PROBE_TIMEOUT.toSeconds() + " s");
    assertThat(quotes.stream().filter(quote -> !readme.contains(quote)).toList())
        .as("what README.md should say, from RunDeadline, TestInvocation.PROBE_TIMEOUT and the"
            + " controller's Timeout, and does not")
        .isEmpty();
  }
}
