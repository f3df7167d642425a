package offhours.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import offhours.stack.Hosting;
import org.junit.jupiter.api.Test;

class CostReportTest {
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  private static final LocalDate MON = LocalDate.parse("2026-01-12");
  /** A stack up since before every period here: always-on counts whole days. */
  private static final java.time.Instant LONG_AGO = java.time.Instant.parse("2025-01-01T00:00:00Z");

  private static CostReport twoDays() {
    return CostReport.compute(
        List.of(new Ledger.Day(MON, 3 * 3600, 1800, 2, 2)),
        Map.of(MON, 600L),
        MON,
        MON.plusDays(1),
        BERLIN,
        "ml.m5.large",
        2,
        0.115);
  }

  /** Monday alone on a serverless stack, one image an invocation, at the listed serverless prices. */
  private static CostReport oneServerlessDay(
      ServerlessUsage usage, String instanceType, double hourlyUsd) {
    return CostReport.compute(
        List.of(),
        Map.of(MON, usage.invocations()),
        Map.of(MON, usage),
        MON,
        MON,
        BERLIN,
        LedgerPrices.listed(Hosting.SERVERLESS, instanceType, 1, hourlyUsd),
        LONG_AGO,
        MON.plusDays(1).atStartOfDay(BERLIN).toInstant());
  }

  @Test
  void costIsHoursTimesInstancesTimesPriceAndSavedIsAgainstTheWholeDay() {
    CostReport.Row monday = twoDays().days().get(0);
    assertThat(monday.endpointHours()).isEqualTo(3.0);
    assertThat(monday.outsideScheduleHours()).isEqualTo(0.5);
    assertThat(monday.costUsd()).isCloseTo(3 * 2 * 0.115, within(1e-9));
    assertThat(monday.costPerImageUsd()).isCloseTo(0.69 / 600, within(1e-12));
    assertThat(monday.alwaysOnCostUsd()).isCloseTo(24 * 2 * 0.115, within(1e-9));
    assertThat(monday.savedUsd()).isCloseTo(21 * 2 * 0.115, within(1e-9));
    assertThat(monday.savedPercent()).isCloseTo(87.5, within(1e-9));
  }

  @Test
  void aStackUpForMinutesShowsItsDollarsToTheirFirstDigitsNotAsZero() {
    // Up 6 minutes of Monday, its endpoint on for 1 of them: always-on $0.0102, cost $0.0017.
    java.time.Instant since = MON.atTime(9, 0).atZone(BERLIN).toInstant();
    CostReport report = CostReport.compute(
        List.of(new Ledger.Day(MON, 60, 0, 1, 0)),
        Map.of(),
        Map.of(),
        MON,
        MON,
        BERLIN,
        LedgerPrices.listed(Hosting.SCHEDULED, "ml.c5.large", 1, 0.102),
        since,
        since.plusSeconds(360));

    assertThat(report.renderTable())
        .contains("total            0.02      0.00      1       0     0.0017          -     0.0102"
            + "     0.0085   83.3%\n");
    assertThat(twoDays().renderTable())
        .as("dollars of a cent or more in cents")
        .contains("total            3.00      0.50      2     600       0.69    0.00115      11.04"
            + "      10.35   93.8%");
  }

  @Test
  void dollarPlacesShowTheAlwaysOnFigureToTwoSignificantDigits() {
    assertThat(CostReportText.dollarPlaces(0)).isEqualTo(2);
    assertThat(CostReportText.dollarPlaces(0.005)).isEqualTo(2);
    assertThat(CostReportText.dollarPlaces(0.0049)).isEqualTo(4);
    assertThat(CostReportText.dollarPlaces(0.0017)).isEqualTo(4);
    assertThat(CostReportText.dollarPlaces(0.00017)).isEqualTo(5);
    assertThat(CostReportText.dollarPlaces(1e-9)).isEqualTo(6);
  }

  @Test
  void aDayWithoutLedgerItemSavedEverythingAndHasNoCostPerImage() {
    CostReport.Row tuesday = twoDays().days().get(1);
    assertThat(tuesday.endpointHours()).isZero();
    assertThat(tuesday.savedPercent()).isEqualTo(100.0);
    assertThat(tuesday.costPerImageUsd()).isNaN();
  }

