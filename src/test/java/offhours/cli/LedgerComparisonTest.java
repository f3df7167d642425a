package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import offhours.endpoint.CostReport;
import offhours.endpoint.Ledger;
import offhours.endpoint.ServerlessUsage;
import offhours.endpoint.sim.HostingAssumptions;
import offhours.endpoint.sim.HostingComparison;
import offhours.endpoint.sim.HostingRow;
import offhours.stack.Hosting;
import org.junit.jupiter.api.Test;

/** {@code cost --compare}'s own row: what the stack's ledger cost, in the unit its hosting bills. */
class LedgerComparisonTest {

  private static final ZoneId ZONE = ZoneId.of("Europe/Berlin");
  private static final LocalDate DAY = LocalDate.parse("2026-11-25");
  private static final Instant UPLOAD = Instant.parse("2026-11-25T09:00:00Z");
  private static final List<Instant[]> RESULTS =
      List.<Instant[]>of(new Instant[] {UPLOAD, UPLOAD.plusSeconds(3)});

  private static CostSettings settings(Hosting hosting) {
    return new CostSettings(
        ZONE,
        hosting,
        "ml.m5.large",
        2,
        0.115,
        0.00004,
        0.02,
        4096,
        Optional.empty(),
        Optional.empty());
  }

  private static CostReport report(
      CostSettings settings, List<Ledger.Day> days, ServerlessUsage used) {
    return CostReport.compute(
        days,
        Map.of(DAY, 1L),
        Map.of(DAY, used),
        DAY,
        DAY,
        ZONE,
        settings.prices(),
        DAY.atStartOfDay(ZONE).toInstant(),
        DAY.plusDays(1).atStartOfDay(ZONE).toInstant());
  }

  private static HostingComparison.Input input(CostSettings settings) {
    return new HostingComparison.Input(
        "the stack",
        true,
        List.of(UPLOAD),
        DAY,
        1,
        ZONE,
        "Mon-Fri 09:00-17:00",
        HostingAssumptions.defaults(),
        settings.hostingPrices(),
        Duration.ofMinutes(60),
        null,
        null);
  }

  @Test
  void aServerlessStacksRowIsItsRecordedGbSecondsAtTheReportsCostNotEndpointHours() {
    CostSettings serverless = settings(Hosting.SERVERLESS);
    // 50 invocations of 3 s on 4 GB: 600 GB-s; 0.25 GB of data.
    ServerlessUsage used = new ServerlessUsage(50, 150_000, 150_000L * 4096, 250_000_000L);
    CostReport ledger = report(serverless, List.of(), used);

    HostingRow row = LedgerComparison.actual(input(serverless), ledger, RESULTS, serverless);

    assertThat(row.option()).isEqualTo("offhours (this stack, serverless)");
    assertThat(row.unit()).isEqualTo("GB-s");
    assertThat(row.units()).isCloseTo(600, within(1e-9));
    assertThat(row.usd()).isCloseTo(600 * 0.00004 + 0.25 * 0.02, within(1e-12));
    assertThat(row.usd()).as("the cost report's total").isEqualTo(ledger.total().costUsd());
    assertThat(row.note())
        .isEqualTo("its ledger: 50 serverless invocations, 0.250 GB of data, 4096 MB");
    assertThat(row.waits().p50()).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void aScheduledStacksRowStaysItsInstanceHoursAtTheHourlyPrice() {
    CostSettings scheduled = settings(Hosting.SCHEDULED);
    CostReport ledger =
        report(scheduled, List.of(new Ledger.Day(DAY, 3 * 3600, 0, 1, 1)), ServerlessUsage.NONE);

    HostingRow row = LedgerComparison.actual(input(scheduled), ledger, RESULTS, scheduled);

    assertThat(row.option()).isEqualTo("offhours (this stack)");
    assertThat(row.unit()).isEqualTo("endpoint-h");
    assertThat(row.units()).as("3 h x 2 instances").isEqualTo(6.0);
    assertThat(row.usd()).isCloseTo(6 * 0.115, within(1e-12));
    assertThat(row.note()).isEqualTo("its ledger: 1 start, 2 instances");
  }
}
