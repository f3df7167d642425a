package offhours.endpoint.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import offhours.endpoint.WaitBudget;
import org.junit.jupiter.api.Test;

class HostingComparisonTest {

  private static final SimulationConfig CONFIG = SimulationConfig.defaults();
  private static final List<Instant> UPLOADS =
      Trace.OFFICE_HOURS.uploads(CONFIG.start(), 2, CONFIG.zone(), CONFIG.seed());

  private static HostingComparison compare(String type) {
    return HostingComparison.run(
        CONFIG,
        HostingComparison.Input.simulated(
            CONFIG,
            "office-hours",
            UPLOADS,
            2,
            HostingAssumptions.defaults(CONFIG),
            HostingPrices.of(type).orElseThrow(),
            Duration.ofMinutes(60)));
  }

  /**
   * A stack's own period: one UTC {@code day} of {@code uploads} on ml.c5.large, working hours Mon-Fri 08:00-18:00, a
   * 60 min budget, until {@code end} (null: the day's end).
   */
  private static HostingComparison.Input oneUtcDay(
      String trace, List<Instant> uploads, LocalDate day, Instant end) {
    return oneUtcDay(trace, uploads, day, end, null);
  }

  private static HostingComparison.Input oneUtcDay(
      String trace, List<Instant> uploads, LocalDate day, Instant end, Instant since) {
    return new HostingComparison.Input(
        trace,
        true,
        uploads,
        day,
        1,
        ZoneOffset.UTC,
        "Mon-Fri 08:00-18:00",
        HostingAssumptions.defaults(),
        HostingPrices.of("ml.c5.large").orElseThrow(),
        Duration.ofMinutes(60),
        end,
        since);
  }

  /** Every modelled option beside a stack's own row: its ledger, of {@code starts} starts. */
  private static HostingComparison stacksOwn(HostingComparison.Input in, int starts) {
    return HostingComparison.withActual(
        in,
        HostingComparison.actual(
            in,
            "offhours (this stack)",
            starts,
            "endpoint-h",
            starts * in.prices().instanceHourUsd(),
            List.of(),
            "its ledger"));
  }

  @Test
  void everyOptionHasOneRowInTheOrderOfTheIssue() {
    assertThat(compare("ml.m5.large").rows())
        .extracting(HostingRow::option)
        .containsExactly(
            "always on",
            "seed's UTC cron",
            "offhours working hours",
            "offhours, budget 60 min",
            "offhours scale-to-zero, budget 60 min",
            "scale-to-zero",
            "serverless",
            "asynchronous",
            "batch transform");
  }

  @Test
  void
      theControllerRowsAreTheRealControllerThroughTheSimulationTheBudgetRowWithMaxWaitMinutesInItsEnvironment() {
    HostingComparison c = compare("ml.m5.large");
    SimulationReport same =
        Simulation.run(CONFIG.withMaxWait(WaitBudget.OFF), Trace.OFFICE_HOURS, 2);
    SimulationReport budgeted =
        Simulation.run(CONFIG.withMaxWait(WaitBudget.minutes(60)), Trace.OFFICE_HOURS, 2);

    assertThat(c.rows().get(2).units()).isEqualTo(same.billedHours());
    assertThat(c.rows().get(2).usd()).isEqualTo(same.billedHours() * 0.115);
    assertThat(c.rows().get(3).units()).isEqualTo(budgeted.billedHours());
    assertThat(c.rows().get(3).note()).contains("MAX_WAIT_MINUTES=60");
    assertThat(c.rows().get(3).note()).doesNotContain("HOSTING");
    assertThat(HostingComparison.budgetSettings(Duration.ofMinutes(240)))
        .isEqualTo(Map.of("MAX_WAIT_MINUTES", "240"));
    // every upload, under each option, was classified, is still waiting, or expired unserved
    for (HostingRow r : c.rows()) {
      assertThat(r.results().size() + r.waits().pending() + r.waits().expired())
          .as(r.option())
          .isEqualTo(UPLOADS.size());
    }
  }