  @Test
  void theTotalSumsTheDays() {
    CostReport.Row total = twoDays().total();
    assertThat(total.endpointHours()).isEqualTo(3.0);
    assertThat(total.images()).isEqualTo(600);
    assertThat(total.alwaysOnHours()).isEqualTo(48.0);
    assertThat(total.savedPercent()).isCloseTo(100.0 * 45 / 48, within(1e-9));
  }

  @Test
  void serverlessCostsInvocationTimeTimesMemoryAtTheGbSecondPricePlusTheData() {
    // 1,269 images of 200 ms on 2 GB: 507.6 GB-s; 0.127 GB sent.
    ServerlessUsage week = new ServerlessUsage(1269, 1269 * 200L, 1269 * 200L * 2048, 126_900_000L);
    CostReport report = oneServerlessDay(week, "ml.c5.large", 0.10);
    CostReport.Row monday = report.days().get(0);
    assertThat(week.gbSeconds()).isCloseTo(507.6, within(1e-9));
    assertThat(monday.endpointHours()).isZero();
    assertThat(monday.costUsd()).isCloseTo(507.6 * 0.00002 + 0.1269 * 0.016, within(1e-9));
    assertThat(monday.costPerImageUsd()).isCloseTo(monday.costUsd() / 1269, within(1e-12));
    assertThat(monday.savedPercent()).isCloseTo(100.0 * (1 - monday.costUsd() / 2.4), within(1e-9));
    assertThat(report.renderTable())
        .contains("Serverless: 1269 invocations, 507.6 GB-s at $0.00002/GB-s");
    assertThat(report.toJson().lines().reduce((a, b) -> b).orElseThrow())
        .contains("\"serverlessInvocations\":1269");
  }

  @Test
  void aServerlessStackIsPricedAtTheGivenServerlessPricesAndSaysSoInItsHeaderAndJson()
      throws Exception {
    // 100 invocations of 1.5 s on 4 GB: 600 GB-s; 0.5 GB of data. No endpoint-hours.
    ServerlessUsage day = new ServerlessUsage(100, 150_000, 150_000L * 4096, 500_000_000L);
    LedgerPrices prices =
        new LedgerPrices(Hosting.SERVERLESS, "ml.m5.large", 2, 0.115, 0.00004, 0.02);

    CostReport report = CostReport.compute(
        List.of(),
        Map.of(MON, 100L),
        Map.of(MON, day),
        MON,
        MON.plusDays(1),
        BERLIN,
        prices,
        LONG_AGO,
        MON.plusDays(2).atStartOfDay(BERLIN).toInstant());

    double cost = 600 * 0.00004 + 0.5 * 0.02;
    CostReport.Row monday = report.days().get(0);
    assertThat(monday.gbSeconds()).isCloseTo(600, within(1e-9));
    assertThat(monday.serverlessCostUsd()).isCloseTo(cost, within(1e-12));
    assertThat(monday.costUsd()).isCloseTo(cost, within(1e-12));
    assertThat(monday.alwaysOnCostUsd()).as("24 h x 2 x $0.115").isCloseTo(5.52, within(1e-9));
    assertThat(monday.savedPercent()).isCloseTo(100 * (1 - cost / 5.52), within(1e-9));
    assertThat(report.days().get(1).savedPercent())
        .as("a day without an invocation billed nothing")
        .isEqualTo(100.0);
    assertThat(report.total().costUsd()).isCloseTo(cost, within(1e-12));
    assertThat(report.renderTable())
        .startsWith(
            "Hosting: serverless, billed per invocation (no endpoint-hours); 24/7 is an always-on"
                + " ml.m5.large x 2 at $0.1150/h")
        .contains("Serverless: 100 invocations, 600.0 GB-s at $0.00004/GB-s, 0.500 GB at $0.020/GB:"
            + " $0.0340 (in cost $)");
    List<String> lines = report.toJson().lines().toList();
    JsonNode first = new ObjectMapper().readTree(lines.get(0));
    assertThat(first.get("hosting").asText()).isEqualTo("serverless");
    assertThat(first.get("serverlessGbSeconds").asDouble()).isEqualTo(600.0);
    JsonNode total = new ObjectMapper().readTree(lines.get(2));
    assertThat(total.get("serverlessInvocations").asLong()).isEqualTo(100);
    assertThat(total.get("serverlessCostUsd").asDouble()).isEqualTo(0.034);
    assertThat(total.get("serverlessGbSecondUsd").asDouble()).isEqualTo(0.00004);
    assertThat(total.get("serverlessDataGbUsd").asDouble()).isEqualTo(0.02);
  }

