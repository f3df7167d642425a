package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A line names the first ten of a list, and says when there are more. */
class FormatFirstOfTest {

  private static List<String> ids(int count) {
    return IntStream.rangeClosed(1, count).mapToObj(i -> "m-" + i).toList();
  }

  @Test
  void tenAreNamedAllAndElevenEndInDots() {
    assertThat(Format.firstOf(ids(10), ", "))
        .isEqualTo("m-1, m-2, m-3, m-4, m-5, m-6, m-7, m-8, m-9, m-10");
    assertThat(Format.firstOf(ids(11), "; "))
        .isEqualTo("m-1; m-2; m-3; m-4; m-5; m-6; m-7; m-8; m-9; m-10; ...");
  }

  @Test
  void aSortedSetIsNamedInItsOrderAndNoneIsNothing() {
    assertThat(Format.firstOf(new TreeSet<>(List.of("resnet-50", "m1")), ", "))
        .isEqualTo("m1, resnet-50");
    assertThat(Format.firstOf(List.of(), ", ")).isEmpty();
  }
}
