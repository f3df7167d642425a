package offhours.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import offhours.aws.AwsClients;
import offhours.aws.AwsClients.Service;
import offhours.endpoint.Endpoint.State;
import offhours.endpoint.sim.MemoryControlTable;
import offhours.inference.ModelContract;
import offhours.inference.Scores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;

/**
 * The scale-to-zero adapter against a loopback server answering SageMaker's JSON 1.1 the way the service does, so the
 * SDK's real marshalling is exercised: which state each endpoint and component state maps to, and which call each
 * controller step makes.
 */
class ComponentEndpointTest {
  private static final String STACK = SageMakerEndpointTest.STACK;
  private static final String IN_SERVICE_ENDPOINT = "{\"EndpointName\":\"ep\",\"EndpointArn\":"
      + "\"arn:aws:sagemaker:eu-central-1:123456789012:endpoint/ep\",\"EndpointConfigName\":\"ep-config\","
      + "\"EndpointStatus\":\"InService\",\"CreationTime\":1764000000,\"LastModifiedTime\":1764000000,"
      + "\"ProductionVariants\":[{\"VariantName\":\"model-1\",\"CurrentInstanceCount\":%d}]}";
  private static final String NO_COMPONENT = "!{\"__type\":\"ValidationException\",\"message\":"
      + "\"Could not find inference component \\\"arn:aws:sagemaker:eu-central-1:123456789012:inference-component/ep-ic\\\".\"}";

  private HttpServer server;
  private AwsClients clients;
  private ComponentEndpoint endpoint;
  /** The answer per X-Amz-Target (or "invoke"); a leading "!" answers it as a 400 ValidationException. */
  private final Map<String, String> answers = new ConcurrentHashMap<>();

