package offhours.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import offhours.endpoint.Endpoint.State;
import offhours.endpoint.sim.MemoryControlTable;
import offhours.inference.ModelContract;
import offhours.inference.Scores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The scale-to-zero adapter against a loopback server answering SageMaker's JSON 1.1 the way the service does, so the
 * SDK's real marshalling is exercised: which state each endpoint and component state maps to, and which call each
 * controller step makes.
 */
class ComponentEndpointTest {
  private static final String STACK = SageMakerEndpointTest.STACK;
  private static final String IN_SERVICE_ENDPOINT = ComponentSageMaker.IN_SERVICE_ENDPOINT;
  private static final String NO_COMPONENT = ComponentSageMaker.NO_COMPONENT;

  private ComponentSageMaker sageMaker;
  private ComponentEndpoint endpoint;
  private Map<String, String> answers;
  private List<String> requests;
  private Map<String, Runnable> after;

  @BeforeEach
  void start() {
    sageMaker = new ComponentSageMaker(STACK);
    answers = sageMaker.answers;
    requests = sageMaker.requests;
    after = sageMaker.after;
    endpoint = new ComponentEndpoint(
        sageMaker.sageMaker(),
        sageMaker.runtime(),
        "ep",
        "ep-config",
        "ep-ic",
        "model-1",
        2,
        "ml.m5.large",
        STACK,
        new ModelContract(List.of("a", "b"), null, null, null, Scores.AUTO, "ep-ic"));
  }

  @AfterEach
  void stop() {
    sageMaker.close();
  }

  private void component(String status, int desired, int current, String model) {
    sageMaker.component(status, desired, current, model);
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
    return sageMaker.calls();
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
    assertThat(endpoint.describe().createdAt())
        .as(
            "the endpoint's CreationTime: a component created on it the same wake is no second start")
        .isEqualTo(Instant.ofEpochSecond(1764000000));
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
          sageMaker.sageMaker(),
          sageMaker.runtime(),
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
}
