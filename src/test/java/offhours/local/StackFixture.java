package offhours.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import offhours.aws.AwsClients.Service;
import offhours.results.ResultItem;
import offhours.results.ResultsTable;
import offhours.testing.TestCaches;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * One running {@link LocalDeployment} and the real reads the scenarios assert on: the results table, the queue's and the
 * DLQ's counters (GetQueueAttributes), the endpoint's status (DescribeEndpoint) and the mapping's state
 * (GetEventSourceMapping), each over the wire exactly as a user or the AWS CLI would see them.
 */
final class StackFixture implements AutoCloseable {

  /** The photos kept in the repository; every one of them ends with a result (CLASSIFIED or REJECTED). */
  static final Path DEMO_IMAGES = Path.of("src/demo/images");

  static final List<Path> PHOTOS = List.of(
      DEMO_IMAGES.resolve("chelsea.png"),
      DEMO_IMAGES.resolve("coffee.png"),
      DEMO_IMAGES.resolve("horse.png"),
      DEMO_IMAGES.resolve("rocket.jpg"));

  /** The controller policy that keeps the endpoint off unless told otherwise: no working hours, no wake on backlog. */
  static final Map<String, String> OFF_UNLESS_STARTED =
      Map.of("WORKING_HOURS", "", "WAKE_BACKLOG_MESSAGES", "0");

  private static final ObjectMapper JSON = new ObjectMapper();

  final LocalDeployment stack;
  final ResultsTable results;
  final LambdaClient lambda;
  final SageMakerClient sageMaker;

  private StackFixture(LocalDeployment stack) {
    this.stack = stack;
    this.results = new ResultsTable(stack.dynamoDb(), stack.resources().resultsTable());
    this.lambda = stack.clients().build(Service.LAMBDA, LambdaClient.builder());
    this.sageMaker = stack.clients().build(Service.SAGEMAKER, SageMakerClient.builder());
  }

  /** Every image in {@link #DEMO_IMAGES} (not its README), sorted by name. */
  static List<Path> demoImages() throws IOException {
    try (var files = Files.list(DEMO_IMAGES)) {
      return files
          .filter(p -> !p.getFileName().toString().endsWith(".md"))
          .sorted()
          .toList();
    }
  }

  /**
   * The cache the stacks of this test JVM run on, one after the other: their state and logs their own, the default
   * model the user's cache's ({@link TestCaches}), fetched and converted once per machine, not once per test.
   */
  static Path cache() throws IOException {
    return TestCaches.ofThisJvm();
  }

