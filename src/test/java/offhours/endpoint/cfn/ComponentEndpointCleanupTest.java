package offhours.endpoint.cfn;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import offhours.endpoint.ComponentEndpoint;
import offhours.endpoint.ComponentSageMaker;
import offhours.endpoint.DisabledMapping;
import offhours.endpoint.Endpoint;
import offhours.endpoint.Endpoint.State;
import offhours.endpoint.MemoryQueue;
import offhours.endpoint.PausedTime;
import offhours.endpoint.TestEventSweep;
import offhours.endpoint.sim.MemoryControlTable;
import offhours.testing.EventFixtures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The scale-to-zero adapter's stack-delete view ({@link ComponentEndpoint#ComponentEndpoint(
 * software.amazon.awssdk.services.sagemaker.SageMakerClient, String, String)}) against SageMaker's JSON 1.1 on a
 * loopback server: the component goes first, the endpoint once it is gone, and each wait is a state to wait out.
 */
class ComponentEndpointCleanupTest {
  private static final String IN_SERVICE_ENDPOINT = ComponentSageMaker.IN_SERVICE_ENDPOINT;
  private static final String NO_COMPONENT = ComponentSageMaker.NO_COMPONENT;

  private ComponentSageMaker sageMaker;
  private Map<String, String> answers;
  private List<String> requests;
  private Map<String, Runnable> after;

  @BeforeEach
  void start() {
    sageMaker = new ComponentSageMaker(EndpointCleanupHandlerTest.STACK_ID);
    answers = sageMaker.answers;
    requests = sageMaker.requests;
    after = sageMaker.after;
  }

  @AfterEach
  void stop() {
    sageMaker.close();
  }

  /** The cleanup's view of endpoint "ep" and component "ep-ic": it describes and deletes only. */
  private ComponentEndpoint view() {
    return new ComponentEndpoint(sageMaker.sageMaker(), "ep", "ep-ic");
  }

  private void component(String status, int desired, int current, String model) {
    sageMaker.component(status, desired, current, model);
  }

  private List<String> calls() {
    return sageMaker.calls();
  }

  @Test
  void theCleanupDeletesTheComponentAndOnlyOnceItIsGoneTheEndpoint() {
    ComponentEndpoint cleanup = view();
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
    ComponentEndpoint view = view();
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

    assertComponentThenEndpointDeleted(response, "the component first");
    assertThat(componentWhenEndpointDeleted)
        .as("DeleteEndpoint only once the component is gone (SageMaker refuses it before)")
        .containsExactly(NO_COMPONENT);
    assertThat(time.pauses).hasSize(2);
  }

  @Test
  void
      theStackDeleteRightAfterAStopWaitsForTheCopiesToSettleThenDeletesTheComponentAndTheEndpoint() {
    ComponentEndpoint view = view();
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

    assertComponentThenEndpointDeleted(
        response, "no DeleteInferenceComponent while the copies scale: SageMaker refuses it then");
  }

  @Test
  void theCleanupFindsAComponentLeftWithoutItsEndpoint() {
    ComponentEndpoint cleanup = view();
    answers.put(
        "SageMaker.DescribeEndpoint",
        "!{\"__type\":\"ValidationException\",\"message\":"
            + "\"Could not find endpoint \\\"ep\\\".\"}");
    component("InService", 0, 0, "model-1");
    assertThat(cleanup.describe().state()).isEqualTo(State.FAILED);
    answers.put("SageMaker.DescribeInferenceComponent", NO_COMPONENT);
    assertThat(cleanup.describe()).isEqualTo(Endpoint.Status.ABSENT);
  }

  /**
   * The stack delete succeeded after waiting 6 s for SageMaker, its only deletes the component's and then the
   * endpoint's ({@code why}).
   */
  private void assertComponentThenEndpointDeleted(Map<String, Object> response, String why) {
    assertThat(response)
        .containsEntry("Status", "SUCCESS")
        .containsEntry(
            "Reason",
            "deleted endpoint (was IN_SERVICE) after waiting 6 s for SageMaker to allow it");
    assertThat(calls().stream().filter(c -> c.startsWith("Delete")).toList())
        .as(why)
        .containsExactly("DeleteInferenceComponent", "DeleteEndpoint");
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
        time::sleep,
        new TestEventSweep(mapping, queue, queue, time, EndpointCleanupHandler.CALLER));
  }

  /** CloudFormation's Delete of the cleanup resource for endpoint "ep". */
  private static Map<String, Object> stackDelete() {
    Map<String, Object> event =
        new HashMap<>(EventFixtures.fixture("cfn-endpoint-cleanup-delete.json"));
    event.put("ResourceProperties", Map.of("EndpointName", "ep"));
    return event;
  }
}