  @Test
  void theScaleToZeroRowIsTheRealControllerOnTheComponentWithTheBudgetPricedPerInstanceHour() {
    HostingComparison c = compare("ml.g4dn.xlarge");
    SimulatedRun component = Simulation.record(
        CONFIG.withHosting(offhours.stack.Hosting.SCALE_TO_ZERO),
        "office-hours",
        UPLOADS,
        2,
        HostingComparison.budgetSettings(Duration.ofMinutes(60)));

    HostingRow row = c.rows().get(4);
    assertThat(row.option()).isEqualTo("offhours scale-to-zero, budget 60 min");
    assertThat(row.units())
        .isEqualTo(component.report().billedHours())
        .isNotEqualTo(c.rows().get(3).units());
    assertThat(row.usd()).isEqualTo(row.units() * 0.736);
    assertThat(row.bands()).isNotEmpty().containsExactlyElementsOf(component.billed());
    assertThat(row.note())
        .startsWith(component.report().starts() + " starts, ")
        .contains("HOSTING=scale-to-zero, MAX_WAIT_MINUTES=60");
    assertThat(c.renderTable()).contains("offhours scale-to-zero, budget 60 min ");
  }

  @Test
  void aGpuTypeHasNoServerlessRowAndTheJsonSaysSoWithNulls() throws Exception {
    HostingComparison c = compare("ml.g4dn.xlarge");

    assertThat(c.renderTable()).containsPattern("serverless +n/a +n/a");
    List<JsonNode> rows = c.toJson()
        .lines()
        .map(l -> {
          try {
            return new ObjectMapper().readTree(l);
          } catch (Exception e) {
            throw new AssertionError(l, e);
          }
        })
        .toList();
    assertThat(rows).hasSize(9);
    JsonNode serverless = rows.get(6);
    assertThat(serverless.get("available").asBoolean()).isFalse();
    assertThat(serverless.get("costUsd").isNull()).isTrue();
    assertThat(rows.get(0).get("billedUnits").asDouble()).isEqualTo(48.0);
    assertThat(rows.get(0).get("costUsd").asDouble())
        .isEqualTo(Math.round(48 * 0.736 * 10_000) / 10_000.0);
    assertThat(rows.get(0).get("unit").asText()).isEqualTo("endpoint-h");
    JsonNode async = rows.get(7);
    assertThat(async.get("option").asText()).isEqualTo("asynchronous");
    assertThat(async.get("available").asBoolean()).as("any instance type").isTrue();
    assertThat(async.get("unit").asText()).isEqualTo("endpoint-h");
    assertThat(async.get("costUsd").asDouble())
        .as("the real-time instance-hour, billedUnits rounded to 3 decimals")
        .isCloseTo(async.get("billedUnits").asDouble() * 0.736, within(0.001));
    assertThat(async.get("expired").asInt()).isZero();
    assertThat(rows)
        .filteredOn(r -> r.get("available").asBoolean())
        .hasSize(8)
        .allSatisfy(r -> assertThat(r.get("expired").isInt()).as(r.toString()).isTrue());
  }

  @Test
  void aStacksOwnRowStandsBesideEveryModelledOptionTheAsynchronousOneIncluded() {
    HostingComparison.Input in = HostingComparison.Input.simulated(
        CONFIG,
        "office-hours",
        UPLOADS,
        2,
        HostingAssumptions.defaults(CONFIG),
        HostingPrices.of("ml.m5.large").orElseThrow(),
        Duration.ofMinutes(60));

    HostingComparison c = stacksOwn(in, 3);

    assertThat(c.rows())
        .extracting(HostingRow::option)
        .containsExactly(
            "always on",
            "seed's UTC cron",
            "offhours (this stack)",
            "scale-to-zero",
            "serverless",
            "asynchronous",
            "batch transform");
    assertThat(c.renderTable()).containsPattern("(?m)^asynchronous +\\d+\\.\\d\\d endpoint-h");
  }