  /** Local mode's options with a 1 s controller tick, a short creating delay and these controller variables. */
  static LocalDeployment.Options options(Duration creatingDelay, Map<String, String> controller)
      throws IOException {
    return new LocalDeployment.Options(
            cache(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            creatingDelay,
            Duration.ofSeconds(1),
            Map.of())
        .withController(controller);
  }

  /**
   * Local mode served by src/test/resources/sagemaker/slow_classifier.py: a one-instance model that needs
   * {@code secondsPerImage} per image, labels cat, dog, other.
   */
  static LocalDeployment.Options slowModel(
      Path dir, double secondsPerImage, Duration creatingDelay, Map<String, String> controller)
      throws IOException {
    return slowModel(dir, secondsPerImage, "", creatingDelay, controller);
  }

  /**
   * As {@link #slowModel(Path, double, Duration, Map)}, but every request after the first {@code answered} (the
   * controller's test invocations included) waits until file {@code hold} exists: the test holds the drain mid-way
   * and releases it by creating the file.
   */
  static LocalDeployment.Options heldModel(
      Path dir,
      double secondsPerImage,
      int answered,
      Path hold,
      Duration creatingDelay,
      Map<String, String> controller)
      throws IOException {
    return slowModel(
        dir,
        secondsPerImage,
        "HOLD_AFTER=" + answered + " HOLD_FILE='" + hold + "' ",
        creatingDelay,
        controller);
  }

  private static LocalDeployment.Options slowModel(
      Path dir,
      double secondsPerImage,
      String hold,
      Duration creatingDelay,
      Map<String, String> controller)
      throws IOException {
    Path labels = Files.writeString(dir.resolve("labels.txt"), "cat\ndog\nother\n");
    Path script;
    try {
      script = Path.of(
          StackFixture.class.getResource("/sagemaker/slow_classifier.py").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    String command =
        hold + "SLOW_SECONDS=" + secondsPerImage + " LABEL_COUNT=3 exec python3 '" + script + "'";
    return new LocalDeployment.Options(
            cache(),
            Optional.empty(),
            Optional.of(labels),
            Optional.of(command),
            creatingDelay,
            Duration.ofSeconds(1),
            Map.of())
        .withController(controller);
  }

  /**
   * Starts the stack and waits for the mapping to settle. The queue then holds exactly the uploads of the scenario:
   * the stack's start swept the s3:TestEvent that moto_server sends when the notification is configured
   * ({@link EndpointLifecycleIT} proves it).
   */
  static StackFixture start(LocalDeployment.Options options)
      throws IOException, InterruptedException {
    return start(options, Clock.systemUTC());
  }

  /** As {@link #start(LocalDeployment.Options)}, the controller reading the time from {@code controllerClock}. */
  static StackFixture start(LocalDeployment.Options options, Clock controllerClock)
      throws IOException, InterruptedException {
    return start(options, controllerClock, new PrintStream(PrintStream.nullOutputStream()));
  }

  /** As {@link #start(LocalDeployment.Options, Clock)}, the start's progress lines printed to {@code progress}. */
  static StackFixture start(
      LocalDeployment.Options options, Clock controllerClock, PrintStream progress)
      throws IOException, InterruptedException {
    StackFixture f = new StackFixture(LocalDeployment.start(options, progress, controllerClock));
    try {
      // As after a deploy: the mapping settles from Creating to Disabled before anyone touches it.
      f.await(
          "the event source mapping created, disabled",
          Duration.ofSeconds(60),
          () -> f.mappingState().equals("Disabled"));
      return f;
    } catch (RuntimeException | InterruptedException e) {
      f.close();
      throw e;
    }
  }

  // ---- uploads ----

  void upload(String key, Path file) {
    stack
        .s3()
        .putObject(r -> r.bucket(stack.resources().bucket()).key(key), RequestBody.fromFile(file));
  }

  /** Uploads {@code count} copies of the photos under distinct keys {@code prefix/NNN-name}; returns the keys. */
  List<String> uploadCopies(String prefix, int count) {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Path photo = PHOTOS.get(i % PHOTOS.size());
      String key = String.format("%s/%03d-%s", prefix, i, photo.getFileName());
      upload(key, photo);
      keys.add(key);
    }
    return keys;
  }

  // ---- real reads ----

  /** Waits until there is a result for each of the {@code n} uploads, then until the queue is empty; the results. */
  List<ResultItem> awaitEachResult(int n, Duration timeout) throws InterruptedException {
    await("a result for each of the " + n + " uploads", timeout, () -> results().size() == n);
    await("an empty queue", timeout, () -> queue().total() == 0);
    return results();
  }

  /**
   * One result for each of the demo {@code images}, each after a single receive (receives + deferrals), and the real
   * photos among them CLASSIFIED by the default model.
   */
  static void assertEachDemoImageClassifiedOnce(List<ResultItem> results, List<Path> images) {
    assertThat(results)
        .extracting(ResultItem::key)
        .containsExactlyInAnyOrderElementsOf(
            images.stream().map(p -> p.getFileName().toString()).toList());
    assertThat(results)
        .allSatisfy(r -> assertThat(r.attempts())
            .as("attempts of %s (receives + deferrals)", r.key())
            .isEqualTo(1));
    assertThat(results)
        .filteredOn(r -> r.status() == ResultItem.Verdict.CLASSIFIED)
        .extracting(ResultItem::key)
        .as("the real photos are classified by the default model")
        .contains("chelsea.png", "coffee.png", "horse.png", "rocket.jpg");
  }

  /** Nothing in the DLQ and no batch item failure (each spends a receive count), {@code when} as the assertions say. */
  void assertNoDeadLetterNorFailure(String when) {
    assertThat(queue().dlq()).as("DLQ %s", when).isZero();
    assertThat(consumer().failed())
        .as("batch item failures %s (each spends a receive count)", when)
        .isZero();
  }

  List<ResultItem> results() {
    return results.scan(Optional.empty());
  }

  record Queue(long visible, long inFlight, long delayed, long dlq) {
    long total() {
      return visible + inFlight + delayed;
    }
  }

  Queue queue() {
    Map<QueueAttributeName, String> q = stack
        .sqs()
        .getQueueAttributes(r -> r.queueUrl(stack.resources().queueUrl())
            .attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED))
        .attributes();
    Map<QueueAttributeName, String> dlq = stack
        .sqs()
        .getQueueAttributes(r -> r.queueUrl(stack.resources().deadLetterQueueUrl())
            .attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
        .attributes();
    return new Queue(
        Long.parseLong(q.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)),
        Long.parseLong(q.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)),
        Long.parseLong(q.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)),
        Long.parseLong(dlq.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
            + Long.parseLong(
                dlq.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)));
  }

  /** "absent", or the endpoint's status as DescribeEndpoint reports it ("Creating", "InService", ...). */
  String endpointStatus() {
    try {
      return sageMaker
          .describeEndpoint(r -> r.endpointName(stack.names().endpoint()))
          .endpointStatusAsString();
    } catch (SageMakerException e) {
      if (e.statusCode() == 400 && e.getMessage().contains("Could not find endpoint")) {
        return "absent";
      }
      throw e;
    }
  }

  /**
   * Scale-to-zero: "absent", or the inference component's status and copies as DescribeInferenceComponent and the
   * endpoint's instances as DescribeEndpoint report them, e.g. "InService 1/1 copies, 1 instances".
   */
  String componentStatus() {
    try {
      var c = sageMaker.describeInferenceComponent(
          r -> r.inferenceComponentName(FunctionEnvironments.INFERENCE_COMPONENT));
      var variants = sageMaker
          .describeEndpoint(r -> r.endpointName(stack.names().endpoint()))
          .productionVariants();
      int instances = variants.stream()
          .mapToInt(v -> v.currentInstanceCount() == null ? 0 : v.currentInstanceCount())
          .sum();
      return c.inferenceComponentStatusAsString() + " " + c.runtimeConfig().currentCopyCount() + "/"
          + c.runtimeConfig().desiredCopyCount() + " copies, " + instances + " instances";
    } catch (SageMakerException e) {
      if (e.statusCode() == 400 && e.getMessage().contains("Could not find inference component")) {
        return "absent";
      }
      throw e;
    }
  }

  /** The mapping's state as GetEventSourceMapping reports it: Enabled, Enabling, Disabling, Disabled. */
  String mappingState() {
    return lambda.getEventSourceMapping(r -> r.uuid(stack.mappingUuid())).state();
  }

  LocalLambdaStats consumer() {
    var s = stack.services().lambda().stats(stack.mappingUuid());
    return new LocalLambdaStats(
        s.delivered(), s.deleted(), s.failed(), s.invocationErrors(), s.invoking());
  }

  /** The consumer's counters: {@code failed} are batch item failures, the only thing that spends a receive count. */
  record LocalLambdaStats(
      long delivered, long deleted, long failed, long invocationErrors, int invoking) {}

  /**
   * Waits until the savings ledger counts exactly {@code starts} and {@code stops}. A stop is counted by the first run
   * that sees the endpoint going or gone (RunLedger), which may come a tick after the endpoint is seen absent here.
   */
  void awaitLedger(String what, long starts, long stops, Duration timeout)
      throws InterruptedException {
    long[] last = new long[2];
    try {
      await(what, timeout, () -> {
        long[] now = ledgerStartsAndStops();
        System.arraycopy(now, 0, last, 0, 2);
        return now[0] == starts && now[1] == stops;
      });
    } catch (AssertionError e) {
      throw new AssertionError(
          "ledger starts and stops " + last[0] + " / " + last[1] + ", expected " + starts + " / "
              + stops + ": " + e.getMessage(),
          e);
    }
  }

  /** The savings ledger's endpoint starts and stops summed over all days (pk "ledger" of the control table). */
  long[] ledgerStartsAndStops() {
    long[] sums = new long[2];
    stack
        .dynamoDb()
        .query(r -> r.tableName(stack.resources().controlTable())
            .keyConditionExpression("pk = :pk")
            .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("ledger"))))
        .items()
        .forEach(item -> {
          sums[0] +=
              item.containsKey("starts") ? Long.parseLong(item.get("starts").n()) : 0;
          sums[1] +=
              item.containsKey("stops") ? Long.parseLong(item.get("stops").n()) : 0;
        });
    return sums;
  }

  // ---- the controller ----

  /** A manual override through the controller function's Invoke API, as {@code offhours endpoint start|stop} does. */
  JsonNode override(String action) {
    InvokeResponse response = lambda.invoke(r -> r.functionName(LocalDeployment.CONTROLLER_FUNCTION)
        .payload(SdkBytes.fromUtf8String("{\"action\":\"" + action + "\"}")));
    assertThat(response.functionError())
        .as("controller answer to %s: %s", action, response.payload().asUtf8String())
        .isNull();
    return json(response.payload().asUtf8String());
  }

  /**
   * One controller run now, besides its schedule; its decision. A run that lost the race to a concurrent scheduled
   * run (LOST_RACE: it took no step) is repeated, so the answer is a run that decided.
   */
  JsonNode reconcile() throws InterruptedException {
    for (int i = 0; i < 10; i++) {
      JsonNode decision = JSON.valueToTree(stack.reconcileNow());
      if (!decision.path("action").asText().equals("LOST_RACE")) {
        return decision;
      }
    }
    throw new AssertionError(
        "10 controller runs in a row lost the race to a concurrent run; " + snapshot());
  }

  /**
   * The {@code n} uploads wait while the endpoint is off: their notifications visible in the queue (waited for), three
   * controller runs each keeping it off, no result, the queue unchanged by those runs, nothing delivered to the
   * consumer.
   */
  void assertUploadsWaitWhileOff(int n, Duration timeout) throws InterruptedException {
    await(n + " notifications visible in the queue", timeout, () -> queue().visible() == n);
    for (int run = 0; run < 3; run++) {
      JsonNode decision = reconcile();
      assertThat(decision.get("want").asText())
          .as("controller run %d while off: %s", run, decision)
          .isEqualTo("OFF");
      assertThat(decision.get("action").asText())
          .as("controller run %d while off: %s", run, decision)
          .isEqualTo("NONE");
    }
    assertThat(results()).as("results while off").isEmpty();
    assertThat(queue())
        .as("the queue after three controller runs while off")
        .isEqualTo(new Queue(n, 0, 0, 0));
    assertThat(consumer().delivered())
        .as("messages the consumer received while off")
        .isZero();
  }

  static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ---- waiting ----

  /** Polls {@code condition} every 100 ms until it holds; fails with {@code what} and the last observed state. */
  void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
    awaitValue(what, timeout, () -> condition.getAsBoolean() ? Boolean.TRUE : null);
  }

  /** Polls until {@code probe} returns non-null, and returns that. */
  <T> T awaitValue(String what, Duration timeout, Supplier<T> probe) throws InterruptedException {
    try {
      return Awaitility.await(what)
          .atMost(timeout)
          .pollInterval(Duration.ofMillis(100))
          .until(probe::get, Objects::nonNull);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          "gave up after " + timeout + " waiting for: " + what + "; now " + snapshot(), e);
    }
  }

  /** What a failure message shows: everything a reader needs to see where the pipeline stopped. */
  String snapshot() {
    if (lambda == null) {
      return "(not started)";
    }
    return "endpoint " + endpointStatus() + ", mapping " + mappingState() + ", queue " + queue()
        + ", " + results().size() + " results, consumer " + consumer();
  }

  @Override
  public void close() {
    lambda.close();
    sageMaker.close();
    stack.close();
  }
}
