package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import offhours.endpoint.CostReport;
import offhours.endpoint.Ledger;
import org.junit.jupiter.api.Test;

class CostCommandTest {

  @Test
  void itsHelpSaysWhatEveryColumnOfTheTableHolds() {
    LocalDate monday = LocalDate.parse("2026-01-12");
    String table = CostReport.compute(
            List.of(new Ledger.Day(monday, 3 * 3600, 1800, 2, 2)),
            Map.of(monday, 600L),
            monday,
            monday,
            ZoneId.of("Europe/Berlin"),
            "ml.m5.large",
            1,
            0.115)
        .renderTable();
    String header = table.lines().filter(l -> l.startsWith("date ")).findFirst().orElseThrow();
    List<String> columns = Arrays.stream(header
            .replace("cost $", "cost_$")
            .replace("24/7 $", "24/7_$")
            .replace("saved $", "saved_$")
            .split(" +"))
        .skip(1) // the date
        .map(c -> c.replace('_', ' '))
        .toList();
    assertThat(columns).contains("outside-h", "starts");
    String help = new CostCommand().description().replaceAll("\\s+", " ");
    for (String column : columns) {
      assertThat(help)
          .as(column)
          .containsPattern("[ (]" + java.util.regex.Pattern.quote(column) + "[,; ]");
    }
  }
}