  @Test
  void aServerlessStackWithoutInvocationsStillSaysHowItBills() {
    CostReport report = CostReport.compute(
        List.of(),
        Map.of(),
        Map.of(),
        MON,
        MON,
        BERLIN,
        LedgerPrices.listed(Hosting.SERVERLESS, "ml.m5.large", 1, 0.115),
        LONG_AGO,
        MON.plusDays(1).atStartOfDay(BERLIN).toInstant());

    assertThat(report.renderTable())
        .contains("Serverless: 0 invocations, 0.0 GB-s at $0.00002/GB-s, 0.000 GB at $0.016/GB");
    assertThat(report.total().costUsd()).isZero();
    assertThat(twoDays().renderTable()).as("a scheduled stack").doesNotContain("Serverless");
  }

  @Test
  void oneServerlessInvocationIsCountedInTheSingular() {
    // 1 invocation of 1 s on 2 GB: 2 GB-s, 1 MB of data.
    CostReport report = oneServerlessDay(
        new ServerlessUsage(1, 1000, 1000L * 2048, 1_000_000L), "ml.m5.large", 0.115);

    assertThat(report.renderTable())
        .contains("Serverless: 1 invocation, 2.0 GB-s at $0.00002/GB-s, 0.001 GB at $0.016/GB:");
  }

  @Test
  void todaySoFarIsComparedWithAnEndpointOnSinceMidnight() {
    ServerlessUsage used = new ServerlessUsage(10, 10_000, 10_000L * 2048, 0);
    java.time.Instant sixAm = MON.atTime(6, 0).atZone(BERLIN).toInstant();
    java.util.function.Function<java.time.Instant, CostReport.Row> at = now -> CostReport.compute(
            List.of(new Ledger.Day(MON, 1800, 0, 1, 0)),
            Map.of(),
            Map.of(MON, used),
            MON,
            MON,
            BERLIN,
            LedgerPrices.listed(Hosting.SCHEDULED, "ml.m5.large", 1, 1.0),
            LONG_AGO,
            now)
        .days()
        .getFirst();

    CostReport.Row soFar = at.apply(sixAm);

    double cost = 0.5 + 20 * ServerlessUsage.GB_SECOND_USD;
    assertThat(soFar.alwaysOnHours()).isEqualTo(6.0);
    assertThat(soFar.alwaysOnCostUsd()).isEqualTo(6.0);
    assertThat(soFar.costUsd()).isCloseTo(cost, within(1e-12));
    assertThat(soFar.savedPercent()).isCloseTo(100 * (1 - cost / 6), within(1e-9));
    assertThat(at.apply(sixAm.plusSeconds(86_400)).alwaysOnHours())
        .as("a day that is over")
        .isEqualTo(24.0);
  }

  @Test
  void aPeriodEndingTodayComparesTheHoursSoFarNotTheWholeDay() {
    // At 09:00 with the endpoint on for 1 h: saved is 1 - 1/9, not 1 - 1/24 (the hours yet to come,
    // which the ledger cannot hold). The day before stays whole.
    LocalDate today = MON.plusDays(1);
    java.time.Instant nineAm = today.atTime(9, 0).atZone(BERLIN).toInstant();
    CostReport report = CostReport.compute(
        List.of(new Ledger.Day(MON, 2 * 3600, 0, 1, 1), new Ledger.Day(today, 3600, 0, 1, 0)),
        Map.of(),
        Map.of(),
        MON,
        today,
        BERLIN,
        LedgerPrices.listed(Hosting.SCHEDULED, "ml.m5.large", 1, 1.0),
        LONG_AGO,
        nineAm);

    assertThat(report.days().getFirst().alwaysOnHours()).isEqualTo(24.0);
    CostReport.Row now = report.days().getLast();
    assertThat(now.alwaysOnHours()).isEqualTo(9.0);
    assertThat(now.alwaysOnCostUsd()).isEqualTo(9.0);
    assertThat(now.savedPercent()).isCloseTo(100 * (1 - 1 / 9.0), within(1e-9));
    assertThat(report.total().alwaysOnHours()).isEqualTo(33.0);
    assertThat(report.total().savedPercent()).isCloseTo(100 * (1 - 3 / 33.0), within(1e-9));
    assertThat(report.until()).isEqualTo(nineAm.atZone(BERLIN));
    assertThat(report.renderTable())
        .contains("Period: 2026-01-12 to today until 09:00 (Europe/Berlin)");
    List<String> json = report.toJson().lines().toList();
    assertThat(json.getFirst()).contains("\"until\":\"2026-01-13T00:00:00+01:00\"");
    assertThat(json.getLast()).contains("\"until\":\"2026-01-13T09:00:00+01:00\"");
    assertThat(twoDays().renderTable()).as("whole days say no period").doesNotContain("Period:");
  }

