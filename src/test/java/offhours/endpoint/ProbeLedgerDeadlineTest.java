package offhours.endpoint;

import static offhours.testing.LambdaContexts.remaining;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import offhours.aws.InvocationDeadline;
import offhours.aws.UsageLedger;
import offhours.inference.InvocationUsage;
import offhours.testing.FakeDynamoDb;
import org.junit.jupiter.api.Test;

/**
 * A probe's ledger write is cut before the controller run's deadline (the function's 60 s Timeout), which the handler
 * takes from each invocation's context: the run ends and says what was not counted rather than being ended by Lambda.
 */
class ProbeLedgerDeadlineTest {

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-01-14T20:00:00Z"), ZoneOffset.UTC);
  private static final UsageLedger.Settings SERVERLESS =
      new UsageLedger.Settings("control", ZoneOffset.UTC, 2048);

  private final FakeDynamoDb dynamo = new FakeDynamoDb();
  private final List<String> notCounted = new ArrayList<>();

  private UsageLedger ledger(long remainingMillis) {
    return ControllerHandler.probeLedger(
        dynamo,
        SERVERLESS,
        CLOCK,
        (n, millis, e) -> notCounted.add(n + " invocation: " + e.getMessage()),
        () -> new InvocationDeadline(() -> remainingMillis));
  }

  private static InvocationUsage oneProbe() {
    InvocationUsage tally = new InvocationUsage();
    tally.add(400, 20_000, 300);
    return tally;
  }

  @Test
  void theWriteIsGivenTheRunsTimeLeftLessWhatItsLaterStepsKeep() {
    ledger(20_000).add(oneProbe());

    assertThat(dynamo.transactions)
        .singleElement()
        .satisfies(t -> assertThat(t.overrideConfiguration()
                .orElseThrow()
                .apiCallTimeout()
                .orElseThrow()
                .toMillis())
            .as("20 s less the 8 s kept for the run's later steps, less the moments the add took")
            .isBetween(11_500L, 12_000L));
    assertThat(notCounted).isEmpty();
  }

  @Test
  void withNoTimeLeftTheWriteIsNotStartedAndTheLogSaysTheProbeIsNotCounted() {
    ledger(600).add(oneProbe());

    assertThat(dynamo.transactions).isEmpty();
    assertThat(notCounted)
        .containsExactly("1 invocation: the test invocation's ledger write was not started: 600 ms"
            + " of this invocation remained, less than the 250 ms a call is given plus the 500 ms"
            + " kept at its end");
  }

  @Test
  void theHandlerKeepsEachInvocationsDeadlineWhileItRunsAndNoneAfter() {
    AtomicReference<InvocationDeadline> run = new AtomicReference<>(InvocationDeadline.NONE);
    List<Long> seenDuringTheRun = new ArrayList<>();
    ControllerHandler handler = new ControllerHandler(
        new Rig().controller,
        CLOCK,
        (decision, startedBy) -> seenDuringTheRun.add(run.get().remainingMillis()),
        null,
        run);

    handler.handleRequest(Map.of(), remaining(42_000));

    assertThat(seenDuringTheRun).containsExactly(42_000L);
    assertThat(run.get()).isSameAs(InvocationDeadline.NONE);
  }

  @Test
  void theProbesOwnThirtySecondsAndTheWritesKeepFitTheControllersTimeout() {
    assertThat(TestInvocation.PROBE_TIMEOUT.plus(RunDeadline.AFTER_PROBE_LEDGER))
        .isLessThan(Duration.ofSeconds(60));
  }
}
