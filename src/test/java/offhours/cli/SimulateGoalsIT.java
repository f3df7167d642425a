package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Needs nothing but a few minutes of CPU: {@code offhours simulate --goals}, the README's goals table, runs 28 simulated
 * weeks in-process. It checks the table's shape and what the controller must never do (miss a budget on the tuned
 * traces, beat the lower bound); whether a ratio goal is met is reported by the table, not asserted. The README prints
 * the tuned rows as the command prints them, line for line.
 */
class SimulateGoalsIT {

  @TempDir
  Path cache;

  @Test
  void theGoalsTableHasARowPerTraceAndBudget() throws Exception {
    CliRun run = CliRun.offline(cache, "simulate", "--goals");
    assertThat(run.exitCode()).as(run.err()).isZero();
    List<String> lines = run.outLines();
    assertThat(lines.getFirst())
        .startsWith("trace")
        .contains("saved", "bound-h", "ratio", "misses", "p99");
    assertThat(lines).hasSize(1 + 28 + 1);
    assertThat(lines.getLast()).matches("\\d+ of 28 rows meet their goal");
    for (String row : lines.subList(1, 13)) { // the built-in traces, seed 42
      String[] cells = row.trim().split("\\s+");
      assertThat(cells[9]).as("budget misses: %s", row).isEqualTo("0");
      assertThat(Double.parseDouble(cells[7]))
          .as("ratio to the lower bound: %s", row)
          .isGreaterThanOrEqualTo(1.0);
    }
    List<String> readme = Files.readString(Path.of("README.md"))
        .lines()
        .dropWhile(l -> !l.contains("The tuned rows, as"))
        .dropWhile(l -> !l.startsWith("```"))
        .skip(1)
        .takeWhile(l -> !l.startsWith("```"))
        .toList();
    assertThat(readme)
        .as("the README's goals table, the header and the 12 tuned rows as printed")
        .containsExactlyElementsOf(lines.subList(0, 13));
  }
}
