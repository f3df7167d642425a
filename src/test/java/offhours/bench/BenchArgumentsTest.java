package offhours.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What scripts/bench takes, and what it refuses instead of printing a table without what was asked for. */
class BenchArgumentsTest {

  @Test
  void noArgumentsRunEverySectionAtFullSize() {
    assertThat(BenchArguments.parse(List.of()))
        .isEqualTo(new BenchArguments(
            false, List.of("drain", "standin", "consumer", "cold", "packages", "container")));
  }

  @Test
  void theReadmesCommandsParse() {
    assertThat(BenchArguments.parse(List.of("--quick")).quick()).isTrue();
    assertThat(BenchArguments.parse(
            List.of("--only", "drain,standin,cold,consumer,packages,container")))
        .isEqualTo(new BenchArguments(
            false, List.of("drain", "standin", "cold", "consumer", "packages", "container")));
    assertThat(BenchArguments.parse(List.of("--quick", "--only", "packages")))
        .isEqualTo(new BenchArguments(true, List.of("packages")));
  }

  @Test
  void aSectionItDoesNotKnowIsNamedWithTheSectionsItHas() {
    assertThatThrownBy(() -> BenchArguments.parse(List.of("--only", "packages,cold-start")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "--only names no section 'cold-start'; the sections are drain, standin, consumer, cold,"
                + " packages, container");
    assertThatThrownBy(() -> BenchArguments.parse(List.of("--only", "packages,")))
        .hasMessageStartingWith("--only names no section ''");
  }

  @Test
  void onlyWithoutItsListSaysWhatItNeeds() {
    assertThatThrownBy(() -> BenchArguments.parse(List.of("--only")))
        .hasMessageStartingWith("--only needs the sections to run, separated by commas:");
    assertThatThrownBy(() -> BenchArguments.parse(List.of("--only", "--quick")))
        .hasMessageStartingWith("--only needs the sections to run");
  }

  @Test
  void anArgumentItDoesNotKnowIsRefusedWithTheUsage() {
    assertThatThrownBy(() -> BenchArguments.parse(List.of("--qiuck")))
        .hasMessage("unknown argument '--qiuck'; usage: scripts/bench [--quick]"
            + " [--only drain,standin,consumer,cold,packages,container]");
  }
}
