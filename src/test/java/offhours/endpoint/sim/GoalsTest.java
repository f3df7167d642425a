package offhours.endpoint.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import offhours.endpoint.WaitBudget;
import org.junit.jupiter.api.Test;

/** The goals table's rows as {@code simulate --goals} prints them, on reports made up for each part of a goal. */
class GoalsTest {

  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  private static SimulationReport report(
      double savedPercent, int misses, double endpointHours, double boundHours) {
    Duration wait = Duration.ofMinutes(53).plusSeconds(11);
    return new SimulationReport(
        "office-hours",
        7,
        SimulationConfig.defaults(),
        1269,
        1263,
        6,
        0,
        0,
        0,
        endpointHours,
        endpointHours,
        167,
        savedPercent,
        30,
        0,
        2,
        10_000,
        wait,
        wait,
        wait,
        Duration.ofHours(13).plusMinutes(28),
        wait,
        null,
        WaitBudget.minutes(60),
        misses,
        0,
        boundHours,
        24,
        Duration.ofMinutes(10),
        Duration.ofMinutes(2));
  }

  private static String row(Trace trace, String budget, SimulationReport report) {
    List<String> lines = Goals.render(List.of(new Goals.GoalRow(trace, 42, BERLIN, budget, report)))
        .lines()
        .toList();
    return lines.get(1);
  }

  @Test
  void aRowThatMissesOnePartOfItsGoalNamesThatPartAndThePartsItMet() {
    assertThat(row(Trace.OFFICE_HOURS, "60", report(96.2, 0, 6.29, 5.28)))
        .endsWith("  MISSED ratio <= 1.15x; met >= 96.0%, 0 misses");
    assertThat(row(Trace.ALWAYS, "15", report(79.1, 0, 34.88, 28.45)))
        .endsWith("  MISSED ratio <= 1.15x; met 0 misses");
    assertThat(row(Trace.OFFICE_HOURS, "240", report(97.0, 2, 2.76, 2.53)))
        .endsWith("  MISSED >= 97.5%, 0 misses; met ratio <= 1.15x");
  }

  @Test
  void aRowThatMeetsItsGoalSaysSoWithTheGoal() {
    assertThat(row(Trace.OFFICE_HOURS, "next-opening", report(99.4, 0, 0.93, 0.85)))
        .endsWith("  met >= 99.0%, 0 misses, ratio <= 1.15x");
    assertThat(row(Trace.BURSTY, "15", report(98.5, 0, 2.50, 2.43)))
        .endsWith("  met 0 misses, ratio <= 1.15x");
  }

  @Test
  void eachRowIsHandedOnAsSoonAsItsWeekIsSimulatedSoTheTableShowsRowByRow() {
    List<String> events = new ArrayList<>();
    SimulationReport report = report(96.2, 0, 6.29, 5.28);
    List<Goals.GoalRow> rows = Goals.run(
        SimulationConfig.defaults(),
        row -> events.add("row " + row.trace().label() + " " + row.budget()),
        (config, trace) -> {
          events.add("week " + trace.label());
          return report;
        });
    assertThat(rows).hasSize(28);
    assertThat(events).hasSize(56);
    assertThat(events.subList(0, 4))
        .containsExactly(
            "week office-hours", "row office-hours 15", "week office-hours", "row office-hours 60");
    for (int i = 0; i < events.size(); i += 2) {
      assertThat(events.get(i)).as("event %d", i).startsWith("week ");
      assertThat(events.get(i + 1)).as("event %d", i + 1).startsWith("row ");
    }
    StringBuilder printed = new StringBuilder(Goals.header());
    rows.forEach(r -> printed.append(Goals.line(r)));
    assertThat(printed.append(Goals.footer(rows)).toString())
        .as("printed row by row, the table is the one render makes")
        .isEqualTo(Goals.render(rows))
        .endsWith("\n0 of 28 rows meet their goal\n"); // a ratio of 1.19 misses every row
  }

  @Test
  void theWaitsColumnsHoldAWaitOfHoursAndMinutesSoTheRowsLineUp() {
    String header = Goals.render(List.of()).lines().findFirst().orElseThrow();
    String row = row(Trace.OFFICE_HOURS, "60", report(96.2, 0, 6.29, 5.28));
    assertThat(row).contains(" 53 min 11 s 53 min 11 s 13 h 28 min  ");
    assertThat(row.indexOf("13 h 28 min") + "13 h 28 min".length())
        .as("the max column ends where its header does")
        .isEqualTo(header.lastIndexOf("max") + "max".length());
  }
}