  @Test
  void uploadsInEachOfThePeriodsLastSecondsAndMinutesGiveEveryOptionABillInsideThePeriod() {
    // A stack's own comparison runs up to "now": the last uploads can come just before the end.
    for (long before : new long[] {1, 30, 59, 61, 5 * 60, 9 * 60, 20 * 60, 40 * 60}) {
      LocalDate day = LocalDate.of(2026, 12, 3);
      Instant end = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
      List<Instant> uploads = List.of(end.minusSeconds(3 * 3600), end.minusSeconds(before));
      HostingComparison c = stacksOwn(oneUtcDay("late", uploads, day, null), 0);

      assertThat(c.rows()).filteredOn(HostingRow::available).allSatisfy(r -> {
        assertThat(r.units()).as(before + " s before the end: " + r.option()).isBetween(0.0, 24.0);
        assertThat(r.bands())
            .as(r.option())
            .allSatisfy(b -> assertThat(b[0]).isBefore(b[1]).isBeforeOrEqualTo(end));
      });
      assertThat(c.toJson()).contains("scale-to-zero");
    }
  }

  @Test
  void anOptionThatServedNothingYetShowsNoWaitsAndCountsTheUploadsStillWaiting() {
    // 'cost --compare' two minutes after two uploads: a scale-to-zero wake takes 8, so that row has
    // no result yet, and its waits must not read 0.0 s as if it had answered at once.
    LocalDate day = LocalDate.of(2026, 12, 3);
    Instant upload = day.atTime(9, 30).toInstant(ZoneOffset.UTC);
    HostingComparison c = stacksOwn(
        oneUtcDay("today", List.of(upload, upload.plusSeconds(1)), day, upload.plusSeconds(120)),
        1);

    HostingRow scaleToZero = c.rows().stream()
        .filter(r -> r.option().equals("scale-to-zero"))
        .findFirst()
        .orElseThrow();
    assertThat(scaleToZero.results()).isEmpty();
    assertThat(c.renderTable())
        .containsPattern(
            "(?m)^scale-to-zero +[0-9.]+ endpoint-h +[0-9.]+ +- +- +- +0  wake [^\\n]*;"
                + " 2 uploads still waiting at the end$")
        .containsPattern(
            "(?m)^always on +[^\\n]* 0\\.\\d s +0\\.\\d s +0\\.\\d s +0  one instance, 24/7$");
  }

  @Test
  void theHeadingSaysUploadsToAStackAndOfASimulatedTrace() {
    LocalDate day = LocalDate.of(2026, 12, 3);
    Instant upload = day.atTime(9, 30).toInstant(ZoneOffset.UTC);

    assertThat(stacksOwn(oneUtcDay("the local stack", List.of(upload), day, null), 0)
            .renderTable())
        .startsWith("1 classified upload to the local stack over 1 day from 2026-12-03 (Z),");
    assertThat(stacksOwn(oneUtcDay("stack offhours", List.of(upload, upload), day, null), 0)
            .renderTable())
        .startsWith("2 classified uploads to stack offhours over 1 day from 2026-12-03 (Z),");
    assertThat(compare("ml.m5.large").renderTable())
        .startsWith(UPLOADS.size() + " uploads of 'office-hours' over 2 days from " + CONFIG.start()
            + " (");
  }