  private final List<String> requests = new CopyOnWriteArrayList<>();
  /** What changes once a request of this X-Amz-Target succeeds (a component that starts Deleting, say). */
  private final Map<String, Runnable> after = new ConcurrentHashMap<>();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::answer);
    server.start();
    URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    clients = AwsClients.local(
        Region.EU_CENTRAL_1, Map.of(Service.SAGEMAKER, uri, Service.SAGEMAKER_RUNTIME, uri));
    endpoint = new ComponentEndpoint(
        clients.build(Service.SAGEMAKER, SageMakerClient.builder()),
        clients.build(Service.SAGEMAKER_RUNTIME, SageMakerRuntimeClient.builder()),
        "ep",
        "ep-config",
        "ep-ic",
        "model-1",
        2,
        "ml.m5.large",
        STACK,
        new ModelContract(List.of("a", "b"), null, null, null, Scores.AUTO, "ep-ic"));
    answers.put(
        "SageMaker.ListTags",
        "{\"Tags\":[{\"Key\":\"offhours:stack-id\",\"Value\":\"" + STACK + "\"}]}");
    answers.put("SageMaker.DescribeEndpoint", IN_SERVICE_ENDPOINT.formatted(0));
    answers.put("SageMaker.DescribeInferenceComponent", NO_COMPONENT);
  }

  @AfterEach
  void stop() {
    server.stop(0);
    clients.close();
  }

  private void answer(HttpExchange exchange) throws IOException {
    String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String component =
        exchange.getRequestHeaders().getFirst("X-Amzn-SageMaker-Inference-Component");
    requests.add(
        target != null
            ? target.substring("SageMaker.".length()) + " " + body
            : "invoke " + component);
    String out = answers.getOrDefault(target != null ? target : "invoke", "{}");
    if ("SageMaker.DeleteEndpoint".equals(target)
        && !NO_COMPONENT.equals(answers.get("SageMaker.DescribeInferenceComponent"))) {
      // As SageMaker: an endpoint goes only once its components are gone.
      out =
          "!{\"__type\":\"ValidationException\",\"message\":\"There are some underlying Models that"
              + " are part of this endpoint.\"}";
    }
    String described = answers.get("SageMaker.DescribeInferenceComponent");
    if ("SageMaker.DeleteInferenceComponent".equals(target)
        && described.matches(".*\"InferenceComponentStatus\":\"(Creating|Updating)\".*")) {
      // As SageMaker: a component is deleted only once it has settled (ComponentEndpoint#settled).
      out = "!{\"__type\":\"ValidationException\",\"message\":\"Cannot delete inference component"
          + " ep-ic while it is changing.\"}";
    }
    Runnable then = target == null ? null : after.get(target);
    if (then != null && !out.startsWith("!")) {
      then.run();
    }
    boolean error = out.startsWith("!");
    byte[] bytes = (error ? out.substring(1) : out).getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    if (error) {
      exchange.getResponseHeaders().add("x-amzn-ErrorType", "ValidationException");
    }
    exchange.sendResponseHeaders(error ? 400 : 200, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  private void component(String status, int desired, int current, String model) {
    answers.put(
        "SageMaker.DescribeInferenceComponent",
        "{\"InferenceComponentName\":\"ep-ic\",\"EndpointName\":\"ep\","
            + "\"VariantName\":\"model-1\",\"Specification\":{\"ModelName\":\"" + model
            + "\"},\"RuntimeConfig\":"
            + "{\"DesiredCopyCount\":" + desired + ",\"CurrentCopyCount\":" + current
            + "},\"CreationTime\":1764000000,"
            + "\"LastModifiedTime\":1764003600,\"InferenceComponentStatus\":\"" + status + "\"}");
  }

  /** create() on a component that exists sets its copies back to all (2). */
  private void assertCreateSetsTheCopiesBack() {
    requests.clear();
    endpoint.create();
    assertThat(requests)
        .last()
        .asString()
        .startsWith("UpdateInferenceComponentRuntimeConfig ")
        .contains("\"CopyCount\":2");
  }

  private List<String> calls() {
    return requests.stream().map(r -> r.substring(0, r.indexOf(' '))).toList();
  }

  @Test
  void anAbsentEndpointIsAbsentAndCreateMakesItTagged() {
    answers.put(
        "SageMaker.DescribeEndpoint",
        "!{\"__type\":\"ValidationException\",\"message\":"
            + "\"Could not find endpoint \\\"ep\\\".\"}");
    assertThat(endpoint.describe()).isEqualTo(Endpoint.Status.ABSENT);
    endpoint.create();
    assertThat(requests)
        .last()
        .asString()
        .startsWith("CreateEndpoint ")
        .contains("\"EndpointConfigName\":\"ep-config\"")
        .contains("\"Value\":\"" + STACK + "\"");
  }

  @Test
  void aComponentAnOverlappingRunCreatedFirstIsNotThisRunsStart() {
    assertThat(endpoint.create()).as("this run's start").isTrue();
    answers.put(
        "SageMaker.CreateInferenceComponent",
        "!{\"__type\":\"ValidationException\",\"message\":\"Cannot create already existing"
            + " inference component \\\"arn:aws:sagemaker:eu-central-1:123456789012:inference-component/ep-ic\\\".\"}");
    assertThat(endpoint.create()).as("an overlapping run's start").isFalse();
    assertThat(calls()).endsWith("CreateInferenceComponent");
  }

  @Test
  void anEndpointWithoutItsComponentIsAbsentAndCreateDeploysTheModelWithAllCopies() {
    assertThat(endpoint.describe().state()).isEqualTo(State.ABSENT);
    endpoint.create();
    assertThat(requests)
        .last()
        .asString()
        .startsWith("CreateInferenceComponent ")
        .contains(
            "\"InferenceComponentName\":\"ep-ic\"",
            "\"EndpointName\":\"ep\"",
            "\"VariantName\":\"model-1\"",
            "\"ModelName\":\"model-1\"",
            "\"MinMemoryRequiredInMb\":1024",
            "\"CopyCount\":2");
  }

  @Test
  void instancesWithoutAComponentBillAsAResumableStopAndCreateDeploysTheModelOnThem() {
    answers.put("SageMaker.DescribeEndpoint", IN_SERVICE_ENDPOINT.formatted(1));
    Endpoint.Status status = endpoint.describe();
    assertThat(status.state()).isEqualTo(State.DELETING);
    assertThat(status.billing())
        .as("the instance bills until managed scaling removes it")
        .isTrue();
    assertThat(status.resumable()).isTrue();
    endpoint.create();
    assertThat(requests).last().asString().startsWith("CreateInferenceComponent ");
  }

  /**
   * SageMaker scales an endpoint's instances to zero only while it hosts a component, so the instances an endpoint
   * starts with stay until one is there: a stop still to issue, and that stop is the component with 0 copies.
   */
  @Test
  void instancesWithoutAComponentNeedAStopThatCreatesItWithNoCopy() {
    answers.put("SageMaker.DescribeEndpoint", IN_SERVICE_ENDPOINT.formatted(2));
    assertThat(endpoint.describe().needsStop()).isTrue();
    requests.clear();
    endpoint.delete();
    assertThat(calls()).doesNotContain("DeleteEndpoint", "UpdateInferenceComponentRuntimeConfig");
    assertThat(requests)
        .last()
        .asString()
        .startsWith("CreateInferenceComponent ")
        .contains("\"ModelName\":\"model-1\"", "\"RuntimeConfig\":{\"CopyCount\":0}");

    component("InService", 0, 0, "model-1");
    Endpoint.Status asleep = endpoint.describe();
    assertThat(asleep.state()).as("going to sleep as any other").isEqualTo(State.DELETING);
    assertThat(asleep.needsStop()).as("stopped: the instances go").isFalse();
    assertThat(asleep.resumable()).isTrue();
    assertCreateSetsTheCopiesBack();
  }

  @Test
  void onACpuTypeACopyAsksForNoAcceleratorOnAnAcceleratedTypeForOne() {
    endpoint.create();
    assertThat(requests).last().asString().doesNotContain("NumberOfAcceleratorDevicesRequired");
    for (String type : List.of("ml.g5.xlarge", "ml.g4dn.xlarge", "ml.inf2.xlarge")) {
      ComponentEndpoint accelerated = new ComponentEndpoint(
          clients.build(Service.SAGEMAKER, SageMakerClient.builder()),
          clients.build(Service.SAGEMAKER_RUNTIME, SageMakerRuntimeClient.builder()),
          "ep",
          "ep-config",
          "ep-ic",
          "model-1",
          2,
          type,
          STACK,
          new ModelContract(List.of("a", "b"), null, null, null, Scores.AUTO, "ep-ic"));
      accelerated.create();
      assertThat(requests)
          .as(type)
          .last()
          .asString()
          .startsWith("CreateInferenceComponent ")
          .contains(
              "\"NumberOfAcceleratorDevicesRequired\":1.0", "\"NumberOfCpuCoresRequired\":1.0");
    }
  }

  @Test
  void copiesUpAreInServiceAndStopSetsThemToZeroKeepingTheEndpoint() {
    component("InService", 2, 2, "model-1");
    Endpoint.Status status = endpoint.describe();
    assertThat(status.state()).isEqualTo(State.IN_SERVICE);
    assertThat(status.configName()).isEqualTo("ep-config");
    assertThat(status.billing()).isTrue();
    requests.clear();
    endpoint.delete();
    assertThat(calls()).doesNotContain("DeleteEndpoint", "DeleteInferenceComponent");
    assertThat(requests)
        .last()
        .asString()
        .startsWith("UpdateInferenceComponentRuntimeConfig ")
        .contains("\"DesiredRuntimeConfig\":{\"CopyCount\":0}");
  }

  @Test
  void scalingOutIsCreatingSinceTheWakeAndScalingInIsDeletingUntilTheInstancesAreGone() {
    component("Updating", 2, 0, "model-1");
    Endpoint.Status waking = endpoint.describe();
    assertThat(waking.state()).isEqualTo(State.CREATING);
    assertThat(waking.createdAt()).isEqualTo(Instant.ofEpochSecond(1764003600));

    component("Updating", 3, 2, "model-1");
    assertThat(endpoint.describe().state())
        .as("a changed count on serving copies")
        .isEqualTo(State.UPDATING);
    component("Updating", 0, 2, "model-1");
    Endpoint.Status scalingIn = endpoint.describe();
    assertThat(scalingIn.state()).isEqualTo(State.DELETING);
    assertThat(scalingIn.resumable())
        .as("copies still going: no update until they settle")
        .isFalse();
    component("InService", 0, 0, "model-1");
    answers.put("SageMaker.DescribeEndpoint", IN_SERVICE_ENDPOINT.formatted(1));
    Endpoint.Status instancesLeft = endpoint.describe();
    assertThat(instancesLeft.state()).isEqualTo(State.DELETING);
    assertThat(instancesLeft.billing()).as("instances still up are billed").isTrue();
    assertThat(instancesLeft.resumable())
        .as("copies can go back on the instances still up")
        .isTrue();
    assertCreateSetsTheCopiesBack();

    answers.put("SageMaker.DescribeEndpoint", IN_SERVICE_ENDPOINT.formatted(0));
    Endpoint.Status asleep = endpoint.describe();
    assertThat(asleep.state()).isEqualTo(State.ABSENT);
    assertThat(asleep.billing()).isFalse();
    assertThat(asleep.resumable()).isFalse();
    assertCreateSetsTheCopiesBack();
  }

  @Test
  void aComponentOfAnotherModelIsStaleAndDeletedAlone() {
    component("InService", 2, 2, "model-0");
    assertThat(endpoint.describe().configName()).isEqualTo("ep-config with model model-0");
    requests.clear();
    endpoint.delete();
    assertThat(calls())
        .contains("DeleteInferenceComponent")
        .doesNotContain("DeleteEndpoint", "UpdateInferenceComponentRuntimeConfig");
  }

  @Test
  void aFailedComponentIsFailedWithItsReasonAndDeleted() {
    answers.put(
        "SageMaker.DescribeInferenceComponent",
        "{\"InferenceComponentName\":\"ep-ic\",\"Specification\":"
            + "{\"ModelName\":\"model-1\"},\"RuntimeConfig\":{\"DesiredCopyCount\":2,\"CurrentCopyCount\":0},"
            + "\"FailureReason\":\"ping failed\",\"CreationTime\":1764000000,\"LastModifiedTime\":1764003600,"
            + "\"InferenceComponentStatus\":\"Failed\"}");
    Endpoint.Status failed = endpoint.describe();
    assertThat(failed.state()).isEqualTo(State.FAILED);
    assertThat(failed.failureReason()).isEqualTo("ping failed");
    requests.clear();
    endpoint.delete();
    assertThat(calls()).contains("DeleteInferenceComponent").doesNotContain("DeleteEndpoint");
  }

  @Test
  void anEndpointOfAnotherConfigGoesAfterItsComponentInALaterCall() {
    answers.put(
        "SageMaker.DescribeEndpoint",
        IN_SERVICE_ENDPOINT.formatted(1).replace("ep-config", "old-config"));
    component("InService", 2, 2, "model-1");
    assertThat(endpoint.describe().configName()).isEqualTo("old-config");
    requests.clear();
    endpoint.delete();
    assertThat(calls()).contains("DeleteInferenceComponent").doesNotContain("DeleteEndpoint");

    component("Deleting", 2, 2, "model-1");
    Endpoint.Status going = endpoint.describe();
    assertThat(going.state()).as("waited out, as an update").isEqualTo(State.UPDATING);
    assertThat(going.configName()).isEqualTo("old-config");
    requests.clear();
    endpoint.delete();
    assertThat(calls()).doesNotContain("DeleteInferenceComponent", "DeleteEndpoint");

    answers.put("SageMaker.DescribeInferenceComponent", NO_COMPONENT);
    assertThat(endpoint.describe().state()).isEqualTo(State.IN_SERVICE);
    requests.clear();
    endpoint.delete();
    assertThat(calls()).contains("DeleteEndpoint").doesNotContain("DeleteInferenceComponent");
  }

  @Test
  void theControllerReplacingAnEndpointOfAnotherConfigDeletesItOnceItsComponentIsGone() {
    Map<String, String> env = new HashMap<>(Rig.ENV);
    env.putAll(Map.of(
        "HOSTING", "scale-to-zero",
        "ENDPOINT_NAME", "ep",
        "ENDPOINT_CONFIG_NAME", "ep-config",
        "INFERENCE_COMPONENT_NAME", "ep-ic",
        "MODEL_NAME", "model-1",
        "STACK_ID", STACK));
    MemoryControlTable table = new MemoryControlTable();
    Mapping disabled = new DisabledMapping("nothing is fed outside working hours");
    EndpointController controller = new EndpointController(
        ControllerConfig.fromEnvironment(env),
        endpoint,
        disabled,
        () -> Backlog.Snapshot.EMPTY,
        table,
        table,
        line -> {});
    answers.put(
        "SageMaker.DescribeEndpoint",
        IN_SERVICE_ENDPOINT.formatted(1).replace("ep-config", "old-config"));
    component("InService", 2, 2, "model-1");
    after.put("SageMaker.DeleteInferenceComponent", () -> component("Deleting", 2, 2, "model-1"));
    Instant saturday = Instant.parse("2026-01-17T09:00:00Z"); // outside working hours: wanted off

    Decision first = controller.reconcile(saturday);
    assertThat(first.action()).isEqualTo(Decision.Action.DELETE_ENDPOINT);
    assertThat(String.valueOf(first.outcome())).doesNotContain("failed");
    assertThat(calls()).contains("DeleteInferenceComponent").doesNotContain("DeleteEndpoint");

    requests.clear();
    Decision meanwhile = controller.reconcile(saturday.plusSeconds(60));
    assertThat(meanwhile.action()).isEqualTo(Decision.Action.WAIT);
    assertThat(calls()).doesNotContain("DeleteInferenceComponent", "DeleteEndpoint");

    answers.put("SageMaker.DescribeInferenceComponent", NO_COMPONENT);
    requests.clear();
    Decision last = controller.reconcile(saturday.plusSeconds(120));
    assertThat(last.action()).isEqualTo(Decision.Action.DELETE_ENDPOINT);
    assertThat(calls()).contains("DeleteEndpoint");
    assertThat(String.valueOf(last.outcome())).doesNotContain("failed");
  }

  @Test
  void theProbeInvokesTheComponent() {
    answers.put("invoke", "[0.1,0.9]");
    assertThat(endpoint.probe().ok()).isTrue();
    assertThat(requests).containsExactly("invoke ep-ic");
  }

  @Test
  void theCleanupDeletesTheComponentAndOnlyOnceItIsGoneTheEndpoint() {
    ComponentEndpoint cleanup = new ComponentEndpoint(
        clients.build(Service.SAGEMAKER, SageMakerClient.builder()), "ep", "ep-ic");
    component("InService", 0, 0, "model-1");
    assertThat(cleanup.describe().state()).isEqualTo(State.IN_SERVICE);
    requests.clear();
    cleanup.delete();
    assertThat(calls())
        .containsExactly(
            "DescribeEndpoint", "DescribeInferenceComponent", "DeleteInferenceComponent");

    component("Deleting", 0, 0, "model-1");
    Endpoint.Status going = cleanup.describe();
    assertThat(going.state()).as("a state to wait out").isEqualTo(State.UPDATING);
    assertThat(going.failureReason())
        .isEqualTo("its inference component ep-ic is still being deleted");
    requests.clear();
    cleanup.delete();
    assertThat(calls()).doesNotContain("DeleteInferenceComponent", "DeleteEndpoint");

    answers.put("SageMaker.DescribeInferenceComponent", NO_COMPONENT);
    assertThat(cleanup.describe().state()).isEqualTo(State.IN_SERVICE);
    requests.clear();
    cleanup.delete();
    assertThat(calls())
        .containsExactly("DescribeEndpoint", "DescribeInferenceComponent", "DeleteEndpoint");
  }

  @Test
  void theStackDeleteWaitsForTheComponentToGoThenDeletesTheEndpoint() {
    ComponentEndpoint view = new ComponentEndpoint(
        clients.build(Service.SAGEMAKER, SageMakerClient.builder()), "ep", "ep-ic");
    component("InService", 2, 2, "model-1");
    after.put("SageMaker.DeleteInferenceComponent", () -> component("Deleting", 2, 2, "model-1"));
    List<String> componentWhenEndpointDeleted = new CopyOnWriteArrayList<>();
    after.put("SageMaker.DeleteEndpoint", () -> {
      componentWhenEndpointDeleted.add(answers.get("SageMaker.DescribeInferenceComponent"));
      answers.put(
          "SageMaker.DescribeEndpoint",
          IN_SERVICE_ENDPOINT.formatted(0).replace("InService", "Deleting"));
    });
    PausedTime time = new PausedTime(Instant.parse("2026-01-14T09:00:00Z"));
    time.meanwhile(waited -> {
      if (time.pauses.size() == 2) {
        answers.put("SageMaker.DescribeInferenceComponent", NO_COMPONENT); // SageMaker finished it
      }
    });
    EndpointCleanup cleanup = cleanupOf(view, time);
    Map<String, Object> event = stackDelete();

    Map<String, Object> response = cleanup.handle(event, Duration.ofSeconds(240));

    assertThat(response)
        .containsEntry("Status", "SUCCESS")
        .containsEntry(
            "Reason",
            "deleted endpoint (was IN_SERVICE) after waiting 6 s for SageMaker to allow it");
    assertThat(calls().stream().filter(c -> c.startsWith("Delete")).toList())
        .containsExactly("DeleteInferenceComponent", "DeleteEndpoint");
    assertThat(componentWhenEndpointDeleted)
        .as("DeleteEndpoint only once the component is gone (SageMaker refuses it before)")
        .containsExactly(NO_COMPONENT);
    assertThat(time.pauses).hasSize(2);
  }

  @Test
  void
      theStackDeleteRightAfterAStopWaitsForTheCopiesToSettleThenDeletesTheComponentAndTheEndpoint() {
    ComponentEndpoint view = new ComponentEndpoint(
        clients.build(Service.SAGEMAKER, SageMakerClient.builder()), "ep", "ep-ic");
    component("Updating", 0, 1, "model-1"); // a stop just set the copies to 0
    Endpoint.Status scaling = view.describe();
    assertThat(scaling.state()).as("a state to wait out").isEqualTo(State.UPDATING);
    assertThat(scaling.failureReason())
        .isEqualTo(
            "its inference component ep-ic is still scaling its copies; it is deleted once that settles");
    after.put("SageMaker.DeleteInferenceComponent", () -> component("Deleting", 0, 0, "model-1"));
    after.put(
        "SageMaker.DeleteEndpoint",
        () -> answers.put(
            "SageMaker.DescribeEndpoint",
            IN_SERVICE_ENDPOINT.formatted(0).replace("InService", "Deleting")));
    PausedTime time = new PausedTime(Instant.parse("2026-01-14T09:00:00Z"));
    time.meanwhile(waited -> {
      if (time.pauses.size() == 1) {
        component("InService", 0, 0, "model-1"); // the copies are down
      } else if (time.pauses.size() == 2) {
        answers.put("SageMaker.DescribeInferenceComponent", NO_COMPONENT); // SageMaker deleted it
      }
    });
    EndpointCleanup cleanup = cleanupOf(view, time);
    Map<String, Object> event = stackDelete();
    requests.clear();

    Map<String, Object> response = cleanup.handle(event, Duration.ofSeconds(240));

    assertThat(response)
        .containsEntry("Status", "SUCCESS")
        .containsEntry(
            "Reason",
            "deleted endpoint (was IN_SERVICE) after waiting 6 s for SageMaker to allow it");
    assertThat(calls().stream().filter(c -> c.startsWith("Delete")).toList())
        .as("no DeleteInferenceComponent while the copies scale: SageMaker refuses it then")
        .containsExactly("DeleteInferenceComponent", "DeleteEndpoint");
  }

  @Test
  void theCleanupFindsAComponentLeftWithoutItsEndpoint() {
    ComponentEndpoint cleanup = new ComponentEndpoint(
        clients.build(Service.SAGEMAKER, SageMakerClient.builder()), "ep", "ep-ic");
    answers.put(
        "SageMaker.DescribeEndpoint",
        "!{\"__type\":\"ValidationException\",\"message\":"
            + "\"Could not find endpoint \\\"ep\\\".\"}");
    component("InService", 0, 0, "model-1");
    assertThat(cleanup.describe().state()).isEqualTo(State.FAILED);
    answers.put("SageMaker.DescribeInferenceComponent", NO_COMPONENT);
    assertThat(cleanup.describe()).isEqualTo(Endpoint.Status.ABSENT);
  }

  /** The stack-delete cleanup of endpoint "ep" and component "ep-ic" over {@code view}, waiting on {@code time}. */
  private static EndpointCleanup cleanupOf(ComponentEndpoint view, PausedTime time) {
    DisabledMapping mapping = new DisabledMapping("the cleanup never enables");
    MemoryQueue queue = new MemoryQueue(time);
    return new EndpointCleanup(
        view,
        mapping,
        new MemoryControlTable(),
        new CleanupConfig(
            EndpointCleanupHandlerTest.STACK_ID,
            "ep",
            "uuid-1",
            "control",
            EndpointCleanupHandlerTest.QUEUE_URL,
            "ep-ic"),
        time,
        time,
        new TestEventSweep(mapping, queue, queue, time));
  }

  /** CloudFormation's Delete of the cleanup resource for endpoint "ep". */
  private static Map<String, Object> stackDelete() {
    Map<String, Object> event =
        new HashMap<>(ControllerHandlerTest.fixture("cfn-endpoint-cleanup-delete.json"));
    event.put("ResourceProperties", Map.of("EndpointName", "ep"));
    return event;
  }
}