  @Test
  void theSpringDstDayCountsItsRealHoursUntilNow() {
    // 2026-03-29 in Berlin: 02:00 becomes 03:00, so at 09:00 local 8 hours have passed.
    LocalDate spring = LocalDate.parse("2026-03-29");
    java.time.Instant nineAm = spring.atTime(9, 0).atZone(BERLIN).toInstant();
    assertThat(CostReport.compute(
                List.of(),
                Map.of(),
                Map.of(),
                spring,
                spring,
                BERLIN,
                LedgerPrices.listed(Hosting.SCHEDULED, "", 1, 1),
                LONG_AGO,
                nineAm)
            .total()
            .alwaysOnHours())
        .isEqualTo(8.0);
  }

  @Test
  void alwaysOnCountsTheRealLengthOfDstDays() {
    LocalDate spring = LocalDate.parse("2026-03-29");
    LocalDate autumn = LocalDate.parse("2026-10-25");
    assertThat(CostReport.compute(List.of(), Map.of(), spring, spring, BERLIN, "", 1, 1)
            .total()
            .alwaysOnHours())
        .isEqualTo(23.0);
    assertThat(CostReport.compute(List.of(), Map.of(), autumn, autumn, BERLIN, "", 1, 1)
            .total()
            .alwaysOnHours())
        .isEqualTo(25.0);
  }

  @Test
  void rendersATableAndJsonLines() throws Exception {
    CostReport report = twoDays();
    assertThat(report.renderTable())
        .contains("ml.m5.large x 2 at $0.1150/h")
        .contains(
            "2026-01-12       3.00      0.50      2     600       0.69    0.00115       5.52       4.83   87.5%")
        .contains("total ");
    List<String> lines = report.toJson().lines().toList();
    assertThat(lines).hasSize(3);
    JsonNode total = new ObjectMapper().readTree(lines.get(2));
    assertThat(total.get("date").asText()).isEqualTo("total");
    assertThat(total.get("savedPercent").asDouble()).isEqualTo(93.75);
    assertThat(new ObjectMapper().readTree(lines.get(1)).get("costPerImageUsd").isNull())
        .isTrue();
  }

  @Test
  void eachHeadingEndsInTheColumnWhereItsFiguresEnd() {
    List<String> lines = twoDays().renderTable().lines().toList();
    String header =
        lines.stream().filter(l -> l.startsWith("date ")).findFirst().orElseThrow();
    List<Integer> headingEnds = wordEnds(header
        .replace("cost $", "cost_$")
        .replace("24/7 $", "24/7_$")
        .replace("saved $", "saved_$"));
    for (String row : lines.subList(lines.indexOf(header) + 1, lines.size())) {
      // The date is left-aligned under its heading, every other column right-aligned.
      assertThat(wordEnds(row).subList(1, headingEnds.size()))
          .as(row)
          .isEqualTo(headingEnds.subList(1, headingEnds.size()));
    }
  }

  /** The index just past each run of non-blank characters of {@code line}. */
  private static List<Integer> wordEnds(String line) {
    List<Integer> ends = new java.util.ArrayList<>();
    for (int i = 0; i < line.length(); i++) {
      if (line.charAt(i) != ' ' && (i + 1 == line.length() || line.charAt(i + 1) == ' ')) {
        ends.add(i + 1);
      }
    }
    return ends;
  }

