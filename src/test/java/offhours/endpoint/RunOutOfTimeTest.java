package offhours.endpoint;

import static offhours.endpoint.ControlStateBuilder.controlState;
import static offhours.endpoint.EndpointControllerTest.metric;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import offhours.aws.InvocationDeadline;
import offhours.endpoint.Decision.Action;
import offhours.endpoint.Endpoint.State;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;

/**
 * What a controller run does when its deadline ({@link RunDeadline}) ends a call at each stage: a read cut decides
 * nothing, a claim cut takes no step, a step cut may have applied and the next run reads again, a state write cut
 * leaves the decision standing.
 */
class RunOutOfTimeTest {

  private final Rig rig = new Rig();

  private static ApiCallTimeoutException cut(String call) {
    return ApiCallTimeoutException.create(
        call + " was cut after 300 ms, 5000 ms before this controller run's deadline", null);
  }

  /** The rig's table, whose saves throw {@code failures} in turn (null: saved) from the {@code from}-th on. */
  private ControlStore failingSaves(int from, RuntimeException failure) {
    return new ControlStore() {
      private int saves;

      @Override
      public Optional<ControlState> load() {
        return rig.table.load();
      }

      @Override
      public boolean save(ControlState next, long expectedVersion) {
        if (++saves == from) {
          throw failure;
        }
        return rig.table.save(next, expectedVersion);
      }

      @Override
      public boolean save(ControlState next, long expectedVersion, List<Ledger.Day> counted) {
        if (++saves == from) {
          throw failure;
        }
        return rig.table.save(next, expectedVersion, counted);
      }
    };
  }

  @Test
  void aDescribeTheDeadlineCutDecidesNothingAndSaysSo() {
    rig.queue = new Backlog.Snapshot(5, 0, 0, 0);
    rig.describeError = cut("SageMaker's DescribeEndpoint");

    Decision d = rig.run();

    assertThat(d.action()).isEqualTo(Action.OUT_OF_TIME);
    assertThat(d.toString())
        .isEqualTo("2026-01-14T09:00:00Z -> OUT_OF_TIME: the run's reads did not answer before its"
            + " deadline (SageMaker's DescribeEndpoint was cut after 300 ms, 5000 ms before this"
            + " controller run's deadline); nothing is decided on what was not read, and the next"
            + " run reads again [skipped]");
    assertThat(d.toMap()).containsOnlyKeys("at", "action", "why", "outcome");
    assertThat(rig.calls).as("no step on what was not read").isEmpty();
    assertThat(rig.table.load()).as("nothing claimed").isEmpty();
    assertThat(rig.metrics).as("no heartbeat: the run did not complete").isEmpty();

    rig.describeError = null;
    assertThat(rig.run().action())
        .as("the next run reads again and decides")
        .isEqualTo(Action.CREATE_ENDPOINT);
  }

  @Test
  void aClaimTheDeadlineCutTakesNoStepAndTheNextRunDecidesAnew() {
    rig.queue = new Backlog.Snapshot(5, 0, 0, 0);
    // The claim landed, but its answer was lost to the cut.
    EndpointController controller =
        rig.controller(ControllerConfig.fromEnvironment(Rig.ENV), new ControlStore() {
          private boolean cutOnce = true;

          @Override
          public Optional<ControlState> load() {
            return rig.table.load();
          }

          @Override
          public boolean save(ControlState next, long expectedVersion) {
            boolean saved = rig.table.save(next, expectedVersion);
            if (cutOnce) {
              cutOnce = false;
              throw cut("DynamoDb's PutItem");
            }
            return saved;
          }

          @Override
          public boolean save(ControlState next, long expectedVersion, List<Ledger.Day> counted) {
            // The next run's claim: the one that was cut claimed the endpoint billing from then on.
            return rig.table.save(next, expectedVersion, counted);
          }
        });

    Decision d = controller.reconcile(rig.now);

    assertThat(d.action()).isEqualTo(Action.OUT_OF_TIME);
    assertThat(d.why())
        .startsWith("CREATE_ENDPOINT not taken (endpoint absent)")
        .contains("the write claiming it did not answer before the run's deadline (DynamoDb's"
            + " PutItem was cut after 300 ms")
        .endsWith("it may have applied, and the next run reads the state, the endpoint and the"
            + " trigger again");
    assertThat(rig.calls).isEmpty();
    assertThat(metric(rig.metrics.getLast(), "ControllerStepFailures")).isEqualTo(1.0);

    rig.now = rig.now.plusSeconds(60);
    assertThat(controller.reconcile(rig.now).action())
        .as("the claim that landed does not stop the next run: it reads the endpoint absent")
        .isEqualTo(Action.CREATE_ENDPOINT);
    assertThat(rig.calls).containsExactly("create");
  }

