package offhours.bench;

import java.io.PrintStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/** The bench's output: one row per measurement against its limit measured in the same run, then notes. */
final class BenchTable {

  private final List<String> rows = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();

  void row(String what, String value, String limit, double ratio, String target, boolean met) {
    rows.add(String.format(
        "| %s | %s | %s | %.2f | %s | %s |",
        what, value, limit, ratio, target, met ? "yes" : "NO"));
  }

  void note(String note) {
    notes.add(note);
  }

  /** The machine's line, the table and the notes. */
  void print(PrintStream out, boolean quick, long startedNanos) {
    out.println();
    out.printf(
        "offhours bench%s, %s: %d cores (%s), JDK %s (%s), %s%n",
        quick ? " --quick" : "",
        Instant.now().truncatedTo(ChronoUnit.SECONDS),
        Runtime.getRuntime().availableProcessors(),
        Machine.cpuModel(),
        Runtime.version(),
        System.getProperty("java.vm.name"),
        Machine.osLine());
    out.println();
    out.println("| measurement | value | limit (same run) | ratio | target | met |");
    out.println("|---|---|---|---|---|---|");
    rows.forEach(out::println);
    out.println();
    notes.forEach(n -> out.println("- " + n));
    out.printf("%nbench took %.0f s%n", (System.nanoTime() - startedNanos) / 1e9);
  }
}
