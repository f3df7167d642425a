package offhours.endpoint.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class TraceFileTest {

  @Test
  void instantsWithZOrAnOffsetAndCommentsAreReadAndSorted() {
    List<Instant> uploads = TraceFile.parse(
        "t.txt",
        List.of(
            "# office, Monday",
            "2026-10-19T09:14:15+02:00",
            "",
            "  2026-10-19T07:00:00Z   # first",
            "2026-10-20T07:00:00.5Z"));
    assertThat(uploads)
        .containsExactly(
            Instant.parse("2026-10-19T07:00:00Z"),
            Instant.parse("2026-10-19T07:14:15Z"),
            Instant.parse("2026-10-20T07:00:00.500Z"));
  }

  @Test
  void aBadLineIsNamedByItsNumberWithTheFormat() {
    assertThatThrownBy(() ->
            TraceFile.parse("t.txt", List.of("2026-10-19T07:00:00Z", "# ok", "2026-10-19 07:00")))
        .hasMessage(
            "t.txt line 3: '2026-10-19 07:00' is not an ISO-8601 instant with an offset, like"
                + " 2026-10-19T07:14:15Z or 2026-10-19T09:14:15+02:00");
    assertThatThrownBy(() -> TraceFile.parse("t.txt", List.of("2026-10-19T07:00:00"))) // no offset
        .hasMessageStartingWith(
            "t.txt line 1: '2026-10-19T07:00:00' is not an ISO-8601 instant with an offset");
    assertThatThrownBy(() -> TraceFile.parse("t.txt", List.of("\u001b[31m")))
        .hasMessageContaining("'?[31m'");
    assertThatThrownBy(() -> TraceFile.parse("t.txt", List.of("# nothing")))
        .hasMessage("t.txt has no upload instants (one ISO-8601 instant per line)");
  }

  @Test
  void theSimulatedPeriodCoversTheTracesLocalDays() {
    List<Instant> uploads =
        TraceFile.parse("t.txt", List.of("2026-10-19T07:00:00Z", "2026-10-21T16:59:00Z"));
    SimulationReport r = Simulation.run(SimulationConfig.defaults(), "t.txt", uploads);
    assertThat(r.config().start()).isEqualTo(LocalDate.parse("2026-10-19"));
    assertThat(r.days()).isEqualTo(3);
    assertThat(r.classified()).isEqualTo(2);
    assertThat(r.budgetMisses()).isZero();
  }
}