  @Test
  void aCreateCutAfterItWasSentMayHaveAppliedAndCountsNoCreateFailure() {
    rig.queue = new Backlog.Snapshot(5, 0, 0, 0);
    rig.refusesRepeats = true;
    rig.onCall = () -> rig.endpoint = Endpoint.Status.of(State.CREATING, null, rig.now, rig.now);
    rig.createError = cut("SageMaker's CreateEndpoint");

    Decision d = rig.run();

    assertThat(d.action()).isEqualTo(Action.CREATE_ENDPOINT);
    assertThat(d.outcome())
        .isEqualTo("CREATE_ENDPOINT did not finish in time and may have applied: SageMaker's"
            + " CreateEndpoint was cut after 300 ms, 5000 ms before this controller run's"
            + " deadline; the next run reads the endpoint and the trigger again");
    assertThat(rig.state().createFailures())
        .as("no backoff: it may be creating")
        .isZero();
    assertThat(rig.state().createNotBefore()).isNull();
    assertThat(rig.state().billing())
        .as("billed from the claim on, as if it applied")
        .isTrue();
    assertThat(metric(rig.metrics.getLast(), "EndpointCreateFailures")).isZero();
    assertThat(metric(rig.metrics.getLast(), "ControllerStepFailures")).isEqualTo(1.0);

    rig.createError = null;
    assertThat(rig.runAt("2026-01-14T09:01:00Z").action())
        .as("the next run sees the endpoint creating and waits")
        .isEqualTo(Action.WAIT);
    assertThat(rig.calls).containsExactly("create");
  }

  private Ledger.Day today() {
    return rig.table.days(LocalDate.parse("2026-01-14"), LocalDate.parse("2026-01-14")).stream()
        .findFirst()
        .orElse(new Ledger.Day(LocalDate.parse("2026-01-14"), 0, 0, 0, 0));
  }

  @Test
  void aCreateCutThatAppliedIsCountedOnceByTheNextRunAtTheEndpointsCreationTime() {
    rig.queue = new Backlog.Snapshot(5, 0, 0, 0);
    Instant created = rig.now.plusMillis(200);
    rig.onCall = () -> rig.endpoint = Endpoint.Status.of(State.CREATING, null, created, created);
    rig.createError = cut("SageMaker's CreateEndpoint");

    rig.run();

    assertThat(today().starts())
        .as("the cut run cannot tell whether it started")
        .isZero();

    rig.createError = null;
    Decision next = rig.runAt("2026-01-14T09:01:00Z");

    assertThat(next.action()).isEqualTo(Action.WAIT);
    assertThat(next.outcome()).isEqualTo("ok");
    assertThat(today().starts()).isEqualTo(1);
    assertThat(today().endpointSeconds())
        .as("billed from the cut run's claim, which the call followed")
        .isEqualTo(60);

    rig.inService();
    rig.runAt("2026-01-14T09:02:00Z");
    rig.runAt("2026-01-14T09:03:00Z");
    assertThat(today().starts()).as("counted once").isEqualTo(1);
  }