  @Test
  void aPeriodThatEndsBeforeItStartsIsRejected() {
    assertThatThrownBy(
            () -> CostReport.compute(List.of(), Map.of(), MON, MON.minusDays(1), BERLIN, "", 1, 1))
        .hasMessage("the report ends (2026-01-11) before it starts (2026-01-12)");
  }

  private static CostReport startedAt(
      java.time.Instant since, LocalDate from, LocalDate to, java.time.Instant now) {
    return CostReport.compute(
        List.of(new Ledger.Day(from, 3600, 0, 1, 1)),
        Map.of(),
        Map.of(),
        from,
        to,
        BERLIN,
        LedgerPrices.listed(Hosting.SCHEDULED, "ml.m5.large", 1, 1.0),
        since,
        now);
  }

  @Test
  void alwaysOnStartsWhenTheStackDidNotAtMidnightOfItsFirstDay() throws Exception {
    java.time.Instant threePm = MON.atTime(15, 0).atZone(BERLIN).toInstant();
    java.time.Instant midnight = MON.plusDays(1).atStartOfDay(BERLIN).toInstant();

    CostReport firstDay = startedAt(threePm, MON, MON, midnight);

    assertThat(firstDay.total().alwaysOnHours())
        .as("15:00 to midnight, not 24 h")
        .isEqualTo(9.0);
    assertThat(firstDay.total().alwaysOnCostUsd()).isEqualTo(9.0);
    assertThat(firstDay.total().savedPercent()).isCloseTo(100 * (1 - 1 / 9.0), within(1e-9));
    assertThat(firstDay.total().endpointHours()).as("the ledger's own hours").isEqualTo(1.0);
    assertThat(firstDay.from()).isEqualTo(threePm.atZone(BERLIN));
    assertThat(firstDay.renderTable())
        .contains("Period: 2026-01-12 15:00 to 2026-01-12 (Europe/Berlin)");
    JsonNode day =
        new ObjectMapper().readTree(firstDay.toJson().lines().findFirst().orElseThrow());
    assertThat(day.get("alwaysOnHours").asDouble()).isEqualTo(9.0);
    assertThat(day.get("alwaysOnCostUsd").asDouble()).isEqualTo(9.0);

    // Started yesterday at 15:00, asked today at 06:00: 9 h and 6 h.
    java.time.Instant sixAm = MON.plusDays(1).atTime(6, 0).atZone(BERLIN).toInstant();
    CostReport twoDays = startedAt(threePm, MON, MON.plusDays(1), sixAm);
    assertThat(twoDays.days()).extracting(CostReport.Row::alwaysOnHours).containsExactly(9.0, 6.0);
    assertThat(twoDays.total().alwaysOnHours()).isEqualTo(15.0);
    assertThat(twoDays.renderTable())
        .contains("Period: 2026-01-12 15:00 to today until 06:00 (Europe/Berlin)");
  }

  @Test
  void daysBeforeTheStackStartedCountNoAlwaysOnAndItsDstDayOnlyTheHoursFromItsStart() {
    java.time.Instant threePm = MON.atTime(15, 0).atZone(BERLIN).toInstant();
    CostReport report = startedAt(
        threePm, MON.minusDays(1), MON, MON.plusDays(1).atStartOfDay(BERLIN).toInstant());
    assertThat(report.days()).extracting(CostReport.Row::alwaysOnHours).containsExactly(0.0, 9.0);

    // 2026-03-29 in Berlin has 23 hours: started at 01:00, the day holds 22 of them, 03:00 to
    // midnight 21.
    LocalDate spring = LocalDate.parse("2026-03-29");
    java.time.Instant end = spring.plusDays(1).atStartOfDay(BERLIN).toInstant();
    assertThat(startedAt(spring.atTime(1, 0).atZone(BERLIN).toInstant(), spring, spring, end)
            .total()
            .alwaysOnHours())
        .isEqualTo(22.0);
    assertThat(startedAt(spring.atTime(3, 0).atZone(BERLIN).toInstant(), spring, spring, end)
            .total()
            .alwaysOnHours())
        .isEqualTo(21.0);
  }
}