  @Test
  void aPeriodEndingNowPricesEveryOptionUntilNowNotForTheRestOfTheDay() {
    // A stack's comparison today at 09:00: always-on has been on 9 h, not 24 (the ledger beside it
    // holds only those).
    LocalDate day = LocalDate.of(2026, 12, 3);
    Instant nineAm = day.atTime(9, 0).toInstant(ZoneOffset.UTC);
    HostingComparison.Input in =
        oneUtcDay("today", List.of(nineAm.minusSeconds(3600)), day, nineAm);

    HostingComparison c = stacksOwn(in, 1);

    HostingRow alwaysOn = c.rows().getFirst();
    assertThat(alwaysOn.units()).isCloseTo(9.0, within(1e-9));
    assertThat(alwaysOn.usd()).isCloseTo(9 * in.prices().instanceHourUsd(), within(1e-9));
    assertThat(c.rows())
        .filteredOn(HostingRow::available)
        .allSatisfy(r -> assertThat(r.bands())
            .as(r.option())
            .allSatisfy(b -> assertThat(b[1]).isBeforeOrEqualTo(nineAm)));
    assertThat(c.renderTable()).contains("over 1 day from 2026-12-03 to today until 09:00 (Z)");
    assertThat(c.toJson()).contains("\"until\":\"2026-12-03T09:00:00Z\"");
    assertThatThrownBy(() -> new HostingComparison.Input(
            "t",
            true,
            List.of(),
            day,
            1,
            ZoneOffset.UTC,
            "",
            HostingAssumptions.defaults(),
            in.prices(),
            Duration.ofMinutes(60),
            nineAm.plusSeconds(86_400),
            null))
        .hasMessageContaining("is not within its 1 day from 2026-12-03");
  }

  @Test
  void thePriceTableNamesItsSourceAndRefusesNegativePrices() {
    assertThat(HostingPrices.of("ml.m5.large").orElseThrow().instanceHourUsd()).isEqualTo(0.115);
    assertThat(HostingPrices.of("ml.x9.huge")).isEmpty();
    assertThat(HostingPrices.SOURCES).contains("https://aws.amazon.com/sagemaker/pricing/");
    assertThatThrownBy(() -> new HostingPrices("ml.m5.large", -1, 0, 0))
        .hasMessage("a price must be a finite number >= 0, got -1.0");
  }

  @Test
  void thePageEscapesWhatComesFromInputAndDrawsTheTimelineAndTheCurve() {
    HostingComparison c = HostingComparison.run(
        CONFIG,
        HostingComparison.Input.simulated(
            CONFIG,
            "<script>alert(1)</script>.txt",
            UPLOADS,
            2,
            HostingAssumptions.defaults(CONFIG),
            HostingPrices.of("ml.m5.large").orElseThrow(),
            Duration.ofMinutes(60)));

    String html = HostingPage.render(
        c,
        List.of(
            new HostingPage.CurvePoint("15 min", 80, 2),
            new HostingPage.CurvePoint("60 min", 90, 1),
            new HostingPage.CurvePoint("next-opening", 95, 0)));

    assertThat(html)
        .doesNotContain("<script")
        .contains("&lt;script&gt;alert(1)&lt;/script&gt;.txt")
        .contains(
            "<svg id=\"timeline\"",
            "<svg id=\"savings-curve\"",
            "class=\"band\"",
            "class=\"point\"",
            "data-option=\"asynchronous\"")
        .doesNotContain("http://", "src=")
        .contains("default-src 'none'")
        .as("each point's misses in the grammar of the count")
        .contains(
            "15 min: 80.0 % saved, 2 misses</title>",
            "60 min: 90.0 % saved, 1 miss</title>", "next-opening: 95.0 % saved, 0 misses</title>");
    HostingRow serverless =
        c.rows().stream().filter(r -> r.unit().equals("GB-s")).findFirst().orElseThrow();
    assertThat(html)
        .as(
            "what each option bills as the table prints it, where the page gave GB-seconds to the hundredth")
        .contains("<td>" + HostingComparisonText.units(serverless) + "</td>")
        .containsPattern("<td>[0-9]+ GB-s</td>");
  }

  @Test
  void aStackStartedAtThreePmHoldsEveryOptionToTheHoursFromThen() {
    LocalDate day = LocalDate.parse("2026-12-03");
    Instant threePm = Instant.parse("2026-12-03T15:00:00Z");
    HostingComparison c = stacksOwn(
        oneUtcDay(
            "t", List.of(), day, day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant(), threePm),
        0);
    assertThat(c.rows().getFirst().option()).isEqualTo("always on");
    assertThat(c.rows().getFirst().units()).as("15:00 to midnight, not 24 h").isEqualTo(9.0);
    assertThat(c.renderTable()).contains("over 1 day from 2026-12-03 15:00 (Z)");
  }
}