  @Test
  void aCreateCutThatDidNotApplyIsNotCountedAndTheCreateThatFollowsCountsOnce() {
    rig.queue = new Backlog.Snapshot(5, 0, 0, 0);
    rig.createError = cut("SageMaker's CreateEndpoint");
    rig.run();
    rig.createError = null;

    Decision next = rig.runAt("2026-01-14T09:01:00Z");

    assertThat(next.action()).as("the endpoint is still absent").isEqualTo(Action.CREATE_ENDPOINT);
    assertThat(next.outcome()).isEqualTo("ok");
    assertThat(today().starts()).as("nothing seen up yet").isZero();

    rig.runAt("2026-01-14T09:02:00Z");
    assertThat(today().starts()).isEqualTo(1);
    rig.inService();
    rig.runAt("2026-01-14T09:03:00Z");
    assertThat(today().starts()).as("a normal run's create is counted once").isEqualTo(1);
  }

  @Test
  void anEndpointUpWhenWhatTheLedgerCountedWasNotYetRecordedIsNotCountedAgain() {
    rig.inService();
    rig.mapping = Mapping.TriggerState.ENABLED;
    // As a state a version before ControlState.counted wrote: the endpoint's start was counted
    // then.
    rig.seed(controlState()
        .version(3)
        .scheduleOpen(true)
        .lastRun(rig.now.minusSeconds(60), true)
        .build());

    rig.run();

    assertThat(today().starts()).isZero();
  }

  @Test
  void aProbeTheDeadlineCutIsNoFailedTestInvocationAndTheNextRunTestsAgain() {
    rig.inService();
    rig.probe = Endpoint.Probe.cutShort(
        "SageMakerRuntime's InvokeEndpoint was cut after 300 ms, 10000 ms before this controller"
            + " run's deadline");

    Decision d = rig.run();

    assertThat(d.action()).isEqualTo(Action.ENABLE_MAPPING);
    assertThat(d.outcome())
        .isEqualTo("test invocation did not finish before the run's deadline, which is no answer"
            + " from the endpoint: mapping stays disabled, the next run tests again:"
            + " SageMakerRuntime's InvokeEndpoint was cut after 300 ms, 10000 ms before this controller"
            + " run's deadline");
    assertThat(rig.calls).containsExactly("probe");
    assertThat(metric(rig.metrics.getLast(), "TestInvocationFailures"))
        .as("the endpoint did not fail: it was not given the time to answer")
        .isZero();
    assertThat(metric(rig.metrics.getLast(), "ControllerStepFailures"))
        .as("a run out of time, as any step the deadline cuts")
        .isEqualTo(1.0);

    rig.probe = new Endpoint.Probe(true, "5 class probabilities");
    assertThat(rig.runAt("2026-01-14T09:01:00Z").action()).isEqualTo(Action.ENABLE_MAPPING);
    assertThat(rig.calls).containsExactly("probe", "probe", "enable", "retention");
  }

  @Test
  void aStepWithNoTimeLeftIsNotStartedAndTheNextRunTakesIt() {
    rig.queue = new Backlog.Snapshot(5, 0, 0, 0);
    rig.createError = new InvocationDeadline.NoTimeLeft(
        "SageMaker's CreateEndpoint of this controller run was not started: 600 ms of this"
            + " invocation remained");

    Decision d = rig.run();

    assertThat(d.outcome())
        .startsWith("CREATE_ENDPOINT not started: SageMaker's CreateEndpoint of this controller"
            + " run was not started");
    assertThat(rig.state().createNotBefore()).isNull();

    rig.createError = null;
    assertThat(rig.runAt("2026-01-14T09:01:00Z").action()).isEqualTo(Action.CREATE_ENDPOINT);
  }

  @Test
  void aPauseCutAfterItWasSentIsNotTakenForAnOverlappingRunsOwn() {
    rig.inService();
    rig.mapping = Mapping.TriggerState.ENABLED;
    rig.runAt("2026-01-14T19:00:00Z"); // closing: nothing waits, stop at once is off (no budget)
    rig.calls.clear();
    rig.mapping = Mapping.TriggerState.ENABLED;
    rig.refusesRepeats = true;
    rig.onCall = () -> rig.mapping = Mapping.TriggerState.DISABLING;
    rig.disableError = cut("Lambda's UpdateEventSourceMapping");

    Decision d = rig.runAt("2026-01-14T19:01:00Z");

    assertThat(d.action()).isEqualTo(Action.DISABLE_MAPPING);
    assertThat(d.outcome())
        .as("no time to read the trigger again: the next run does")
        .startsWith("DISABLE_MAPPING did not finish in time and may have applied: Lambda's"
            + " UpdateEventSourceMapping was cut");
  }

