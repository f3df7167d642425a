package offhours.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import offhours.endpoint.ControlState.Override.Mode;
import offhours.endpoint.Endpoint.State;
import offhours.endpoint.sim.MemoryControlTable;
import offhours.stack.Hosting;
import offhours.stack.StackSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * StackSpec.METRICS.publishedUnder(hosting, budget) is what the controller publishes under that hosting and
 * MaxWaitMinutes, no more and no less:
 * the controller of each hosting runs over every endpoint state (young and stuck, the stack's config, another config,
 * a foreign endpoint, a serverless one, a component still resumable or needing a stop), the trigger polling, paused,
 * changing or gone, an empty, a waiting and a busy queue, inside and outside working hours, with and without a
 * latency budget (and with next-opening), with every call failing or the test invocation failing, without an override or with a manual stop
 * or start, twice (so an upload can be overdue): every metric its lines declare is in
 * the list, and every one in the list is declared in some run. template.yaml's dashboard and alarms name, for each
 * hosting, only metrics of that list (DashboardTest).
 */
class PublishedMetricsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static final Map<Hosting, Map<String, String>> ENV = Map.of(
      Hosting.SCHEDULED, Map.of(),
      Hosting.SCALE_TO_ZERO, Rig.SCALE_TO_ZERO,
      Hosting.SERVERLESS, Map.of("HOSTING", "serverless"));

  /**
   * Wednesday 10:00 and Monday 06:50 in Berlin: inside and outside Rig's working hours. The second run, 90 minutes
   * later, finds an upload overdue: after 11:00 with a budget of 30 minutes, after the 08:00 opening with next-opening.
   */
  private static final List<Instant> TIMES =
      List.of(Instant.parse("2026-01-14T09:00:00Z"), Instant.parse("2026-01-12T05:50:00Z"));

  /** Polling, paused, on the way to either, and gone (the others wait as these do). */
  private static final List<Mapping.TriggerState> TRIGGERS = List.of(
      Mapping.TriggerState.ENABLED,
      Mapping.TriggerState.ENABLING,
      Mapping.TriggerState.DISABLED,
      Mapping.TriggerState.DISABLING,
      Mapping.TriggerState.ABSENT);

  /** No override, or a manual stop or start recorded by the first run. */
  private static final List<Mode> OVERRIDES = Arrays.asList(null, Mode.STOP, Mode.START);

  private static final List<Backlog.Snapshot> QUEUES = List.of(
      Backlog.Snapshot.EMPTY, new Backlog.Snapshot(5, 0, 0, 0), new Backlog.Snapshot(0, 3, 0, 0));

  private enum Failure {
    NONE,
    /** Every create, delete, enable and disable throws; a run takes one step, so it meets that step's error. */
    EVERY_CALL,
    PROBE
  }

  @ParameterizedTest
  @EnumSource(Hosting.class)
  void theControllerPublishesExactlyTheMetricsStackSpecListsForItsHosting(Hosting hosting) {
    int runs = 0;
    for (String budget : List.of("0", "30", "next-opening")) {
      TreeSet<String> declared = new TreeSet<>();
      Map<String, String> env = new HashMap<>(ENV.get(hosting));
      env.put("MAX_WAIT_MINUTES", budget);
      Rig rig = new Rig(env);
      for (Instant at : TIMES) {
        for (Endpoint.Status ep : endpoints(at)) {
          for (Mapping.TriggerState mp : TRIGGERS) {
            for (Backlog.Snapshot q : QUEUES) {
              for (Failure failure : Failure.values()) {
                for (Mode override : OVERRIDES) {
                  // A first run on its own control state and ledger, over the rig's fakes set anew.
                  MemoryControlTable table = new MemoryControlTable();
                  EndpointController controller =
                      rig.controller(rig.controller.config(), table, table);
                  rig.metrics.clear();
                  rig.endpoint = ep;
                  rig.mapping = mp;
                  rig.queue = q;
                  fail(rig, failure);
                  if (override == null) {
                    controller.reconcile(at);
                  } else {
                    controller.override(override, null, at);
                  }
                  controller.reconcile(at.plus(Duration.ofMinutes(90)));
                  for (String line : rig.metrics) {
                    declared.addAll(declared(line));
                  }
                  runs += rig.metrics.size();
                }
              }
            }
          }
        }
      }
      assertThat(declared)
          .as("the metrics declared with Hosting=%s, MaxWaitMinutes=%s", hosting.value(), budget)
          .containsExactlyInAnyOrderElementsOf(StackSpec.METRICS.publishedUnder(hosting, budget));
    }
    assertThat(runs).isGreaterThan(15_000);
  }

  @ParameterizedTest
  @EnumSource(Hosting.class)
  void onlyAHostingThatSwitchesTheEndpointCanFailToCreateItOrRunItOutsideTheSchedule(
      Hosting hosting) {
    assertThat(StackSpec.METRICS.publishedUnder(hosting, "60"))
        .doesNotHaveDuplicates()
        .contains(
            StackSpec.METRICS.controllerRuns(),
            StackSpec.METRICS.testInvocationFailures(),
            StackSpec.METRICS.controllerStepFailures(),
            StackSpec.METRICS.overdueSeconds(),
            StackSpec.METRICS.endpointOn(),
            StackSpec.METRICS.backlog());
    assertThat(StackSpec.METRICS
            .publishedUnder(hosting, "60")
            .contains(StackSpec.METRICS.endpointCreateFailures()))
        .isEqualTo(hosting != Hosting.SERVERLESS);
    assertThat(StackSpec.METRICS
            .publishedUnder(hosting, "60")
            .contains(StackSpec.METRICS.endpointRunningOutsideSchedule()))
        .isEqualTo(hosting != Hosting.SERVERLESS);
  }

  /** Every state, young and stuck past CREATE_TIMEOUT_MINUTES (45), on each kind of endpoint a run may find. */
  private static List<Endpoint.Status> endpoints(Instant at) {
    List<Endpoint.Status> all = new ArrayList<>();
    for (State state : State.values()) {
      // Only a Creating endpoint's age matters (stuck: deleted and counted as a create failure).
      for (Duration age : state == State.CREATING
          ? List.of(Duration.ofMinutes(1), Duration.ofHours(2))
          : List.of(Duration.ofMinutes(1))) {
        Endpoint.Status base = state == State.ABSENT
            ? Endpoint.Status.ABSENT
            : Endpoint.Status.of(
                state,
                state == State.FAILED ? "image not found" : null,
                at.minus(age),
                at.minus(age));
        all.add(base);
        all.add(base.withConfig("offhours-endpoint-config", false));
        all.add(base.withConfig("another-config", false));
        all.add(base.withConfig("offhours-endpoint-config", true));
        all.add(base.withConfig("offhours-endpoint-config", false).withServerless(true));
        all.add(base.withConfig("offhours-endpoint-config", false).withResumable(true));
        all.add(base.withConfig("offhours-endpoint-config", false)
            .withResumable(true)
            .withNeedsStop(true));
      }
    }
    return all;
  }

  private static void fail(Rig rig, Failure failure) {
    rig.createError = null;
    rig.deleteError = null;
    rig.enableError = null;
    rig.disableError = null;
    rig.probe = new Endpoint.Probe(true, "5 class probabilities");
    switch (failure) {
      case NONE -> {}
      case EVERY_CALL -> {
        rig.createError = new IllegalStateException("ResourceLimitExceeded");
        rig.deleteError = new IllegalStateException("ThrottlingException");
        rig.enableError = new IllegalStateException("ResourceConflictException");
        rig.disableError = new IllegalStateException("ResourceConflictException");
      }
      case PROBE -> rig.probe = new Endpoint.Probe(false, "ModelError 424");
    }
  }

  private static List<String> declared(String line) {
    try {
      return JSON.readTree(line)
          .get("_aws")
          .get("CloudWatchMetrics")
          .get(0)
          .get("Metrics")
          .findValuesAsText("Name");
    } catch (Exception e) {
      throw new AssertionError(line, e);
    }
  }
}
