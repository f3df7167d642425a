package offhours.endpoint.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import offhours.stack.Hosting;
import org.junit.jupiter.api.Test;

/** A simulated week of the real controller with HOSTING=scale-to-zero, beside the scheduled hosting's. */
class ScaleToZeroSimulationTest {
  private static final SimulationConfig CONFIG =
      SimulationConfig.defaults().withHosting(Hosting.SCALE_TO_ZERO);
  private static final SimulationReport WEEK = Simulation.run(CONFIG, Trace.OFFICE_HOURS, 7);

  @Test
  void theControllerSwitchesTheComponentAllWeekWithNothingLostAndItsLedgerAgreesWithTheBill() {
    assertThat(WEEK.config().hosting()).isEqualTo(Hosting.SCALE_TO_ZERO);
    assertThat(WEEK.starts()).isPositive();
    assertThat(WEEK.billedHours()).isPositive().isLessThan(WEEK.alwaysOnHours());
    assertThat(WEEK.dead()).isZero();
    assertThat(WEEK.classified() + WEEK.pendingAtEnd()).isEqualTo(WEEK.uploads());
    assertThat(WEEK.classified()).isPositive();
    assertThat(WEEK.budgetMisses()).isZero();
    // The ledger counts until a run sees the instance gone, at most a tick after it went.
    assertThat(WEEK.endpointHours())
        .isCloseTo(WEEK.billedHours(), within(WEEK.starts() / 60.0))
        .isGreaterThanOrEqualTo(WEEK.billedHours());
  }

  @Test
  void theControllerLearnsTheComponentsStopFromCopiesSetToZeroToTheInstanceGone() {
    // Copies to 0 in 2 min, then the instance idles 10 min; a run sees it gone within a tick.
    assertThat(WEEK.learnedStop())
        .isBetween(CONFIG.component().stop(), CONFIG.component().stop().plusMinutes(1));
    SimulationReport scheduled = Simulation.run(SimulationConfig.defaults(), Trace.OFFICE_HOURS, 7);
    // CreateEndpoint 10 min, the trigger's 20 s, and the run that sees it polling.
    assertThat(scheduled.learnedWake()).isBetween(Duration.ofMinutes(10), Duration.ofMinutes(11));
    assertThat(scheduled.learnedStop()).isEqualTo(Duration.ofMinutes(2));
  }

  @Test
  void theControllerLearnsTheComponentsWakeFromTheRunThatIssuedItNotFromTheComponentsCreation() {
    // Instance 5 min and copy 2 min, the trigger's 20 s and the run that sees it polling. Measured
    // from the component's CreationTime (its first deployment) the wakes grew to days in a week.
    assertThat(WEEK.learnedWake())
        .isBetween(CONFIG.component().wake(), CONFIG.component().wake().plusMinutes(1));
  }

  @Test
  void theLowerBoundIsLeftOutWithTheReasonAndTheJsonSaysSoWithNulls() throws Exception {
    assertThat(WEEK.bounded()).isFalse();
    assertThat(WEEK.renderTable())
        .contains(
            "scale-to-zero: instance 5 + copy 2 min, copies to 0 2 min + instance idle 10 min")
        .contains("lower bound (knowing every upload)   " + SimulationReport.NO_BOUND)
        .contains("expected wake / stop (learned)");
    JsonNode o = new ObjectMapper().readTree(WEEK.toJson());
    assertThat(o.get("hosting").asText()).isEqualTo("scale-to-zero");
    assertThat(o.get("oracleEndpointHours").isNull()).isTrue();
    assertThat(o.get("oracleRatio").isNull()).isTrue();
    assertThat(o.get("oracleStarts").isNull()).isTrue();
    assertThat(o.get("wakeMinutes").asDouble()).isEqualTo(7.0);
    assertThat(o.get("stopMinutes").asDouble()).isEqualTo(12.0);
    assertThat(o.get("learnedStopMinutes").asDouble()).isBetween(12.0, 13.0);
  }

  @Test
  void awsOwnScaleToZeroRowTakesTheSameComponentTimesAsTheSimulatedComponent() {
    HostingAssumptions a = HostingAssumptions.defaults(CONFIG);
    assertThat(a.instanceLaunch()).isEqualTo(CONFIG.component().instanceLaunch());
    assertThat(a.copyLoad()).isEqualTo(CONFIG.component().copyLoad());
    assertThat(a.instancesIdle()).isEqualTo(CONFIG.component().instancesIdle());
    assertThat(CONFIG.component().wake()).isEqualTo(Duration.ofMinutes(7));
    assertThat(CONFIG.component().stop()).isEqualTo(Duration.ofMinutes(12));
  }
}