  @Test
  void aStateWriteTheDeadlineCutLeavesTheDecisionStandingAndTheNextRunReadsAgain() {
    rig.inService();
    String retentionSaid =
        "AWS's answer to PutRetentionPolicy 30 days on /aws/sagemaker/Endpoints/e:"
            + " AccessDeniedException (HTTP 400, request r-1): denied";
    rig.retentionSaid = List.of(retentionSaid);
    EndpointController controller = rig.controller(
        ControllerConfig.fromEnvironment(Rig.ENV),
        failingSaves(3, cut("DynamoDb's PutItem"))); // the claim, the second claim, the state

    Decision d = controller.reconcile(rig.now);

    assertThat(d.action()).isEqualTo(Action.ENABLE_MAPPING);
    assertThat(d.outcome())
        .isEqualTo("ok; state not written: DynamoDb's PutItem was cut after 300 ms, 5000 ms"
            + " before this controller run's deadline; it may have applied, and the next run"
            + " reads the state again");
    assertThat(d.awsSaid())
        .as("every call AWS failed in the run, each named, for its log line only")
        .isEqualTo(retentionSaid + "; AWS's answer to the control state's write: nothing"
            + " (ApiCallTimeoutException: DynamoDb's PutItem was cut after 300 ms, 5000 ms before"
            + " this controller run's deadline)");
    assertThat(d.toMap().toString()).doesNotContain("AWS's answer");
    assertThat(rig.calls).containsExactly("probe", "enable", "retention");

    rig.now = rig.now.plusSeconds(60);
    assertThat(controller.reconcile(rig.now).action())
        .as("the next run sees the trigger enabling and has nothing to do")
        .isIn(Action.NONE, Action.WAIT);
  }

  @Test
  void aManualOverrideWhoseSaveTheDeadlineCutEndsTheRunOutOfTimeAndSaysWhatToDo() {
    EndpointController controller = rig.controller(
        ControllerConfig.fromEnvironment(Rig.ENV), failingSaves(1, cut("DynamoDb's PutItem")));
    List<Decision> recorded = new ArrayList<>();
    ControllerHandler handler =
        new ControllerHandler(controller, Clock.fixed(rig.now, ZoneOffset.UTC), recorded::add);

    Map<String, Object> out = handler.handleRequest(Map.of("action", "stop"), null);

    assertThat(out)
        .containsEntry("action", "OUT_OF_TIME")
        .containsEntry(
            "why",
            "the manual STOP was not confirmed: the control table did not answer"
                + " before the run's deadline (DynamoDb's PutItem was cut after 300 ms, 5000 ms before"
                + " this controller run's deadline); it may have been recorded, and the next run acts"
                + " on it if so. Check with `endpoint status` and send it again if the override is not"
                + " there");
    assertThat(rig.calls).as("no run on an override not known to be recorded").isEmpty();
    assertThat(recorded).isEmpty();
  }

  @Test
  void aRunThatDecidedNothingIsLoggedNotRecordedAndNeedsNoDeadline() {
    rig.describeError = cut("SageMaker's DescribeEndpoint");
    List<Decision> recorded = new ArrayList<>();
    ControllerHandler handler =
        new ControllerHandler(rig.controller, Clock.fixed(rig.now, ZoneOffset.UTC), recorded::add);

    Map<String, Object> out = handler.handleRequest(Map.of(), null);

    assertThat(out).containsEntry("action", "OUT_OF_TIME").containsEntry("timer", "no timer queue");
    assertThat(recorded)
        .as("the status pages keep the last run that saw the endpoint")
        .isEmpty();
  }
}
